"""Attack detection: does the article report a specific, recent strike?

  may_report_attack   a cheap pre-check: any attack word, weapon word, model or interception verb
  is_new_attack       evidence for (counts, recent time cues, casualties, attack words in the
                      lead) against evidence against (anniversaries, totals, drills, sport)
"""
from __future__ import annotations

from spacy.tokens import Doc

from extractors import lexicon
from extractors.casualties import Casualty
from extractors.cues import (ATTACK_WORDS, HISTORY, NON_EVENT, PLACE_LABELS, SIDE_LABELS, WEAPON_WORDS,
                             SentenceInfo, pipeline_time)
from extractors.pipeline import all_ents, ents_of, text_of
from extractors.weapons import HEADLESS_CUE, Mention

def may_report_attack(doc: Doc) -> bool:
    """False when no attack word, weapon word, weapon model or interception verb occurs anywhere:
    such a document cannot score as a strike report, and the sentence-by-sentence pass is skipped."""
    text = text_of(doc)
    return bool(ATTACK_WORDS.search(text) or WEAPON_WORDS.search(text) or HEADLESS_CUE.search(text)
                or any(e.label_ == "MODEL" for e in all_ents(doc)))


def is_new_attack(doc: Doc, sents: list[SentenceInfo], mentions: list[Mention], hits: list[Casualty]) -> tuple[bool, float]:
    """Whether the article reports a specific recent strike, with a confidence.

    Evidence for: counted weapons in sentences that are not period totals, an attack verb with a
    recent time cue, casualties beside attack words, attack words in the lead. Evidence against:
    anniversaries, production, drills, sanctions or sport in the lead or in the counting sentences.
    """
    lead = {s.index for s in sents[:3]}
    negative = {s.index for s in sents if NON_EVENT.search(s.text)}
    strong = [m for m in mentions if not m.decoy and (m.launched or m.intercepted)
              and not sents[m.sentence].total_context and m.sentence not in negative]
    named = [s for s in sents[:3] if s.attack_context and s.index not in negative
             and any(t.lower_ in lexicon.WEAPON_HEADS or t.ent_type_ == "MODEL" for t in s.span)]
    timed_attack = [s for s in sents if s.attack_context and pipeline_time(s.text) and not s.total_context
                    and s.index not in negative and not HISTORY.search(s.text)]
    casualty_attack = [c for c in hits if c.count and sents[c.evidence.sentence].attack_context]
    lead_attack = [s for s in sents[:3] if s.attack_context and s.index not in negative
                   and any(e.label_ in SIDE_LABELS | PLACE_LABELS for e in ents_of(s.span))]
    totals = [m for m in mentions if sents[m.sentence].total_context]
    score = 0.0
    score += 0.5 if strong else 0.0
    score += 0.3 if timed_attack else 0.0
    score += 0.2 if casualty_attack else 0.0
    score += 0.2 if lead_attack else 0.0
    score += 0.2 if named and not strong else 0.0
    score -= 0.35 * len(lead & negative)
    score -= 0.35 * sum(1 for s in sents[:2] if s.total_context or HISTORY.search(s.text))
    if totals and len(totals) >= len(strong):
        score -= 0.4
    return score >= 0.5, max(0.0, min(1.0, score))

