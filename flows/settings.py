"""The one settings object: defaults < config file < NEWSWATCH_* environment < CLI flags.

Built once in the entry point (`flows.cli`) and passed down; library code never reads the
environment. Every field is documented in the README's configuration table (a test checks it).
"""
from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

if TYPE_CHECKING:
    from storage.backends import Store

DEFAULT_FEEDS_FILE = Path(__file__).with_name("feeds.toml")
DEFAULT_CONFIG_FILE = Path("newswatch.toml")
DEFAULT_RULES_FILE = Path(__file__).with_name("alert_rules.toml")


class ConfigError(Exception):
    """A configuration value is wrong; the message names the key and the reason."""


class Settings(BaseSettings):
    """Runtime configuration of newswatch."""

    model_config = SettingsConfigDict(env_prefix="NEWSWATCH_", extra="forbid", validate_default=True)

    database: Path = Field(Path("data/newswatch.duckdb"), description="DuckDB file that accumulates everything.")
    storage_backend: Literal["duckdb", "ducklake"] = Field(
        "duckdb", description="`duckdb`: one file (`database`); `ducklake`: a catalog database and Parquet files, "
                              "for several writers at once (`ducklake_catalog`, `ducklake_data_path`).")
    ducklake_catalog: str | None = Field(
        None, description="DuckLake catalog: `sqlite:PATH` (several processes on one machine) or "
                          "`postgres:dbname=... host=... user=...` (several machines).")
    ducklake_data_path: str = Field("data/lake", min_length=1,
                                    description="Folder (shared by every writer) holding the DuckLake's Parquet files.")
    seeds_dir: Path = Field(Path("seeds"), description="Local corpus ingested on every run (.txt, .md, .html).")
    feeds_file: Path = Field(DEFAULT_FEEDS_FILE, description="TOML feed list (`[[feeds]]` name, url, tags, enabled).")
    http_connect_timeout: float = Field(5.0, gt=0, le=120, description="Seconds to establish a connection.")
    http_read_timeout: float = Field(15.0, gt=0, le=600, description="Seconds to wait for each chunk of a response.")
    http_total_timeout: float = Field(30.0, gt=0, le=1800, description="Seconds a whole download may take.")
    http_max_bytes: int = Field(5_000_000, ge=1024, description="Largest response body kept; larger ones are refused.")
    http_max_redirects: int = Field(5, ge=0, le=20, description="Redirects followed per request.")
    http_user_agent: str = Field("newswatch/0.1 (news monitoring; set http_user_agent to add a contact)", min_length=3,
                                 description="User-Agent sent with every request.")
    allowed_private_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Hosts or networks (CIDR) that may be fetched although they are loopback/private/link-local.")
    https_proxy: str | None = Field(
        None, validation_alias=AliasChoices("https_proxy", "NEWSWATCH_HTTPS_PROXY", "HTTPS_PROXY"),
        description="Proxy for https:// fetches (also read from `HTTPS_PROXY`); the SSRF guard still checks each target host.")
    http_proxy: str | None = Field(
        None, validation_alias=AliasChoices("http_proxy", "NEWSWATCH_HTTP_PROXY", "HTTP_PROXY"),
        description="Proxy for http:// fetches (also read from `HTTP_PROXY`).")
    no_proxy: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias=AliasChoices("no_proxy", "NEWSWATCH_NO_PROXY", "NO_PROXY"),
        description="Hosts and domains fetched directly although a proxy is set (also read from `NO_PROXY`; `*`: all).")
    per_host_concurrency: int = Field(2, ge=1, le=32, description="Article pages fetched at once from one host.")
    fetch_pages: bool = Field(True, description="Fetch each entry's article page; off stores the feed's own text.")
    page_concurrency: int = Field(8, ge=1, le=64, description="Article pages fetched at once.")
    feed_concurrency: int = Field(4, ge=1, le=64, description="Feeds polled at once.")
    fetch_retries: int = Field(2, ge=0, le=10, description="Retries of a feed after a transient error (timeout, 5xx, 429).")
    retry_delay: float = Field(2.0, ge=0, le=600, description="Seconds before the first retry; doubled for each next one.")
    workers: int = Field(2, ge=0, le=32, description="Worker processes that clean and extract documents (0: in the run's own process).")
    document_timeout: float = Field(30.0, gt=0, le=600, description="Seconds one document may take to clean and extract before it is stopped.")
    document_memory_mb: int = Field(1536, ge=0, le=65536, description="Memory ceiling of a worker process in MB (0: none).")
    batch_size: int = Field(200, ge=1, le=100_000, description="Articles cleaned, extracted and stored per batch.")
    search_reindex_minutes: float = Field(60.0, ge=0, le=7 * 24 * 60,
                                          description="A run rebuilds the full-text index when it is older than this (0: every run).")
    spacy_model: str = Field("blank", min_length=1,
                             description="`blank` (rules only) or an installed spaCy pipeline name/path adding statistical NER.")
    lock_timeout: float = Field(30.0, ge=0, le=3600, description="Seconds a writer waits for a busy database before giving up.")
    alert_channels: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list, description="Apprise URLs alerts are sent to (environment: JSON list or space-separated); never logged.")
    alert_rules_file: Path = Field(DEFAULT_RULES_FILE, description="TOML alert rules (`[[rules]]` name, severity, metric, min).")
    alert_max_age_hours: float = Field(48.0, gt=0, le=24 * 365, description="Events first published longer ago than this never alert.")
    alert_log: Path = Field(Path("data/alerts.jsonl"), description="JSON-lines record of every alert raised.")
    cluster_window_days: int = Field(1, ge=0, le=7, description="Strike days of reports of one event differ by at most this.")
    alert_timeout: float = Field(10.0, gt=0, le=300, description="Seconds one channel may take to accept an alert.")
    schedule_interval_minutes: float = Field(15.0, gt=0, le=7 * 24 * 60,
                                             description="`serve`: minutes between ingest runs (unless `schedule_cron` is set).")
    schedule_cron: str | None = Field(None, description="`serve`: cron expression for ingest runs, e.g. `*/10 * * * *`.")
    schedule_timezone: str = Field("UTC", description="`serve`: time zone of the schedule, e.g. `Europe/Kyiv`.")
    alerts_interval_minutes: float = Field(5.0, gt=0, le=24 * 60,
                                           description="`serve`: minutes between runs of the alert flow (retries pending deliveries).")
    prefect_port: int = Field(4200, ge=1024, le=65535, description="`serve`: port of the local Prefect server it starts.")
    prefect_home: Path = Field(Path("data/prefect"), description="`serve`: folder of the local Prefect server (SQLite database, logs).")

    @field_validator("alert_channels", "no_proxy", "allowed_private_hosts", mode="before")
    @classmethod
    def _listed(cls, value, info):
        """A list from the environment: a JSON list, or words separated by white space (host lists
        also by commas, as `NO_PROXY` is written; a channel URL may hold commas)."""
        if not isinstance(value, str):
            return value
        if value.strip().startswith("["):
            return json.loads(value)
        return (value if info.field_name == "alert_channels" else value.replace(",", " ")).split()

    @field_validator("ducklake_catalog", "https_proxy", "http_proxy", "schedule_cron", "spacy_model", mode="before")
    @classmethod
    def _stripped(cls, value, info):
        """White space around a value is not part of it; an optional value left blank is unset."""
        if not isinstance(value, str):
            return value
        optional = cls.model_fields[info.field_name].default is None
        return value.strip() or (None if optional else "")

    @field_validator("ducklake_catalog")
    @classmethod
    def _catalog(cls, value: str | None) -> str | None:
        if value is None:
            return None
        kind, _, rest = value.partition(":")
        if kind not in ("sqlite", "postgres") or not rest.strip():
            raise ValueError("a DuckLake catalog is sqlite:PATH or postgres:CONNECTION (e.g. postgres:dbname=lake host=db)")
        return f"{kind}:{rest.strip()}"

    @model_validator(mode="after")
    def _lake_needs_a_catalog(self):
        if self.storage_backend == "ducklake" and self.ducklake_catalog is None:
            raise ValueError("storage_backend = \"ducklake\" needs ducklake_catalog (sqlite:PATH or postgres:CONNECTION)")
        return self

    @property
    def store(self) -> Store:
        """Where the data lives, for `storage`: the DuckDB file, or the DuckLake."""
        from storage.backends import Store  # not at import: worker processes read settings, not the store

        if self.storage_backend == "ducklake":
            return Store(catalog=self.ducklake_catalog, data_path=self.ducklake_data_path)
        return Store(path=self.database)

    @field_validator("https_proxy", "http_proxy")
    @classmethod
    def _proxy(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from urllib.parse import urlsplit

        parts = urlsplit(value if "://" in value else f"http://{value}")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("a proxy is a URL such as http://proxy.example:3128")
        return parts.geturl()

    @field_validator("no_proxy")
    @classmethod
    def _no_proxy(cls, value: list[str]) -> list[str]:
        return [v.strip().lower() for v in value if v.strip()]

    @field_validator("allowed_private_hosts")
    @classmethod
    def _hosts(cls, value: list[str]) -> list[str]:
        for item in value:
            if not item.strip() or "/" in item and not is_network(item):
                raise ValueError(f"{item!r} is neither a host name nor a network such as 10.0.0.0/8")
        return value

    @field_validator("schedule_cron")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from datetime import datetime

        from cronsim import CronSim, CronSimError

        try:
            CronSim(value, datetime(2026, 1, 1))
        except CronSimError as exc:
            raise ValueError(f"not a valid cron expression ({exc}); five fields: minute hour day month weekday") from None
        return value

    @field_validator("schedule_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/Kyiv)") from None
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The config file is named by `toml_file` in model_config, set by load_settings().
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls)


def is_network(value: str) -> bool:
    """Whether `value` is an IP network such as 10.0.0.0/8 (or a single address)."""
    import ipaddress

    try:
        ipaddress.ip_network(value, strict=False)
        return True
    except ValueError:
        return False


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build settings from the layers; raise ConfigError naming the bad key."""
    path = config_file if config_file is not None else DEFAULT_CONFIG_FILE
    if config_file is not None and not path.is_file():
        raise ConfigError(f"config file {path}: not found")
    toml_file = path if path.is_file() else None
    cls = type("Settings", (Settings,), {"model_config": {**Settings.model_config, "toml_file": toml_file}})
    in_file: set[str] = set()
    try:
        in_file = set(_read_toml(path))
        return cls(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        raise ConfigError(_explain(exc, path, overrides, in_file)) from None
    except (SettingsError, json.JSONDecodeError) as exc:
        raise ConfigError(f"configuration error: {exc}") from None


def _read_toml(path: Path) -> dict[str, Any]:
    """The config file's keys and values ({} without a file); ConfigError when it is not TOML."""
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path}: not valid TOML: {exc}") from None


# Values that may carry a secret: channel tokens, a catalog's password, a proxy's credentials.
SECRET_KEYS = ("alert_channels", "ducklake_catalog", "https_proxy", "http_proxy")


def _explain(exc: ValidationError, path: Path | None, flags: dict[str, Any] | None = None,
             in_file: Collection[str] = ()) -> str:
    """One line per mistake: the key, what is wrong, the value (never a secret) and where it was set."""
    lines = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        if not loc:  # a rule across settings: its message names the keys; the input is every value
            lines.append(f"{err['msg'].removeprefix('Value error, ')}")
            continue
        key, top = ".".join(loc), loc[0]
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            near = difflib.get_close_matches(top, list(Settings.model_fields), n=1)
            msg = "unknown key" + (f"; did you mean {near[0]}?" if near else "")
        shown = "a hidden value" if top in SECRET_KEYS else repr(err.get("input"))
        lines.append(f"{key}: {msg} (got {shown}; {_source_of(top, path, flags or {}, in_file)})")
    return "configuration error:\n  " + "\n  ".join(lines)


def _source_of(key: str, path: Path | None, flags: dict[str, Any], in_file: Collection[str]) -> str:
    """Where a setting's value came from, in the order the layers win."""
    if flags.get(key) is not None:
        return "set by a command-line flag"
    field = Settings.model_fields.get(key)
    aliases = field.validation_alias.choices if field is not None and isinstance(field.validation_alias, AliasChoices) else []
    for name in [f"NEWSWATCH_{key.upper()}", *(a for a in aliases if isinstance(a, str) and a.isupper())]:
        if name in os.environ:
            return f"set in the environment as {name}"
    if key in in_file:
        return f"set in {path}"
    return f"set in {path or DEFAULT_CONFIG_FILE}, NEWSWATCH_{key.upper()} or a flag"


class FeedSpec(BaseModel):
    """One entry of the feed list."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    url: HttpUrl
    tags: tuple[str, ...] = ()
    enabled: bool = True
    interval_minutes: float | None = Field(None, gt=0, le=7 * 24 * 60)  # poll less often than every cycle


class FeedList(BaseModel):
    model_config = ConfigDict(extra="forbid")

    feeds: list[FeedSpec] = []

    @field_validator("feeds")
    @classmethod
    def _unique_names(cls, feeds: list[FeedSpec]) -> list[FeedSpec]:
        names = [f.name for f in feeds]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            where = "; ".join(f"{n!r} is " + " and ".join(f"feeds[{k + 1}]" for k, m in enumerate(names) if m == n)
                              for n in dupes)
            raise ValueError(f"feed names must be unique: {where}")
        return feeds


M = TypeVar("M", bound=BaseModel)


def load_toml_list(path: Path, model: type[M], setting: str) -> M:
    """Read and validate a TOML file of `model`; ConfigError names the setting, file, entry and field."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except FileNotFoundError:
        raise ConfigError(f"{setting} {path}: not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{setting} {path}: is a folder, not a file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{setting} {path}: not valid TOML: {exc}") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [_entry_problem(e, data, text) for e in exc.errors()]
        raise ConfigError(f"{setting} {path}:\n  " + "\n  ".join(problems)) from None


def _entry_problem(error: dict, data: dict, text: str) -> str:
    """`line 5, feeds[2] (name = 'kyiv').url: reason (got 'not a url')` for a list entry's field."""
    loc = list(error["loc"])
    where = ".".join(str(p) for p in loc)
    if len(loc) >= 2 and isinstance(loc[1], int):
        entries = data.get(loc[0]) if isinstance(data, dict) else None
        entry = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else None
        name = entry.get("name") if isinstance(entry, dict) else None
        headers = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == f"[[{loc[0]}]]"]
        line = f"line {headers[loc[1]]}, " if loc[1] < len(headers) else ""
        where = f"{line}{loc[0]}[{loc[1] + 1}]" + (f" (name = {name!r})" if name else "") + \
            "".join(f".{p}" for p in loc[2:])
    got = error.get("input")
    shown = f" (got {got!r})" if isinstance(got, (str, int, float)) and len(loc) > 2 else ""
    msg = error["msg"].removeprefix("Value error, ")
    if loc:  # entries a message names ("feeds[2]") get their line: "line 7, feeds[2]"
        headers = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == f"[[{loc[0]}]]"]
        msg = re.sub(rf"\b{re.escape(str(loc[0]))}\[(\d+)\]",
                     lambda m: f"line {headers[int(m.group(1)) - 1]}, {m.group(0)}" if int(m.group(1)) <= len(headers)
                     else m.group(0), msg)
    return f"{where}: {msg}{shown}"


def load_feeds(path: Path) -> list[FeedSpec]:
    """Read the feed list; a bad file raises ConfigError naming the entry and field."""
    return load_toml_list(path, FeedList, "feeds_file").feeds
