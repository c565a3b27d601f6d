"""Places of an attack: named places where it landed, folded and geocoded, and the regions count.

  place_of        a PLACE or REGION entity as a geocoded Place ("Kharkiv region", "Odessa" -> Odesa)
  attack_places   places in the attack sentences, not launch sites, not capitals speaking for a
                  government, in the target country
  regions_count   "targeting 12 regions", "nine regions were affected"
"""
from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc, Span

from extractors import gazetteer
from extractors.casualties import NUMWORD
from extractors.cues import PLACE_LABELS, SentenceInfo
from extractors.numbers import parse_number
from extractors.pipeline import PLACE_PREPS, ents_of, span_text
from extractors.types import Evidence, Place

FROM_PLACE = re.compile(r"\b(from|off|near the coast of|launched from|fired from)\s+(?:the\s+)?$|"
                        r"\bfrom\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+)?(?:ships?|submarines?|warships?|vessels?|aircraft|"
                        r"bombers|planes|jets)\s+(?:in|over|above|on)\s+(?:the\s+)?$|"
                        r"\b(?:north|south|east|west|northeast|northwest|southeast|southwest)\s+of\s+(?:the\s+)?$|"
                        # the launch site's own region: "from Cape Chauda (Crimea)", "from Chauda – the occupied Crimea"
                        r"\bfrom\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?\s*(?:\(|[–—]|\s-)\s*(?:the\s+)?(?:temporarily\s+)?"
                        r"(?:occupied\s+)?$",
                        re.IGNORECASE)
# "the Black Sea port of Constanta", "Black Sea Fleet", "Kyiv Independent": a place naming something else
PLACE_AS_MODIFIER = {"port", "ports", "coast", "fleet", "fleet's", "independent", "post", "times", "airlines",
                     "region's", "city's", "regime", "regional", "council", "administration"}

REGIONS_RE = re.compile(rf"\b{NUMWORD}\s+(?:\w+\s+)?(?:regions|oblasts|provinces)\b", re.IGNORECASE)


def regions_count(sents: list[SentenceInfo]) -> tuple[int, SentenceInfo, re.Match] | None:
    for info in sents:
        if not info.attack_context and "region" not in info.text.lower():
            continue
        for m in REGIONS_RE.finditer(info.text):
            value = parse_number(m.group(1))
            if value and value < 60 and not info.total_context:
                return value, info, m
    return None



DIRECTIONS = {"northern", "southern", "eastern", "western", "central", "north", "south", "east", "west",
              "frontline", "border", "occupied", "other", "several", "many", "neighbouring", "neighboring"}


def place_of(ent: Span, sentence: int) -> Place | None:
    """A PLACE or REGION entity as a geocoded Place, its name folded to today's spelling."""
    text = span_text(ent)
    if text.isupper() and len(text) > 3:
        text = text.title()  # a dateline: "KYIV, Ukraine -"
    if ent.label_ == "REGION" and ent.kb_id_:
        text = f"{text} {ent.kb_id_}"  # "Rostov" of "Rostov, Kursk and Belgorod oblasts"
    ev = Evidence(sentence, ent.start_char, ent.end_char, "gazetteer" if ent.label_ == "PLACE" else "region_pattern", 0.9)
    if ent.label_ == "REGION":
        stem = " ".join(text.split()[:-1]).replace(" - ", "-").replace(" -", "-")
        if gazetteer.country_of_name(stem) and stem not in gazetteer.CAPITALS or stem.lower() in DIRECTIONS:
            return None  # "Ukrainian regions", "Russian region": not a named region ("Kyiv region" is one)
        stem_name = gazetteer.fold_variant(stem)
        rec = gazetteer.lookup(stem)
        suffix = text.split()[-1].lower().rstrip("s")
        name = f"{stem_name} {'Oblast' if suffix == 'oblast' else suffix}"
        if rec:
            return Place(text, name, "region", rec.country, rec.latitude, rec.longitude, "region", ev)
        return Place(text, name, "region", None, None, None, "unknown", ev)
    rec = gazetteer.lookup(text)
    name = gazetteer.fold_variant(text)  # the spelling as written, folded; a renamed city keeps its name
    if rec is None:
        return Place(text, name, "unknown", None, None, None, "unknown", replace(ev, rule="preposition_cue", confidence=0.5))
    precision = {"city": "exact", "region": "region", "sea": "region"}.get(rec.admin_level, "unknown")
    return Place(text, name, rec.admin_level, rec.country, rec.latitude, rec.longitude, precision, ev)


NAME_PREFIX_OK = {"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central",
                  "Greater", "New", "Upper", "Lower", "Old", "Mayor", "Governor", "Kyiv", "Ukraine", "Ukraine's"}


def in_name(doc: Doc, ent: Span) -> bool:
    """A place that is part of a longer name: "Shakhtar Donetsk", "Dynamo Kyiv", "Black Sea Fleet"."""
    if ent.label_ != "PLACE":
        return False
    if ent.end < len(doc) and doc[ent.end].is_title and doc[ent.end].lower_ in PLACE_AS_MODIFIER:
        return True
    if ent.start == 0:
        return False
    prev = doc[ent.start - 1]
    return prev.is_title and prev.is_alpha and not prev.ent_type_ and not prev.is_sent_start \
        and prev.text not in NAME_PREFIX_OK


GOVERNMENT_VERBS = {
    "said", "says", "say", "claimed", "claims", "claim", "denied", "denies", "rejected", "rejects", "wants", "want",
    "would", "will", "has", "have", "had", "is", "was", "were", "must", "should", "can", "could", "cannot", "launched",
    "launches", "responded", "responds", "carried", "accused", "accuses", "announced", "announces", "insists",
    "insisted", "believes", "believed", "warned", "warns", "hopes", "hoped", "sees", "refused", "refuses", "agreed",
    "agrees", "demanded", "demands", "blamed", "blames", "signed", "sent", "sends", "considers", "urged", "urges",
    "described", "describes", "expects", "expected", "moves", "moved", "quit", "quits", "pulled", "promoted",
    "annexed", "kept", "keeps", "does", "did", "stepped", "argued", "continues", "continued", "called", "calls",
    "now", "also", "however", "repeatedly", "regime", "government", "authorities", "leadership", "officials",
    "independent", "post", "time", "times", "struck", "hit", "fired", "attacked", "pounded", "retaliated", "vowed",
    "confirmed", "reported", "wanted", "needs", "needed", "appears", "seems", "considered", "committed", "pledged",
}
# Words after "Kyiv's" that keep it a place: "Kyiv's Darnytskyi district", "Kyiv's mayor".
PLACE_PARTS = {"district", "districts", "region", "oblast", "mayor", "residents", "suburbs", "outskirts", "centre",
               "center", "airport", "streets", "metro", "city", "skyline", "governor", "military", "administration"}
# Words before a capital that make it the ground: "towards Moscow", "over Kyiv", "near Moscow" (the
# prepositions that cue a place, but "of": "the government of Kyiv").
PLACE_BEFORE = (PLACE_PREPS - {"of"}) | {"above"}
GOVERNMENT_BEFORE = {"by", "with", "against", "accused", "accusing", "providing", "supplying", "between", "blamed",
                     "urged", "told", "pressure", "aid", "support", "backed", "sanctions", "demands", "ties", "relations"}


def stands_for_government(doc: Doc, ent: Span) -> bool:
    """A capital standing for its government: "Moscow said", "Kyiv's demands", "pressure on Moscow",
    "talks between Kyiv and Moscow", "the Kremlin-backed", "the Kiev regime" - not a place."""
    if span_text(ent) not in gazetteer.CAPITALS:
        return False
    nxt = doc[ent.end] if ent.end < len(doc) else None
    if ent.start > 0 and doc[ent.start - 1].lower_ in PLACE_BEFORE and (nxt is None or nxt.lower_ not in ("'s", "’s")):
        return False  # "a drone flying towards Moscow was shot down", "explosions over Kyiv" (not "over Kyiv's ambitions")
    if nxt is not None:
        if nxt.lower_ in ("'s", "’s"):
            after = doc[ent.end + 1].lower_ if ent.end + 1 < len(doc) else ""
            return after not in PLACE_PARTS
        if nxt.lower_ in GOVERNMENT_VERBS:
            return True
        if nxt.text == "-" and ent.end + 1 < len(doc) and doc[ent.end + 1].lower_ in ("installed", "backed", "appointed",
                                                                                       "controlled", "led", "allied"):
            return True
        if nxt.text == "," and ent.end + 2 < len(doc) and doc[ent.end + 1].lower_ in ("however", "meanwhile", "too"):
            return True
    prev = doc[ent.start - 1] if ent.start > 0 else None
    if prev is not None:
        if prev.lower_ in GOVERNMENT_BEFORE:
            return True
        if prev.lower_ in ("on", "to", "for") and ent.start > 1 and doc[ent.start - 2].lower_ in GOVERNMENT_BEFORE:
            return True  # "pressure on Moscow", "aid to Kyiv", "support for Kyiv"
    pair = _capital_pair(doc, ent)
    return pair


def _capital_pair(doc: Doc, ent: Span) -> bool:
    """"Kyiv and Moscow", "Moscow and Kyiv": two governments named together."""
    if ent.end + 1 < len(doc) and doc[ent.end].lower_ == "and" and doc[ent.end + 1].text in gazetteer.CAPITALS:
        return True
    return ent.start > 1 and doc[ent.start - 1].lower_ == "and" and doc[ent.start - 2].text in gazetteer.CAPITALS


def is_dateline(doc: Doc, ent: Span) -> bool:
    """"KYIV, Ukraine —", "MOSCOW (Reuters) -", "Kyiv:": where the report was filed, not where the attack was."""
    if not doc[ent.start].is_sent_start and not (ent.start > 0 and doc[ent.start - 1].text in ("|", "—", "-", "–")):
        return False
    nxt = doc[ent.end].text if ent.end < len(doc) else ""
    return span_text(ent).isupper() or nxt in (":", "—", "–", "•", "(")


def attack_places(doc: Doc, sents: list[SentenceInfo], attack_sentences: set[int], target: str | None,
                  attacker: str | None = None) -> list[Place]:
    """Places named where the attack landed: in attack sentences, not launch sites, not the attacker's ground."""
    out: list[Place] = []
    for info in sents:
        if info.index not in attack_sentences:
            continue
        for ent in ents_of(info.span):
            if ent.label_ not in PLACE_LABELS:
                continue
            before = doc[max(info.span.start, ent.start - 7):ent.start].text
            if FROM_PLACE.search(before + " "):
                continue  # a launch site or a reference point: "from ships in the Black Sea", "south of Kyiv"
            if ent.end < len(doc) and doc[ent.end].lower_ in PLACE_AS_MODIFIER:
                continue
            place = place_of(ent, info.index)
            if place is None or stands_for_government(doc, ent) or in_name(doc, ent) or is_dateline(doc, ent):
                continue
            if place.country and place.admin_level != "sea" and place.name not in gazetteer.CONTESTED \
                    and target and place.country != target:
                continue  # the attacker's own ground (a launch site) or a third country (talks in Geneva)
            out.append(place)
    return out
