"""Bulk writes of articles and their facts on a real DuckDB file: idempotent, with evidence."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from extractors.extract import Extractor
from extractors.types import Article
from storage import articles as store
from storage.db import opened

NOW = datetime(2026, 11, 25, tzinfo=timezone.utc)
TEXT = ("Overnight Russia launched 90 drones and 12 missiles at Ukraine. Air defence shot down 80 drones "
        "and 10 missiles, the air force said. Two people were killed in Kharkiv.")


def _article(text=TEXT, aid="a1") -> Article:
    return Article(id=aid, source="t", url=f"https://example.org/{aid}", title="Strike", text=text,
                   content_hash=str(hash(text)), origin="page", published=NOW)


def _facts(articles):
    return list(Extractor().extract([a.as_document() for a in articles]))


def test_rewrite_adds_nothing_and_changed_content_replaces_facts(tmp_path):
    db = tmp_path / "s.duckdb"
    a = _article()
    with opened(db) as con:
        first = store.write_batch(con, list(zip([a], _facts([a]))), "r1", NOW)
        weapons = con.execute("SELECT count(*) FROM weapons").fetchone()[0]
        again = store.write_batch(con, list(zip([a], _facts([a]))), "r2", NOW)
        assert (first.new, again.new, again.unchanged) == (1, 0, 1)
        assert weapons >= 2 and con.execute("SELECT count(*) FROM weapons").fetchone()[0] == weapons
        changed = replace(a, text=TEXT.replace("90 drones", "95 drones"), content_hash="other")
        result = store.write_batch(con, list(zip([changed], _facts([changed]))), "r3", NOW)
        assert (result.new, result.updated) == (0, 1)
        rows = con.execute("SELECT launched FROM weapons WHERE category = 'drone'").fetchall()
        assert rows == [(95,)]
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_every_fact_row_has_evidence_inside_its_article(tmp_path):
    a = _article()
    with opened(tmp_path / "e.duckdb") as con:
        store.write_batch(con, list(zip([a], _facts([a]))), "r1", NOW)
        for table in ("weapons", "casualties", "attacks"):
            rows = con.execute(f"SELECT f.span_start, f.span_end, f.evidence, a.text FROM {table} f "
                               "JOIN articles a USING (article_id)").fetchall()
            assert rows, table
            for start, end, evidence, text in rows:
                assert 0 <= start < end <= len(text) and text[start:end] == evidence
