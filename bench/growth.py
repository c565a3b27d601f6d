"""Growth benchmark: does a run stay fast when the database already holds a million articles?

    python bench/growth.py [--articles 1000000] [--batch 1000]

1. A template: the seed and the gold cases (tests/gold) are extracted and stored by the real
   code path into a small database, and their attack reports clustered into events.
2. A large database: the template's rows (articles, every fact table, events) copied in bulk
   with `INSERT ... SELECT` until it holds `--articles` articles, ids made unique and dates
   spread over three years.
3. The same batch of `--batch` new articles is stored, as a run stores it (dedup lookup, write,
   alert clustering, run record), on an empty database and on the large one: the ratio
   large/empty (goal <= 1.3). Also timed on the large database: the weekly trend query over all
   facts, the full-text index build (done at most every `search_reindex_minutes`), and the
   query plan of the dedup lookup (goal: index lookups, no table scan).

Figures only: nothing here is asserted.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from extractors.extract import Extractor  # noqa: E402
from extractors.types import Article  # noqa: E402
from flows.alerts.evaluation import evaluate  # noqa: E402
from flows import clock  # noqa: E402
from flows.settings import Settings  # noqa: E402
from flows.processing.articles import content_hash  # noqa: E402
from storage import articles as store  # noqa: E402
from storage import search  # noqa: E402
from storage.db import opened  # noqa: E402
from storage.run_storage import RunStorage  # noqa: E402

TABLES = ("articles", "attacks", "weapons", "casualties", "locations", "diplomacy", "entities",
          "events", "event_weapons", "event_articles")
ID_COLUMNS = {"article_id", "attack_id", "diplomacy_id", "event_id"}
SPREAD_DAYS = 3 * 365


def template_items() -> list[tuple[Article, object]]:
    """The seed and gold cases as (Article, Facts), published over the last 24 hours, as the new
    articles of one poll cycle are."""
    now = datetime.now(timezone.utc)
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "tests" / "gold").glob("*.txt"))]
    texts += [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    articles = [Article(id=f"t{n}", source=f"outlet{n % 7}", url=f"https://outlet{n % 7}.example/{name}", title=name,
                        text=text, content_hash=content_hash(name, text), origin="page",
                        published=now - timedelta(hours=24 * n / len(texts)), entry_hash=f"e{n}")
                for n, (name, text) in enumerate(texts)]
    facts = list(Extractor().extract([a.as_document() for a in articles]))
    return list(zip(articles, facts))


def settings_for(db: Path, tmp: Path) -> Settings:
    return Settings(database=db, seeds_dir=tmp, alert_log=tmp / "alerts.jsonl", lock_timeout=5)


def build_template(items, tmp: Path) -> Path:
    db = tmp / "template.duckdb"
    settings = settings_for(db, tmp)
    run = RunStorage(db, "template", clock.now, lock_timeout=5)
    run.begin(None)
    run.store([a for a, _ in items], [f for _, f in items], [])
    evaluate(settings)
    return db


def build_large(template: Path, target: Path, n_articles: int) -> float:
    """Copy the template's rows until the database holds `n_articles` articles; seconds taken."""
    start = time.perf_counter()
    with opened(target) as con:
        con.execute(f"ATTACH '{template}' AS tmpl (READ_ONLY)")
        per_copy = con.execute("SELECT count(*) FROM tmpl.articles").fetchone()[0]
        copies = -(-n_articles // per_copy)
        for table in TABLES:
            cols = con.execute(f"SELECT column_name, data_type FROM information_schema.columns "
                               f"WHERE table_catalog = 'tmpl' AND table_name = '{table}' ORDER BY ordinal_position").fetchall()
            exprs = []
            for name, dtype in cols:
                if name in ID_COLUMNS:
                    exprs.append(f"{name} || '-' || k AS {name}")
                elif dtype.startswith(("TIMESTAMP", "DATE")):
                    # copy k is (copies - k) / copies * 3 years old: the oldest rows come first
                    exprs.append(f"CAST({name} - to_days(CAST(({copies} - 1 - k) * {SPREAD_DAYS} // {copies} AS INTEGER)) "
                                 f"AS {dtype}) AS {name}")
                else:
                    exprs.append(name)
            for lo in range(0, copies, 5000):  # bounded memory per statement
                hi = min(copies, lo + 5000)
                con.execute(f"INSERT INTO {table} SELECT {', '.join(exprs)} FROM tmpl.{table}, range({lo}, {hi}) r(k)")
        con.execute("DETACH tmpl")
        con.execute("CHECKPOINT")
    return time.perf_counter() - start


def batch(items, size: int, tag: str) -> tuple[list, list]:
    """`size` new articles (ids never stored before) cycled from the template."""
    articles, facts = [], []
    for i in range(size):
        article, fact = items[i % len(items)]
        new_id = f"{tag}-{i}"
        articles.append(replace(article, id=new_id, url=f"{article.url}?{tag}={i}", entry_hash=f"{tag}{i}"))
        facts.append(replace(fact, doc_id=new_id))
    return articles, facts


def ingest_seconds(original: Path, tmp: Path, items, size: int, tag: str) -> float:
    """What a run does around storing one batch: dedup lookup, write, cluster/alerts, run record.
    Each repeat starts from a copy of the same database."""
    db = tmp / f"{original.stem}-{tag}.duckdb"
    shutil.copy(original, db)
    settings = settings_for(db, tmp)
    articles, facts = batch(items, size, tag)
    marks = [time.perf_counter()]
    run = RunStorage(db, tag, clock.now, lock_timeout=5)
    run.begin(None)
    known = run.known(a.id for a in articles)
    fresh = [(a, f) for a, f in zip(articles, facts) if a.id not in known]
    marks.append(time.perf_counter())
    counts = run.store([a for a, _ in fresh], [f for _, f in fresh], [])
    marks.append(time.perf_counter())
    evaluate(settings)
    marks.append(time.perf_counter())
    run.finish([], {"articles_new": counts.new}, datetime.now(timezone.utc), None)
    marks.append(time.perf_counter())
    if counts.new != size:
        sys.exit(f"expected {size} new articles, stored {counts.new}")
    steps = dict(zip(("begin+lookup", "write", "cluster+alerts", "finish"), (b - a for a, b in zip(marks, marks[1:]))))
    db.unlink()
    print(f"  {original.stem} {tag}: " + ", ".join(f"{k} {v:.2f} s" for k, v in steps.items()), file=sys.stderr)
    return marks[-1] - marks[0]


def timed(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[float, int]:
    start = time.perf_counter()
    rows = con.execute(sql).fetchall()
    return time.perf_counter() - start, len(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    items = template_items()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        template = build_template(items, tmp)
        empty, large = tmp / "empty.duckdb", tmp / "large.duckdb"
        build_seconds = build_large(template, large, args.articles)
        with opened(empty) as con:
            search.rebuild_index(con, datetime.now(timezone.utc))
        with opened(large) as con:
            held = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            facts = sum(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES[1:7])
            start = time.perf_counter()
            search.rebuild_index(con, datetime.now(timezone.utc))
            index_seconds = time.perf_counter() - start
        on_empty = statistics.median(ingest_seconds(empty, tmp, items, args.batch, f"e{r}") for r in range(args.repeat))
        on_large = statistics.median(ingest_seconds(large, tmp, items, args.batch, f"l{r}") for r in range(args.repeat))
        con = duckdb.connect(str(large), read_only=True)
        try:
            weekly, weeks = timed(con, "SELECT * FROM v_weekly_launches")
            daily, days = timed(con, "SELECT * FROM v_daily_launches WHERE day >= current_date - 30")
            ids = [r[0] for r in con.execute("SELECT article_id FROM articles USING SAMPLE 200 ROWS").fetchall()]
            listed = ", ".join(f"'{i}'" for i in ids)
            plan = con.execute("EXPLAIN ANALYZE SELECT article_id, content_hash, entry_hash FROM articles "
                               f"WHERE article_id IN ({listed})").fetchall()[0][1]
            start = time.perf_counter()
            store.known_articles(con, ids * 5)
            lookup_ms = (time.perf_counter() - start) * 1000
        finally:
            con.close()
        size_mb = large.stat().st_size // 2**20
    index_lookup = "Index Scan" in plan and "Sequential Scan" not in plan.split("articles")[0]
    figures = {
        "articles": held, "fact_rows": facts, "database_mb": size_mb, "build_seconds": round(build_seconds, 1),
        "batch": args.batch, "batch_seconds_empty": round(on_empty, 2), "batch_seconds_large": round(on_large, 2),
        "batch_ratio": round(on_large / on_empty, 2), "weekly_trend_seconds": round(weekly, 3), "weekly_rows": weeks,
        "daily_30d_seconds": round(daily, 3), "fts_rebuild_seconds": round(index_seconds, 1),
        "dedup_lookup_index_scan": index_lookup, "dedup_lookup_ms_per_1000": round(lookup_ms, 1),
    }
    print(f"database: {held:,} articles, {facts:,} fact rows, {size_mb} MB (built in {build_seconds:.0f} s)")
    print(f"batch of {args.batch}: {on_empty:.2f} s on an empty database, {on_large:.2f} s on the large one; "
          f"ratio {figures['batch_ratio']} (goal <= 1.3)")
    print(f"weekly trend over all facts: {weekly:.3f} s ({weeks} rows); last 30 days daily: {daily:.3f} s")
    print(f"dedup lookup: {'primary-key index lookups, no table scan' if index_lookup else 'TABLE SCAN'}; "
          f"{lookup_ms:.0f} ms per 1000 ids")
    print(f"full-text index rebuild: {index_seconds:.1f} s (a run does it at most every search_reindex_minutes)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
