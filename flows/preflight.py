"""Everything a command depends on, loaded and checked before it opens the database or the
network: the feed list, the alert rules, the alert channels and the paths it will use.

A mistake raises ConfigError naming the file, the entry or key, and the reason; the command line
turns it into exit status 2, a flow run fails with it before doing anything.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from flows.alerts.rules import AlertRule, load_rules
from flows.settings import ConfigError, FeedSpec, Settings, load_feeds


@dataclass(frozen=True)
class Checked:
    """What a run reads from its files, loaded once and valid."""

    feeds: list[FeedSpec]
    rules: list[AlertRule]


def check(settings: Settings, *, feeds: bool = True, alerts: bool = True) -> Checked:
    """Load and check the files and settings a run needs; ConfigError on the first mistake of each."""
    problems: list[str] = []
    loaded_feeds: list[FeedSpec] = []
    loaded_rules: list[AlertRule] = []
    for step in (lambda: _database(settings), lambda: _seeds(settings)):
        _collect(problems, step)
    if feeds:
        loaded_feeds = _collect(problems, lambda: [f for f in load_feeds(settings.feeds_file) if f.enabled]) or []
    if alerts:
        loaded_rules = _collect(problems, lambda: load_rules(settings.alert_rules_file)) or []
        _collect(problems, lambda: _channels(settings))
    if problems:
        raise ConfigError("\n".join(problems))
    return Checked(loaded_feeds, loaded_rules)


def _collect(problems: list[str], step):
    try:
        return step()
    except ConfigError as exc:
        problems.append(str(exc))
        return None


def _database(settings: Settings) -> None:
    """The database file can be created or opened for writing (a lake: its data folder, and its
    extensions are installed)."""
    if settings.storage_backend == "ducklake":
        from storage.backends import extension

        missing = [n for n in ("ducklake", "sqlite_scanner", "postgres_scanner") if extension(n) is None]
        if missing:
            raise ConfigError(f"storage_backend ducklake: the extensions {', '.join(missing)} are not installed "
                              "(packages duckdb-extension-...; Linux x86-64)")
        return
    path = settings.database
    if path.is_dir():
        raise ConfigError(f"database {path}: is a folder, not a DuckDB file")
    folder = next((p for p in (path.parent, *path.parent.parents) if p.exists()), Path("."))
    if not folder.is_dir():
        raise ConfigError(f"database {path}: {folder} is a file, not a folder")
    if not os.access(path if path.exists() else folder, os.W_OK):
        raise ConfigError(f"database {path}: not writable by this user")


def _seeds(settings: Settings) -> None:
    """A seed folder named in the configuration exists (the default may be absent: no seeds)."""
    path = settings.seeds_dir
    if path.exists() and not path.is_dir():
        raise ConfigError(f"seeds_dir {path}: is a file, not a folder")
    if not path.exists() and "seeds_dir" in settings.model_fields_set:
        raise ConfigError(f"seeds_dir {path}: not found")


def _channels(settings: Settings) -> None:
    """Every alert channel is a URL apprise can send to (the URL itself is never repeated)."""
    if not settings.alert_channels:
        return
    from flows.alerts.channels import Channel, check

    for n, secret in enumerate(settings.alert_channels):
        problem = check(secret.get_secret_value())
        if problem:
            raise ConfigError(f"alert_channels[{n}] ({Channel(secret.get_secret_value()).display}): {problem}")
