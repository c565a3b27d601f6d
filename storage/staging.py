"""Durable staging of batches while another process holds the database.

A run that cannot get the database within `lock_timeout` writes each batch as Parquet files into
`<database>.staging/<run_id>-<n>/` (written to a temporary folder, then renamed, so a staged
batch is complete or absent), and its feed state and run record last. The next run that gets the
database merges the staged folders in order, each in one transaction, then deletes them; a merge
interrupted half way is simply repeated, because writes are idempotent.
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from storage import articles, runs
from storage.backends import Store
from storage.db import DISK_ERRNOS, storage_failure
from storage.records import BatchCounts, ErrorRecord, SourceState


def staging_dir(store: Store) -> Path:
    """`<database>.staging/` beside a DuckDB file; `_staging/` in a lake's data path."""
    if store.lake:
        return Path(store.data_path) / "_staging"
    return store.path.with_name(store.path.name + ".staging")


def _commit(folder: Path, name: str, write) -> Path:
    target = folder / name
    tmp = folder / (name + ".tmp")
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        write(tmp)
        tmp.rename(target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)  # a staged batch is whole or absent
        if exc.errno in DISK_ERRNOS:
            raise storage_failure(exc, tmp) from exc
        raise
    return target


def stage_batch(folder: Path, run_id: str, n: int, tables: dict[str, pa.Table],
                errors: Sequence[ErrorRecord], now: datetime) -> Path:
    """Write one batch (tables and errors) as a complete staged folder."""
    rows = runs.error_rows(errors, run_id, now, prefix=f"staged{n}:")

    def write(tmp: Path) -> None:
        for name, table in tables.items():
            pq.write_table(table, tmp / f"{name}.parquet")
        if rows:
            pq.write_table(pa.Table.from_pylist(rows), tmp / "_errors.parquet")

    return _commit(folder, f"{run_id}-{n:05d}", write)


def stage_finish(folder: Path, run_id: str, sources: Sequence[SourceState], run: dict[str, Any]) -> Path:
    """The feed state and run record of a staged run; merged after its batches."""
    def write(tmp: Path) -> None:
        if sources:
            pq.write_table(pa.Table.from_pylist([{**asdict(s), "tags": list(s.tags)} for s in sources]),
                           tmp / "_sources.parquet")
        (tmp / "_run.json").write_text(json.dumps(run, default=str), encoding="utf-8")

    return _commit(folder, f"{run_id}-99999-finish", write)


def pending(folder: Path) -> list[Path]:
    """Staged folders, oldest first (names sort by run, then batch)."""
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.is_dir() and not p.name.endswith(".tmp")),
                  key=lambda p: (p.stat().st_mtime, p.name))


STALE_TMP_SECONDS = 3600


def drop_stale_tmp(folder: Path, now: float | None = None) -> int:
    """Remove half-written staging folders a killed run left (a live write takes seconds)."""
    import time

    now = now or time.time()
    stale = [p for p in folder.glob("*.tmp") if p.is_dir() and now - p.stat().st_mtime > STALE_TMP_SECONDS] \
        if folder.is_dir() else []
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return len(stale)


def merge(con: duckdb.DuckDBPyConnection, folder: Path, now: datetime) -> BatchCounts:
    """Apply every staged folder in order and delete each once it is stored."""
    drop_stale_tmp(folder)
    total = BatchCounts()
    for path in pending(folder):
        tables = {p.stem: pq.read_table(p) for p in path.glob("*.parquet") if not p.stem.startswith("_")}
        if "articles" in tables:  # stored now: the search index must see them as new
            staged = tables["articles"]
            when = pa.array([now] * staged.num_rows, staged.schema.field("updated_at").type)
            tables["articles"] = staged.set_column(staged.schema.get_field_index("updated_at"), "updated_at", when)
        counts = articles.apply_batch(con, tables)
        if (path / "_dropped.parquet").exists():
            articles.record_dropped(con, pq.read_table(path / "_dropped.parquet").to_pylist())
        if (path / "_errors.parquet").exists():
            runs.insert_error_rows(con, pq.read_table(path / "_errors.parquet"))
        if (path / "_sources.parquet").exists():
            rows = pq.read_table(path / "_sources.parquet").to_pylist()
            runs.save_sources(con, [SourceState(**{**r, "tags": tuple(r["tags"] or ())}) for r in rows])
        if (path / "_run.json").exists():
            runs.upsert_run(con, json.loads((path / "_run.json").read_text(encoding="utf-8")))
        shutil.rmtree(path)
        total += counts
    return total
