"""Named queries and bulk writes. All SQL that touches the tables lives here (and in migrations)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from extractors.types import Article, Facts
from storage.db import transaction
from storage.rows import article_row, fact_rows, published_at

FACT_TABLES = ("weapons", "casualties", "locations", "attacks", "diplomacy", "entities")
ARTICLE_UPDATE_COLUMNS = (
    "source_id", "url", "title", "published", "published_offset", "author", "sitename", "language", "text",
    "content_hash", "entry_hash", "origin", "fallback_reason", "is_attack_report", "extractor", "updated_at", "run_id",
)


@dataclass(frozen=True)
class BatchCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    facts: int = 0


@dataclass(frozen=True)
class ErrorRecord:
    stage: str
    reason: str
    error_class: str = "terminal"
    source_id: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class SourceState:
    source_id: str
    kind: str
    url: str | None = None
    tags: tuple[str, ...] = ()
    etag: str | None = None
    last_modified: str | None = None
    last_status: str | None = None
    last_http_status: int | None = None
    last_error: str | None = None
    consecutive_errors: int = 0
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    entries_seen: int | None = None
    next_poll: datetime | None = None


def _arrow(rows: Sequence[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(list(rows))


LOOKUP_CHUNK = 256  # ids per IN list: small enough that DuckDB answers it from the primary-key index


def known_articles(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    """content_hash and entry_hash of the stored articles among `ids`.

    Each chunk of ids is a literal IN list, which DuckDB answers with primary-key index lookups
    on a large table (a join would scan every article id); the ids are quoted here.
    """
    wanted = list(dict.fromkeys(ids))
    out: dict[str, tuple[str, str | None]] = {}
    for i in range(0, len(wanted), LOOKUP_CHUNK):
        listed = ", ".join("'" + str(v).replace("'", "''") + "'" for v in wanted[i:i + LOOKUP_CHUNK])
        rows = con.execute(
            f"SELECT article_id, content_hash, entry_hash FROM articles WHERE article_id IN ({listed})").fetchall()
        out.update((r[0], (r[1], r[2])) for r in rows)
    return out


def batch_tables(items: Sequence[tuple[Article, Facts]], run_id: str, now: datetime) -> dict[str, pa.Table]:
    """The rows a batch adds, per table, as Arrow tables (what is written or staged)."""
    rows: dict[str, list[dict[str, Any]]] = {"articles": [article_row(a, f, now, run_id) for a, f in items]}
    for article, facts in items:
        for table, fact_table_rows in fact_rows(article, facts).items():
            rows.setdefault(table, []).extend(fact_table_rows)
    return {table: _arrow(r) for table, r in rows.items() if r}


def write_batch(
    con: duckdb.DuckDBPyConnection, items: Sequence[tuple[Article, Facts]], run_id: str, now: datetime,
) -> BatchCounts:
    """Store articles and their facts atomically: new ones inserted, changed ones replaced."""
    return apply_batch(con, batch_tables(items, run_id, now))


def apply_batch(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table]) -> BatchCounts:
    """Write a batch in one transaction. Articles whose content is already stored are skipped
    with their facts; changed ones are replaced, facts included; new ones are inserted."""
    articles = tables.get("articles")
    if articles is None or articles.num_rows == 0:
        return BatchCounts()
    ids = articles.column("article_id").to_pylist()
    stored = known_articles(con, ids)
    hashes = dict(zip(ids, articles.column("content_hash").to_pylist()))
    fresh = [aid for aid in dict.fromkeys(ids) if stored.get(aid, (None,))[0] != hashes[aid]]
    changed = [aid for aid in fresh if aid in stored]
    if not fresh:
        return BatchCounts(unchanged=articles.num_rows)
    con.register("fresh_ids", _arrow([{"article_id": i} for i in fresh]))
    try:
        with transaction(con):
            _delete_facts(con, changed)
            _upsert_articles(con, articles)
            facts_n = sum(_insert(con, table, batch) for table, batch in tables.items() if table != "articles")
    finally:
        con.unregister("fresh_ids")
    return BatchCounts(new=len(fresh) - len(changed), updated=len(changed),
                       unchanged=articles.num_rows - len(fresh), facts=facts_n)


FRESH = "article_id IN (SELECT article_id FROM fresh_ids)"


def _delete_facts(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> None:
    if not article_ids:
        return
    con.register("changed_ids", _arrow([{"article_id": i} for i in article_ids]))
    try:
        for table in FACT_TABLES:
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM changed_ids)")
    finally:
        con.unregister("changed_ids")


def _upsert_articles(con: duckdb.DuckDBPyConnection, batch: pa.Table) -> None:
    con.register("article_batch", batch)
    try:
        updates = ", ".join(f"{c} = excluded.{c}" for c in ARTICLE_UPDATE_COLUMNS)
        con.execute(
            f"INSERT INTO articles BY NAME SELECT * FROM article_batch WHERE {FRESH} "
            f"ON CONFLICT (article_id) DO UPDATE SET {updates}"
        )
    finally:
        con.unregister("article_batch")


def _insert(con: duckdb.DuckDBPyConnection, table: str, batch: pa.Table) -> int:
    """Insert the rows of fresh articles; returns how many."""
    if batch.num_rows == 0:
        return 0
    con.register("fact_batch", batch)
    try:
        if table == "diplomacy":
            cols = [c for c in batch.column_names if c != "delegation_heads"]
            inserted = con.execute(
                f"INSERT INTO diplomacy ({', '.join(cols)}, delegation_heads) "
                f"SELECT {', '.join(cols)}, map_from_entries(delegation_heads) FROM fact_batch WHERE {FRESH}"
            ).fetchone()
        else:
            inserted = con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM fact_batch WHERE {FRESH}").fetchone()
        return int(inserted[0]) if inserted else 0
    finally:
        con.unregister("fact_batch")


def articles_to_reextract(con: duckdb.DuckDBPyConnection, extractor: str, everything: bool) -> list[dict[str, Any]]:
    """Stored articles whose facts another extractor version produced (or all of them)."""
    where = "" if everything else "WHERE extractor IS DISTINCT FROM ?"
    cur = con.execute(f"SELECT article_id, source_id, url, title, text, content_hash, origin, published, published_offset "
                      f"FROM articles {where} "
                      "ORDER BY article_id", [] if everything else [extractor])
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, row)) for row in cur.fetchall()]
    for row in rows:
        row["published"] = published_at(row["published"], row.pop("published_offset"))
    return rows


def replace_facts(con: duckdb.DuckDBPyConnection, items: Sequence[tuple[Article, Facts]], now: datetime) -> int:
    """New facts for stored articles (text unchanged), in one transaction; events are re-clustered
    afterwards because their members are attack rows. Returns the fact rows written."""
    if not items:
        return 0
    tables = batch_tables(items, "reextract", now)
    ids = [a.id for a, _ in items]
    con.register("fresh_ids", _arrow([{"article_id": i} for i in ids]))
    con.register("flags", _arrow([{"article_id": a.id, "is_attack_report": f.is_new_attack_report,
                                   "extractor": f.extractor} for a, f in items]))
    try:
        with transaction(con):
            _delete_facts(con, ids)
            con.execute("DELETE FROM event_articles WHERE article_id IN (SELECT article_id FROM fresh_ids)")
            # updated_at moves so that alert clustering, which looks at recent articles, sees them again
            con.execute("UPDATE articles SET is_attack_report = flags.is_attack_report, extractor = flags.extractor, "
                        "updated_at = ? FROM flags WHERE articles.article_id = flags.article_id", [now])
            written = sum(_insert(con, table, batch) for table, batch in tables.items() if table != "articles")
    finally:
        con.unregister("fresh_ids")
        con.unregister("flags")
    return written


def drop_orphan_events(con: duckdb.DuckDBPyConnection) -> int:
    """Events left without member reports (after a re-extraction) are removed; alerts stay."""
    orphans = con.execute("SELECT count(*) FROM events WHERE event_id NOT IN (SELECT event_id FROM event_articles)").fetchone()[0]
    con.execute("DELETE FROM event_weapons WHERE event_id NOT IN (SELECT event_id FROM event_articles)")
    con.execute("DELETE FROM events WHERE event_id NOT IN (SELECT event_id FROM event_articles)")
    return orphans


def source_states(con: duckdb.DuckDBPyConnection) -> dict[str, SourceState]:
    cur = con.execute("SELECT * FROM sources")
    names = [d[0] for d in cur.description]
    out = {}
    for row in cur.fetchall():
        rec = dict(zip(names, row))
        rec["tags"] = tuple(rec["tags"] or ())
        out[rec["source_id"]] = SourceState(**rec)
    return out


def save_sources(con: duckdb.DuckDBPyConnection, states: Sequence[SourceState]) -> None:
    """Upsert the polling state of the given sources."""
    if not states:
        return
    rows = [{**s.__dict__, "tags": list(s.tags)} for s in states]
    con.register("source_batch", _arrow(rows))
    try:
        cols = [c for c in rows[0] if c != "source_id"]
        updates = ", ".join(f"{c} = excluded.{c}" for c in cols)
        con.execute(
            "INSERT INTO sources BY NAME SELECT * FROM source_batch "
            f"ON CONFLICT (source_id) DO UPDATE SET {updates}"
        )
    finally:
        con.unregister("source_batch")


def record_errors(con: duckdb.DuckDBPyConnection, errors: Sequence[ErrorRecord], run_id: str, now: datetime,
                  offset: int = 0) -> None:
    """Append errors of a run; ids are `run_id:n`, numbered from `offset`."""
    if not errors:
        return
    rows = [
        {"error_id": f"{run_id}:{offset + n}", "run_id": run_id, "occurred_at": now, **e.__dict__}
        for n, e in enumerate(errors)
    ]
    con.register("error_batch", _arrow(rows))
    try:
        con.execute(
            "INSERT INTO errors BY NAME SELECT * FROM error_batch ON CONFLICT (error_id) DO NOTHING"
        )
    finally:
        con.unregister("error_batch")


def insert_error_rows(con: duckdb.DuckDBPyConnection, rows: pa.Table) -> None:
    """Errors that already carry their ids (staged ones); existing ids are kept."""
    con.register("error_rows", rows)
    try:
        con.execute("INSERT INTO errors BY NAME SELECT * FROM error_rows ON CONFLICT (error_id) DO NOTHING")
    finally:
        con.unregister("error_rows")


def upsert_run(con: duckdb.DuckDBPyConnection, run: dict[str, Any]) -> None:
    """A whole run record (from a staged run)."""
    con.register("run_row", pa.Table.from_pylist([run]))
    try:
        cols = [c for c in run if c != "run_id"]
        updates = ", ".join(f"{c} = excluded.{c}" for c in cols)
        con.execute(f"INSERT INTO runs BY NAME SELECT * FROM run_row ON CONFLICT (run_id) DO UPDATE SET {updates}")
    finally:
        con.unregister("run_row")


RUN_COUNTS = ("feeds_ok", "feeds_not_modified", "feeds_failed", "articles_new", "articles_updated",
              "articles_unchanged", "facts", "errors")


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, now: datetime, flow_run_id: str | None) -> None:
    """Record a run; runs still `running` after six hours were killed and are marked so."""
    con.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running' AND started_at < ?",
                [now - timedelta(hours=6)])
    con.execute(
        "INSERT INTO runs (run_id, flow_run_id, started_at, status) VALUES (?, ?, ?, 'running')",
        [run_id, flow_run_id, now],
    )


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, now: datetime, status: str, counts: dict[str, int]) -> None:
    cols = RUN_COUNTS
    sets = ", ".join(f"{c} = ?" for c in cols)
    con.execute(
        f"UPDATE runs SET finished_at = ?, status = ?, {sets} WHERE run_id = ?",
        [now, status, *(counts.get(c, 0) for c in cols), run_id],
    )


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = ("sources", "articles", *FACT_TABLES, "errors", "runs")
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
