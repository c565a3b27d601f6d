"""Weapon entries (extractors/weapon_entries.py): mentions of one weapon merged, parts and per-region tallies.

Every sentence here is written for the test; none is taken from the evaluation sets.
"""
from __future__ import annotations

from datetime import datetime, timezone

from extractors.extract import shared_extractor
from extractors.types import Document, Facts

PUBLISHED = datetime(2026, 3, 4, 8, 0, tzinfo=timezone.utc)


def facts_of(text: str) -> Facts:
    return next(shared_extractor().extract([Document(id="t", text=text, published=PUBLISHED)]))


def counts(text: str) -> set[tuple[str, int | None, int | None]]:
    """(coarse category, launched, intercepted) of every weapon entry."""
    out = set()
    for attack in facts_of(text).attacks:
        for w in attack.weapons:
            category = "missile" if "missile" in w.category else w.category
            out.add((category, w.launched, w.intercepted))
    return out


def test_relative_clause_fired_at_a_city_is_a_part_of_the_national_tally():
    text = ("Ukraine's air force destroyed 52 drones overnight across the country, it said on Tuesday. "
            "All 12 drones fired at Kyiv were shot down, the city administration said.")
    assert counts(text) == {("drone", None, 52)}


def test_per_region_tallies_without_a_total_leave_the_count_empty():
    text = ("Russia's defence ministry said air defences destroyed nine Ukrainian drones over the Kursk region "
            "overnight. Another two drones were destroyed over the Oryol region, it said on Thursday.")
    assert counts(text) == {("drone", None, None)}


def test_per_region_figures_beside_a_stated_total_are_parts():
    text = ("Russian air defences destroyed 40 Ukrainian drones overnight, the defence ministry said on Friday: "
            "17 drones over the Bryansk region, 13 drones over the Kursk region and ten drones over Crimea.")
    assert counts(text) == {("drone", None, 40)}


def test_drones_launched_from_somewhere_and_all_shot_down_count_as_launched_too():
    text = ("The navy said on Sunday it had downed six drones over the gulf, fired from the north, before they "
            "reached the shore.")
    assert counts(text) == {("drone", 6, 6)}


def test_the_leads_figure_comes_before_later_parts_and_additions():
    # the lead (a sentence with its stop) is not a headline: its figure is the attack's
    assert counts("Russian air defences neutralized 112 of 128 Ukrainian drones overnight, the ministry said. "
                  "Some 74 were shot down by fire weapons, and 38 were suppressed by electronic warfare.") \
        == {("drone", 128, 112)}
    assert counts("The army said it intercepted three rockets fired from Lebanon on Sunday morning. Later in the "
                  "day, the army intercepted two more rockets.") == {("rocket", 3, 3)}


def test_a_headline_gives_way_to_the_body():
    assert counts("Russia fires about 100 drones at Ukraine\nRussia launched 97 drones at Ukraine overnight, "
                  "the air force said; 80 were shot down.") == {("drone", 97, 80)}
