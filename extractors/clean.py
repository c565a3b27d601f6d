"""HTML to main text with trafilatura: pure, bytes in, CleanDoc out."""
from __future__ import annotations

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
    language = doc.language or language_classifier(text, "")
    return CleanDoc(
        text=text, title=_blank_to_none(doc.title), date=_blank_to_none(doc.date),
        author=_blank_to_none(doc.author), sitename=_blank_to_none(doc.sitename),
        language=language, description=_blank_to_none(doc.description),
    )


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
