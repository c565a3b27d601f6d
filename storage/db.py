"""Opening the DuckDB file: one writer, read-only readers, a bounded wait when it is busy."""
from __future__ import annotations

import errno
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from storage.records import DatabaseBusy, DatabaseMissing, StorageFailed  # noqa: F401 - raised here, named there


def _is_lock_error(exc: duckdb.Error) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def connect(path: Path | str, *, read_only: bool = False, lock_timeout: float = 30.0) -> duckdb.DuckDBPyConnection:
    """Open the database, waiting up to `lock_timeout` seconds while another process holds it."""
    path = Path(path)
    if read_only and not path.exists():
        raise DatabaseMissing(f"database {path} does not exist yet; run `newswatch run` first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + lock_timeout
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(
                    f"database {path} is in use by another process (waited {lock_timeout:g} s): "
                    f"{str(exc).splitlines()[0]}"
                ) from None
            time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
            delay = min(delay * 2, 1.0)


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
def _opened(path: Path | str, *, read_only: bool, lock_timeout: float) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(path, read_only=read_only, lock_timeout=lock_timeout)
    try:
        if not read_only:
            # Closing would otherwise checkpoint, rewriting every primary-key index: a cost that
            # grows with the database. The committed WAL is as durable; DuckDB checkpoints it
            # once it reaches `wal_autocheckpoint` (16 MB), and the next open replays it.
            con.execute("PRAGMA disable_checkpoint_on_shutdown")
            migrate(con)
        yield con
    finally:
        con.close()


def files_of(path: Path) -> list[Path]:
    """The database file and its write-ahead log, those that exist."""
    return [p for p in (path, path.with_name(path.name + ".wal")) if p.exists()]


def checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Fold the write-ahead log into the database file, which is then complete on its own.
    Writers skip this on close (it rewrites the primary-key indexes); a run does it once, at its end."""
    con.execute("CHECKPOINT")


def checkpoint_file(path: Path, *, lock_timeout: float = 30.0) -> None:
    """Checkpoint the database at `path` (for commands that wrote and are done)."""
    with opened(path, lock_timeout=lock_timeout) as con:
        checkpoint(con)


def backup(path: Path, out: Path, *, lock_timeout: float = 30.0) -> int:
    """A consistent copy of the database in one file at `out`; returns its size in bytes.

    The writer's lock is held for the checkpoint and the copy, so no write lands half-way; a run
    that wants the file meanwhile waits, or stages its batches as usual, and loses nothing."""
    import shutil

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
    """BEGIN ... COMMIT, or ROLLBACK when anything (even an interrupt) escapes."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # the failed COMMIT ended the transaction already: the first error is the one to tell
        raise


def seal(con: duckdb.DuckDBPyConnection) -> None:
    """Make a read-only connection safe for a user's SQL: the full-text search functions stay
    available, but nothing is installed or loaded, no file is read or written outside the
    database, and the settings cannot be changed back."""
    from storage import search

    search.load(con)
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


def migration_files() -> list[tuple[str, str]]:
    """Named migrations in order: (name, SQL)."""
    folder = resources.files("storage") / "migrations"
    files = sorted(f for f in folder.iterdir() if f.name.endswith(".sql"))
    return [(f.name.removesuffix(".sql"), f.read_text(encoding="utf-8")) for f in files]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not yet recorded; each in its own transaction. Returns the names applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)"
    )
    done = {row[0] for row in con.execute("SELECT name FROM schema_migrations").fetchall()}
    applied = []
    for name, sql in migration_files():
        if name in done:
            continue
        with transaction(con):
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?)", [name, datetime.now(timezone.utc)])
        applied.append(name)
    return applied


def pending_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Migrations a (read-only) database still lacks; a writer applies them on its next run."""
    try:
        done = {row[0] for row in con.execute("SELECT name FROM schema_migrations").fetchall()}
    except duckdb.CatalogException:
        done = set()
    return [name for name, _ in migration_files() if name not in done]
