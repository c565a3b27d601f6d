"""Number words and qualifiers: pure normalisers, checked with Hypothesis."""
from __future__ import annotations

from hypothesis import given, strategies as st

from extractors.numbers import parse_number, qualifier_of

UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " \
        "sixteen seventeen eighteen nineteen".split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


def words(n: int) -> str:
    """Reference spelling of 0..999_999 in English words (written independently of the parser)."""
    if n < 20:
        return UNITS[n]
    if n < 100:
        return TENS[n // 10 - 2] + ("-" + UNITS[n % 10] if n % 10 else "")
    if n < 1000:
        return UNITS[n // 100] + " hundred" + (" and " + words(n % 100) if n % 100 else "")
    return words(n // 1000) + " thousand" + (" " + words(n % 1000) if n % 1000 else "")


@given(st.integers(min_value=0, max_value=999_999))
def test_words_round_trip(n):
    assert parse_number(words(n)) == n
    assert parse_number(words(n).capitalize()) == n


@given(st.integers(min_value=0, max_value=10**7))
def test_digits_with_and_without_separators(n):
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n


@given(st.text(max_size=30))
def test_never_raises(s):
    result = parse_number(s)
    assert result is None or result >= 0


def test_vague_amounts_stay_unquantified():
    for s in ("dozens", "hundreds", "several", "many", "scores"):
        assert parse_number(s) is None
    assert parse_number("a dozen") == 12


def test_qualifiers():
    cases = {"about": "approx", "nearly": "approx", "more than": "more_than", "over": "more_than",
             "at least": "at_least", "up to": "up_to", "Russia fired": "exact", "as many as": "up_to"}
    for text, code in cases.items():
        assert qualifier_of(f"Russia launched {text}") == code


@given(st.text(max_size=40))
def test_qualifier_is_always_a_code(s):
    assert qualifier_of(s) in {"exact", "approx", "at_least", "more_than", "up_to"}
