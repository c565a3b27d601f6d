"""Casualties of the reported attack: killed and injured counts, "no casualties", children.

  casualties   "killing at least three people", "20 were injured", "the death toll rose to 30",
               "no casualties" (0); the war's overall toll is not the attack's
"""
from __future__ import annotations

import re

from extractors.cues import DAMAGE_WORDS, TIMEISH, SentenceInfo
from extractors.numbers import parse_number, qualifier_of
from extractors.types import Casualty, Evidence

KILLED = r"(?:killed|killing|kills|kill|dead|died|deaths?|lives|fatalities|death toll)"
INJURED = r"(?:injured|injuring|injuries|wounded|wounding|wound|hurt|hospitali[sz]ed)"
PEOPLE = r"(?:people|persons|civilians|residents|children|others|men|women|of them|soldiers|workers|employees|more)?"
QUAL = r"(?:(?:at least|more than|over|about|around|nearly|almost|up to|some|least)\s+)?"
NUMWORD = r"(\d{1,3}(?:,\d{3})+|\d+|(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|" \
          r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen)" \
          r"(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine|hundred))*)"


KILLED_PASSIVE = r"(?:killed|dead|died|lost their lives|perished)"
INJURED_PASSIVE = r"(?:injured|wounded|hurt|hospitali[sz]ed|taken to hospital)"
NOT_AND = r"(?:(?!and\b|but\b)[\w-]+\s+)"


def _casualty_patterns(kind_words: str, passive: str) -> list[re.Pattern]:
    return [
        # "killing at least three people", "wounded 29"
        re.compile(rf"\b{kind_words}\s+{QUAL}{NUMWORD}\b(?!\s*(?:%|percent|km|kilomet|metres|meters|hours|minutes|times))",
                   re.IGNORECASE),
        # "30 people had been killed", "over 160 injured", "one crew member killed"
        re.compile(rf"(?<![Nn]o )\b{QUAL}{NUMWORD}\s+{NOT_AND}{{0,3}}?(?:were|was|have been|had been|are|got)?\s*{passive}\b",
                   re.IGNORECASE),
        # "the death toll, first put at 25, later rose to 30"
        re.compile(rf"\b(?:death toll|toll|number of (?:dead|injured|wounded))\s+(?:[\w,-]+\s+){{0,10}}?"
                   rf"(?:rose|risen|climbed|reached|stands at|stood at|increased|is|was|to|at)\s+(?:to\s+)?{QUAL}{NUMWORD}",
                   re.IGNORECASE),
        # "one killed and another injured"
        re.compile(rf"\b(?:and|while)\s+(another)\s+(?:\w+\s+)?{passive}\b", re.IGNORECASE),
    ]


CASUALTY_CUE = re.compile(r"kill|dead|die|death|injur|wound|hurt|casualt|toll|hospital|lives|victim|fatalit|perish",
                          re.IGNORECASE)
KILLED_RES = _casualty_patterns(KILLED, KILLED_PASSIVE)
INJURED_RES = _casualty_patterns(INJURED, INJURED_PASSIVE)
NO_CASUALTIES = re.compile(r"\b(no (?:casualties|victims)|no reports? of (?:casualties|injuries)|without (?:causing )?casualties)\b",
                           re.IGNORECASE)
NO_KILLED = re.compile(r"\b(nobody|no one|no-one) (?:was |were )?(?:killed|died)|\bno (?:deaths|fatalities|one died)\b",
                       re.IGNORECASE)
NO_INJURED = re.compile(r"\b(nobody|no one|no-one) (?:on the ground )?(?:was |were )?(?:injured|hurt|wounded)|"
                        r"\bno (?:injuries|one was hurt)\b", re.IGNORECASE)
WAR_TOLL = re.compile(r"\b(the (?:war|conflict|invasion|fighting) (?:has|had)|since the (?:war|conflict|invasion|start)|"
                      r"(?:in|throughout|during|of) the (?:war|conflict)\b|have died in|since (?:april|20\d\d))", re.IGNORECASE)
CHILDREN = re.compile(r"\b(child|children|kids?|teenagers?|boy|girl|infant|baby|minors?)\b", re.IGNORECASE)


def casualties(sents: list[SentenceInfo]) -> list[Casualty]:
    out: list[Casualty] = []
    for info in sents:
        if not CASUALTY_CUE.search(info.text):
            continue
        if (info.total_context and not TIMEISH.search(info.text)) or WAR_TOLL.search(info.text):
            continue
        for kind, patterns in (("killed", KILLED_RES), ("injured", INJURED_RES)):
            for pattern in patterns:
                for m in pattern.finditer(info.text):
                    value = 1 if m.group(1).lower() == "another" else parse_number(m.group(1))
                    if value is None or value > 100_000:
                        continue
                    if _is_year(m) or _toll_kind_mismatch(m.group(0), kind):
                        continue
                    qual = qualifier_of(info.text[: m.start(1)])
                    children = bool(CHILDREN.search(info.text)) or None
                    ev = Evidence(info.index, info.span.start_char + m.start(), info.span.start_char + m.end(),
                                  f"casualties_{kind}", 0.7)
                    out.append(Casualty(kind, value, qual, children, ev))
                    break
        if CHILDREN.search(info.text) and re.search(rf"{KILLED}|{INJURED}", info.text, re.IGNORECASE) \
                and info.attack_context | bool(DAMAGE_WORDS.search(info.text)):
            kind = "killed" if re.search(KILLED, info.text, re.IGNORECASE) else "injured"
            if not any(c.kind == kind and c.evidence.sentence == info.index for c in out):
                m = CHILDREN.search(info.text)
                ev = Evidence(info.index, info.span.start_char + m.start(), info.span.start_char + m.end(), "children", 0.6)
                out.append(Casualty(kind, None, None, True, ev))
        for pattern, kinds in ((NO_CASUALTIES, ("killed", "injured")), (NO_KILLED, ("killed",)), (NO_INJURED, ("injured",))):
            m = pattern.search(info.text)
            if m:
                ev = Evidence(info.index, info.span.start_char + m.start(), info.span.start_char + m.end(), "no_casualties", 0.8)
                out += [Casualty(kind, 0, "exact", None, ev) for kind in kinds]
    return out



def _is_year(m: re.Match) -> bool:
    raw = m.group(1)
    return raw.isdigit() and len(raw) == 4 and raw.startswith(("19", "20"))


def _toll_kind_mismatch(matched: str, kind: str) -> bool:
    low = matched.lower()
    return kind == "killed" and any(w in low for w in ("injur", "wound")) and "death" not in low

