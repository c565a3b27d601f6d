"""The seed corpus: every .txt, .md and .html file of a folder, with ids from the content.

Seeds are a dated backfill corpus. A seed's date comes from its front matter (a first block
between `---` lines holding `date: 2026-11-12`) or from a date in its file name
(`2026-11-12-geneva-talks.txt`); an HTML seed may also carry it in its page metadata. A date
without a time is taken at noon UTC, which is that same day on every calendar from UTC-11 to
UTC+11. An undated seed is stored and extracted but never dated "now".
"""
from __future__ import annotations

import re
from datetime import datetime, time, timezone
from pathlib import Path

from flows.records import SeedDoc
from flows.sources.ids import digest

SEED_SUFFIXES = (".txt", ".md", ".html", ".htm")
NAMED_DATE = re.compile(r"(?<!\d)(20\d\d-[01]\d-[0-3]\d)(?!\d)")
FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


def read_seeds(folder: Path) -> list[SeedDoc]:
    """Every .txt, .md and .html file under `folder`; ids come from the content."""
    if not folder.is_dir():
        return []
    docs = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SEED_SUFFIXES):
        body = path.read_bytes()
        named = seed_date(NAMED_DATE.search(path.stem).group(1)) if NAMED_DATE.search(path.stem) else None
        if path.suffix.lower() in (".html", ".htm"):
            docs.append(SeedDoc(path, "seed-" + digest(body.decode("utf-8", "replace")), "html", None, body, named))
        else:
            meta, raw = front_matter(body.decode("utf-8", "replace"))
            title, text = split_title(raw, markdown=path.suffix.lower() == ".md")
            published = seed_date(meta.get("date") or meta.get("published")) or named
            docs.append(SeedDoc(path, "seed-" + digest(title, text), "text", title, text.encode("utf-8"), published))
    return docs


def front_matter(raw: str) -> tuple[dict[str, str], str]:
    """`key: value` lines of a leading block between `---` lines, and the text after it."""
    match = FRONT_MATTER.match(raw)
    if not match:
        return {}, raw
    pairs = (line.split(":", 1) for line in match.group(1).splitlines() if ":" in line)
    return {k.strip().lower(): v.strip().strip("'\"") for k, v in pairs}, raw[match.end():]


def seed_date(value: str | None) -> datetime | None:
    """An ISO date or date-time; a bare date is noon UTC of that day. None when it does not parse."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if len(value.strip()) <= 10:  # a date alone
        return datetime.combine(parsed.date(), time(12), tzinfo=timezone.utc)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def split_title(raw: str, *, markdown: bool = False) -> tuple[str | None, str]:
    """First non-empty line is the title (without '#' for Markdown), the rest the body."""
    lines = raw.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return None, ""
    title = lines[0].strip()
    if markdown:
        title = title.lstrip("#").strip()
    return title or None, "\n".join(lines[1:]).strip()
