"""Sentence cues shared by the attack rules: what kind of sentence a count or a verb stands in.

  SentenceInfo      a sentence with its text and two flags: a period total ("in October",
                    "since the start of the war") and an attack context ("struck", "shot down")
  PAST_COUNT        a figure of an earlier event ("the previous record was 355", "last year")
  NON_EVENT         anniversaries, production, drills, sanctions, sport, forecasts
  HISTORY, TIMEISH  references to past events; the recent time cues of a report
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from extractors import lexicon
from extractors.pipeline import TIME_CUES, lowered, sents_of, span_text, text_of

PLACE_LABELS = {"PLACE", "REGION"}
SIDE_LABELS = {"COUNTRY", "DEMONYM", "ACTOR"}
WEAPON_WORDS = re.compile(r"\b(" + "|".join(sorted(lexicon.WEAPON_HEADS) + ["unmanned", "uncrewed"]) + r")\b",
                          re.IGNORECASE)
# A count that belongs to an earlier event than the one reported ("the earlier record was 355").
PAST_COUNT = re.compile(r"\b(earlier record|previous record|the record (?:was|of)|reminiscent of|last (?:month|year|week)|"
                        r"(?:early|late|mid-?)\s*(?:january|february|march|april|may|june|july|august|september|"
                        r"october|november|december)|a year ago|since the start|in 20\d\d)\b", re.IGNORECASE)
PERIOD_TOTAL = re.compile(
    r"\b(in|during|throughout|over|for|since the (?:start|beginning) of|so far (?:in|this))\s+(?:the\s+)?"
    r"(?:(?:month|week|year) of\s+)?((?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december)(?!\s+\d{1,2}\b)|20\d\d|the (?:past|last) (?:month|week|year|\d+ (?:days|weeks|months))|"
    r"(?:this|last|the previous) (?:month|week|year)|the war|the full-scale invasion)\b|"
    r"\b(per (?:day|night|month|week)|a month|monthly|weekly|annual(?:ly)?|this year|last year|since 20\d\d|in 20\d\d|"
    r"since (?:february|the start)|record (?:month|year)|in total this|so far this)\b",
    re.IGNORECASE,
)
# "In October alone", "this week alone": searched only where "alone" occurs (a cheap test first).
PERIOD_ALONE = re.compile(r"\b(?:week|month|year|january|february|march|april|may|june|july|august|september|"
                          r"october|november|december|20\d\d) alone\b", re.IGNORECASE)


def period_total(text: str) -> bool:
    """A figure of a period, not of one attack: "in October", "so far this year", "this week alone"."""
    return bool(PERIOD_TOTAL.search(text) or ("alone" in text and PERIOD_ALONE.search(text)))


# What an article is about when it is not a strike report: memorials, drills, sanctions, forecasts,
# sport and culture.
NON_EVENT = re.compile(
    r"\b(anniversary|commemorat|memorial|remember|years? ago|(?:two|three|four|five|ten|\d+) years (?:on|after|since)|"
    r"exercise|drills?\b|war ?games|sanction|stockpile|forecast|could soon|expected to|would be able|"
    r"tournament|match(?:es)?\b|championship|football|film|documentary|oscar|award)\w*",
    re.IGNORECASE,
)
# Topics that are not a strike unless the same clause reports one: weapons production and markets
# ("a factory doubles its output of attack drones" is not a strike; "factories that build shells were hit" is).
NON_EVENT_TOPIC = re.compile(
    r"\b(produc(?:e|es|ed|ing|tion)\s+(?:of\s+)?(?:[\w-]+\s+){0,3}?(?:drones?|missiles?|shells?|weapons?|ammunition|"
    r"arms|shaheds?|rockets?|decoys?|bombs?)|(?:drones?|missiles?|shells?|weapons?|ammunition|arms|defen[cs]e)\s+"
    r"(?:production|output|manufactur\w*)|manufactur\w*|factory output|output of|"
    r"(?:oil |crude |gas )?prices?\b|futures\b|per barrel|trading\b|inflation)",
    re.IGNORECASE,
)
ATTACK_WORDS = re.compile(
    r"\b(attack(?:ed|s|ing)?|(?:air ?)?strike[sd]?|struck|striking|barrage|shell(?:ed|ing)|bomb(?:ed|ing|ardment)|"
    r"hit|hits|target(?:ed|ing)|launch(?:ed|es)|fire[sd]|dropped|pounded|raid|assault|explosions?|blasts?|shot down|"
    r"intercepted|downed|air defen[cs]es?)\b",
    re.IGNORECASE,
)
DAMAGE_WORDS = re.compile(r"\b(damag|destroy|hit|struck|fire broke|debris|killed|injur|wound|dead|died|deaths?\b|hurt|"
                          r"casualt|explosion|blast|attack|strike|shell|target|fell|impact|air defen[cs]es? (?:were|was) "
                          r"(?:in action|active|working))\w*", re.IGNORECASE)
HISTORY = re.compile(r"\b(since (?:sunday|monday|tuesday|wednesday|thursday|friday|saturday), when|years? ago|"
                     r"months? ago|in 20\d\d|last (?:year|month)|since (?:quitting|pulling|leaving|withdrawing|the collapse|"
                     r"the failure|the start|the beginning))\b", re.IGNORECASE)
DAMAGE_ONLY = re.compile(r"\b(were|was|been|got)\s+(?:\w+\s+)?(damaged|destroyed|hit|struck|killed|injured|wounded)\b|"
                         r"\b(deprived of|without (?:power|electricity|water|heat)|power outages?)\b", re.IGNORECASE)


@dataclass
class SentenceInfo:
    index: int
    span: Span
    text: str
    total_context: bool
    attack_context: bool


def sentence_infos(doc: Doc) -> list[SentenceInfo]:
    sents = sents_of(doc)
    totals, attacks = cue_sentences(doc, PERIOD_TOTAL), cue_sentences(doc, ATTACK_WORDS)
    if "alone" in text_of(doc):
        totals |= cue_sentences(doc, PERIOD_ALONE)
    return [SentenceInfo(n, sent, span_text(sent), n in totals, n in attacks) for n, sent in enumerate(sents)]


def cue_sentences(doc: Doc, pattern: re.Pattern) -> set[int]:
    """Indexes of the sentences where `pattern` matches, from one pass over the whole text (one
    search per sentence costs several times more); kept per document."""
    key = f"nw_cue_{id(pattern)}"
    cached = doc.user_data.get(key)
    if cached is None:
        sents = sents_of(doc)
        starts = [s.start_char for s in sents]
        text, pattern = _lowered(doc, pattern)
        cached = {bisect.bisect_right(starts, m.start()) - 1 for m in pattern.finditer(text)}
        if sents:  # a match that runs over a sentence's end counts for the sentence it starts in only
            cached = {n for n in cached if n >= 0}
        doc.user_data[key] = cached
    return cached


def _lowered(doc: Doc, pattern: re.Pattern) -> tuple[str, re.Pattern]:
    """The text in lower case and the pattern without IGNORECASE: the same matches, several times
    faster with Python's re. Falls back when lower-casing changes the text's length."""
    text = text_of(doc)
    if not pattern.flags & re.IGNORECASE:
        return text, pattern
    low = lowered(doc)
    return (low, _case_folded(pattern)) if len(low) == len(text) else (text, pattern)


@functools.lru_cache(maxsize=64)
def _case_folded(pattern: re.Pattern) -> re.Pattern:
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


TIMEISH = re.compile(r"\b(overnight|last night|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b", re.I)


def pipeline_time(text: str) -> bool:
    return bool(TIME_CUES.search(text))

