"""Opening the DuckDB file: named idempotent migrations, a bounded wait for a busy file."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import duckdb
import pytest

from storage.db import DatabaseBusy, connect, migrate, migration_files


def test_migrations_are_named_and_idempotent(tmp_path):
    con = duckdb.connect(str(tmp_path / "m.duckdb"))
    assert migrate(con) == [name for name, _ in migration_files()]
    assert migrate(con) == []
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(migration_files())


def test_writer_waits_then_reports_busy(tmp_path):
    db = tmp_path / "busy.duckdb"
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


def test_every_table_view_and_column_is_in_the_readme():
    """The README's schema reference and views table name every relation the migrations make and
    every column of it (the full-text index's internals aside)."""
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    reference = readme[readme.index("## Schema reference"):readme.index("### Cookbook")]
    con = duckdb.connect()
    migrate(con)
    columns = con.execute("SELECT table_name, column_name FROM information_schema.columns "
                          "WHERE table_schema = 'main' AND table_name <> 'schema_migrations'").fetchall()
    assert columns
    undocumented = sorted({t for t, _ in columns if f"**{t}**" not in reference and f"`{t}`" not in reference})
    assert not undocumented, f"relations missing from the README: {undocumented}"
    missing = sorted(f"{t}.{c}" for t, c in columns if f"`{c}`" not in reference)
    assert not missing, f"columns missing from the README: {missing}"
    assert "schema_migrations (name, applied_at)" in reference
