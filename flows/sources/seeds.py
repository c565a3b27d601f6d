"""The seed corpus: every .txt, .md and .html file of a folder, with ids from the content."""
from __future__ import annotations

from pathlib import Path

from flows.records import SeedDoc
from flows.sources.ids import digest

SEED_SUFFIXES = (".txt", ".md", ".html", ".htm")


def read_seeds(folder: Path) -> list[SeedDoc]:
    """Every .txt, .md and .html file under `folder`; ids come from the content."""
    if not folder.is_dir():
        return []
    docs = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SEED_SUFFIXES):
        body = path.read_bytes()
        if path.suffix.lower() in (".html", ".htm"):
            docs.append(SeedDoc(path, "seed-" + digest(body.decode("utf-8", "replace")), "html", None, body))
        else:
            title, text = split_title(body.decode("utf-8", "replace"), markdown=path.suffix.lower() == ".md")
            docs.append(SeedDoc(path, "seed-" + digest(title, text), "text", title, text.encode("utf-8")))
    return docs


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
