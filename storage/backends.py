"""Where the data lives: one DuckDB file (the default), or a DuckLake.

A DuckLake keeps its catalog in a database (SQLite for several processes on one machine,
PostgreSQL for several machines) and its data as Parquet files under a data path. Several
writers may commit at once (DuckLake retries conflicting commits itself), and readers never wait
for writers. The extensions come from PyPI packages pinned to the DuckDB in use and are loaded by
file path: nothing is fetched from an extension repository at run time.

Everything else in `storage/` runs the same SQL on both: a lake is attached as `lake` and made the
default catalog, so unqualified table names resolve to it.
"""
from __future__ import annotations

import importlib
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from storage.records import DatabaseBusy, DatabaseMissing

LAKE = "lake"
# Catalog databases that are momentarily busy, or a commit that lost a race DuckLake's own
# retries did not win: a later try succeeds.
BUSY_MESSAGES = ("database is locked", "Failed to commit DuckLake transaction", "Failed to query most recent snapshot",
                 "could not serialize access", "Transaction conflict", "write-write conflict")
SCANNERS = {"sqlite": "sqlite_scanner", "postgres": "postgres_scanner"}


@dataclass(frozen=True)
class Store:
    """One DuckDB file (`path`), or a DuckLake: `catalog` (`sqlite:/path/catalog.sqlite` or
    `postgres:dbname=... host=...`) and `data_path` (a folder every writer can reach)."""

    path: Path | None = None
    catalog: str | None = None
    data_path: str | None = None

    @property
    def lake(self) -> bool:
        return self.catalog is not None

    def __str__(self) -> str:
        return f"ducklake:{self.catalog}" if self.lake else str(self.path)


def as_store(target: Store | Path | str) -> Store:
    return target if isinstance(target, Store) else Store(path=Path(target))


def extension(name: str) -> Path | None:
    """The file of a DuckDB extension installed from its PyPI package, or None."""
    try:
        package = importlib.import_module(f"duckdb_extension_{name}")
    except ImportError:
        return None
    return next(Path(package.__file__).parent.rglob(f"{name}.duckdb_extension"), None)


def is_busy(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.Error) and any(m in str(exc) for m in BUSY_MESSAGES)


def connect_file(path: Path, *, read_only: bool, lock_timeout: float) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file, waiting up to `lock_timeout` seconds while another process holds it."""
    if read_only and not path.exists():
        raise DatabaseMissing(f"database {path} does not exist yet; run `newswatch run` first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    return _retry(lambda: duckdb.connect(str(path), read_only=read_only), _is_file_lock, lock_timeout,
                  f"database {path} is in use by another process")


def _is_file_lock(exc: duckdb.Error) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def connect_lake(store: Store, *, read_only: bool, lock_timeout: float) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached as the default catalog."""
    kind = store.catalog.split(":", 1)[0]
    if kind not in SCANNERS:
        raise ValueError(f"ducklake_catalog {store.catalog!r}: use sqlite:PATH or postgres:CONNECTION")
    if kind == "sqlite":
        catalog_file = Path(store.catalog.split(":", 1)[1])
        if read_only and not catalog_file.exists():
            raise DatabaseMissing(f"DuckLake catalog {catalog_file} does not exist yet; run `newswatch run` first")
        catalog_file.parent.mkdir(parents=True, exist_ok=True)
    if not read_only and "://" not in store.data_path:
        Path(store.data_path).mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    for name in ("ducklake", SCANNERS[kind]):
        path = extension(name)
        if path is None:
            raise DatabaseMissing(f"the {name} extension is not installed (package duckdb-extension-{name.replace('_', '-')})")
        con.execute(f"LOAD '{path}'")
    con.execute("SET ducklake_max_retry_count = 100")  # commits that race are retried by DuckLake itself
    options = f"DATA_PATH '{_quoted(store.data_path)}'" + (", READ_ONLY" if read_only else "")
    _retry(lambda: con.execute(f"ATTACH '{_quoted('ducklake:' + store.catalog)}' AS {LAKE} ({options})"),
           is_busy, lock_timeout, f"DuckLake catalog {store.catalog} is busy")
    con.execute(f"USE {LAKE}")
    return con


def _quoted(value: str) -> str:
    return value.replace("'", "''")


def _retry(attempt, transient, lock_timeout: float, busy: str):
    deadline = time.monotonic() + lock_timeout
    delay = 0.05
    while True:
        try:
            return attempt()
        except duckdb.Error as exc:
            if not transient(exc):
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(f"{busy} (waited {lock_timeout:g} s): {str(exc).splitlines()[0]}") from None
            time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
            delay = min(delay * 2, 1.0)
