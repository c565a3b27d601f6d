"""SIGKILL a real `newswatch run` at random points, re-run cleanly: the database then equals the
one an uninterrupted run produces: no lost article, no duplicate row, no half-written batch, and
no process of the killed run left behind. Also: two runs at once, and a full disk."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import textwrap
import time

import duckdb
import pytest

from conftest import ROOT, Route, rss, shared_path

pytestmark = pytest.mark.slow
NEWSWATCH = str(ROOT / ".venv" / "bin" / "newswatch")
TABLES = {
    "articles": "article_id, content_hash, origin, title",
    "attacks": "attack_id, attacker, target_country, killed, injured",
    "weapons": "attack_id, ordinal, category, model, launched, intercepted",
    "casualties": "attack_id, ordinal, kind, count",
    "locations": "article_id, ordinal, name",
    "diplomacy": "diplomacy_id, kind, venue",
    "entities": "article_id, ordinal, name",
}


def _config(tmp_path, name: str, feeds_file) -> str:
    path = tmp_path / f"{name}.toml"
    path.write_text(textwrap.dedent(f"""
        database = "{tmp_path / name / 'db.duckdb'}"
        seeds_dir = "{ROOT / 'seeds'}"
        feeds_file = "{feeds_file}"
        batch_size = 4
        fetch_retries = 0
        allowed_private_hosts = ["127.0.0.1"]
        alert_log = "{tmp_path / name / 'alerts.jsonl'}"
    """))
    return str(path)


def _run(config: str) -> subprocess.Popen:
    """`newswatch run` as a user starts it (without the test suite's Prefect settings)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "PREFECT_LOGGING"))}
    return subprocess.Popen([NEWSWATCH, "run", "--no-progress", "--config", config], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _descendants(pid: int) -> list[int]:
    """Every process below `pid`, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":  # a zombie has ended; only its parent's wait is missing
            alive.append(pid)
    return alive


def _snapshot(db) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT {cols} FROM {t} ORDER BY ALL").fetchall() for t, cols in TABLES.items()}
    finally:
        con.close()


def _articles(db) -> int:
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return -1  # the run holds it: it is writing
    try:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    except duckdb.CatalogException:
        return 0
    finally:
        con.close()


@pytest.mark.timeout(900)
def test_sigkill_at_random_points_then_rerun_equals_an_uninterrupted_run(server, tmp_path):
    folder = shared_path("realdata", "pages")
    expected = json.loads((folder / "expected.json").read_text())
    files = sorted(v["file"] for v in expected.values())[:24]
    for n, name in enumerate(files):
        server.routes[f"/p/{n}"] = Route(body=(folder / name).read_bytes(), delay=0.15)
    for feed in range(2):
        server.routes[f"/feed{feed}.xml"] = Route(
            body=rss([{"title": f"Page {n}", "link": server.url(f"/p/{n}")} for n in range(feed, len(files), 2)]),
            content_type="application/rss+xml")
    feeds = tmp_path / "feeds.toml"
    feeds.write_text("".join(f'[[feeds]]\nname = "f{i}"\nurl = "{server.url(f"/feed{i}.xml")}"\n\n' for i in range(2)))

    reference = _config(tmp_path, "reference", feeds)
    proc = _run(reference)
    assert proc.wait(timeout=300) == 0, proc.stderr.read().decode()[-2000:]

    crashed = _config(tmp_path, "crashed", feeds)
    db = tmp_path / "crashed" / "db.duckdb"
    rng = random.Random(20261125)
    killed = with_helpers = 0
    for attempt in range(3):
        proc = _run(crashed)
        deadline = time.monotonic() + 120
        while _articles(db) < 1 + attempt * 4 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)  # wait until this run is writing batches ...
        time.sleep(rng.uniform(0.0, 1.5))  # ... then kill it somewhere inside them
        helpers = _descendants(proc.pid)  # Prefect's API server, the fork server, the workers ...
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)  # the process alone, as the OOM killer or `kill -9` would
            killed += 1
            proc.wait()
            deadline = time.monotonic() + 10
            while _alive(helpers) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert not _alive(helpers), f"left behind: {_alive(helpers)}"
            with_helpers += len(helpers) >= 3
        proc.wait()
    assert killed >= 2 and with_helpers >= 1  # kills landed inside runs, one with its helper processes up
    proc = _run(crashed)
    assert proc.wait(timeout=300) == 0, proc.stderr.read().decode()[-2000:]

    got, want = _snapshot(db), _snapshot(tmp_path / "reference" / "db.duckdb")
    assert len(want["articles"]) == len(files) + 1  # every page and the seed
    for table in TABLES:
        assert got[table] == want[table], table


@pytest.mark.timeout(600)
def test_two_runs_at_once_store_everything_once(server, tmp_path):
    pages = 12
    for n in range(pages):
        server.routes[f"/c/{n}"] = Route(body=(b"<html><body><article><h1>Report %d</h1><p>" % n)
                                         + b"Russia launched 30 drones at Kharkiv overnight, officials said. " * 8
                                         + b"</p></article></body></html>", delay=0.2)
    server.routes["/c.xml"] = Route(body=rss([{"title": f"Report {n}", "link": server.url(f"/c/{n}")} for n in range(pages)]),
                                    content_type="application/rss+xml")
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nname = "c"\nurl = "{server.url("/c.xml")}"\n')
    config = _config(tmp_path, "twice", feeds)
    first, second = _run(config), _run(config)
    assert first.wait(timeout=300) == 0, first.stderr.read().decode()[-2000:]
    assert second.wait(timeout=300) == 0, second.stderr.read().decode()[-2000:]
    third = _run(config)  # merges whatever a run had to stage
    assert third.wait(timeout=300) == 0
    db = tmp_path / "twice" / "db.duckdb"
    snap = _snapshot(db)
    ids = [r[0] for r in snap["articles"]]
    assert len(ids) == len(set(ids)) == pages + 1  # every page and the seed, each once
    assert len(snap["weapons"]) == len(set(snap["weapons"])) == pages + 2  # a drone count per report, two for the seed
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM runs WHERE status LIKE 'completed%'").fetchone()[0] == 3
    con.close()


@pytest.fixture
def small_disk(tmp_path):
    """A 6 MB tmpfs (needs root and mount); skipped with a reason where the machine does not allow it."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _seed_folder(folder, count: int, words: int) -> None:
    vocabulary = "Russia launched drones at Kyiv overnight air defence shot down missiles region energy people".split()
    rng = random.Random(count)
    folder.mkdir()
    for n in range(count):
        body = " ".join(rng.choice(vocabulary) for _ in range(words))
        (folder / f"seed-{n}.txt").write_text(f"Seed {n}\nRussia launched {n + 10} drones at Kyiv overnight. {body}\n")


@pytest.mark.timeout(600)
def test_a_full_disk_ends_the_run_with_one_line_and_a_failed_run(small_disk, tmp_path):
    config = tmp_path / "disk.toml"
    feeds = tmp_path / "none.toml"
    feeds.write_text("")
    first_seeds, more_seeds = tmp_path / "first", tmp_path / "more"
    _seed_folder(first_seeds, 1, 50)
    _seed_folder(more_seeds, 30, 6000)  # about a megabyte of text
    db = small_disk / "db" / "nw.duckdb"
    config.write_text(f'database = "{db}"\nfeeds_file = "{feeds}"\nseeds_dir = "{first_seeds}"\n'
                      f'alert_log = "{tmp_path / "alerts.jsonl"}"\n')
    assert _run(str(config)).wait(timeout=300) == 0
    config.write_text(config.read_text().replace(str(first_seeds), str(more_seeds)))
    free_kb = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize // 1024
    filler = small_disk / "filler"
    subprocess.run(["fallocate", "-l", f"{(free_kb - 300) * 1024}", str(filler)], check=True)
    proc = _run(str(config))
    code, lines = proc.wait(timeout=300), proc.stderr.read().decode().strip().splitlines()
    assert code == 5, "\n".join(lines[-40:])
    assert len(lines) == 1 and lines[0].startswith("run failed: cannot write") and "No space left" in lines[0], lines
    filler.unlink()
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT status FROM runs ORDER BY started_at").fetchall() == [("completed",), ("failed",)]
        assert "No space left" in con.execute("SELECT failure FROM runs WHERE status = 'failed'").fetchone()[0]
        assert con.execute("SELECT count(*) FROM errors WHERE stage = 'storage'").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1  # the first run's article is safe
    finally:
        con.close()
