"""Direction (extractors/direction.py): who struck whom, in both directions and other theatres.

Every sentence here is written for the test; none is taken from the evaluation sets.
"""
from __future__ import annotations

from datetime import datetime, timezone

from extractors.extract import shared_extractor
from extractors.types import Document, Facts

PUBLISHED = datetime(2026, 8, 20, 9, 0, tzinfo=timezone.utc)


def facts_of(text: str) -> Facts:
    return next(shared_extractor().extract([Document(id="t", text=text, published=PUBLISHED)]))


def sides(text: str) -> list[tuple[str | None, str | None]]:
    return [(a.attacker, a.target_country) for a in facts_of(text).attacks]


def test_a_russian_defence_ministry_tally_of_ukrainian_drones():
    text = ("Russia's defence ministry said air defences destroyed 27 Ukrainian drones overnight: 11 over the "
            "Tula region, nine over the Oryol region and seven over the Voronezh region.")
    facts = facts_of(text)
    assert sides(text) == [("Ukraine", "Russia")]
    attack = facts.attacks[0]
    assert [(w.category, w.intercepted) for w in attack.weapons] == [("drone", 27)]
    assert {p.name for p in attack.locations} == {"Tula region", "Oryol region", "Voronezh region"}


def test_a_sea_drone_attack_on_crimea_is_ukraine_against_russia():
    text = ("Ukrainian sea drones attacked the port of Sevastopol early on Sunday, and the fleet destroyed five "
            "of them, the Moscow-installed governor said.")
    facts = facts_of(text)
    assert sides(text) == [("Ukraine", "Russia")]
    assert "Sevastopol" in {p.name for p in facts.attacks[0].locations}


def test_hezbollah_rockets_at_israel():
    text = "Hezbollah fired 35 rockets at northern Israel on Saturday evening, and the army said 20 were intercepted."
    assert sides(text) == [("Hezbollah", "Israel")]


def test_houthi_missile_at_israel():
    text = "The Houthis launched a ballistic missile at Israel overnight, and the army said it was intercepted."
    assert sides(text) == [("Houthis", "Israel")]


def test_iranian_missiles_at_israel():
    text = "Iran fired about 180 ballistic missiles at Israel on Tuesday evening, killing one man in Ramla."
    assert sides(text) == [("Iran", "Israel")]


def test_an_israeli_strike_on_lebanon():
    text = "Israeli jets struck the village of Kfar Kila in southern Lebanon on Wednesday, killing three people."
    assert sides(text)[0] == ("Israel", "Lebanon")


def test_a_spokesman_of_the_defending_side_is_not_the_attacker():
    assert sides("Four rockets were fired from southern Lebanon at northern Israel on Thursday, an Israeli military "
                 "spokesman said. Two of them were intercepted.")[0] == (None, "Israel")


def test_towards_a_country_names_the_target_and_by_the_agent_beats_from():
    assert sides("The coalition said it intercepted a Houthi drone launched from Sanaa province towards Saudi "
                 "Arabia on Monday.")[0] == ("Houthis", "Saudi Arabia")
    assert sides("The army said it intercepted a missile launched from Yemen by the Houthis toward Israel "
                 "overnight.")[0] == ("Houthis", "Israel")


def test_its_own_sea_drones_and_the_ships_they_sank():
    assert sides("Ukraine said its sea drones struck and sank two Russian landing ships in a bay in Crimea "
                 "overnight.")[0] == ("Ukraine", "Russia")


def test_the_enemy_of_an_air_force_report_and_the_object_of_attacked():
    assert sides("Overnight, the enemy attacked Ukraine with 48 Shahed drones and two ballistic missiles. Air "
                 "defences shot down 40 drones.")[0] == ("Russia", "Ukraine")


def test_rebels_who_fired_are_the_attacker():
    assert sides("Houthi rebels fired a ballistic missile at Eilat on Saturday; the Israeli army said it was "
                 "intercepted.")[0] == ("Houthis", "Israel")
