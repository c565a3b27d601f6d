"""Sentence cues (extractors/cues.py): which sentences carry a cue, found in one pass over the text."""
from __future__ import annotations

from extractors.cues import ATTACK_WORDS, PERIOD_TOTAL, cue_sentences, sentence_infos
from extractors.pipeline import build_nlp


def test_cue_sentences_are_the_sentences_where_the_pattern_matches():
    doc = build_nlp()("Prices rose in March. Russia ATTACKED Kyiv overnight. Talks resume on Friday.")
    assert cue_sentences(doc, ATTACK_WORDS) == {1}  # matched without regard to case
    assert cue_sentences(doc, PERIOD_TOTAL) == {0}


def test_sentence_infos_flag_period_totals_and_attack_words():
    doc = build_nlp()("In October, Russia launched 2,000 drones.\nNothing else happened.")
    infos = sentence_infos(doc)
    assert [(i.total_context, i.attack_context) for i in infos] == [(True, True), (False, False)]


def test_a_text_whose_length_changes_in_lower_case_is_searched_as_it_is():
    doc = build_nlp()("\u0130stanbul talks. Drones struck the port overnight.")  # "İ" lower-cases to two characters
    assert cue_sentences(doc, ATTACK_WORDS) == {1}
