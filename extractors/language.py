"""The language of an article's text: only English has rules, so other languages get no facts.

    language_of("Russia launched 40 drones at Ukraine overnight.") == "en"
    language_of("Die Temperatur stieg auf 800 Grad.") == "de"

English is recognised by its function words first (cheap, and right on short texts, where a
statistical classifier guesses); py3langid (the classifier trafilatura uses) names any other language.
A page's declared language is only a hint for texts too short to judge.
"""
from __future__ import annotations

import functools
import re

RULES_LANGUAGES = frozenset({"en"})
# Function words that are English and not also common words of other European languages
# ("die", "was", "in", "an", "also", "war" are left out).
ENGLISH_WORDS = frozenset(
    "the of and to that for with said from by at it its has have had were which this been are their after who "
    "not but or will would they he she than into more about says is on".split()
)
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
SAMPLE_CHARS = 1200  # about 200 words: enough to tell, cheap to read
MIN_WORDS = 8  # fewer words than this say too little: the hint decides, else English
ENGLISH_SHARE = 0.12  # English news prose runs at 0.3-0.4; other languages near 0


def language_of(text: str, hint: str | None = None) -> str:
    """ISO 639-1 code of the text's language."""
    sample = text[:SAMPLE_CHARS].lower()
    words = sample.split()  # words with their punctuation: "said," is not counted, which the share allows for
    if len(words) < MIN_WORDS:
        return _code(hint) or "en"
    if sum(w in ENGLISH_WORDS for w in words) / len(words) >= ENGLISH_SHARE:
        return "en"
    letters = WORD.findall(sample)
    if len(letters) < MIN_WORDS:
        return _code(hint) or "en"  # numbers and symbols: nothing to judge
    return _classify(" ".join(letters)) or _code(hint) or "en"


def has_rules(language: str) -> bool:
    return language in RULES_LANGUAGES


def _code(hint: str | None) -> str | None:
    """"en-GB" -> "en"; None for a missing or malformed hint."""
    if not hint:
        return None
    code = hint.strip().lower().replace("_", "-").split("-")[0]
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


def _classify(text: str) -> str | None:
    return _classifier()(text)[0] if text else None


@functools.cache
def _classifier():
    import py3langid  # loaded on first use: most articles never need it

    return py3langid.classify
