"""Attack facts from an annotated Doc: the waves of an article assembled from the rule families.

Where each rule family lives:
  extractors/cues.py        shared sentence cues (period totals, past counts, non-events, time cues)
  extractors/weapons.py     weapon phrases and counts: "29 missiles", "25 of the 29 missiles", "40 were shot down"
  extractors/clause_roles.py  the role of a count from its own clause: launched, intercepted, a hit, background
  extractors/weapon_entries.py  the mentions of one weapon merged into one entry
  extractors/casualties.py  "killing at least three people", "20 were injured", "no casualties"
  extractors/direction.py   "Russia fired", "Ukrainian drones", "Ukraine's air force"
  extractors/places.py      places where the attack landed, regions count
  extractors/detection.py   a specific recent strike, not a monthly total, anniversary, forecast or drill
  this module               build_attacks: mentions grouped into waves by direction, one Attack each
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc

from extractors import lexicon
from extractors.casualties import casualties
from extractors.cues import (DAMAGE_ONLY, DAMAGE_WORDS, HISTORY, NON_EVENT, PAST_COUNT, SentenceInfo, cue_sentences,
                             sentence_infos)
from extractors.detection import is_new_attack, may_report_attack
from extractors.direction import DYADS, document_direction, sentence_direction
from extractors.places import attack_places, in_name, place_of, regions_count
from extractors.types import Attack, Casualty, Evidence, Place, Weapon
from extractors import gazetteer
from extractors.weapon_entries import combine_weapons
from extractors.weapons import Mention, weapon_mentions

__all__ = ["build_attacks", "casualties", "in_name", "is_new_attack", "may_report_attack", "place_of",
           "sentence_infos", "weapon_mentions"]

# ---------------------------------------------------------------- assembling attacks

@dataclass
class Wave:
    attacker: str | None
    target: str | None
    mentions: list[Mention] = field(default_factory=list)
    sentences: set[int] = field(default_factory=set)


def build_attacks(doc: Doc, sents: list[SentenceInfo], mentions: list[Mention], hits: list[Casualty],
                  day=None) -> list[Attack]:
    """Group mentions into waves by direction; one Attack per wave."""
    attacker, target = document_direction(doc, sents, mentions)
    waves: dict[tuple, Wave] = {}
    main = Wave(attacker, target)
    waves[(attacker, target)] = main
    for m in mentions:
        a, t = attacker, target
        s_att, s_tgt = sentence_direction(doc, sents[m.sentence].span)
        side = m.side or (s_att if s_tgt and s_tgt != s_att else None)
        if side and side != attacker and side in DYADS:
            a, t = side, s_tgt if s_tgt and s_tgt != side else DYADS.get(side)
        wave = waves.setdefault((a, t), Wave(a, t))
        wave.mentions.append(m)
        if not m.decoy or lexicon.INTERCEPT_WORDS.search(sents[m.sentence].text):
            wave.sentences.add(m.sentence)
    busiest = max(waves.values(), key=lambda w: len([m for m in w.mentions if not m.decoy]))
    if busiest.mentions and not [m for m in main.mentions if not m.decoy]:
        main = busiest  # the direction the counted weapons flew is the article's main strike
    for c in hits:
        main.sentences.add(c.evidence.sentence)
    skip = cue_sentences(doc, NON_EVENT) | cue_sentences(doc, PAST_COUNT) | cue_sentences(doc, HISTORY)
    damage = cue_sentences(doc, DAMAGE_WORDS) | cue_sentences(doc, DAMAGE_ONLY)
    for info in sents:
        if info.total_context or info.index in skip:
            continue
        if info.attack_context or info.index in damage \
                or lexicon.SERVICE_CONTEXT.search(info.text) and lexicon.matching_keys(info.text, lexicon.SERVICE_WORDS):
            main.sentences.add(info.index)
    for info in sents:  # "...destroyed 19 drones:" / "8 – over the territory of Smolensk region," / "6 – over ..."
        if info.index - 1 in main.sentences and LIST_ITEM.match(info.text):
            main.sentences.add(info.index)
    attacks = []
    for wave in waves.values():
        weapons = combine_weapons(wave.mentions, headline=bool(sents) and is_headline(sents[0].text))
        if not weapons and wave is not main:
            continue
        attack = _attack(doc, sents, wave, weapons, hits if wave is main else [], day)
        # A wave is kept when something is known of it; the main wave also when only its sides are.
        if attack.weapons or attack.casualties or attack.locations or (wave is main and (wave.attacker or wave.target)):
            attacks.append(attack)
    return attacks


def is_headline(text: str) -> bool:
    """A first line that is a title, not the lead: no closing stop ("Russia fires 90 drones at Ukraine")."""
    return not text.rstrip().endswith((".", "!", "?", '"', "”", "’", "'", ":"))


# A line of a tally: "8 – over the territory of Smolensk region,", "• Kharkiv: 3 drones"
LIST_ITEM = re.compile(r"^\s*(?:\d[\d,]*\s*(?:[–—-]|:|drones?\b|missiles?\b|UAVs?\b)|[•·▪*–—-]\s)")


def _attack(doc: Doc, sents, wave: Wave, weapons: list[Mention], hits: list[Casualty], day) -> Attack:
    places = _dedupe(attack_places(doc, sents, wave.sentences, wave.target, wave.attacker))
    if wave.target is None:  # "Israeli jets struck a village in southern Lebanon": the places name the target
        countries = [p.country for p in places if p.country and p.country != wave.attacker]
        if countries:
            wave.target = max(set(countries), key=countries.count)
            places = [p for p in places if p.country in (None, wave.target) or p.admin_level == "sea"]
    context = " ".join(sents[i].text for i in sorted(wave.sentences))
    targets = tuple(lexicon.matching_keys(context, lexicon.TARGET_WORDS))
    services = tuple(k for k in lexicon.matching_keys(context, lexicon.SERVICE_WORDS)
                     if _service_disrupted(context, k))
    rc = regions_count([sents[i] for i in sorted(wave.sentences)] or sents)
    first = min(wave.sentences) if wave.sentences else 0
    span = sents[first].span if sents else doc[:]
    evidence = Evidence(first, span.start_char, span.end_char, "attack_sentence", 0.7)
    return Attack(
        attacker=wave.attacker, target_country=wave.target,
        weapons=tuple(_weapon(doc, m) for m in weapons), regions_count=rc[0] if rc else None,
        locations=tuple(places), casualties=tuple(_best_casualties(hits)), targets=targets,
        services_disrupted=services, day=day, evidence=evidence,
    )


def _service_disrupted(context: str, key: str) -> bool:
    for cue in lexicon.SERVICE_WORDS[key]:
        for m in re.finditer(re.escape(cue), context, re.IGNORECASE):
            window = context[max(0, m.start() - 80): m.end() + 80]
            if lexicon.SERVICE_CONTEXT.search(window):
                return True
    return False


def _best_casualties(hits: list[Casualty]) -> list[Casualty]:
    """The attack's killed and injured figures: the largest figure not tied to one place; differing
    figures for several places with no total stay unknown; "no casualties" holds only when no figure of
    either kind contradicts it (a city spared while another was hit)."""
    out = []
    positive = any(c.count for c in hits)
    for kind in ("killed", "injured"):
        same = [c for c in hits if c.kind == kind]
        if not same:
            continue
        children = any(c.children for c in same) or None
        counted = [c for c in same if c.count]
        general = [c for c in counted if c.place is None]
        local = {c.count for c in counted if c.place is not None}
        if general:
            best = max(general, key=lambda c: c.count or 0)
        elif len(local) == 1:
            best = max(counted, key=lambda c: c.count or 0)
        elif counted or positive:
            best = replace(same[0], count=None, qualifier=None)  # per-place figures only, or spared here
        else:
            best = max(same, key=lambda c: (c.count is not None, c.count or 0))
        out.append(replace(best, children=children))
    return out


def _dedupe(places: list[Place]) -> list[Place]:
    seen, out = set(), []
    for p in places:
        key = gazetteer.ascii_key(p.name)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _weapon(doc: Doc, m: Mention) -> Weapon:
    ev = Evidence(m.sentence, m.start, m.end, m.rule, 0.85 if m.rule == "part_of_whole" else 0.75)
    return Weapon(m.category, m.model, m.launched, m.launched_qualifier if m.launched is not None else None,
                  m.intercepted, ev)
