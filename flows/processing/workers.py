"""Cleaning and extraction in worker processes: both cores used, and a pathological page cannot
stall or balloon the run.

Each document gets a time budget (`document_timeout`) and each worker a memory ceiling
(`document_memory_mb`, as RLIMIT_AS). A document over its time budget is recorded as an error
and the pool is replaced (a stuck worker cannot be interrupted any other way); a worker that dies
takes only its own documents with it. Workers are recycled after a number of documents so that a
long run does not grow in memory.

Workers are forked from a fork server that imported trafilatura and built the default spaCy
pipeline once (`extractors.warm`), so a new or recycled worker starts in milliseconds instead of
rebuilding the pipeline's 28,000 gazetteer patterns (about 4 s). The fork server itself is a
clean single-threaded process: forking the run's own (threaded) process is not safe.
"""
from __future__ import annotations

import multiprocessing
import resource
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from flows.errors import TerminalError

TASKS_PER_WORKER = 500
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["extractors.warm"])


def _limit_memory(megabytes: int) -> None:
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def call_guarded(func: Callable, arg: Any) -> Any:
    """Runs in the worker (or in-process): an exception comes back as a value, MemoryError as a clear error."""
    try:
        return func(*arg)
    except MemoryError:
        return TerminalError("document exceeded the memory budget")
    except Exception as exc:  # noqa: BLE001 - any failure of one document is that document's error
        return exc


class WorkerPool:
    """Applies `func` to many argument tuples in worker processes, each within a time budget."""

    def __init__(self, func: Callable, workers: int, timeout: float, memory_mb: int):
        self.func, self.workers, self.timeout, self.memory_mb = func, workers, timeout, memory_mb
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=_CONTEXT,
                initializer=_limit_memory, initargs=(self.memory_mb,), max_tasks_per_child=TASKS_PER_WORKER)
        return self._pool

    def _discard(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()  # a stuck worker cannot be interrupted any other way
        pool.shutdown(wait=False, cancel_futures=True)

    def map(self, args: Sequence[tuple], on_done: Callable[[], None] | None = None) -> list[Any]:
        """Results in order; a document over its budget, or one that kills its worker, gives a
        TerminalError. Documents caught in a pool that broke are run again; those that were
        running when it broke are run one at a time, so only the culprit is blamed. `on_done` is
        called as each document is finished (a progress bar's step)."""
        results: list[Any] = [None] * len(args)
        todo = list(range(len(args)))
        done = on_done or (lambda: None)
        while todo:
            pool = self._executor()
            futures = {pool.submit(call_guarded, self.func, args[i]): i for i in todo}
            todo, suspects = self._collect(futures, results, done)
            for i in suspects:
                results[i] = self._alone(args[i])
                done()
        return results

    def _alone(self, arg: tuple) -> Any:
        pool = self._executor()
        future = pool.submit(call_guarded, self.func, arg)
        try:
            return future.result(timeout=self.timeout)
        except TimeoutError:
            self._discard()
            return TerminalError(f"document took longer than {self.timeout:g} s; stopped")
        except BrokenProcessPool:
            self._discard()
            return TerminalError("the worker process handling this document died")

    def _collect(self, futures: dict[Future, int], results: list[Any],
                 finished: Callable[[], None]) -> tuple[list[int], list[int]]:
        """Gather results until done or the pool must be replaced: (to run again, to run alone)."""
        running_since: dict[Future, float] = {}
        while futures:
            done, _ = wait(futures, timeout=0.25, return_when=FIRST_COMPLETED)
            now = time.monotonic()
            broken = False
            for future in done:
                try:
                    results[futures[future]] = future.result()
                    del futures[future]
                    finished()
                except BrokenProcessPool:
                    broken = True
            stuck = [f for f in futures if f not in done and now - running_since.get(f, now) > self.timeout]
            for future in futures:
                if future.running():
                    running_since.setdefault(future, now)
            if not broken and not stuck:
                continue
            for future in stuck:
                results[futures.pop(future)] = TerminalError(f"document took longer than {self.timeout:g} s; stopped")
                finished()
            self._discard()
            suspects = sorted(i for f, i in futures.items() if f in running_since)
            if broken and not suspects:  # it broke before anything was seen running: trust no one
                return [], sorted(futures.values())
            return sorted(i for f, i in futures.items() if f not in running_since), suspects
        return [], []

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
