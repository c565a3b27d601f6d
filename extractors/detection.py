"""Attack detection: does the article report a specific, recent strike?

  may_report_attack   a cheap pre-check: any attack word, weapon word, model or interception verb
  is_new_attack       evidence for (counts, recent time cues, casualties, attack words in the
                      lead) against evidence against (anniversaries, totals, drills, sport)
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from extractors.casualties import Casualty
from extractors.cues import (ATTACK_WORDS, HISTORY, NON_EVENT, NON_EVENT_TOPIC, PLACE_LABELS, SIDE_LABELS,
                             WEAPON_WORDS, SentenceInfo, cue_sentences, period_total, pipeline_time)
from extractors.pipeline import all_ents, ents_of
from extractors.weapons import HEADLESS_CUE, Mention

def may_report_attack(doc: Doc) -> bool:
    """False when no attack word, weapon word, weapon model or interception verb occurs anywhere:
    such a document cannot score as a strike report, and the sentence-by-sentence pass is skipped."""
    return bool(cue_sentences(doc, ATTACK_WORDS) or cue_sentences(doc, WEAPON_WORDS) or cue_sentences(doc, HEADLESS_CUE)
                or any(e.label_ == "MODEL" for e in all_ents(doc)))


def is_new_attack(doc: Doc, sents: list[SentenceInfo], mentions: list[Mention], hits: list[Casualty]) -> tuple[bool, float]:
    """Whether the article reports a specific recent strike, with a confidence (threshold 0.5).

    Evidence for: counted weapons of this attack, an attack verb with a recent time cue, casualties
    beside attack words, attack words with a side or place in the lead. Evidence against:
    anniversaries, production, drills, sanctions or sport, and period totals or history, when they
    are what the lead's main clause is about (not a background clause: "where the border was shelled in spring").
    """
    weights = {"counts": 0.5, "timed": 0.3, "casualties": 0.3, "lead": 0.2, "named": 0.2,
               "negative_lead": -0.35, "total_lead": -0.35, "totals": -0.4}
    found = evidence(doc, sents, mentions, hits)
    score = sum(weights[k] * v for k, v in found.items())
    return score >= 0.5, max(0.0, min(1.0, score))


def evidence(doc: Doc, sents: list[SentenceInfo], mentions: list[Mention], hits: list[Casualty]) -> dict[str, int]:
    """The named pieces of evidence `is_new_attack` weighs, each a count or a 0/1 flag."""
    cues = _MainClauseCues(doc, sents)
    negative = {s.index for s in sents if cues.negative(s.index)}
    lead = sents[:3]
    strong = [m for m in mentions if not m.decoy and (m.launched or m.intercepted) and not m.role_default
              and not cues.period(m.sentence) and m.sentence not in negative]
    named = [s for s in lead if s.attack_context and s.index not in negative
             and any(m.sentence == s.index and not m.decoy for m in mentions)]
    timed = [s for s in sents if s.attack_context and pipeline_time(s.text) and s.index not in negative
             and not cues.period(s.index) and not cues.history(s.index)]
    casualty = [c for c in hits if c.count and sents[c.evidence.sentence].attack_context]
    lead_attack = [s for s in lead if s.attack_context and s.index not in negative
                   and any(e.label_ in SIDE_LABELS | PLACE_LABELS for e in ents_of(s.span))]
    totals = [m for m in mentions if (m.launched or m.intercepted or m.decoy) and cues.period(m.sentence)]
    return {
        "counts": int(bool(strong)), "timed": int(bool(timed)), "casualties": int(bool(casualty)),
        "lead": int(bool(lead_attack)), "named": int(bool(named) and not strong),
        "negative_lead": sum(1 for s in lead if s.index in negative),
        # a total or history in the lead counts against, unless a counted strike was told before it
        "total_lead": sum(1 for s in sents[:2] if s.attack_context and (cues.period(s.index) or cues.history(s.index))
                          and not any(m.sentence < s.index for m in strong)),
        # sentences, not weapons: one sentence of monthly totals by category does not outweigh the night's count
        "totals": int(bool(totals) and (len({m.sentence for m in totals}) > len({m.sentence for m in strong})
                                        or not strong or not timed)),
    }


class _MainClauseCues:
    """Cue searches on sentences' main clauses, skipped when the whole text has no such cue."""

    def __init__(self, doc: Doc, sents: list[SentenceInfo]):
        self.sents = sents
        self.mains: dict[int, str] = {}
        self.non_event, self.topic = cue_sentences(doc, NON_EVENT), cue_sentences(doc, NON_EVENT_TOPIC)
        self.histories = cue_sentences(doc, HISTORY)

    def main(self, i: int) -> str:
        if i not in self.mains:
            self.mains[i] = main_clause(self.sents[i].text)
        return self.mains[i]

    def negative(self, i: int) -> bool:
        if i not in self.non_event and i not in self.topic:
            return False
        main = self.main(i)
        return bool(NON_EVENT.search(main) or (NON_EVENT_TOPIC.search(main) and not ATTACK_WORDS.search(main)))

    def period(self, i: int) -> bool:
        return self.sents[i].total_context and period_total(self.main(i))

    def history(self, i: int) -> bool:
        return i in self.histories and bool(HISTORY.search(self.main(i)))


# Where a sentence's main clause ends: a relative or adverbial clause about something else
# ("..., where the border was shelled in spring", "after a drone factory was hit last year").
SUBORDINATE = re.compile(r",\s+(?:where|which|when|whose|who|as|since|after|following|amid)\b|"
                         r"\s(?:after|since|following|amid|ahead of|because of|because)\s", re.IGNORECASE)


def main_clause(text: str) -> str:
    """A sentence up to its first relative or adverbial clause."""
    cut = SUBORDINATE.search(text)
    return text[:cut.start()] if cut else text
