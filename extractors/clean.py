"""HTML to main text with trafilatura: pure, bytes in, CleanDoc out."""
from __future__ import annotations

import re

import trafilatura
from htmldate import find_date
from trafilatura.metadata import examine_meta, extract_meta_json, extract_sitename, extract_title
from trafilatura.settings import set_date_params
from trafilatura.utils import language_classifier, load_html

from extractors.types import CleanDoc

MIN_TEXT_CHARS = 80


class CleaningFailed(ValueError):
    """trafilatura kept no usable main text; the message says why."""


def clean_html(html: bytes | str, url: str | None = None, *, need_date: bool = True) -> CleanDoc:
    """Main text and metadata of a page. Raises CleaningFailed when nothing usable is left.

    trafilatura receives the raw bytes so that it decodes them itself (declared charset,
    then detection). Comments are dropped: they are not the article.

    The page is parsed once. Metadata comes from its meta tags and JSON-LD (trafilatura's own
    readers), the title and site name from the page when those are silent, and the date from
    htmldate's search only when `need_date` (a feed entry usually gives the date). Skipped:
    trafilatura's author heuristics and categories/tags, nearly half of its cleaning time.
    """
    if not html or not (html.strip() if isinstance(html, (bytes, str)) else html):
        raise CleaningFailed("empty page")
    try:
        tree = load_html(html)
        if tree is None:
            raise CleaningFailed("not an HTML document")
        meta = extract_meta_json(tree, examine_meta(tree))
        title = meta.title or extract_title(tree)
        sitename = meta.sitename or extract_sitename(tree)
        date = find_date(tree, **{**set_date_params(True), "url": url}) if need_date else None
        doc = trafilatura.bare_extraction(tree, url=url, with_metadata=False, include_comments=False,
                                          include_tables=True, deduplicate=False)
    except CleaningFailed:
        raise
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:
        raise CleaningFailed(f"trafilatura failed: {type(exc).__name__}: {exc}") from None
    text = (doc.text or "").strip() if doc is not None else ""
    if len(text) < MIN_TEXT_CHARS:
        raise CleaningFailed(f"no main text found ({len(text)} characters kept)")
    language = _declared_language(html) or language_classifier(text[:2000], "")
    return CleanDoc(
        text=text, title=_blank_to_none(title), date=_blank_to_none(date),
        author=_blank_to_none(meta.author), sitename=_blank_to_none(sitename),
        language=language, description=_blank_to_none(meta.description),
    )


_LANG = re.compile(rb"<html[^>]*\blang=[\"']?([a-zA-Z]{2,3})(?:[-_][a-zA-Z]+)?", re.IGNORECASE)


def _declared_language(html: bytes | str) -> str | None:
    """The page's own <html lang="..."> (cheaper and usually right); None when absent."""
    head = html[:4000] if isinstance(html, bytes) else html[:4000].encode("utf-8", "ignore")
    m = _LANG.search(head)
    return m.group(1).decode().lower() if m else None


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
