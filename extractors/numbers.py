"""Number and qualifier normalisation: pure functions over strings.

    parse_number("twenty-nine") == 29      parse_number("1,300") == 1300
    parse_number("dozens") is None         qualifier_of("more than") == "more_than"
"""
from __future__ import annotations

import re

UNITS = {
    "zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "both": 2, "pair": 2,
    "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALES = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1_000_000}
VAGUE = {"dozens", "hundreds", "thousands", "scores", "several", "many", "numerous", "some", "few", "multiple"}
NUMBER_WORDS = set(UNITS) | set(TENS) | set(SCALES) | {"and"}

# Longest phrases first; the value is the qualifier code of SCHEMA.md.
QUALIFIER_PHRASES = (
    ("more than", "more_than"), ("over", "more_than"), ("in excess of", "more_than"),
    ("upwards of", "more_than"), ("above", "more_than"),
    ("at least", "at_least"), ("a minimum of", "at_least"), ("no fewer than", "at_least"),
    ("no less than", "at_least"), ("least", "at_least"),
    ("up to", "up_to"), ("as many as", "up_to"), ("no more than", "up_to"), ("fewer than", "up_to"),
    ("less than", "up_to"), ("under", "up_to"),
    ("about", "approx"), ("around", "approx"), ("nearly", "approx"), ("almost", "approx"),
    ("approximately", "approx"), ("roughly", "approx"), ("some", "approx"), ("close to", "approx"),
    ("an estimated", "approx"), ("estimated", "approx"), ("just over", "more_than"),
    ("just under", "approx"), ("circa", "approx"), ("approx.", "approx"),
)
_QUALIFIER_RE = re.compile(
    r"(?:^|\s)(" + "|".join(re.escape(p) for p, _ in sorted(QUALIFIER_PHRASES, key=lambda x: -len(x[0]))) + r")\s*$",
    re.IGNORECASE,
)
_QUALIFIERS = dict(QUALIFIER_PHRASES)
_DIGITS = re.compile(r"^\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+$|^\d+$")


def parse_number(text: str) -> int | None:
    """Integer value of a numeral or English number words; None for vague amounts."""
    s = text.strip().lower().replace("\u2011", "-")
    if not s:
        return None
    if _DIGITS.match(s):
        return int(re.sub(r"\D", "", s))
    if re.fullmatch(r"\d+(?:\.\d+)?\s*(?:k|thousand)", s):
        return int(float(re.sub(r"[^\d.]", "", s)) * 1000)
    return _words_to_int(s)


def _words_to_int(s: str) -> int | None:
    words = [w for w in re.split(r"[\s-]+", s) if w]
    if not words or any(w in VAGUE for w in words) or any(w not in NUMBER_WORDS for w in words):
        return None
    if words in (["a"], ["an"], ["no"], ["and"]):
        return None
    total = current = 0
    seen = False
    for w in words:
        if w == "and":
            continue
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        else:
            current = max(current, 1) * SCALES[w]
            if SCALES[w] >= 1000:
                total, current = total + current, 0
        seen = True
    return total + current if seen else None


def qualifier_of(preceding: str) -> str:
    """Qualifier code for the words right before a number ("about" -> approx); exact otherwise."""
    m = _QUALIFIER_RE.search(preceding.strip())
    return _QUALIFIERS[m.group(1).lower()] if m else "exact"


def is_number_word(word: str) -> bool:
    return word.lower() in NUMBER_WORDS and word.lower() not in ("and", "a", "an", "no")
