"""Casualties of the reported attack: killed and injured counts, "no casualties", children.

  casualties   "killing at least three people", "20 were injured", "the death toll rose to 30",
               "no casualties" (0); the war's overall toll is not the attack's
"""
from __future__ import annotations

import re

from extractors.cues import DAMAGE_WORDS, HISTORY, PAST_COUNT, TIMEISH, SentenceInfo, cue_sentences
from extractors.numbers import parse_number, qualifier_of
from extractors.pipeline import ents_of
from extractors.types import Casualty, Evidence

KILLED = r"(?:killed|killing|kills|kill|dead|died|deaths?|lives|fatalities|death toll)"
INJURED = r"(?:injured|injuring|injuries|wounded|wounding|wound|hurt|hospitali[sz]ed)"
PEOPLE = r"(?:people|persons|civilians|residents|children|others|men|women|of them|soldiers|workers|employees|more)?"
QUAL = r"(?:(?:at least|more than|over|about|around|nearly|almost|up to|some|least)\s+)?"
NUMWORD = r"(\d{1,3}(?:,\d{3})+|\d+|(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|" \
          r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen)" \
          r"(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine|hundred))*)"


KILLED_PASSIVE = r"(?:killed|dead|died|lost their lives|perished|fatalities|deaths)"
INJURED_PASSIVE = r"(?:injured|wounded|hurt|hospitali[sz]ed|taken to hospital|injuries)"
NOT_AND = r"(?:(?!and\b|but\b)[\w-]+\s+)"


def _casualty_patterns(kind_words: str, passive: str) -> list[re.Pattern]:
    return [
        # "killing at least three people", "wounded 29"
        re.compile(rf"\b{kind_words}\s+{QUAL}{NUMWORD}\b(?!\s*(?:%|percent|km|kilomet|metres|meters|hours|minutes|times))",
                   re.IGNORECASE),
        # "30 people had been killed", "over 160 injured", "one crew member killed"
        re.compile(rf"(?<![Nn]o )\b{QUAL}{NUMWORD}(?:,\s+including\s+[^,.;]{{1,40}},)?\s+{NOT_AND}{{0,3}}?(?:were|was|have been|had been|are|got)?\s*{passive}\b",
                   re.IGNORECASE),
        # "the death toll, first put at 25, later rose to 30"
        re.compile(rf"\b(?:death toll|toll|number of (?:dead|injured|wounded))\s+(?:[\w,'’-]+\s+){{0,16}}?"
                   rf"(?:rose|risen|climbed|reached|stands at|stood at|increased|is|was|to|at)\s+(?:to\s+)?{QUAL}{NUMWORD}",
                   re.IGNORECASE),
        # "one killed and another injured"
        re.compile(rf"\b(?:and|while)\s+(another)\s+(?:\w+\s+)?{passive}\b", re.IGNORECASE),
        # "a worker was injured", "the pilot was killed": one person
        re.compile(rf"{ONE_PERSON_PREFIX}(a|an|the|one)\s+(?:[\w-]+\s+){{0,2}}?{ONE_PERSON}\s+(?:\w+\s+){{0,3}}?"
                   rf"(?:was|has\s+been|had\s+been)\s+(?:\w+\s+)?{passive}\b", re.IGNORECASE),
    ]


ONE_PERSON_PREFIX = r"\b(?<!no )"
NEGATION_CUE = re.compile(r"\b(?:no|not|nobody|without|unharmed|safe)\b|no-one", re.IGNORECASE)
ONE_PERSON = (r"(?:man|woman|person|civilian|resident|driver|worker|employee|guard|child|boy|girl|teenager|"
              r"pensioner|farmer|soldier|operative|fighter|commander|officer|volunteer|paramedic|rescuer)")


ONE_PERSON_CUE = re.compile(rf"\b{ONE_PERSON}\b", re.IGNORECASE)
CASUALTY_CUE = re.compile(r"kill|dead|die|death|injur|wound|hurt|harm|safe|casualt|toll|hospital|lives|victim|fatalit|"
                          r"perish|medical",
                          re.IGNORECASE)
KILLED_RES = _casualty_patterns(KILLED, KILLED_PASSIVE) + [
    # "resulted in the deaths of seven people", "claimed the lives of 12" (not "the killing of seven
    # commanders", which names an event)
    re.compile(rf"\b(?:deaths|lives)\s+of\s+{QUAL}{NUMWORD}\b", re.IGNORECASE)]
INJURED_RES = _casualty_patterns(INJURED, INJURED_PASSIVE)
# "no damage or casualties", "no civilian casualties", "there were no casualties"
NO_CASUALTIES = re.compile(r"\b(no (?!(?:immediate |further )?(?:information|data|details|word|news|confirmation)\b)"
                           r"(?:[\w-]+ (?:or |and )?){0,2}?(?:casualties|victims)|no (?:immediate |initial |further )?"
                           r"reports? of (?:immediate |civilian )?(?:casualties|victims)|without (?:causing )?casualties|"
                           r"(?:people|civilians|residents|nobody|no one|crew|passengers)(?: \w+){0,2} (?:were|was) (?:not|un)"
                           r"(?:hurt|harmed)|(?:were|was) not (?:hurt|harmed)|no (?:[\w-]+ ){0,2}?(?:one|people|civilians|residents|"
                           r"crew|crew members|sailors|passengers) (?:was|were) (?:hurt|harmed)|unharmed|"
                           r"(?:crew|passengers|sailors|people|residents)(?: \w+){0,3} (?:stayed|remained|are|were|is|was)(?: \w+){0,2} safe)\b",
                           re.IGNORECASE)
NO_KILLED = re.compile(r"\b(nobody|no one|no-one) (?:was |were )?(?:killed|died)|\bno (?:deaths|fatalities|one died)\b",
                       re.IGNORECASE)
NO_INJURED = re.compile(r"\b(nobody|no one|no-one) (?:on the ground )?(?:was |were )?(?:injured|wounded)|"
                        r"\bno (?:[\w-]+ ){0,2}?(?:people|civilians|residents|crew|crew members|sailors|passengers) "
                        r"(?:was|were) (?:injured|wounded)|"
                        r"\bno (?:reported |immediate )?injuries|no reports? of injuries|no injuries were reported\b", re.IGNORECASE)
MEDICAL_HELP = re.compile(rf"\b{QUAL}{NUMWORD}\s+(?:people|persons|residents|civilians)?\s*(?:who\s+)?(?:sought|needed|received|"
                          rf"requested|asked for)\s+medical\s+(?:help|attention|care|assistance|aid)", re.IGNORECASE)
# A toll that is not this attack's: the war's, a campaign's, a day's nationwide count.
WAR_TOLL = re.compile(r"\b((?:the|its|their) (?:war|conflict|invasion|fighting|campaign),? (?:which )?(?:has|had)|"
                      r"(?:war|conflict|invasion|fighting|campaign)\b[^.;]{0,40}?\bwhich (?:has|have|had)\b|"
                      r"since the (?:war|conflict|invasion|start)|(?:in|throughout|during|of) the (?:war|conflict)\b|"
                      r"have died in|since (?:january|february|march|april|may|june|july|august|september|october|"
                      r"november|december|20\d\d|last)|since (?:jan|feb|mar|apr|aug|sept?|oct|nov|dec)\.? \d|"
                      r"(?:in|over|during) the (?:last|past) 24 hours|nationwide)",
                      re.IGNORECASE)
EARLIER_STRIKE = re.compile(r"\b(a day prior|the (?:day|night) before|(?:a|one) (?:year|month|week) earlier|"
                            r"earlier this (?:month|year)|(?:it|this) follows (?:an?|the) (?:[\w-]+ ){0,3}?(?:attack|strike|raid))\b",
                            re.IGNORECASE)
CHILDREN = re.compile(r"\b(child|children|kids?|teenagers?|boy|girl|infant|baby|minors?)\b", re.IGNORECASE)


def casualties(sents: list[SentenceInfo]) -> list[Casualty]:
    out: list[Casualty] = []
    doc = sents[0].span.doc if sents else None
    cued = cue_sentences(doc, CASUALTY_CUE) if doc is not None else set()
    past = cue_sentences(doc, PAST_COUNT) | cue_sentences(doc, HISTORY) if doc is not None else set()
    for info in sents:
        if info.index not in cued:
            continue
        earlier = info.total_context or info.index in past
        if (earlier and not TIMEISH.search(info.text)) or WAR_TOLL.search(info.text) or EARLIER_STRIKE.search(info.text):
            continue  # "Last week's strike on the city killed 12", "in March", the war's toll
        one_person = ONE_PERSON_CUE.search(info.text) is not None
        for kind, patterns in (("killed", KILLED_RES), ("injured", INJURED_RES)):
            for pattern in patterns:
                if pattern.pattern.startswith(ONE_PERSON_PREFIX) and not one_person:
                    continue  # the costly one-person pattern only where a person noun occurs
                for m in pattern.finditer(info.text):
                    raw = m.group(1).lower()
                    value = 1 if raw in ("another", "a", "an", "the") else parse_number(raw)
                    if value is None or value > 100_000:
                        continue
                    if _is_year(m) or _toll_kind_mismatch(m.group(0), kind):
                        continue
                    qual = qualifier_of(info.text[: m.start(1)])
                    children = bool(CHILDREN.search(info.text)) or None
                    ev = Evidence(info.index, info.span.start_char + m.start(), info.span.start_char + m.end(),
                                  f"casualties_{kind}", 0.7)
                    out.append(Casualty(kind, value, qual, children, ev, _place_of_figure(info, m.start(), m.end())))
                    break
        if CHILDREN.search(info.text) and re.search(rf"{KILLED}|{INJURED}", info.text, re.IGNORECASE) \
                and info.attack_context | bool(DAMAGE_WORDS.search(info.text)):
            kind = "killed" if re.search(KILLED, info.text, re.IGNORECASE) else "injured"
            if not any(c.kind == kind and c.evidence.sentence == info.index for c in out):
                m = CHILDREN.search(info.text)
                ev = Evidence(info.index, info.span.start_char + m.start(), info.span.start_char + m.end(), "children", 0.6)
                out.append(Casualty(kind, None, None, True, ev))
        medical = MEDICAL_HELP.search(info.text) if "medical" in info.text else None
        if medical and not any(c.kind == "injured" and c.evidence.sentence == info.index for c in out):
            value = parse_number(medical.group(1))
            if value:
                ev = Evidence(info.index, info.span.start_char + medical.start(), info.span.start_char + medical.end(),
                              "casualties_injured", 0.6)
                out.append(Casualty("injured", value, qualifier_of(info.text[:medical.start(1)]), None, ev))
        if not NEGATION_CUE.search(info.text):
            continue
        for pattern, kinds in ((NO_CASUALTIES, ("killed", "injured")), (NO_KILLED, ("killed",)), (NO_INJURED, ("injured",))):
            m = pattern.search(info.text)
            if m:
                ev = Evidence(info.index, info.span.start_char + m.start(), info.span.start_char + m.end(), "no_casualties", 0.8)
                out += [Casualty(kind, 0, "exact", None, ev) for kind in kinds]
    return out



def _place_of_figure(info: SentenceInfo, start: int, end: int) -> str | None:
    """The place a casualty figure is given for: "In Sumy, the strike killed two", "injured nine
    people in Dnipro", "Kherson was shelled too, where three were wounded"; None for the attack's own
    figure ("killed three people across the country")."""
    base = info.span.start_char
    places = [(e.start_char - base, e.end_char - base, e.text) for e in ents_of(info.span) if e.label_ in ("PLACE", "REGION")]
    if not places:
        return None
    text = info.text
    first = places[0]
    if re.match(r"^\s*(?:In|At|Near)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?$", text[:first[0]]) and "," in text[first[1]:start]:
        return first[2]  # fronted: "In the village of Sosnivka, two pensioners were hurt"
    for p_start, p_end, name in places:
        if end <= p_start <= end + 45 and re.search(r"\b(?:in|at|near)\b", text[end:p_start]) \
                and not re.search(r"\b(?:attack|strike|strikes|raid|shelling)\s+(?:on|in)\b", text[end:p_start]):
            return name  # "injured nine people in two districts of Dnipro"
        if p_end <= start and re.search(r",\s+where\b", text[p_end:start]):
            return name  # "Kherson was shelled too, where three were wounded"
    return None


def _is_year(m: re.Match) -> bool:
    raw = m.group(1)
    return raw.isdigit() and len(raw) == 4 and raw.startswith(("19", "20"))


def _toll_kind_mismatch(matched: str, kind: str) -> bool:
    """A toll of the other kind: "the number of injured rose to 40" is no death toll, and "the death
    toll rose to 12" no count of injured."""
    low = matched.lower()
    hurt = any(w in low for w in ("injur", "wound", "hurt"))
    if kind == "killed":
        return hurt and "death" not in low
    return "toll" in low and not hurt

