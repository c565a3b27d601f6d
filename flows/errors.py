"""The two error families, decided once at the boundary: transient (retry later) and terminal.

Failures from the network are raised as TransientError or TerminalError where they happen
(`flows.sources.http`); failures of the other layers are classified here, in one place.
"""
from __future__ import annotations

from storage.records import DatabaseBusy, ErrorClass


class PipelineError(Exception):
    """A failure with its context; `transient` says whether a retry may succeed."""

    transient = False
    retry_after: float | None = None  # seconds the server asked us to wait (429/503 Retry-After)

    def __init__(self, reason: str, *, url: str | None = None, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.url = url
        self.status = status

    @property
    def error_class(self) -> ErrorClass:
        return ErrorClass.TRANSIENT if self.transient else ErrorClass.TERMINAL

    def __reduce__(self):  # keep context when Prefect pickles task exceptions
        return (_rebuild, (type(self), self.reason, self.url, self.status, self.retry_after))


def _rebuild(cls, reason, url, status, retry_after=None):
    error = cls(reason, url=url, status=status)
    error.retry_after = retry_after
    return error


class TransientError(PipelineError):
    """Timeouts, connection failures, 5xx, 429, a busy database."""

    transient = True


class TerminalError(PipelineError):
    """4xx, bodies too large or of the wrong type, unparseable documents."""


def error_class(exc: BaseException | None) -> ErrorClass:
    """Transient for what a later try may get past (our transient errors, a busy database)."""
    if isinstance(exc, PipelineError):
        return exc.error_class
    return ErrorClass.TRANSIENT if isinstance(exc, DatabaseBusy) else ErrorClass.TERMINAL


def is_transient(exc: BaseException | None) -> bool:
    return exc is not None and error_class(exc) is ErrorClass.TRANSIENT


def reason_of(exc: BaseException) -> str:
    """The reason to record: ours as written, anything else with its type."""
    return exc.reason if isinstance(exc, PipelineError) else f"{type(exc).__name__}: {exc}"
