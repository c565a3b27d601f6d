"""A run's access to the database: short writes, and staging when another process holds it.

DuckDB refuses every other process while one holds the file for writing, and a writer while
readers hold it. A run therefore opens the database only for short steps; when it cannot get it
within `lock_timeout`, the run goes on and keeps its batches in staged Parquet files
(`storage.staging`), merged by the next run that gets the database. Nothing is lost and nothing
waits forever.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from extractors.types import Article, Facts
from flows import clock
from flows.settings import Settings
from storage import search, staging, store
from storage.db import DatabaseBusy, connect, opened
from storage.store import BatchCounts, ErrorRecord, SourceState


class RunStorage:
    """Database access of one run; `staged` is set once the database could not be had."""

    def __init__(self, settings: Settings, run_id: str):
        self.settings = settings
        self.run_id = run_id
        self.staged = False
        self.batches = 0
        self.merged = BatchCounts()
        self.folder = staging.staging_dir(settings.database)

    def begin(self, flow_run_id: str | None) -> dict[str, SourceState]:
        """Merge earlier staged batches, record the run start, and read the feed state."""
        try:
            with opened(self.settings.database, lock_timeout=self.settings.lock_timeout) as con:
                self.merged = staging.merge(con, self.folder, clock.now())
                store.start_run(con, self.run_id, clock.now(), flow_run_id)
                return store.source_states(con)
        except DatabaseBusy:
            self.staged = True
            return self._read(store.source_states, {})

    def known(self, ids: Iterable[str]) -> dict[str, tuple[str, str | None]]:
        ids = list(ids)
        if not self.staged:
            try:
                with opened(self.settings.database, lock_timeout=self.settings.lock_timeout) as con:
                    return store.known_articles(con, ids)
            except DatabaseBusy:
                self.staged = True
        return self._read(lambda con: store.known_articles(con, ids), {})

    def _read(self, query, default):
        """A read-only look, possible while only readers hold the file; else `default`."""
        if not self.settings.database.exists():
            return default
        try:
            con = connect(self.settings.database, read_only=True, lock_timeout=1)
        except DatabaseBusy:
            return default
        try:
            return query(con)
        except Exception:  # noqa: BLE001 - a database without our tables yet reads as empty
            return default
        finally:
            con.close()

    def store(self, articles: Sequence[Article], facts: Sequence[Facts], errors: Sequence[ErrorRecord]) -> BatchCounts:
        """Write a batch, or stage it when the database stays busy; returns what was written."""
        self.batches += 1
        tables = store.batch_tables(list(zip(articles, facts)), self.run_id, clock.now())
        if not self.staged:
            try:
                with opened(self.settings.database, lock_timeout=self.settings.lock_timeout) as con:
                    counts = store.apply_batch(con, tables)
                    offset = con.execute("SELECT count(*) FROM errors WHERE run_id = ?", [self.run_id]).fetchone()[0]
                    store.record_errors(con, list(errors), self.run_id, clock.now(), offset=offset)
                    return counts
            except DatabaseBusy:
                self.staged = True
        staging.stage_batch(self.folder, self.run_id, self.batches, tables, errors, clock.now())
        return BatchCounts()

    def finish(self, sources: Sequence[SourceState], counts: dict[str, int], started: datetime,
               flow_run_id: str | None) -> None:
        """Save feed state and the run record (staged too when the run was staged)."""
        when = clock.now()
        if not self.staged:
            try:
                with opened(self.settings.database, lock_timeout=self.settings.lock_timeout) as con:
                    store.save_sources(con, sources)
                    store.finish_run(con, self.run_id, when, "completed", counts)
                    if search.index_due(con, self.settings.search_reindex_minutes, when):
                        search.rebuild_index(con, when)  # reads every article: at most every search_reindex_minutes
                    return
            except DatabaseBusy:
                self.staged = True
        run = {"run_id": self.run_id, "flow_run_id": flow_run_id, "started_at": started.isoformat(),
               "finished_at": when.isoformat(), "status": "completed (staged)",
               **{k: counts.get(k, 0) for k in store.RUN_COUNTS}}
        staging.stage_finish(self.folder, self.run_id, sources, run)

