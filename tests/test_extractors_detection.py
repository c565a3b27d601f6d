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
    text = ("Russian air defences destroyed a series of Ukrainian drones over the Kursk region, where Ukrainian "
            "troops crossed the border in August, officials said. The defence ministry said units downed 11 "
            "drones over the region.")
    assert facts_of(text).is_new_attack_report


def test_a_single_drone_shot_down_is_a_report():
    text = "A Ukrainian drone flying towards Moscow has been shot down, the city's mayor said."
    assert facts_of(text).is_new_attack_report


def test_a_sea_drone_attack_repelled_is_a_report():
    text = ("The fleet repelled an attack of sea drones on the bay at dawn. \u201cIn total, four objects have "
            "been destroyed,\u201d the governor wrote.")
    facts = facts_of(text)
    assert facts.is_new_attack_report
    assert [(w.category, w.intercepted) for w in facts.attacks[0].weapons] == [("drone", 4)]


def test_casualties_of_a_named_strike_make_a_report():
    text = ("The number of people injured in the Russian strike on Zaporizhzhia has risen to 14. "
            "One man died as a result of the strike, the regional head said.")
    assert facts_of(text).is_new_attack_report


def test_decoys_never_turn_a_report_into_a_non_report():
    text = ("Russia launched 540 Shahed and decoy drones at Ukraine overnight on Sunday, the air force said. "
            "Air defences shot down 260 drones, and 230 decoys were lost from radar.")
    facts = facts_of(text)
    assert facts.is_new_attack_report
    assert [(w.category, w.launched, w.intercepted) for w in facts.attacks[0].weapons] == [("drone", 540, 260)]


def test_weapons_production_is_not_a_report():
    text = ("Russia has sharply increased production of Shahed drones at a plant in Tatarstan, a report said on "
            "Monday. The plant now makes about 170 drones a day.")
    assert not facts_of(text).is_new_attack_report


def test_a_strike_on_a_weapons_plant_is_a_report():
    text = ("Russia's defence ministry said on Saturday that plants producing shells and drones in Ukraine "
            "were hit by long-range weapons overnight.")
    assert facts_of(text).is_new_attack_report


def test_a_market_story_about_strikes_is_not_a_report():
    text = ("Oil prices rose on Monday because of Ukrainian drone attacks on Russian refineries. "
            "Brent crude futures gained 40 cents to $71.20 per barrel in early trading.")
    assert not facts_of(text).is_new_attack_report


def test_a_monthly_total_is_not_a_report():
    text = ("In April, Russia launched more than 2,600 drones at Ukraine, the air force said in its monthly "
            "summary. About 2,100 of them were shot down during the month.")
    assert not facts_of(text).is_new_attack_report


def test_an_equipment_description_is_not_a_count():
    text = ("Germany has delivered a second air defence system to Ukraine. One battery has six launchers, "
            "each designed for four missiles.")
    assert not facts_of(text).is_new_attack_report
