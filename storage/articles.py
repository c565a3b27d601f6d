"""Articles and their facts: lookups, bulk writes and re-extraction (see migration 001)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from extractors.types import Article, Facts
from storage.db import arrow, dict_rows, merge, registered, transaction
from storage.records import BatchCounts
from storage.rows import article_row, fact_rows, published_at

FACT_TABLES = ("weapons", "casualties", "locations", "attacks", "diplomacy", "entities")
ARTICLE_UPDATE_COLUMNS = (
    "source_id", "url", "title", "published", "published_offset", "author", "sitename", "language", "text",
    "content_hash", "entry_hash", "origin", "fallback_reason", "is_attack_report", "extractor", "updated_at", "run_id",
)
LOOKUP_CHUNK = 256  # ids per IN list: small enough that DuckDB answers it from the primary-key index
FRESH = "article_id IN (SELECT article_id FROM fresh_ids)"


def known_articles(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    """content_hash and entry_hash of the stored articles among `ids`."""
    return {r[0]: (r[1], r[2]) for r in _lookup(con, "article_id, content_hash, entry_hash", "articles", ids)}


def dropped_entries(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> dict[str, str]:
    """entry_hash of the entries among `ids` that were dropped for lack of text."""
    return {r[0]: r[1] for r in _lookup(con, "article_id, entry_hash", "dropped_entries", ids)}


def _lookup(con: duckdb.DuckDBPyConnection, columns: str, table: str, ids: Iterable[str]) -> list[tuple]:
    """Rows of `table` whose article_id is among `ids`.

    Each chunk of ids is a literal IN list, which DuckDB answers with primary-key index lookups
    on a large table (a join would scan every article id); the ids are quoted here.
    """
    wanted = list(dict.fromkeys(ids))
    rows: list[tuple] = []
    for i in range(0, len(wanted), LOOKUP_CHUNK):
        listed = ", ".join("'" + str(v).replace("'", "''") + "'" for v in wanted[i:i + LOOKUP_CHUNK])
        rows += con.execute(f"SELECT {columns} FROM {table} WHERE article_id IN ({listed})").fetchall()
    return rows


def record_dropped(con: duckdb.DuckDBPyConnection, rows: Sequence[dict[str, Any]]) -> None:
    """Remember entries that could not be stored (article_id, entry_hash, source_id, reason,
    dropped_at), so that an unchanged one is not processed and recorded again."""
    if rows:
        with registered(con, "dropped_batch", rows):
            merge(con, "dropped_entries", "dropped_batch", ["article_id"], ["entry_hash", "reason", "dropped_at"])


def batch_tables(items: Sequence[tuple[Article, Facts]], run_id: str, now: datetime) -> dict[str, pa.Table]:
    """The rows a batch adds, per table, as Arrow tables (what is written or staged)."""
    rows: dict[str, list[dict[str, Any]]] = {"articles": [article_row(a, f, now, run_id) for a, f in items]}
    for article, facts in items:
        for table, fact_table_rows in fact_rows(article, facts).items():
            rows.setdefault(table, []).extend(fact_table_rows)
    return {table: arrow(r) for table, r in rows.items() if r}


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
    with registered(con, "fresh_ids", [{"article_id": i} for i in fresh]), transaction(con):
        _delete_facts(con, changed)
        _upsert_articles(con, articles)
        facts_n = sum(_insert(con, table, batch) for table, batch in tables.items() if table in FACT_TABLES)
    return BatchCounts(new=len(fresh) - len(changed), updated=len(changed),
                       unchanged=articles.num_rows - len(fresh), facts=facts_n)


def _delete_facts(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> None:
    if not article_ids:
        return
    with registered(con, "changed_ids", [{"article_id": i} for i in article_ids]):
        for table in FACT_TABLES:
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM changed_ids)")


def _upsert_articles(con: duckdb.DuckDBPyConnection, batch: pa.Table) -> None:
    with registered(con, "article_batch", batch):
        merge(con, "articles", f"article_batch WHERE {FRESH}", ["article_id"], ARTICLE_UPDATE_COLUMNS)


def _insert(con: duckdb.DuckDBPyConnection, table: str, batch: pa.Table) -> int:
    """Insert the rows of fresh articles; returns how many."""
    if batch.num_rows == 0:
        return 0
    with registered(con, "fact_batch", batch):
        if table == "diplomacy":  # delegation heads arrive as key/value entries, stored as a MAP
            cols = ", ".join(c for c in batch.column_names if c != "delegation_heads")
            inserted = con.execute(f"INSERT INTO diplomacy ({cols}, delegation_heads) "
                                   f"SELECT {cols}, map_from_entries(delegation_heads) FROM fact_batch WHERE {FRESH}"
                                   ).fetchone()
        else:
            inserted = con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM fact_batch WHERE {FRESH}").fetchone()
    return int(inserted[0]) if inserted else 0


def articles_to_reextract(con: duckdb.DuckDBPyConnection, extractor: str, everything: bool) -> list[Article]:
    """Stored articles whose facts another extractor version produced (or all of them)."""
    # "<extractor> (language de: no rules)" is this extractor's answer too: done until its version changes
    where = "" if everything else "WHERE extractor IS NULL OR NOT starts_with(extractor, ?)"
    rows = dict_rows(con.execute(
        "SELECT article_id, source_id, url, title, text, content_hash, origin, published, published_offset "
        f"FROM articles {where} ORDER BY article_id", [] if everything else [extractor]))
    return [Article(id=r["article_id"], source=r["source_id"], url=r["url"], title=r["title"], text=r["text"],
                    content_hash=r["content_hash"], origin=r["origin"],
                    published=published_at(r["published"], r["published_offset"])) for r in rows]


def replace_facts(con: duckdb.DuckDBPyConnection, items: Sequence[tuple[Article, Facts]], now: datetime) -> int:
    """New facts for stored articles (text unchanged), in one transaction; events are re-clustered
    afterwards because their members are attack rows. Returns the fact rows written."""
    if not items:
        return 0
    tables = batch_tables(items, "reextract", now)
    ids = [a.id for a, _ in items]
    flags = [{"article_id": a.id, "is_attack_report": f.is_new_attack_report, "extractor": f.extractor} for a, f in items]
    with registered(con, "fresh_ids", [{"article_id": i} for i in ids]), registered(con, "flags", flags), \
            transaction(con):
        _delete_facts(con, ids)
        con.execute("DELETE FROM event_articles WHERE article_id IN (SELECT article_id FROM fresh_ids)")
        # updated_at moves so that alert clustering, which looks at recent articles, sees them again
        con.execute("UPDATE articles SET is_attack_report = flags.is_attack_report, extractor = flags.extractor, "
                    "updated_at = ? FROM flags WHERE articles.article_id = flags.article_id", [now])
        return sum(_insert(con, table, batch) for table, batch in tables.items() if table != "articles")
