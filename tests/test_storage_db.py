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
