"""Progress reporting for the CLI: a rich progress bar the flow can advance, or nothing.

The flow calls `stage()` and `advance()`; they do nothing unless the CLI installed a reporter,
so flows run the same under `newswatch run`, `serve`, a worker or a test.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

_progress: Progress | None = None
_task = None


@contextmanager
def reporter(enabled: bool, console: Console | None = None) -> Iterator[None]:
    global _progress, _task
    if not enabled:
        yield
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        _progress, _task = bar, None
        try:
            yield
        finally:
            _progress, _task = None, None


def stage(description: str, total: int) -> None:
    global _task
    if _progress is None:
        return
    if _task is not None:
        _progress.update(_task, visible=False)
    _task = _progress.add_task(description, total=max(total, 0))


def advance(n: int = 1) -> None:
    if _progress is not None and _task is not None:
        _progress.advance(_task, n)
