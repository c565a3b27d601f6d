"""DuckLake benchmark: ingest throughput with 1, 2 and 4 shards at once, and the cost of a write
and of the weekly trend query on a DuckLake beside the DuckDB file.

    python bench/lake.py [--articles 600] [--feeds 16]

Serves `--feeds` feeds of the real pages of ../shared/realdata/pages on loopback (as bench/e2e.py
does) and runs `newswatch run --shard K/N` N times at once into a fresh DuckLake (SQLite catalog)
for N = 1, 2, 4; then writes the same batches of stored articles into a DuckDB file and into a
lake, and times the weekly trend query on both. Figures only: nothing here is asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from e2e import PAGES, serve  # noqa: E402

NEWSWATCH = str(ROOT / ".venv" / "bin" / "newswatch")


def _config(tmp: Path, base: str, feeds: int, storage: str) -> Path:
    (tmp / "feeds.toml").write_text("".join(f'[[feeds]]\nname = "feed-{f}"\nurl = "{base}/f/{f}.xml"\n\n'
                                            for f in range(feeds)))
    (tmp / "seeds").mkdir(exist_ok=True)
    config = tmp / "bench.toml"
    config.write_text(f'seeds_dir = "{tmp / "seeds"}"\nfeeds_file = "{tmp / "feeds.toml"}"\n'
                      f'allowed_private_hosts = ["127.0.0.1"]\nalert_log = "{tmp / "alerts.jsonl"}"\n'
                      f'lock_timeout = 300\n{storage}\n')
    return config


def shards(base: str, feeds: int, n: int) -> dict:
    """N `newswatch run --shard K/N` at once into one new lake: wall seconds and articles/s."""
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        config = _config(tmp, base, feeds, f'storage_backend = "ducklake"\nducklake_catalog = "sqlite:{tmp / "cat.sqlite"}"\n'
                                           f'ducklake_data_path = "{tmp / "lake"}"')
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
        start = time.perf_counter()
        procs = [subprocess.Popen([NEWSWATCH, "run", "--no-progress", "--config", str(config), "--shard", f"{k}/{n}"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for k in range(n)]
        for proc in procs:
            if proc.wait() != 0:
                sys.exit(f"a shard failed:\n{proc.stderr.read().decode()[-3000:]}")
        seconds = time.perf_counter() - start
        from flows.settings import load_settings
        from storage.db import read

        stored = read(load_settings(config).store, lambda con: con.execute("SELECT count(*) FROM articles").fetchone()[0])
    return {"shards": n, "seconds": round(seconds, 1), "articles": stored, "articles_per_second": round(stored / seconds, 1)}


def write_and_query(batches: int, size: int) -> dict:
    """The same batches written into a DuckDB file and into a lake; then the weekly trend query."""
    from extractors.extract import Extractor
    from extractors.types import Article
    from storage.articles import write_batch
    from storage.backends import Store
    from storage.db import read, write

    texts = [p.read_text(errors="replace") for p in sorted((ROOT / "tests" / "gold").glob("*.txt"))]
    now = datetime(2026, 11, 25, tzinfo=timezone.utc)
    items = []
    for n in range(batches * size):
        text = texts[n % len(texts)]
        article = Article(id=f"a{n}", source=f"s{n % 7}", url=f"https://n.example/{n}", title=f"t{n}", text=text,
                          content_hash=f"h{n}", origin="page", published=now - timedelta(days=n % 60))
        items.append(article)
    facts = list(Extractor().extract([a.as_document() for a in items]))
    out = {}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        for name, store in (("duckdb", Store(path=tmp / "file.duckdb")),
                            ("ducklake", Store(catalog=f"sqlite:{tmp / 'cat.sqlite'}", data_path=str(tmp / "lake")))):
            write(store, lambda con: None)  # schema first: not part of the write cost
            seconds = []
            for b in range(batches):
                chunk = list(zip(items[b * size:(b + 1) * size], facts[b * size:(b + 1) * size]))
                start = time.perf_counter()
                write(store, lambda con: write_batch(con, chunk, "bench", now))
                seconds.append(time.perf_counter() - start)
            from flows.alerts.evaluation import evaluate
            from flows.settings import Settings

            kind = {"storage_backend": "ducklake", "ducklake_catalog": store.catalog, "ducklake_data_path": store.data_path} \
                if store.lake else {"database": store.path}
            evaluate(Settings(**kind, alert_log=tmp / f"{name}.jsonl"), now)
            start = time.perf_counter()
            for _ in range(5):
                read(store, lambda con: con.execute("SELECT * FROM v_weekly_launches ORDER BY week").fetchall())
            out[name] = {"write_batch_seconds": round(sorted(seconds)[len(seconds) // 2], 3),
                         "weekly_trend_seconds": round((time.perf_counter() - start) / 5, 3)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--feeds", type=int, default=16)
    args = parser.parse_args()
    if not PAGES.is_dir():
        print(f"skipped: {PAGES} is absent (the shared real pages)")
        return
    pages = [p.read_bytes() for p in sorted(PAGES.glob("*.html"))]
    httpd, _ = serve(pages, args.articles, args.feeds)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    figures = {"shards": [shards(base, args.feeds, n) for n in (1, 2, 4)], "storage": write_and_query(10, 100)}
    httpd.shutdown()
    for row in figures["shards"]:
        print(f"ingest into one DuckLake with {row['shards']} shard(s) at once: {row['articles']} articles in "
              f"{row['seconds']} s, {row['articles_per_second']} articles/s")
    for name, row in figures["storage"].items():
        print(f"{name:8s}: write of a 100-article batch {row['write_batch_seconds']} s (median of 10); "
              f"weekly trend query {row['weekly_trend_seconds']} s")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
