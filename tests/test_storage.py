"""Migrations and bulk writes on a real DuckDB file."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import duckdb
import pytest

from extractors.extract import Extractor
from extractors.types import Article
from storage import articles as store
from storage.db import DatabaseBusy, connect, migrate, migration_files, opened

NOW = datetime(2026, 11, 25, tzinfo=timezone.utc)
TEXT = ("Overnight Russia launched 90 drones and 12 missiles at Ukraine. Air defence shot down 80 drones "
        "and 10 missiles, the air force said. Two people were killed in Kharkiv.")


def _article(text=TEXT, aid="a1") -> Article:
    return Article(id=aid, source="t", url=f"https://example.org/{aid}", title="Strike", text=text,
                   content_hash=str(hash(text)), origin="page", published=NOW)


def _facts(articles):
    return list(Extractor().extract([a.as_document() for a in articles]))


def test_migrations_are_named_and_idempotent(tmp_path):
    con = duckdb.connect(str(tmp_path / "m.duckdb"))
    assert migrate(con) == [name for name, _ in migration_files()]
    assert migrate(con) == []
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(migration_files())


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


def test_writer_waits_then_reports_busy(tmp_path):
    db = tmp_path / "busy.duckdb"
    import subprocess, sys, textwrap

    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, time, sys
        con = duckdb.connect({str(db)!r}); print("ready", flush=True); time.sleep(30)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(DatabaseBusy, match="in use by another process"):
            connect(db, lock_timeout=0.5)
    finally:
        holder.kill()
        holder.wait()
    connect(db, lock_timeout=5).close()
