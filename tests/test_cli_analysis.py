"""Views and the README cookbook against a fixture database built from the gold cases."""
from __future__ import annotations

import html
import json
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from conftest import FIXED_NOW, ROOT, query
from extractors.extract import Extractor
from extractors.types import Article
from flows.alerts import evaluation as alerting
from flows.cli import app
from storage import articles as store
from storage.db import opened

GOLD = ROOT / "tests" / "gold"


@pytest.fixture(scope="module", autouse=True)
def module_clock():
    """Every query, command and alert of this module runs at FIXED_NOW."""
    from flows import clock

    with clock.fixed(FIXED_NOW):
        yield


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory, settings_factory_module):
    settings = settings_factory_module
    articles = []
    metas = {p: json.loads(p.with_suffix(".json").read_text()) for p in sorted(GOLD.glob("*.txt"))}
    latest = max(datetime.fromisoformat(m["published"]) for m in metas.values())
    shift = FIXED_NOW.replace(tzinfo=None) - timedelta(days=1) - latest  # the newest case is yesterday's news
    for path, meta in metas.items():
        published = (datetime.fromisoformat(meta["published"]) + shift).replace(hour=9, tzinfo=timezone.utc)
        text = path.read_text()
        articles.append(Article(id=path.stem, source=f"outlet-{len(articles) % 3}", url=f"https://n.example/{path.stem}",
                                title=path.stem, text=text, content_hash=str(hash(text)), origin="page",
                                published=published))
    facts = list(Extractor().extract([a.as_document() for a in articles]))
    with opened(settings.database) as con:
        store.write_batch(con, list(zip(articles, facts)), "fixture", FIXED_NOW - timedelta(hours=1))
    alerting.evaluate(settings)
    return settings


@pytest.fixture(scope="module")
def settings_factory_module(tmp_path_factory):
    from flows.settings import Settings

    tmp = tmp_path_factory.mktemp("views")
    return Settings(database=tmp / "fixture.duckdb", alert_log=tmp / "alerts.jsonl")


def test_views_count_each_strike_once_with_sane_figures(fixture_db):
    weekly = query(fixture_db.database, "SELECT category, sum(launched), sum(intercepted) FROM v_weekly_launches GROUP BY 1")
    for category, launched, intercepted in weekly:
        assert launched is None or intercepted is None or intercepted <= launched, category
    assert {r[0] for r in weekly} >= {"drone", "missile"}
    rate = query(fixture_db.database, "SELECT min(interception_rate), max(interception_rate) FROM v_daily_launches")[0]
    assert 0 <= rate[0] <= rate[1] <= 1
    events = query(fixture_db.database, "SELECT count(*), sum(reports) FROM v_attack_events")[0]
    assert events[0] >= 15 and events[1] >= events[0]
    places = query(fixture_db.database, "SELECT place, latitude, longitude FROM v_strikes_by_place WHERE place = 'Kharkiv'")
    assert places and 49 < places[0][1] < 51 and 35 < places[0][2] < 37
    talks = query(fixture_db.database, "SELECT venue FROM v_talks_timeline WHERE venue IS NOT NULL")
    assert {"Istanbul", "Geneva", "Miami"} <= {t[0] for t in talks}
    persons = query(fixture_db.database, "SELECT name FROM v_entity_mentions WHERE kind = 'person'")
    assert "Rustem Umerov" in {p[0] for p in persons}


def _cookbook() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### Cookbook", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def test_every_cookbook_query_runs(fixture_db):
    queries = _cookbook()
    assert len(queries) >= 10
    answered = 0
    for sql in queries:
        rows = query(fixture_db.database, sql)
        answered += bool(rows)
    assert answered >= 8  # the fixture has no failing feed, so that one may be empty


def test_export_parquet_and_csv_with_dates(fixture_db, tmp_path):
    runner = CliRunner()
    out = tmp_path / "daily.parquet"
    since, until = str(FIXED_NOW.date() - timedelta(days=200)), str(FIXED_NOW.date() - timedelta(days=20))
    result = runner.invoke(app, ["export", "v_daily_launches", "--out", str(out), "-d", str(fixture_db.database),
                                 "--since", since, "--until", until])
    assert result.exit_code == 0, result.output
    con = duckdb.connect()
    days = con.execute(f"SELECT min(day), max(day), count(*) FROM '{out}'").fetchone()
    assert str(days[0]) >= since and str(days[1]) < until and days[2] > 0
    csv = tmp_path / "weapons.csv"
    assert runner.invoke(app, ["export", "weapons", "--out", str(csv), "-d", str(fixture_db.database)]).exit_code == 0
    assert csv.read_text().splitlines()[0].startswith("article_id,attack_id,ordinal,category")
    bad = runner.invoke(app, ["export", "weapons", "--out", str(csv), "-d", str(fixture_db.database), "--since", "2025-01-01"])
    assert bad.exit_code == 2 and "no date column" in bad.output


def test_search_ranks_matching_articles_with_snippets(fixture_db):
    from storage import search

    con = duckdb.connect(str(fixture_db.database))
    try:
        assert search.rebuild_index(con, FIXED_NOW)
    finally:
        con.close()
    con = duckdb.connect(str(fixture_db.database), read_only=True)
    try:
        hits, method = search.search(con, "Mykolaiv water pumping", limit=5)
        assert method == "bm25"
        assert hits[0].article_id == "16-water-disruption" and "pumping station" in hits[0].snippet
        assert search.search(con, "qwertyuiop", 5)[0] == []
    finally:
        con.close()
    result = CliRunner().invoke(app, ["search", "Istanbul delegation", "-d", str(fixture_db.database), "--reindex"])
    assert result.exit_code == 0 and "bm25" in result.output and "Istanbul" in result.output


def test_trends_table_and_chart(fixture_db, tmp_path):
    chart = tmp_path / "trend.png"
    result = CliRunner().invoke(app, ["trends", "-d", str(fixture_db.database), "--since", "2000-01-01",
                                      "--by", "week", "--plot", str(chart)])
    assert result.exit_code == 0, result.output
    assert "drone" in result.output and "missile" in result.output
    assert any(ch in result.output for ch in "▁▂▃▄▅▆▇█")
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 10_000
    only = CliRunner().invoke(app, ["trends", "-d", str(fixture_db.database), "--since", "2000-01-01",
                                    "--by", "day", "--category", "drone"])
    assert only.exit_code == 0 and "missile" not in only.output


@pytest.fixture(scope="module")
def week_db(tmp_path_factory):
    """The test week: the gold cases published by three outlets over the seven days before
    FIXED_NOW, clustered and alerted as a run would."""
    from flows.settings import Settings

    tmp = tmp_path_factory.mktemp("week")
    settings = Settings(database=tmp / "week.duckdb", alert_log=tmp / "alerts.jsonl")
    articles = []
    for k, path in enumerate(sorted(GOLD.glob("*.txt"))):
        text = path.read_text()
        articles.append(Article(id=path.stem, source=f"outlet-{k % 3}", url=f"https://n.example/{path.stem}",
                                title=path.stem.replace("-", " "), text=text, content_hash=str(hash(text)),
                                origin="page", published=(FIXED_NOW - timedelta(days=1 + k % 7)).replace(hour=9)))
    facts = list(Extractor().extract([a.as_document() for a in articles]))
    with opened(settings.database) as con:
        store.write_batch(con, list(zip(articles, facts)), "week", FIXED_NOW - timedelta(hours=1))
    alerting.evaluate(settings)
    return settings


# Injected into a copy of the report (the report itself has no script): measures what Chromium
# laid out and writes it into the page, which --dump-dom then prints.
MEASURE = """<script>
const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
const all = sel => [...document.querySelectorAll(sel)];
const found = {
  frame: box(document.getElementById('map-frame')),
  borders: all('#borders path').map(box), coastlines: all('#coastlines path').map(box),
  strikes: all('#strike-map g[id^="strike-"]').map(box), labels: all('#strike-map g[id^="label-"]').map(box),
  axes: Object.fromEntries(all('#trend-chart g[id^="axes-"]').map(el => [el.id.slice(5), box(el)])),
  bars: all('#trend-chart g[id^="bar-"]').map(el => [el.id, box(el)]),
};
const pre = document.createElement('pre');
pre.id = 'measured-' + 'layout';
pre.textContent = JSON.stringify(found);
document.body.appendChild(pre);
</script>"""


def _chromium(tmp_path):
    import shutil

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    return [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
            "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0"]


def _overlap(a, b) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def test_report_renders_in_a_real_browser(week_db, tmp_path):
    """The map (borders drawn, every strike inside the frame, no label on another) and the
    charts (bars standing on the axis, i.e. from zero; one bar per night with a figure) as
    Chromium lays them out; the tables with ranges, evidence, sources and delegation heads."""
    import subprocess

    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", "--out", str(out), "-d", str(week_db.database)])
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert "id='trend-chart'" in page and "id='strike-map'" in page and page.count("<svg") == 2
    assert "<script" not in page and "<img" not in page and "<link" not in page  # self-contained
    assert set(re.findall(r'href="([^"]*)"', page)) <= {f"#{ref}" for ref in re.findall(r'id="([^"]+)"', page)}
    args = _chromium(tmp_path)
    shot = tmp_path / "report.png"
    proc = subprocess.run(args + [f"--screenshot={shot}", "--window-size=1280,4000", out.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 50_000, proc.stderr[-2000:]
    assert "CONSOLE" not in proc.stderr and "Uncaught" not in proc.stderr
    measured_page = tmp_path / "measured.html"
    measured_page.write_text(page.replace("</body>", MEASURE + "</body>"))
    dom = subprocess.run(args + ["--window-size=1280,4000", "--dump-dom", measured_page.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    m = json.loads(html.unescape(re.search(r'<pre id="measured-layout">(.*?)</pre>', dom, re.S).group(1)))
    frame = m["frame"]
    inside = lambda b, slack=1.0: (b[0] >= frame[0] - slack and b[1] >= frame[1] - slack  # noqa: E731
                                   and b[2] <= frame[2] + slack and b[3] <= frame[3] + slack)
    # the map: borders and coastlines drawn in the frame, every located strike inside it, labels apart
    drawn = [b for b in m["borders"] if b[2] - b[0] > 0 or b[3] - b[1] > 0]
    assert len(drawn) >= 1 and all(inside(b, 2) for b in drawn)
    union = (min(b[0] for b in drawn), min(b[1] for b in drawn), max(b[2] for b in drawn), max(b[3] for b in drawn))
    assert len(drawn) >= 10 and _overlap(union, frame) > 0.5 * (frame[2] - frame[0]) * (frame[3] - frame[1])
    assert m["coastlines"]
    located = query(week_db.database, "SELECT count(DISTINCT place) FROM v_strikes_by_place WHERE latitude IS NOT NULL")[0][0]
    assert 8 <= len(m["strikes"]) <= located
    for b in m["strikes"]:
        assert inside(((b[0] + b[2]) / 2, (b[1] + b[3]) / 2, (b[0] + b[2]) / 2, (b[1] + b[3]) / 2)), (b, frame)
    labels = m["labels"]
    assert len(labels) >= len(m["strikes"]) - 3 and all(inside(b) for b in labels)
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            assert _overlap(a, b) < 1.0, (a, b)
    # the places without coordinates are listed beside the map
    table = page.split("<table id='places'>")[1].split("</table>")[0]
    assert re.search(r"Hodeidah</td>.*?no coordinates", table) and re.search(r"Kharkiv</td>.*?on the map", table)
    # the charts: every bar stands on its panel's axis (from zero), the tallest reaches near the top
    nights = {cat: n for cat, n in query(week_db.database, "SELECT category, count(*) FROM v_daily_launches "
                                                           "WHERE launched IS NOT NULL GROUP BY ALL")}
    for cat, axes in m["axes"].items():
        bars = [b for name, b in m["bars"] if name.startswith(f"bar-{cat}-")]
        assert bars and all(abs(b[3] - axes[3]) < 1.5 and b[1] >= axes[1] - 0.5 for b in bars), cat
        assert min(b[1] for b in bars) < axes[1] + 0.25 * (axes[3] - axes[1]), cat  # the axis spans the data
        assert len([n for n, _ in m["bars"] if n.startswith(f"bar-{cat}-launched-")]) == nights[cat], cat
    assert m["axes"].keys() == nights.keys() | {c for c, in query(
        week_db.database, "SELECT DISTINCT category FROM v_daily_launches WHERE intercepted IS NOT NULL")}
    # the tables: ranges labelled, evidence and every source of an event, heads as "Country: Name"
    assert "conservative–highest" in page and "launched 48–60, intercepted 40" in page
    for url, in query(week_db.database, "SELECT a.url FROM event_articles JOIN articles a USING (article_id)"):
        assert f"href='{url}'" in page
    talks = page.split("<table id='talks'>")[1].split("</table>")[0]
    assert "Russia: Vladimir Medinsky; Ukraine: Rustem Umerov" in talks and "{" not in talks
    assert "href='https://n.example/17-talks-led-by'" in talks
    docs = os.environ.get("NEWSWATCH_DOCS_SCREENSHOTS")  # set to refresh the README's pictures
    if docs:
        _docs_screenshots(Path(docs), out, week_db, args, tmp_path)


def _docs_screenshots(folder: Path, report: Path, settings, browser: list[str], tmp_path) -> None:
    import subprocess

    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    full = tmp_path / "full.png"
    subprocess.run(browser + [f"--screenshot={full}", "--window-size=1280,2400", report.as_uri()],
                   capture_output=True, timeout=120, check=True)
    Image.open(full).convert("P", palette=Image.ADAPTIVE, colors=128).save(folder / "report.png", optimize=True)
    result = CliRunner().invoke(app, ["trends", "-d", str(settings.database), "--by", "day", "--since",
                                      str(FIXED_NOW.date() - timedelta(days=14)), "--plot", str(tmp_path / "t.png")])
    assert result.exit_code == 0, result.output
    Image.open(tmp_path / "t.png").convert("P", palette=Image.ADAPTIVE, colors=64).save(folder / "trends.png", optimize=True)


def test_articles_stored_after_the_index_build_are_still_found(fixture_db, tmp_path):
    """The index is rebuilt at most every search_reindex_minutes; newer articles are found by
    substring and listed first when they hold every query word."""
    import shutil

    from storage import search

    copy = tmp_path / "copy.duckdb"
    shutil.copy(fixture_db.database, copy)
    con = duckdb.connect(str(copy))
    try:
        assert search.rebuild_index(con, FIXED_NOW - timedelta(minutes=30))
        assert not search.index_due(con, 60, FIXED_NOW)
        con.execute(
            "INSERT INTO articles (article_id, source_id, title, text, content_hash, origin, first_seen, updated_at) "
            "VALUES ('late1', 'wire', 'Blackout in Zhytomyr', ?, 'h', 'feed', ?, ?)",
            ["Drones struck a substation near Zhytomyr overnight, cutting power to the city.",
             FIXED_NOW, FIXED_NOW])
        hits, method = search.search(con, "Zhytomyr substation", limit=5)
        assert method == "bm25+recent" and hits[0].article_id == "late1"
        assert "Zhytomyr" in hits[0].snippet
        assert search.index_due(con, 0, FIXED_NOW) and not search.index_due(con, 60, FIXED_NOW)  # lacks one, stored just now
        assert search.index_due(con, 60, FIXED_NOW + timedelta(minutes=61))
        assert search.rebuild_index(con, FIXED_NOW + timedelta(minutes=61))
        hits, method = search.search(con, "Zhytomyr substation", limit=5)
        assert method == "bm25" and hits[0].article_id == "late1"
    finally:
        con.close()


def test_rates_pair_figures_of_one_report_and_since_keeps_its_week(settings_factory):
    """Report x gives 100 launched; y 140 launched and 101 shot down (same strike): the
    conservative figures 100 and 101 come from different reports and must not make 101 %.
    Report z gives 121 shot down and no launch count: it must not enter any rate (126 %)."""
    settings = settings_factory()
    wednesday, monday = FIXED_NOW, FIXED_NOW - timedelta(days=2)
    texts = [("x", "Russia launched 100 drones at Kharkiv overnight, the regional governor said.", wednesday),
             ("y", "Russia launched 140 drones at Kharkiv overnight. Air defences shot down 101 of them, "
                   "the air force said.", wednesday),
             ("z", "Air defences shot down 121 Russian drones over Ukraine overnight, the air force said on Monday.",
              monday)]
    articles = [Article(id=aid, source=f"outlet-{aid}", url=f"https://n.example/{aid}", title=aid, text=text,
                        content_hash=aid, origin="page", published=when) for aid, text, when in texts]
    facts = list(Extractor().extract([a.as_document() for a in articles]))
    with opened(settings.database) as con:
        store.write_batch(con, list(zip(articles, facts)), "rates", FIXED_NOW)
    alerting.evaluate(settings, FIXED_NOW)
    daily = dict(((str(day), rate) for day, rate in query(
        settings.database, "SELECT day, interception_rate FROM v_daily_launches WHERE category = 'drone'")))
    assert daily == {"2026-11-25": round(101 / 140, 3), "2026-11-23": None}
    (weekly,) = query(settings.database, "SELECT launched, intercepted, interception_rate FROM v_weekly_launches")
    assert weekly == (100, 222, round(101 / 140, 3))
    result = CliRunner().invoke(app, ["trends", "-d", str(settings.database), "--since", "2026-11-25"])
    assert result.exit_code == 0 and "drone" in result.output, result.output  # the week of the 23rd holds the 25th
    assert "72%" in result.output and "126%" not in result.output and "101%" not in result.output


def _json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def _csv_rows(output: str) -> list[dict]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(output)))


@pytest.mark.parametrize("command, sql", [
    (["events", "--limit", "50"], "SELECT event_id, CAST(event_date AS VARCHAR), killed_min, killed_max FROM events"),
    (["talks", "--limit", "50"], "SELECT url, CAST(reported_on AS VARCHAR), NULL, NULL FROM v_talks_timeline"),
    (["alerts", "list", "--limit", "50"], "SELECT alert_key, rule, severity, kind FROM alerts"),
])
def test_listings_round_trip_through_json_and_csv(week_db, command, sql):
    """Every row of the listing comes back from --format json (one object per line) and csv,
    with the same values, and the key column matches the database."""
    db = ["-d", str(week_db.database)]
    as_json = CliRunner().invoke(app, [*command, *db, "--format", "json"])
    as_csv = CliRunner().invoke(app, [*command, *db, "--format", "csv"])
    assert as_json.exit_code == 0 and as_csv.exit_code == 0, as_json.output + as_csv.output
    objects, rows = _json_lines(as_json.stdout), _csv_rows(as_csv.stdout)
    expected = query(week_db.database, sql)
    assert len(objects) == len(expected) > 0 and len(rows) == len(objects)
    assert [{k: "" if v is None else str(v) for k, v in o.items()} for o in objects] == rows
    key = {"events": "event_id", "talks": "url", "alerts": "alert_key"}[command[0]]
    assert sorted(o[key] for o in objects) == sorted(r[0] for r in expected)
    if command[0] == "events":
        by_id = {r[0]: r for r in expected}
        for o in objects:
            lo, hi = by_id[o["event_id"]][2:]
            assert o["killed"] == (None if lo is None else str(lo) if lo == hi else f"{lo}–{hi}")
        assert any("–" in (o["launched"] or "") for o in objects) and any(o["intercepted"] for o in objects)
    if command[0] == "talks":
        heads = {o["url"]: o["heads"] for o in objects if o["heads"]}
        assert heads["https://n.example/17-talks-led-by"] == "Russia: Vladimir Medinsky; Ukraine: Rustem Umerov"
        assert all("{" not in (o["heads"] or "") for o in objects)


def test_trends_search_and_status_round_trip_through_json(week_db):
    db = ["-d", str(week_db.database)]
    trends = CliRunner().invoke(app, ["trends", *db, "--by", "day", "--since", "2026-11-01", "--format", "json"])
    assert trends.exit_code == 0, trends.output
    got = {(o["period"], o["category"]): (o["launched"], o["intercepted"], o["interception_rate"])
           for o in _json_lines(trends.stdout)}
    assert got == {(str(d), c): (lv, iv, r) for d, c, lv, iv, r in query(
        week_db.database, "SELECT day, category, launched, intercepted, interception_rate FROM v_daily_launches")}
    search = CliRunner().invoke(app, ["search", "Istanbul delegation", *db, "--reindex", "--format", "json"])
    hits = _json_lines(search.stdout)
    assert search.exit_code == 0 and hits[0]["url"] == "https://n.example/17-talks-led-by"
    assert {h["article_id"] for h in hits} <= {a for a, in query(week_db.database, "SELECT article_id FROM articles")}
    status = CliRunner().invoke(app, ["status", *db, "--format", "json"], env={"PREFECT_API_URL": ""})
    doc = json.loads(status.stdout)
    assert doc["database"]["rows"]["articles"] == 32 and doc["runs"] == [] and doc["feeds"] == []
    assert "no Prefect server" in doc["next_scheduled_run"]


def test_piped_output_keeps_whole_ids_and_urls(week_db):
    """Piped (not a terminal), tables are as wide as their content: no id or URL is cut."""
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    db = ["-d", str(week_db.database)]
    events = subprocess.run([str(ROOT / ".venv" / "bin" / "newswatch"), "events", *db, "--limit", "50"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert events.returncode == 0, events.stderr
    for event_id, in query(week_db.database, "SELECT event_id FROM events"):
        assert event_id in events.stdout
    assert "…" not in events.stdout and max(len(line) for line in events.stdout.splitlines()) > 120
    search = CliRunner().invoke(app, ["search", "drones", *db, "--limit", "20"])
    urls = re.findall(r"https://n\.example/[\w-]+", search.stdout)
    assert urls and all(u.removeprefix("https://n.example/") in {a for a, in query(
        week_db.database, "SELECT article_id FROM articles")} for u in urls)


def test_unknown_category_and_relation_name_the_valid_ones(week_db, tmp_path):
    db = ["-d", str(week_db.database)]
    tank = CliRunner().invoke(app, ["trends", *db, "--category", "tank"])
    assert tank.exit_code == 2 and "unknown category 'tank'" in tank.output
    assert "drone" in tank.output and "glide_bomb" in tank.output
    CliRunner().invoke(app, ["search", "drones", *db, "--reindex"])  # the full-text index's schema exists
    assert query(week_db.database, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'fts_main_articles'")[0][0]
    nosuch = CliRunner().invoke(app, ["export", "nosuch", "--out", str(tmp_path / "x.csv"), *db])
    assert nosuch.exit_code == 2 and "no table or view 'nosuch'" in nosuch.output
    assert "v_talks_timeline" in nosuch.output and "fts_main" not in nosuch.output and "docs," not in nosuch.output
    talks = tmp_path / "talks.csv"
    assert CliRunner().invoke(app, ["export", "v_talks_timeline", "--out", str(talks), *db]).exit_code == 0
    rows = _csv_rows(talks.read_text())
    assert {r["delegation_heads"] for r in rows} >= {"Russia: Vladimir Medinsky; Ukraine: Rustem Umerov", ""}
    assert "Russia, Ukraine" in {r["parties"] for r in rows}


@pytest.mark.parametrize("width", [80, 200])
def test_a_terminal_shows_every_column_and_whole_ids(monkeypatch, width):
    """On a terminal too narrow for a table's whole values, each row becomes a block of lines:
    no column is dropped and no id or URL is cut; where the table fits, it stays a table."""
    import importlib
    import io

    from rich.console import Console

    app_module = importlib.import_module("flows.cli.app")
    screen = io.StringIO()
    monkeypatch.setattr(app_module, "out", Console(file=screen, force_terminal=True, width=width, color_system=None))
    names = ["event_date", "attacker", "target", "launched", "intercepted", "places", "event_id", "source_url"]
    url = "https://news.example/2026/11/24/a-long-path-of-a-story"
    rows = [("2026-11-24", "Russia", "Ukraine", "drone 450, missile 40", "drone 410, missile 30", "Kyiv, Odesa",
             "ev-a13682ed7007", url),
            ("2026-11-23", "Russia", "Ukraine", "drone 120", "drone 100", "", "ev-bab50126c3df", url)]
    app_module.print_rows(names, rows, "table", title="events")
    text = screen.getvalue()
    assert max(len(line) for line in text.splitlines()) <= width
    for value in ("ev-a13682ed7007", "ev-bab50126c3df", url, "intercepted", "source_url", "drone 450, missile 40"):
        assert value in text
    assert ("┏" in text) == (width == 200)


def test_a_reindex_leaves_the_file_complete_without_its_log(week_db, tmp_path):
    """`search --reindex` ends with a checkpoint: a copy of the file alone holds the index."""
    import shutil

    db = tmp_path / "copy.duckdb"
    assert CliRunner().invoke(app, ["backup", "-d", str(week_db.database), "--out", str(db)]).exit_code == 0
    assert CliRunner().invoke(app, ["search", "drones", "-d", str(db), "--reindex"]).exit_code == 0
    alone = tmp_path / "alone.duckdb"
    shutil.copy(db, alone)  # the file without its .wal
    assert query(alone, "SELECT count(*) FROM search_index_state")[0][0] == 1
