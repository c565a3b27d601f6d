"""Gazetteer (extractors/gazetteer.py): spelling folding of places and people, public figures."""
from __future__ import annotations

from datetime import datetime, timezone

from extractors import gazetteer
from extractors.extract import shared_extractor
from extractors.types import Document


def test_transliteration_variants_fold_to_one_person():
    text = ("President Volodymyr Zelenskyy met Kyiv mayor Vitaliy Klychko on Monday. Zelenskiy later spoke "
            "with Foreign Minister Andrii Sybiga.")
    facts = next(shared_extractor().extract([Document(id="t", text=text, published=datetime(2026, 9, 1, tzinfo=timezone.utc))]))
    names = {p.name for p in facts.persons}
    assert {"Volodymyr Zelensky", "Vitali Klitschko", "Andrii Sybiha"} <= names
    assert not names & {"Volodymyr Zelenskyy", "Zelenskiy", "Vitaliy Klychko", "Andrii Sybiga"}


def test_person_name_folds_each_variant():
    assert gazetteer.person_name("Zelenskyy") == "Zelensky"
    assert gazetteer.person_name("Vitaliy Klychko") == "Vitali Klitschko"
    assert gazetteer.person_name("Jane Roe") == "Jane Roe"


def test_public_figures_by_surname_and_in_full():
    assert gazetteer.public_figure("Putin") == ("Vladimir Putin", "Russia")
    assert gazetteer.public_figure("Sybiga") == ("Andrii Sybiha", "Ukraine")
    assert gazetteer.public_figure("Anna Putin") is None  # another person with the same surname
    assert gazetteer.public_figure("Jane Roe") is None


def test_place_spellings_fold_to_todays_name():
    assert gazetteer.fold_variant("Odessa") == "Odesa"
    assert gazetteer.fold_variant("Khmelnitskyi") == "Khmelnytskyi"
    assert gazetteer.fold_variant("Haifa") == "Haifa"
