"""A run's access to the database: short writes, and staging when another process holds it.

DuckDB refuses every other process while one holds the file for writing, and a writer while
readers hold it. A run therefore opens the database only for short steps; when it cannot get it
within `lock_timeout`, the run goes on and keeps its batches in staged Parquet files
(`storage.staging`), merged by the next run that gets the database. Nothing is lost and nothing
waits forever.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from extractors.types import Article, Facts
from storage import articles, runs, search, staging
from storage.backends import Store, as_store
from storage.db import DatabaseBusy, DatabaseMissing, arrow, checkpoint, connect, opened, transaction, write
from storage.records import BatchCounts, ErrorClass, ErrorRecord, SourceState, StorageFailed

T = TypeVar("T")


class RunStorage:
    """Database access of one run; `staged` is set once the database could not be had.

    `now` is the run's clock; `reindex_minutes` how old an article the full-text index lacks may
    get before the run rebuilds the index.
    """

    def __init__(self, store: Store | Path, run_id: str, now: Callable[[], datetime], *,
                 lock_timeout: float = 30.0, reindex_minutes: float = 60.0):
        self.target = as_store(store)
        self.run_id = run_id
        self.now = now
        self.lock_timeout = lock_timeout
        self.reindex_minutes = reindex_minutes
        self.staged = False
        self.batches = 0
        self.merged = BatchCounts()
        self.folder = staging.staging_dir(self.target)

    def _write(self, step: Callable[[duckdb.DuckDBPyConnection], T]) -> tuple[bool, T | None]:
        """Run `step` on the database unless the run is staged or the database stays busy
        (which stages the run from then on); returns (done, result)."""
        if self.staged:
            return False, None
        try:
            return True, write(self.target, step, lock_timeout=self.lock_timeout)
        except DatabaseBusy:
            self.staged = True
            return False, None

    def begin(self, flow_run_id: str | None, host: str | None = None, pid: int | None = None,
              is_gone: Callable[[str | None, int | None, datetime], bool] | None = None,
              listed: Sequence[str] | None = None) -> dict[str, SourceState]:
        """Merge earlier staged batches, mark the runs whose process `is_gone` as interrupted,
        record this run's start and process, retire the feeds no longer `listed`, and read the
        feed state."""
        def start(con):
            with transaction(con):
                if is_gone is not None:
                    gone = [run_id for run_id, h, p, started in runs.running_runs(con) if is_gone(h, p, started)]
                    runs.mark_interrupted(con, gone, self.now())
                runs.start_run(con, self.run_id, self.now(), flow_run_id, host, pid)
                if listed is not None:
                    runs.retire_feeds(con, listed, self.now())
            return runs.source_states(con)

        # each staged folder is merged in its own transaction, then removed: never inside another one
        done, merged = self._write(lambda con: staging.merge(con, self.folder, self.now()))
        self.merged = merged if done else BatchCounts()
        done, states = self._write(start) if done else (False, None)
        return states if done else self._read(runs.source_states, {})

    def known(self, ids: Iterable[str]) -> dict[str, tuple[str, str | None]]:
        """content_hash and entry_hash of the stored articles among `ids`."""
        ids = list(ids)
        return self._look(lambda con: articles.known_articles(con, ids), {})

    def dropped(self, ids: Iterable[str]) -> dict[str, str]:
        """entry_hash of the entries among `ids` dropped earlier for lack of text."""
        ids = list(ids)
        return self._look(lambda con: articles.dropped_entries(con, ids), {})

    def _look(self, query: Callable[[duckdb.DuckDBPyConnection], T], default: T) -> T:
        """A lookup with the writer's connection, or read-only when the run is staged."""
        done, found = self._write(query)
        return found if done else self._read(query, default)

    def _read(self, query: Callable[[duckdb.DuckDBPyConnection], T], default: T) -> T:
        """A read-only look, possible while only readers hold the file; else `default`."""
        try:
            con = connect(self.target, read_only=True, lock_timeout=1)
        except (DatabaseBusy, DatabaseMissing):
            return default
        try:
            return query(con)
        except duckdb.Error:  # a database without our tables yet reads as empty
            return default
        finally:
            con.close()

    def store(self, batch: Sequence[Article], facts: Sequence[Facts], errors: Sequence[ErrorRecord],
              dropped: Sequence[tuple[str, str, str | None, str]] = ()) -> BatchCounts:
        """Write a batch, or stage it when the database stays busy; returns what was written.
        `dropped` lists entries that could not be stored: (article_id, entry_hash, source_id, reason)."""
        self.batches += 1
        tables = articles.batch_tables(list(zip(batch, facts)), self.run_id, self.now())
        if dropped:
            tables["_dropped"] = arrow([{"article_id": a, "entry_hash": h, "source_id": s, "reason": r,
                                         "dropped_at": self.now()} for a, h, s, r in dropped])

        def step(con):
            with transaction(con):  # all of the batch or none of it, so that a retry counts right
                counts = articles.apply_batch(con, tables)
                if "_dropped" in tables:
                    articles.record_dropped(con, tables["_dropped"].to_pylist())
                runs.record_errors(con, list(errors), self.run_id, self.now())
            return counts

        done, counts = self._write(step)
        if done:
            return counts
        staging.stage_batch(self.folder, self.run_id, self.batches, tables, errors, self.now())
        return BatchCounts()

    def fail(self, reason: str, counts: dict[str, int]) -> bool:
        """Mark the run failed with its reason and record the error, if the database still takes
        a small write (a full disk may not); returns whether it did."""
        if self.staged:
            return False
        try:
            with opened(self.target, lock_timeout=min(self.lock_timeout, 5)) as con, transaction(con):
                runs.record_errors(con, [ErrorRecord("storage", reason, ErrorClass.TERMINAL)], self.run_id, self.now())
                runs.finish_run(con, self.run_id, self.now(), "failed", counts, failure=reason)
            return True
        except (StorageFailed, DatabaseBusy, duckdb.Error):
            return False

    def finish(self, sources: Sequence[SourceState], counts: dict[str, int], started: datetime,
               flow_run_id: str | None) -> None:
        """Save feed state and the run record (staged too when the run was staged)."""
        when = self.now()

        def step(con):
            with transaction(con):
                runs.save_sources(con, sources)
                runs.finish_run(con, self.run_id, when, "completed", counts)
            if search.index_due(con, self.reindex_minutes, when):
                search.rebuild_index(con, when)  # reads every article: at most every reindex_minutes
            checkpoint(con)  # the file is complete on its own after every run (a copy is a backup)

        done, _ = self._write(step)
        if done:
            return
        run: dict[str, Any] = {"run_id": self.run_id, "flow_run_id": flow_run_id, "started_at": started.isoformat(),
                               "finished_at": when.isoformat(), "status": "completed (staged)",
                               **{k: counts.get(k, 0) for k in runs.RUN_COUNTS}}
        staging.stage_finish(self.folder, self.run_id, sources, run)
