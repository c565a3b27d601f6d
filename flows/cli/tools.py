"""`clean` and `extract`: the cleaner and the extractor on files, as the scorers call them."""
from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from flows.cli.app import ConfigOpt, app, err, settings_or_exit


@app.command()
def clean(
    files: Annotated[list[Path], typer.Argument(help="HTML files to clean.")],
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON line per file (path, text, metadata).")] = True,
) -> None:
    """Clean HTML files with trafilatura and print their main text and metadata."""
    from extractors.clean import CleaningFailed, clean_html

    for path in files:
        record = {"path": str(path), "text": None, "error": None}
        try:
            doc = clean_html(path.read_bytes())
            record.update(text=doc.text, title=doc.title, date=doc.date, author=doc.author,
                          sitename=doc.sitename, language=doc.language)
        except (CleaningFailed, OSError) as exc:
            record["error"] = str(exc)
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


@app.command()
def extract(
    source: Annotated[str, typer.Argument(help="JSON-lines file of {id, text, title, published, source_url, language}; - for stdin.")] = "-",
    jsonl: Annotated[bool, typer.Option("--jsonl", help="JSON lines in and out (the only format).")] = True,
    config: ConfigOpt = None,
) -> None:
    """Extract attack and diplomacy facts from JSON lines; prints one JSON line of facts per input."""
    settings = settings_or_exit(config)
    from extractors.extract import Extractor

    stream = sys.stdin if source == "-" else open(source, encoding="utf-8")
    docs, bad = [], []
    for n, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            docs.append(_document(json.loads(line), n))
        except (ValueError, TypeError) as exc:
            bad.append(f"line {n}: {exc}")
    for message in bad:
        err.print(f"[yellow]skipped {message}[/yellow]")
    extractor = Extractor(settings.spacy_model)
    for facts in extractor.extract(docs):
        sys.stdout.write(json.dumps(facts.to_contract(), ensure_ascii=False, default=str) + "\n")


def _document(obj: dict, n: int):
    from extractors.types import Document

    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise ValueError("expected an object with a string `text`")
    published = None
    if obj.get("published"):
        published = datetime.fromisoformat(str(obj["published"]))
    return Document(id=str(obj.get("id", n)), text=obj["text"], title=obj.get("title"),
                    published=published, source_url=obj.get("source_url"), language=obj.get("language"))
