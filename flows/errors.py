"""The two error families, decided once at the boundary: transient (retry later) and terminal."""
from __future__ import annotations


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
    def error_class(self) -> str:
        return "transient" if self.transient else "terminal"

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


def is_transient(exc: BaseException | None) -> bool:
    return isinstance(exc, PipelineError) and exc.transient
