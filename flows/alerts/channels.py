"""Alert delivery through apprise; channel URLs carry secrets, so only their hash is ever shown."""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import apprise


class _Redact(logging.Filter):
    """Masks channel secrets in log records of the HTTP libraries apprise uses."""

    secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(s in message for s in self.secrets):
            for secret in sorted(self.secrets, key=len, reverse=True):
                message = message.replace(secret, "***")
            record.msg, record.args = message, ()
        return True


_REDACT = _Redact()
for _name in ("apprise", "urllib3.connectionpool", "urllib3.util.retry", "requests", "httpx", "httpcore"):
    logging.getLogger(_name).addFilter(_REDACT)
# apprise logs failing URLs at INFO/WARNING with their tokens in them: keep its logger quiet too.
logging.getLogger("apprise").setLevel(logging.CRITICAL)


def _remember_secrets(url: str) -> None:
    """Every part of a channel URL long enough to be a token is masked in logs from now on."""
    import re

    rest = url.split("://", 1)[-1]
    _REDACT.secrets.update(p for p in re.split(r"[/?&=:@#]", rest) if len(p) >= 6)
    _REDACT.secrets.add(rest)


@dataclass(frozen=True)
class Channel:
    url: str

    @property
    def channel_id(self) -> str:
        return hashlib.sha256(self.url.encode("utf-8")).hexdigest()[:12]

    @property
    def display(self) -> str:
        """Scheme and hash only: tokens hide in hosts, paths and queries alike."""
        scheme = self.url.split("://", 1)[0] if "://" in self.url else "?"
        return f"{scheme}://…#{self.channel_id}"


@dataclass(frozen=True)
class Outcome:
    channel: Channel
    ok: bool
    error: str | None = None


def check(url: str) -> str | None:
    """None when apprise understands the URL, else a reason that does not repeat the URL."""
    if apprise.Apprise.instantiate(url, suppress_exceptions=True) is None:
        return "not a URL apprise can send to"
    return None


def send(channel: Channel, title: str, body: str, severity: str, timeout: float) -> Outcome:
    """Send one alert to one channel; failures come back as an Outcome, never an exception."""
    _remember_secrets(channel.url)
    notifier = apprise.Apprise()
    if not notifier.add(channel.url):
        return Outcome(channel, False, "not a URL apprise can send to")
    kind = {"critical": apprise.NotifyType.FAILURE, "warning": apprise.NotifyType.WARNING}.get(
        severity, apprise.NotifyType.INFO)
    try:
        ok = notifier.notify(body=body, title=title, notify_type=kind, body_format=apprise.NotifyFormat.MARKDOWN,
                             timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - a plugin failure must not stop the other channels
        return Outcome(channel, False, f"{type(exc).__name__}")
    return Outcome(channel, bool(ok), None if ok else "the channel did not accept the alert")
