"""Opening the store: one writer at a time for a DuckDB file (a lake takes several), read-only
readers, a bounded wait when it is busy; migrations, transactions, upserts and checkpoints."""
from __future__ import annotations

import errno
import random
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pyarrow as pa

from storage.backends import LAKE, Store, as_store, connect_file, connect_lake, is_busy
from storage.records import DatabaseBusy, DatabaseMissing, StorageFailed  # noqa: F401 - raised here, named there


T = TypeVar("T")


def connect(target: Store | Path | str, *, read_only: bool = False, lock_timeout: float = 30.0) -> duckdb.DuckDBPyConnection:
    """Open the store (a DuckDB file or a DuckLake), waiting up to `lock_timeout` seconds while
    it is busy; DatabaseBusy after that, DatabaseMissing for a reader of a store not made yet."""
    store = as_store(target)
    if store.lake:
        return connect_lake(store, read_only=read_only, lock_timeout=lock_timeout)
    return connect_file(store.path, read_only=read_only, lock_timeout=lock_timeout)


DISK_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT, errno.EIO}
# What a full disk, a read-only file system or missing permissions raise on the way.
DISK_ERRORS = (duckdb.IOException, duckdb.FatalException, duckdb.PermissionException)
DISK_MESSAGES = re.compile(r"No space left|Read-only file system|Permission denied|Disk quota|Input/output error|"
                           r"Could not write file")


def storage_failure(exc: BaseException, path: Path | str) -> StorageFailed:
    """One line naming the file and what the disk said."""
    detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    for prefix in ("FATAL Error: ", "IO Error: ", "Permission Error: "):
        detail = detail.replace(prefix, "")
    return StorageFailed(f"cannot write {path}: {detail}")


@contextmanager
def opened(path: Path | str, *, read_only: bool = False, lock_timeout: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """Context manager around `connect`; writers get the migrations applied first. A disk that
    refuses a write raises StorageFailed."""
    try:
        with _opened(path, read_only=read_only, lock_timeout=lock_timeout) as con:
            yield con
    except (duckdb.Error, OSError) as exc:
        if is_disk_error(exc):
            raise storage_failure(exc, path) from exc
        raise


def is_disk_error(exc: BaseException) -> bool:
    """Whether the disk refused: DuckDB's I/O errors (also when they surface as a failed commit)
    and the operating system's full, read-only, permission and I/O errors."""
    if isinstance(exc, OSError):
        return exc.errno in DISK_ERRNOS
    return isinstance(exc, DISK_ERRORS) or bool(DISK_MESSAGES.search(str(exc)))


@contextmanager
def _opened(target: Store | Path | str, *, read_only: bool, lock_timeout: float) -> Iterator[duckdb.DuckDBPyConnection]:
    store = as_store(target)
    con = connect(store, read_only=read_only, lock_timeout=lock_timeout)
    try:
        if not read_only:
            if not store.lake:
                # Closing would otherwise checkpoint, rewriting every primary-key index: a cost
                # that grows with the database. The committed WAL is as durable; DuckDB
                # checkpoints it at `wal_autocheckpoint` (16 MB) and at the end of every run.
                con.execute("PRAGMA disable_checkpoint_on_shutdown")
            migrate(con, lake=store.lake)
        yield con
    finally:
        con.close()


def write(target: Store | Path | str, step: Callable[[duckdb.DuckDBPyConnection], T], *, lock_timeout: float = 30.0) -> T:
    """Run `step` on the store opened for writing. On a lake, a commit that loses a race DuckLake's
    own retries did not win is tried again until `lock_timeout` (then DatabaseBusy); `step` must be
    safe to repeat, as every write here is."""
    store = as_store(target)
    deadline = time.monotonic() + lock_timeout
    delay = 0.1
    while True:
        try:
            with opened(store, lock_timeout=max(0.0, deadline - time.monotonic())) as con:
                return step(con)
        except duckdb.Error as exc:
            if not (store.lake and is_busy(exc)):
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(f"{store} stayed busy for {lock_timeout:g} s: {str(exc).splitlines()[0]}") from None
            time.sleep(delay * random.uniform(0.5, 1.5))  # writers that met are not to meet again
            delay = min(delay * 2, 2.0)


def read(target: Store | Path | str, query: Callable[[duckdb.DuckDBPyConnection], T], *,
         lock_timeout: float = 10.0) -> T:
    """Run `query` on the store opened read-only. On a lake, readers never wait for writers, but
    the catalog database may be busy for a moment: the query is tried again until `lock_timeout`."""
    store = as_store(target)
    deadline = time.monotonic() + lock_timeout
    delay = 0.05
    while True:
        con = connect(store, read_only=True, lock_timeout=max(0.0, deadline - time.monotonic()))
        try:
            return query(con)
        except duckdb.Error as exc:
            if not (store.lake and is_busy(exc)) or time.monotonic() >= deadline:
                raise
        finally:
            con.close()
        time.sleep(delay * random.uniform(0.5, 1.5))
        delay = min(delay * 2, 1.0)


KEPT_OUT = ("schema_migrations", "search_index_state", "write_token")  # each store keeps its own


def copy_file_into(source: Path, target: Store, *, lock_timeout: float = 30.0) -> dict[str, int]:
    """Copy every table of a DuckDB file into an empty store (a DuckLake), in one transaction;
    returns the rows copied per table. The file is first brought to this version's schema."""
    if not source.exists():
        raise DatabaseMissing(f"database {source} does not exist")
    with opened(source, lock_timeout=lock_timeout):
        pass  # pending migrations applied, so both sides have the same tables and columns

    def step(con) -> dict[str, int]:
        con.execute(f"ATTACH '{str(source).replace(chr(39), chr(39) * 2)}' AS source_file (READ_ONLY)")
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'source_file' "
            "AND table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()
            if r[0] not in KEPT_OUT]
        filled = [t for t in tables if con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]]
        if filled:
            raise ValueError(f"{target} already holds data ({', '.join(filled)}): copy into an empty store")
        copied = {}
        with transaction(con):
            for table in tables:
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM source_file.main.{table}")
                copied[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return copied

    return write(target, step, lock_timeout=lock_timeout)


def files_of(target: Store | Path) -> list[Path]:
    """The files that hold the data: a DuckDB file and its write-ahead log, or a lake's SQLite
    catalog and its Parquet files (a PostgreSQL catalog is not a file)."""
    store = as_store(target)
    if not store.lake:
        return [p for p in (store.path, store.path.with_name(store.path.name + ".wal")) if p.exists()]
    files = [Path(store.catalog.split(":", 1)[1])] if store.catalog.startswith("sqlite:") else []
    if "://" not in store.data_path:
        files += [p for p in Path(store.data_path).rglob("*") if p.is_file()]
    return [p for p in files if p.exists()]


def checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Fold the write-ahead log into the database file, which is then complete on its own.
    Writers skip this on close (it rewrites the primary-key indexes); a run does it once, at its
    end. A lake has no log to fold: nothing to do."""
    if con.execute("SELECT current_database()").fetchone()[0] != LAKE:
        con.execute("CHECKPOINT")


def checkpoint_file(target: Store | Path, *, lock_timeout: float = 30.0) -> None:
    """Checkpoint the store (for commands that wrote and are done)."""
    if not as_store(target).lake:
        with opened(target, lock_timeout=lock_timeout) as con:
            checkpoint(con)


def backup(target: Store | Path, out: Path, *, lock_timeout: float = 30.0) -> int:
    """A consistent copy of the DuckDB file in one file at `out`; returns its size in bytes.

    The writer's lock is held for the checkpoint and the copy, so no write lands half-way; a run
    that wants the file meanwhile waits, or stages its batches as usual, and loses nothing."""
    import shutil

    store = as_store(target)
    if store.lake:
        raise ValueError("a DuckLake is backed up as its catalog database (pg_dump, or a copy of the SQLite "
                         "file) together with its data path; `backup` copies a DuckDB file")
    path = store.path
    if not path.exists():
        raise DatabaseMissing(f"database {path} does not exist yet; run `newswatch run` first")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with opened(path, lock_timeout=lock_timeout) as con:
        checkpoint(con)
        shutil.copyfile(path, partial)
    partial.replace(out)
    return out.stat().st_size


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """BEGIN ... COMMIT, or ROLLBACK when anything (even an interrupt) escapes. Within an open
    transaction it adds nothing: the outer one commits the whole."""
    if id(con) in _OPEN:
        yield
        return
    con.execute("BEGIN TRANSACTION")
    _OPEN.add(id(con))
    try:
        yield
        if _takes_token(con):
            con.execute("UPDATE write_token SET n = n + 1")  # serializes writers of a lake (migration 012)
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # the failed COMMIT ended the transaction already: the first error is the one to tell
        raise
    finally:
        _OPEN.discard(id(con))


_OPEN: set[int] = set()  # connections inside `transaction`


def _takes_token(con: duckdb.DuckDBPyConnection) -> bool:
    """A lake connection whose schema has the write token yet (migrations before 012 have none)."""
    return con.execute("SELECT current_database() = ? AND EXISTS (SELECT 1 FROM information_schema.tables "
                       "WHERE table_catalog = ? AND table_name = 'write_token')", [LAKE, LAKE]).fetchone()[0]


def seal(con: duckdb.DuckDBPyConnection, target: Store | Path | str | None = None) -> None:
    """Make a read-only connection safe for a user's SQL: the full-text search functions stay
    available, but nothing is installed or loaded, no file is read or written outside the
    database (a lake: its catalog and data path), and the settings cannot be changed back."""
    from storage import search

    search.load(con)
    store = as_store(target) if target is not None else None
    if store is not None and store.lake:
        con.execute("SET allowed_directories = ?", [[store.data_path.rstrip("/") + "/"]])
        if store.catalog.startswith("sqlite:"):
            con.execute("SET allowed_paths = ?", [[store.catalog.split(":", 1)[1]]])
    for setting in ("autoinstall_known_extensions = false", "autoload_known_extensions = false",
                    "enable_external_access = false", "lock_configuration = true"):
        con.execute(f"SET {setting}")


def dict_rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The rows of an executed query as dicts keyed by column name."""
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def arrow(rows: Sequence[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(list(rows))


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, data: pa.Table | Sequence[dict[str, Any]]) -> Iterator[None]:
    """`data` (an Arrow table or dict rows) visible to SQL as `name` within the block."""
    con.register(name, data if isinstance(data, pa.Table) else arrow(data))
    try:
        yield
    finally:
        con.unregister(name)


def merge(con: duckdb.DuckDBPyConnection, table: str, source: str, keys: Sequence[str],
          update: dict[str, str] | Sequence[str] = ()) -> None:
    """Upsert the rows of `source` into `table` by `keys`: rows already there get the `update`
    columns (a list takes the source's values; a dict maps a column to an expression over `src`
    and the table), the others are inserted. MERGE INTO, because DuckLake has no keys for
    INSERT ... ON CONFLICT; a DuckDB file runs it the same."""
    sets = update if isinstance(update, dict) else {c: f"src.{c}" for c in update}
    on = " AND ".join(f"{table}.{k} = src.{k}" for k in keys)
    matched = f" WHEN MATCHED THEN UPDATE SET {', '.join(f'{c} = {e}' for c, e in sets.items())}" if sets else ""
    con.execute(f"MERGE INTO {table} USING (SELECT * FROM {source}) AS src ON {on}{matched} "
                "WHEN NOT MATCHED THEN INSERT BY NAME")


def migration_files() -> list[tuple[str, str]]:
    """Named migrations in order: (name, SQL)."""
    folder = resources.files("storage") / "migrations"
    files = sorted(f for f in folder.iterdir() if f.name.endswith(".sql"))
    return [(f.name.removesuffix(".sql"), f.read_text(encoding="utf-8")) for f in files]


def migrate(con: duckdb.DuckDBPyConnection, lake: bool = False) -> list[str]:
    """Apply the migrations not yet recorded; each in its own transaction. Returns the names applied.
    On a lake the same migrations run without their key constraints (`without_keys`)."""
    ddl = without_keys if lake else (lambda sql: sql)
    con.execute(ddl("CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, "
                    "applied_at TIMESTAMPTZ NOT NULL)"))
    done = {row[0] for row in con.execute("SELECT name FROM schema_migrations").fetchall()}
    applied = []
    for name, sql in migration_files():
        if name in done:
            continue
        with transaction(con):
            con.execute(ddl(sql))
            con.execute("INSERT INTO schema_migrations VALUES (?, ?)", [name, datetime.now(timezone.utc)])
        applied.append(name)
    return applied


def without_keys(sql: str) -> str:
    """The DDL for DuckLake, which has no PRIMARY KEY or UNIQUE constraints: key columns stay
    NOT NULL, and uniqueness is kept by the writers (MERGE by key, lookups before inserts)."""
    sql = re.sub(r",\s*PRIMARY KEY\s*\([^)]*\)", "", sql)
    return re.sub(r"\s+(?:PRIMARY KEY|UNIQUE)\b", " NOT NULL", sql)


def pending_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Migrations a (read-only) database still lacks; a writer applies them on its next run."""
    try:
        done = {row[0] for row in con.execute("SELECT name FROM schema_migrations").fetchall()}
    except duckdb.CatalogException:
        done = set()
    return [name for name, _ in migration_files() if name not in done]
