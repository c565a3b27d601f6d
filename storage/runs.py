"""Runs, sources (feed polling state) and errors: the record of what each run did."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from storage.db import dict_rows, merge, registered
from storage.records import ErrorRecord, SourceState

RUN_COUNTS = ("feeds_ok", "feeds_not_modified", "feeds_failed", "articles_new", "articles_updated",
              "articles_unchanged", "facts", "errors")


def source_states(con: duckdb.DuckDBPyConnection) -> dict[str, SourceState]:
    rows = dict_rows(con.execute("SELECT * FROM sources"))
    return {r["source_id"]: SourceState(**{**r, "tags": tuple(r["tags"] or ())}) for r in rows}


def save_sources(con: duckdb.DuckDBPyConnection, states: Sequence[SourceState]) -> None:
    """Upsert the polling state of the given sources."""
    if not states:
        return
    rows = [{**asdict(s), "tags": list(s.tags)} for s in states]
    with registered(con, "source_batch", rows):
        merge(con, "sources", "source_batch", ["source_id"], [c for c in rows[0] if c != "source_id"])


def error_rows(errors: Sequence[ErrorRecord], run_id: str, now: datetime, prefix: str = "") -> list[dict[str, Any]]:
    """Rows for the errors table; ids are `run_id:<prefix><n>`."""
    return [{"error_id": f"{run_id}:{prefix}{n}", "run_id": run_id, "occurred_at": now, **asdict(e),
             "error_class": str(e.error_class)} for n, e in enumerate(errors)]


def record_errors(con: duckdb.DuckDBPyConnection, errors: Sequence[ErrorRecord], run_id: str, now: datetime) -> None:
    """Append errors of a run, numbered after the ones it recorded already."""
    if not errors:
        return
    offset = con.execute("SELECT count(*) FROM errors WHERE run_id = ?", [run_id]).fetchone()[0]
    rows = error_rows(errors, run_id, now)
    for n, row in enumerate(rows):
        row["error_id"] = f"{run_id}:{offset + n}"
    insert_error_rows(con, pa.Table.from_pylist(rows))


def insert_error_rows(con: duckdb.DuckDBPyConnection, rows: pa.Table) -> None:
    """Errors that already carry their ids (staged ones too); existing ids are kept."""
    with registered(con, "error_rows", rows):
        merge(con, "errors", "error_rows", ["error_id"])


def upsert_run(con: duckdb.DuckDBPyConnection, run: dict[str, Any]) -> None:
    """A whole run record (from a staged run)."""
    with registered(con, "run_row", [run]):
        merge(con, "runs", "run_row", ["run_id"], [c for c in run if c != "run_id"])


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, now: datetime, flow_run_id: str | None,
              host: str | None = None, pid: int | None = None) -> None:
    """Record a run and the process running it."""
    con.execute("INSERT INTO runs (run_id, flow_run_id, started_at, status, host, pid) VALUES (?, ?, ?, 'running', ?, ?)",
                [run_id, flow_run_id, now, host, pid])


def retire_feeds(con: duckdb.DuckDBPyConnection, listed: Sequence[str], now: datetime) -> None:
    """Feeds no longer in the feed list are retired (kept, not shown as feed health); a feed
    listed again is active again."""
    con.execute("UPDATE sources SET retired_at = CASE WHEN source_id IN (SELECT unnest(?::VARCHAR[])) THEN NULL "
                "ELSE coalesce(retired_at, ?) END WHERE kind = 'feed'", [list(listed), now])


def running_runs(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str | None, int | None, datetime]]:
    """(run_id, host, pid, started_at) of the runs recorded as still running."""
    return con.execute("SELECT run_id, host, pid, started_at FROM runs WHERE status = 'running'").fetchall()


def mark_interrupted(con: duckdb.DuckDBPyConnection, run_ids: Sequence[str], now: datetime) -> None:
    """Runs whose process is gone without finishing."""
    if run_ids:
        con.execute("UPDATE runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?) "
                    "WHERE run_id IN (SELECT unnest(?)) AND status = 'running'", [now, list(run_ids)])


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, now: datetime, status: str, counts: dict[str, int],
               failure: str | None = None) -> None:
    sets = ", ".join(f"{c} = ?" for c in RUN_COUNTS)
    con.execute(f"UPDATE runs SET finished_at = ?, status = ?, failure = ?, {sets} WHERE run_id = ?",
                [now, status, failure, *(counts.get(c, 0) for c in RUN_COUNTS), run_id])
