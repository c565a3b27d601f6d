"""HTML to main text with trafilatura: pure, bytes in, CleanDoc out."""
from __future__ import annotations

import re

import trafilatura
from trafilatura.utils import language_classifier

from extractors.types import CleanDoc

MIN_TEXT_CHARS = 80


class CleaningFailed(ValueError):
    """trafilatura kept no usable main text; the message says why."""


def clean_html(html: bytes | str, url: str | None = None) -> CleanDoc:
    """Main text and metadata of a page. Raises CleaningFailed when nothing usable is left.

    trafilatura receives the raw bytes so that it decodes them itself (declared charset,
    then detection). Comments are dropped: they are not the article.
    """
    if not html or not (html.strip() if isinstance(html, (bytes, str)) else html):
        raise CleaningFailed("empty page")
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True,
            deduplicate=False,
        )
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:
        raise CleaningFailed(f"trafilatura failed: {type(exc).__name__}: {exc}") from None
    text = (doc.text or "").strip() if doc is not None else ""
    if len(text) < MIN_TEXT_CHARS:
        raise CleaningFailed(f"no main text found ({len(text)} characters kept)")
    language = doc.language or _declared_language(html) or language_classifier(text[:2000], "")
    return CleanDoc(
        text=text, title=_blank_to_none(doc.title), date=_blank_to_none(doc.date),
        author=_blank_to_none(doc.author), sitename=_blank_to_none(doc.sitename),
        language=language, description=_blank_to_none(doc.description),
    )


_LANG = re.compile(rb"<html[^>]*\blang=[\"']?([a-zA-Z]{2,3})(?:[-_][a-zA-Z]+)?", re.IGNORECASE)


def _declared_language(html: bytes | str) -> str | None:
    """The page's own <html lang="..."> (cheaper and usually right); None when absent."""
    head = html[:4000] if isinstance(html, bytes) else html[:4000].encode("utf-8", "ignore")
    m = _LANG.search(head)
    return m.group(1).decode().lower() if m else None


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
