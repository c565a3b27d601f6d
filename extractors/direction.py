"""Direction of an attack: who struck whom.

  sentence_direction   "Russia fired", "Ukrainian drones", "by Russia", "on Ukraine", "Ukraine's air force"
  document_direction   the most-voted attacker and target over the attack sentences; the usual
                       opponent (DYADS) fills a side the text leaves unnamed
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from extractors import gazetteer
from extractors.cues import HISTORY, PAST_COUNT, SIDE_LABELS, SentenceInfo, cue_sentences
from extractors.pipeline import all_ents, ents_of, text_of
from extractors.weapons import Mention

# Which side an attacker usually strikes, used only when the text names no target.
DYADS = {"Russia": "Ukraine", "Ukraine": "Russia", "Hezbollah": "Israel", "Houthis": "Israel",
         "Hamas": "Israel", "Iran": "Israel", "RSF": "Sudan", "Islamic Jihad": "Israel"}


def sides_in(sent: Span) -> list[tuple[str, int, str]]:
    """(country, token index, label) for every country-like entity in a sentence."""
    out = []
    for ent in ents_of(sent):
        if ent.label_ in SIDE_LABELS or (ent.label_ == "PLACE" and ent.text in gazetteer.CAPITALS):
            country = gazetteer.country_of_name(ent.text)
            if country:
                out.append((country, ent.start, ent.label_))
    return out


ATTACKER_VERB = re.compile(r"^(?:'s\s+|’s\s+)?(?:forces?\s+|army\s+|military\s+|troops\s+)?(?:has\s+|have\s+|had\s+)?"
                           r"(launched|fired|attacked|struck|hit|shelled|bombed|sent|targeted|pounded|unleashed|"
                           r"carried out|conducted|used|hammered|again|overnight)", re.IGNORECASE)
DEFENDER_CUE = re.compile(r"^(?:'s|’s)\s+(air force|air defen[cs]es?)", re.IGNORECASE)


# "at northern Israel", "towards Saudi Arabia", "on the Kyiv region"
TARGET_BEFORE = re.compile(r"\b(on|against|at|across|into|in|over|towards?|attacked|struck|targeted|shelled|bombed|pounded|"
                           r"hit)\s*(?:the\s*)?(?:(?:northern|southern|eastern|western|central|north|south|east|west)\s*)?$")
SPOKESPERSON = re.compile(r"^\s*(?:military|army|defen[cs]e|government|forces?)?\s*(?:spokes(?:man|woman|person)|official|"
                          r"officials|sources?|statement|radio|said|says)\b", re.IGNORECASE)
TARGET_NOUN = re.compile(r"^\s*(?:[\w-]+\s+){0,2}?(?:ships?|vessels?|warships?|boats?|tankers?|frigates?|corvettes?|"
                         r"submarines?|positions|bases?|airfields?|depots?)\b", re.IGNORECASE)
FIGHTERS_FIRED = re.compile(r"^\s*(?:rebels?|militants?|fighters?|militias?|movement|group)\s+(?:have\s+|has\s+|had\s+)?"
                            r"(?:launched|fired|attacked|struck|targeted|shelled|sent)\b", re.IGNORECASE)
OWN_FORCES = re.compile(r"^\s*(?:said|says|claimed|reported|announced)\s+(?:that\s+)?(?:its|their)\s+(?:[\w-]+\s+){0,2}?"
                        r"(?:drones?|forces|troops|military|navy|missiles?|units?)\b", re.IGNORECASE)


def sentence_direction(doc: Doc, sent: Span) -> tuple[str | None, str | None]:
    """(attacker, target) named in one sentence, from verbs and possessives around country names."""
    attacker = target = agent = origin = None
    for country, i, label in sides_in(sent):
        ent_end = next((e.end for e in ents_of(sent) if e.start == i), i + 1)
        rest = doc[ent_end:min(sent.end, ent_end + 6)].text
        before = doc[max(sent.start, i - 3):i].text.lower()
        if DEFENDER_CUE.search(rest) or re.match(r"^\s*(air defen[cs]es?|air force)", rest, re.I):
            target = target or country
        elif SPOKESPERSON.match(rest):
            continue  # "an Israeli military spokesman said": who speaks, not who fired
        elif re.search(r"\bby\s*(?:the\s*)?$", before):
            agent = agent or country  # "launched from Yemen by the Houthis": the agent before the origin
        elif re.search(r"\bfrom\s*(?:the\s*)?$", before):
            origin = origin or country
        elif TARGET_BEFORE.search(before) and label != "DEMONYM":
            target = target or country
        elif label == "DEMONYM" and TARGET_NOUN.match(rest):
            target = target or country  # "sank two Russian landing ships"
        elif OWN_FORCES.match(rest) or label in ("DEMONYM", "ACTOR") and FIGHTERS_FIRED.match(rest):
            attacker = attacker or country  # "Ukraine said its sea drones struck ...", "Houthi rebels fired"
        elif DEFENDER_CUE.search(rest):
            target = target or country
        elif ATTACKER_VERB.search(rest) or (label in ("DEMONYM", "ACTOR") and re.match(
                r"^\s*(drones?|missiles?|rockets?|forces|strikes?|attacks?|troops|army|military|shelling|air strikes?|"
                r"airstrikes?|warplanes?|jets?|aircraft|planes?|bombers?|artillery|navy|shells|bombs?|raids?|attack drones)",
                rest, re.IGNORECASE)):
            attacker = attacker or country
    return agent or attacker or origin, target



ENEMY = re.compile(r"\b(?:the|an?) enemy\b", re.IGNORECASE)


def document_direction(doc: Doc, sents: list[SentenceInfo], mentions: list[Mention] = ()) -> tuple[str | None, str | None]:
    """Most-voted attacker and target over the attack sentences; dyads fill a missing side.

    A weapon's own side ("151 Ukrainian drones") counts twice: it is the most direct evidence.
    """
    att: dict[str, int] = {}
    tgt: dict[str, int] = {}
    for m in mentions:
        if m.side and not m.decoy:
            att[m.side] = att.get(m.side, 0) + 2
    counted = {m.sentence for m in mentions if not m.decoy}
    background = cue_sentences(doc, HISTORY) | cue_sentences(doc, PAST_COUNT)
    for info in sents:
        if not info.attack_context or info.index in background:
            continue
        weight = 2 if info.index in counted or info.index < 2 else 1
        a, t = sentence_direction(doc, info.span)
        if a:
            att[a] = att.get(a, 0) + weight
        if t:
            tgt[t] = tgt.get(t, 0) + weight
    attacker = max(att, key=att.get) if att else None
    target = max((t for t in tgt if t != attacker), key=tgt.get, default=None)
    if attacker in DYADS and DYADS[attacker] in _mentioned(doc) and tgt.get(target, 0) < 3:
        target = DYADS[attacker]  # the usual opponent, unless the text insists on another
    if attacker is None and target:
        attacker = next((a for a, t in DYADS.items() if t == target and a in _mentioned(doc)), None)
        usual = [a for a, t in DYADS.items() if t == target]
        if attacker is None and len(usual) == 1 and ENEMY.search(text_of(doc)):
            attacker = usual[0]  # "the enemy attacked Ukraine with 48 drones": an air force's word for its one opponent
    if target is None and attacker:
        target = DYADS.get(attacker)
    if attacker is None and target is None:
        named = _mentioned(doc)
        if "Russia" in named and "Ukraine" in named:
            attacker, target = "Russia", "Ukraine"
    return attacker, target


def _mentioned(doc: Doc) -> set[str]:
    return {gazetteer.country_of_name(e.text) for e in all_ents(doc) if e.label_ in SIDE_LABELS} - {None}

