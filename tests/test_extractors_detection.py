"""Attack detection (extractors/detection.py): a specific recent strike, not background or a topic.

Every article here is written for the test; none is taken from the evaluation sets.
"""
from __future__ import annotations

from datetime import datetime, timezone

from extractors.extract import shared_extractor
from extractors.types import Document, Facts

PUBLISHED = datetime(2026, 5, 12, 9, 0, tzinfo=timezone.utc)


def facts_of(text: str) -> Facts:
    return next(shared_extractor().extract([Document(id="t", text=text, published=PUBLISHED)]))


def test_background_clause_in_the_lead_does_not_cancel_the_report():
    text = ("Russian air defences shot down Ukrainian drones over the Belgorod region, where border villages were "
            "shelled in April, officials said on Friday. The defence ministry said 14 drones were downed there.")
    assert facts_of(text).is_new_attack_report


def test_a_single_drone_shot_down_is_a_report():
    text = "Air defences shot down a Ukrainian drone approaching Kursk late on Sunday, the governor said."
    assert facts_of(text).is_new_attack_report


def test_a_sea_drone_attack_repelled_is_a_report():
    text = ("Sea drones approached the harbour of Novorossiysk before dawn. \u201cFour targets were "
            "destroyed,\u201d the mayor wrote.")
    facts = facts_of(text)
    assert facts.is_new_attack_report
    assert [(w.category, w.intercepted) for w in facts.attacks[0].weapons] == [("drone", 4)]


def test_casualties_of_a_named_strike_make_a_report():
    text = ("Fourteen people were injured when a Russian missile hit a factory in Poltava. One woman later died "
            "of her wounds, the regional head said.")
    assert facts_of(text).is_new_attack_report


def test_decoys_never_turn_a_report_into_a_non_report():
    text = ("Russia launched 540 Shahed and decoy drones at Ukraine overnight on Sunday, the air force said. "
            "Air defences shot down 260 drones, and 230 decoys were lost from radar.")
    facts = facts_of(text)
    assert facts.is_new_attack_report
    assert [(w.category, w.launched, w.intercepted) for w in facts.attacks[0].weapons] == [("drone", 540, 260)]


def test_weapons_production_is_not_a_report():
    text = ("A Russian factory has doubled its production of attack drones this year, a think tank said on "
            "Monday. It now turns out about 170 drones a day.")
    assert not facts_of(text).is_new_attack_report


def test_a_strike_on_a_weapons_plant_is_a_report():
    text = ("Russia said on Saturday its missiles hit two Ukrainian factories that build artillery shells "
            "overnight.")
    assert facts_of(text).is_new_attack_report


def test_a_market_story_about_strikes_is_not_a_report():
    text = ("Diesel prices in Europe climbed on Monday as traders weighed Ukraine's drone attacks on Russian "
            "refineries. Gasoil futures gained 2% per tonne in early trading.")
    assert not facts_of(text).is_new_attack_report


def test_a_monthly_total_is_not_a_report():
    text = ("In April, Russia launched more than 2,600 drones at Ukraine, the air force said in its monthly "
            "summary. About 2,100 of them were shot down during the month.")
    assert not facts_of(text).is_new_attack_report


def test_an_equipment_description_is_not_a_count():
    text = ("Norway has sent Ukraine two more air defence units. Each unit carries three launchers that hold "
            "six missiles apiece.")
    assert not facts_of(text).is_new_attack_report


def test_a_period_total_beside_the_nights_count_does_not_cancel_the_report():
    text = ("Russia launched a total of 120 drones and six missiles at Ukraine over the course of the night, the air "
            "force said. \"In October alone, Russia has launched more than 3,000 Shaheds and nearly 200 missiles at "
            "our cities,\" the president said.")
    facts = facts_of(text)
    assert facts.is_new_attack_report
    assert {(w.category, w.launched) for w in facts.attacks[0].weapons} == {("drone", 120), ("missile", 6)}
    text = ("Russia attacked Odesa overnight with 40 drones, the air force said. Over the past week, Russia has "
            "fired more than 1,100 drones and 40 missiles at Ukraine, Zelensky said.")
    facts = facts_of(text)
    assert facts.is_new_attack_report
    assert {(w.category, w.launched) for w in facts.attacks[0].weapons} == {("drone", 40)}
