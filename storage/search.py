"""Full-text search over article titles and texts with DuckDB's `fts` extension.

The extension comes from PyPI (`duckdb-extension-fts`, built for the DuckDB version pinned here)
and is loaded by file path, so nothing is downloaded at run time. Where that package is not
available (it ships Linux x86-64 builds), search falls back to a term-count ranking with ILIKE.
The BM25 index is rebuilt by each run that stored new or changed articles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

INDEX_SCHEMA = "fts_main_articles"


def extension_path() -> Path | None:
    try:
        import duckdb_extension_fts
    except ImportError:
        return None
    return next(Path(duckdb_extension_fts.__file__).parent.rglob("fts.duckdb_extension"), None)


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


def rebuild_index(con: duckdb.DuckDBPyConnection) -> bool:
    """(Re)build the BM25 index of articles(title, text); False when fts is unavailable."""
    if not load(con):
        return False
    con.execute("PRAGMA create_fts_index('articles', 'article_id', 'title', 'text', "
                "stemmer = 'porter', stopwords = 'english', strip_accents = 1, lower = 1, overwrite = 1)")
    return True


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
    """Ranked hits with a snippet each, and the method used ("bm25" or "ilike")."""
    terms = [t for t in re.findall(r"\w+", query.lower()) if len(t) > 1]
    if not terms:
        return [], "none"
    if load(con) and has_index(con):
        rows = con.execute(
            f"SELECT article_id, {INDEX_SCHEMA}.match_bm25(article_id, ?) AS score, title, url, published, text "
            "FROM articles WHERE score IS NOT NULL ORDER BY score DESC LIMIT ?", [query, limit]).fetchall()
        method = "bm25"
    else:
        score = " + ".join("(CASE WHEN lower(title || ' ' || text) LIKE ? THEN 1 ELSE 0 END)" for _ in terms)
        rows = con.execute(
            f"SELECT article_id, {score} AS score, title, url, published, text FROM articles "
            "WHERE score > 0 ORDER BY score DESC, published DESC NULLS LAST LIMIT ?",
            [f"%{t}%" for t in terms] + [limit]).fetchall()
        method = "ilike"
    return [Hit(r[0], float(r[1]), r[2], r[3], r[4], snippet(r[5], terms)) for r in rows], method


def snippet(text: str, terms: list[str], width: int = 160) -> str:
    """The sentence-ish window around the first place most query terms occur."""
    low = text.lower()
    positions = [low.find(t) for t in terms if low.find(t) >= 0]
    if not positions:
        return text[:width].replace("\n", " ")
    start = max(0, min(positions) - width // 3)
    piece = text[start:start + width].replace("\n", " ")
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")
