"""Language (extractors/language.py): only English is extracted; other languages say why they have no facts.

Every text here is written for the test; none is taken from the evaluation sets.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from extractors.extract import extractor_name, shared_extractor
from extractors.language import language_of
from extractors.types import Article, Document

PUBLISHED = datetime(2026, 10, 5, 9, 0, tzinfo=timezone.utc)

GERMAN = ("Der Ofen erreicht eine Temperatur von 800 Grad, sagte der Hersteller am Montag in Berlin. "
          "Die neue Anlage soll im Herbst in Betrieb gehen und 1.255 Grad aushalten.")


def test_a_german_page_gets_no_facts_and_says_why():
    facts = next(shared_extractor().extract([Document(id="de", text=GERMAN, published=PUBLISHED)]))
    assert not facts.is_new_attack_report
    assert (facts.attacks, facts.diplomacy, facts.persons, facts.places) == ((), (), (), ())
    assert facts.extractor == f"{extractor_name()} (language de: no rules)"


@pytest.mark.parametrize("text", [
    "Kyiv: 5 drones downed.",
    "Trump and Putin talk for more than an hour",
    "Air raid alert: Kyiv, Kharkiv, Odesa regions. Drones: 40. Missiles: 3. Shahed drones over Sumy.",
    "BREAKING: Explosions reported in Odesa, Mykolaiv and Kherson. Air defence active.",
    "Russia launched 40 drones at Ukraine overnight, the air force said on Monday.",
])
def test_short_english_texts_stay_english(text):
    assert language_of(text) == "en"


@pytest.mark.parametrize("text, code", [
    ("La Russie a lancé 40 drones sur Kiev dans la nuit, selon l'armée de l'air ukrainienne.", "fr"),
    ("Россия запустила 40 дронов по Украине ночью, сообщили воздушные силы страны.", "ru"),
    (GERMAN, "de"),
])
def test_other_languages_are_named(text, code):
    assert language_of(text) == code


def test_the_declared_language_decides_only_for_texts_too_short_to_judge():
    assert language_of("Kyiv: 5 drones downed.", hint="uk") == "uk"
    assert language_of("Russia launched 40 drones at Ukraine overnight, the air force said.", hint="uk") == "en"
    assert language_of(GERMAN, hint="en") == "de"


def test_an_article_passes_its_language_to_the_extractor():
    article = Article(id="a", source="s", url=None, title=None, text="Kyiv: 5 drones.", content_hash="h",
                      origin="seed", language="de-DE")
    assert article.as_document().language == "de-DE"
    facts = next(shared_extractor().extract([article.as_document()]))
    assert facts.extractor == f"{extractor_name()} (language de: no rules)"
