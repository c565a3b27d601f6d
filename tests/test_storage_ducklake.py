"""DuckLake: four ingest shards at once into one lake while a reader queries in a loop, on a
SQLite catalog and on a PostgreSQL catalog (Debian's server, started here on loopback).

Every article of every feed is stored exactly once, no write is lost to a conflict, the reader
is never refused, the views answer as the single-file backend's do on the same input, and each
event alerts once.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import FIXED_NOW, ROOT, Route, rss
from flows.sources.polling import in_shard

pytestmark = pytest.mark.slow
NEWSWATCH = str(ROOT / ".venv" / "bin" / "newswatch")
SHARDS = 4


def _spread(count: int) -> list[str]:
    """Feed names, two per shard: every shard has work."""
    names: list[str] = []
    for n in range(1000):
        name = f"wire-{n}"
        shard = next(k for k in range(SHARDS) if in_shard(name, k, SHARDS))
        if sum(in_shard(m, shard, SHARDS) for m in names) < count // SHARDS:
            names.append(name)
        if len(names) == count:
            return names
    raise AssertionError("names do not spread")


FEEDS = _spread(8)
CITIES = ["Kharkiv", "Odesa", "Dnipro", "Lviv", "Sumy", "Poltava", "Kherson", "Zaporizhzhia"]
COMPARED = {
    # not `sources`: of two feeds listing one link, the one whose shard stored it first is credited
    "v_attack_events": "event_date, attacker, target_country, reports, drones_launched, drones_launched_max, "
                       "drones_intercepted, missiles_launched, killed, places",
    "v_daily_launches": "day, category, strikes, launched, intercepted, launched_paired, intercepted_paired",
    "v_weekly_launches": "week, category, launched, intercepted, interception_rate",
    "v_strikes_by_place": "place, strikes",
    "weapons": "attack_id, category, launched, intercepted",
    "alerts": "alert_key, rule, severity, kind",
}


def _page(text: str) -> bytes:
    return f"<html><body><article><h1>Report</h1><p>{text}</p></article></body></html>".encode()


def _serve(server) -> set[str]:
    """Eight feeds of four reports each, on different days, each feed also listing its neighbour's
    first report (so that shards race to store the same article); one big strike is reported by
    three feeds, two of them with the very same link. Returns every distinct link."""
    links = set()
    for f, name in enumerate(FEEDS):
        items = []
        for j in range(4):
            path = f"/{name}/{j}"
            when = FIXED_NOW - timedelta(days=f + 1, hours=j)
            text = (f"Russia launched {12 + f * 4 + j} drones at {CITIES[(f + j) % 8]} overnight, the regional "
                    f"administration said. Air defences shot down {8 + f} of them.")
            server.routes[path] = Route(body=_page(text), delay=0.05)
            items.append({"title": f"{name} report {j}", "link": server.url(path),
                          "pubDate": when.strftime("%a, %d %b %Y %H:%M:%S GMT")})
            links.add(server.url(path))
        neighbour = FEEDS[(f + 1) % len(FEEDS)]  # every feed also lists its neighbour's first report: shards race
        items.append({"title": f"{neighbour} report 0", "link": server.url(f"/{neighbour}/0"),
                      "pubDate": (FIXED_NOW - timedelta(days=(f + 1) % len(FEEDS) + 1)).strftime("%a, %d %b %Y %H:%M:%S GMT")})
        if f in (0, 3, 5):  # the big strike of the night before FIXED_NOW
            link = server.url("/big" if f != 3 else "/big-other-outlet")
            items.append({"title": "Record attack", "link": link,
                          "pubDate": (FIXED_NOW - timedelta(hours=2)).strftime("%a, %d %b %Y %H:%M:%S GMT")})
            links.add(link)
        server.routes[f"/{name}.xml"] = Route(body=rss(items), content_type="application/rss+xml")
    server.routes["/big"] = Route(body=_page("Russia launched 450 drones and 30 missiles at Ukraine overnight, "
                                             "mostly at Kyiv. Air defences shot down 420 drones."))
    server.routes["/big-other-outlet"] = Route(body=_page("Russia fired 460 drones and 30 missiles at Kyiv "
                                                          "overnight, the air force said."))
    return links


def _config(tmp_path: Path, name: str, server, storage: str) -> Path:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text("".join(f'[[feeds]]\nname = "{n}"\nurl = "{server.url(f"/{n}.xml")}"\n\n' for n in FEEDS))
    seeds = tmp_path / "no-seeds"
    seeds.mkdir(exist_ok=True)
    config = tmp_path / f"{name}.toml"
    config.write_text(f'feeds_file = "{feeds}"\nseeds_dir = "{seeds}"\nallowed_private_hosts = ["127.0.0.1"]\n'
                      f'alert_log = "{tmp_path / name}-alerts.jsonl"\nbatch_size = 4\nlock_timeout = 120\n'
                      f'alert_max_age_hours = 72\n{storage}\n')
    return config


def _shards(config: Path) -> list[subprocess.Popen]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "PREFECT_LOGGING"))}
    return [subprocess.Popen([NEWSWATCH, "run", "--no-progress", "--config", str(config), "--shard", f"{k}/{SHARDS}"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for k in range(SHARDS)]


def _finish(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, (out + err).decode()[-3000:]


def _snapshot(store) -> dict[str, list]:
    from storage.db import read

    def query(con):
        return {name: con.execute(f"SELECT {cols} FROM {name} ORDER BY ALL").fetchall() for name, cols in COMPARED.items()}

    return read(store, query)


def _alerts(config: Path):
    from flows.alerts.evaluation import evaluate
    from flows.settings import load_settings

    settings = load_settings(config)
    evaluate(settings, FIXED_NOW)  # the alerts flow's work, one run at a time, at a fixed hour
    return settings


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    """Debian's PostgreSQL on loopback (installed by .ci/run); skipped with a reason without it."""
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not binaries:
        pytest.skip("Debian's PostgreSQL is not installed (.ci/run installs it)")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("PostgreSQL refuses to run as root and runuser is not available")
    bindir = binaries[-1].parent
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    # the server's own user must reach its folder: not under pytest's folder of root's
    home = Path(tempfile.mkdtemp(prefix="newswatch-pg-")) if as_user else tmp_path_factory.mktemp("postgres")
    if as_user:
        shutil.chown(home, "postgres")
    port = 55000 + os.getpid() % 1000
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(home / "data"), "--auth=trust", "-U", "postgres"],
                   check=True, capture_output=True)
    started = subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(home / "data"), "-l", str(home / "log"), "-w",
                              "-o", f"-p {port} -k {home} -c listen_addresses=127.0.0.1", "start"], capture_output=True)
    if started.returncode != 0:
        pytest.skip(f"PostgreSQL did not start here: {started.stderr.decode()[-300:]}")
    subprocess.run([*as_user, str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "lake"],
                   check=True, capture_output=True)
    yield f"postgres:dbname=lake host=127.0.0.1 port={port} user=postgres"
    subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(home / "data"), "-m", "immediate", "stop"],
                   capture_output=True)
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgres"])
def catalog(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:{tmp_path / 'catalog.sqlite'}"
    return request.getfixturevalue("postgres")


@pytest.mark.timeout(1500)
def test_four_shards_into_one_lake_while_a_reader_reads(server, tmp_path, catalog):
    from flows.settings import load_settings
    from storage.db import read, write

    links = _serve(server)
    lake_config = _config(tmp_path, "lake", server, f'storage_backend = "ducklake"\nducklake_catalog = "{catalog}"\n'
                                                     f'ducklake_data_path = "{tmp_path / "lake-data"}"')
    lake = load_settings(lake_config).store
    write(lake, lambda con: None)  # the schema, as an operator's first run makes it

    reads, refusals, stop = [], [], threading.Event()

    def reader():
        while not stop.is_set():
            try:
                reads.append(read(lake, lambda con: con.execute("SELECT count(*) FROM v_attack_events").fetchone()[0]))
            except Exception as exc:  # noqa: BLE001 - any refusal is what the test looks for
                refusals.append(f"{type(exc).__name__}: {exc}")
            time.sleep(0.2)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    try:
        _finish(_shards(lake_config))
    finally:
        stop.set()
        thread.join(timeout=30)
    assert refusals == [] and len(reads) >= 10

    settings = _alerts(lake_config)
    stored = read(lake, lambda con: con.execute("SELECT url, count(*) FROM articles GROUP BY url").fetchall())
    assert sorted(url for url, _ in stored) == sorted(links)  # every article of every feed ...
    assert all(n == 1 for _, n in stored)                     # ... exactly once
    runs = read(lake, lambda con: con.execute("SELECT status, count(*) FROM runs GROUP BY ALL").fetchall())
    assert runs == [("completed", SHARDS)]
    errors = read(lake, lambda con: con.execute("SELECT stage, reason FROM errors").fetchall())
    assert errors == []  # no write lost to a conflict, nothing staged

    single_config = _config(tmp_path, "single", server, f'database = "{tmp_path / "single.duckdb"}"')
    for k in range(SHARDS):  # the same input, one shard after the other, into one DuckDB file
        _finish([subprocess.Popen([NEWSWATCH, "run", "--no-progress", "--config", str(single_config),
                                   "--shard", f"{k}/{SHARDS}"],
                                  env={k2: v for k2, v in os.environ.items()
                                       if not k2.startswith(("PREFECT_API", "PREFECT_LOGGING"))},
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)])
    single = _alerts(single_config).store
    got, want = _snapshot(settings.store), _snapshot(single)
    for name in COMPARED:
        assert got[name] == want[name], name
    alerts = got["alerts"]
    assert len(alerts) >= 1 and len({a[0].split(":")[0] for a in alerts}) == len(alerts)  # one alert per event
    big = read(lake, lambda con: con.execute("SELECT reports, sources FROM events WHERE 'Kyiv' = ANY(places)").fetchall())
    assert big == [(2, 2)]  # the big strike: one link listed by two feeds (stored once) and another outlet's


def test_a_duckdb_file_moves_into_a_lake(tmp_path, settings_factory):
    """`newswatch migrate-storage --from FILE`: the lake then answers every view as the file did;
    a second copy into the now full lake is refused."""
    from typer.testing import CliRunner

    from extractors.extract import Extractor
    from extractors.types import Article
    from flows.alerts.evaluation import evaluate
    from flows.cli import app
    from flows.settings import load_settings
    from storage.articles import write_batch
    from storage.db import opened

    gold = sorted((ROOT / "tests" / "gold").glob("*.txt"))
    articles = [Article(id=p.stem, source=f"outlet-{n % 3}", url=f"https://n.example/{p.stem}", title=p.stem,
                        text=p.read_text(), content_hash=p.stem, origin="page",
                        published=FIXED_NOW - timedelta(days=n % 5, hours=1)) for n, p in enumerate(gold)]
    single = settings_factory(alert_log=tmp_path / "alerts.jsonl")
    with opened(single.database) as con:
        write_batch(con, list(zip(articles, Extractor().extract([a.as_document() for a in articles]))), "gold", FIXED_NOW)
    evaluate(single, FIXED_NOW)
    config = tmp_path / "lake.toml"
    config.write_text(f'storage_backend = "ducklake"\nducklake_catalog = "sqlite:{tmp_path / "catalog.sqlite"}"\n'
                      f'ducklake_data_path = "{tmp_path / "lake"}"\n')
    result = CliRunner().invoke(app, ["migrate-storage", "--from", str(single.database), "--config", str(config)])
    assert result.exit_code == 0 and f"articles {len(articles)}" in result.output, result.output
    assert _snapshot(load_settings(config).store) == _snapshot(single.store)
    again = CliRunner().invoke(app, ["migrate-storage", "--from", str(single.database), "--config", str(config)])
    assert again.exit_code == 2 and "already holds data" in again.output
