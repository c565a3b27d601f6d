"""Full-text search over article titles and texts with DuckDB's `fts` extension.

The extension comes from PyPI (`duckdb-extension-fts`, built for the DuckDB version pinned here)
and is loaded by file path, so nothing is downloaded at run time. Where that package is not
available (it ships Linux x86-64 builds), search falls back to a term-count ranking with ILIKE.
The BM25 index covers the articles stored when it was built. DuckDB rebuilds it whole, which
reads every article, so a run rebuilds it only once an article it lacks has waited
`search_reindex_minutes`; until then those articles are found by substring, so search never
misses them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from storage.backends import LAKE, extension

INDEX_SCHEMA = "fts_main_articles"


def extension_path() -> Path | None:
    return extension("fts")


def load(con: duckdb.DuckDBPyConnection) -> bool:
    """Load the fts extension into this connection; False when it is not installed."""
    path = extension_path()
    if path is None:
        return False
    try:
        con.execute(f"LOAD '{path}'")
    except duckdb.Error:
        return False
    return True


def on_lake(con: duckdb.DuckDBPyConnection) -> bool:
    """A DuckLake cannot hold the fts index's tables: search there is by substring."""
    return con.execute("SELECT current_database()").fetchone()[0] == LAKE


def rebuild_index(con: duckdb.DuckDBPyConnection, now: datetime) -> bool:
    """(Re)build the BM25 index of articles(title, text); False when fts is unavailable."""
    if on_lake(con) or not load(con):
        return False
    con.execute("PRAGMA create_fts_index('articles', 'article_id', 'title', 'text', "
                "stemmer = 'porter', stopwords = 'english', strip_accents = 1, lower = 1, overwrite = 1)")
    con.execute("DELETE FROM search_index_state")
    con.execute("INSERT INTO search_index_state SELECT ?, count(*) FROM articles", [now])
    return True


def built_at(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """When the index was built; None without an index."""
    if not has_index(con):
        return None
    try:
        row = con.execute("SELECT max(built_at) FROM search_index_state").fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


def index_due(con: duckdb.DuckDBPyConnection, max_age_minutes: float, now: datetime) -> bool:
    """Whether a run should (re)build the index: some article it lacks (all of them, without an
    index) was stored more than `max_age_minutes` ago. Until then search finds those by substring."""
    if on_lake(con):
        return False
    built = built_at(con)
    row = con.execute("SELECT min(updated_at) FROM articles" + ("" if built is None else " WHERE updated_at >= ?"),
                      [] if built is None else [built]).fetchone()
    oldest_missing = row[0] if row else None
    if oldest_missing is None:
        return False
    return now - oldest_missing >= timedelta(minutes=max_age_minutes)


@dataclass(frozen=True)
class Hit:
    article_id: str
    score: float
    title: str | None
    url: str | None
    published: object
    snippet: str


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?",
                            [INDEX_SCHEMA]).fetchone()[0])


def search(con: duckdb.DuckDBPyConnection, query: str, limit: int = 10) -> tuple[list[Hit], str]:
    """Ranked hits with a snippet each, and the method used ("bm25", "bm25+recent" or "ilike").

    With an index, articles stored since it was built are matched by substring; those holding
    every term come first (they are the newest news), the BM25 ranking of the rest follows.
    """
    terms = [t for t in re.findall(r"\w+", query.lower()) if len(t) > 1]
    if not terms:
        return [], "none"
    built = built_at(con) if load(con) else None
    if built is None:
        rows = _substring(con, terms, limit, "TRUE", [])
        return [_hit(r, terms) for r in rows], "ilike"
    recent = [r for r in _substring(con, terms, limit, "updated_at >= ?", [built]) if r[1] >= len(terms)]
    ranked = con.execute(
        f"SELECT article_id, {INDEX_SCHEMA}.match_bm25(article_id, ?) AS score, title, url, published, text "
        "FROM articles WHERE score IS NOT NULL AND updated_at < ? ORDER BY score DESC LIMIT ?",
        [query, built, limit]).fetchall()
    hits = [_hit(r, terms) for r in (recent + ranked)[:limit]]
    return hits, "bm25+recent" if recent else "bm25"


def _substring(con: duckdb.DuckDBPyConnection, terms: list[str], limit: int, where: str, params: list) -> list[tuple]:
    """Articles ranked by how many terms they contain (case-insensitive substring)."""
    score = " + ".join("(CASE WHEN lower(coalesce(title, '') || ' ' || text) LIKE ? THEN 1 ELSE 0 END)" for _ in terms)
    return con.execute(
        f"SELECT article_id, {score} AS score, title, url, published, text FROM articles "
        f"WHERE {where} AND score > 0 ORDER BY score DESC, published DESC NULLS LAST LIMIT ?",
        [f"%{t}%" for t in terms] + params + [limit]).fetchall()


def _hit(row: tuple, terms: list[str]) -> Hit:
    return Hit(row[0], float(row[1]), row[2], row[3], row[4], snippet(row[5], terms))


def snippet(text: str, terms: list[str], width: int = 160) -> str:
    """The sentence-ish window around the first place most query terms occur."""
    low = text.lower()
    positions = [low.find(t) for t in terms if low.find(t) >= 0]
    if not positions:
        return text[:width].replace("\n", " ")
    start = max(0, min(positions) - width // 3)
    piece = text[start:start + width].replace("\n", " ")
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")
