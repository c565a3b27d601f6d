"""Weapon phrases (extractors/weapons.py): what is a weapon, a count, a single weapon, a headless count.

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


def test_counts_split_over_two_sentences():
    text = ("Russia launched 64 drones at Ukraine overnight, the air force said on Monday. "
            "Of these, 51 were shot down over the north and east.")
    assert counts(text) == {("drone", 64, 51)}


def test_single_weapon_is_the_whole_event():
    text = "A Russian guided bomb hit a supermarket in Kharkiv on Sunday afternoon, injuring nine people."
    assert counts(text) == {("glide_bomb", 1, None)}


def test_single_weapon_shot_down_counts_one_interception():
    text = "A Ukrainian drone was shot down over the Bryansk region late on Saturday, the governor said."
    assert counts(text) == {("drone", None, 1)}


def test_single_weapon_of_a_barrage_is_not_counted():
    text = ("Iran fired a barrage of ballistic missiles at Israel on Tuesday night. "
            "A missile hit a residential street in Haifa, wounding four people.")
    assert counts(text) == {("missile", None, None)}


def test_unmanned_surface_vehicles_are_drones():
    text = ("Russia's navy said it destroyed four unmanned surface vehicles heading for Novorossiysk early on "
            "Monday.")
    assert counts(text) == {("drone", None, 4)}


def test_anti_aircraft_missiles_are_the_defence_not_the_attack():
    text = ("Russia fired 11 cruise missiles at Ukraine overnight, and anti-aircraft missile units "
            "shot down nine of them, the air force said on Monday.")
    assert counts(text) == {("missile", 11, 9)}


def test_coordinated_kinds_before_one_noun_are_one_count():
    text = "Russia used more than 30 ballistic, cruise and anti-ship missiles in Monday's attack on Odesa, officials said."
    assert counts(text) == {("missile", 30, None)}


def test_the_weapons_were_all_destroyed_refers_to_the_last_count():
    text = ("Russia attacked Ukraine overnight with three Iskander missiles and 11 Geran drones, the air force "
            "said on Friday. The missiles struck a depot in Poltava and could not be shot down. "
            "The drones were all destroyed north of Kyiv.")
    assert counts(text) == {("missile", 3, 0), ("drone", 11, 11)}


def test_a_headless_count_after_several_kinds_is_nobodys():
    text = ("On Wednesday night Russia struck the south with Kh-101 cruise missiles and Geran drones, the general "
            "staff said. Twelve were downed.")
    assert all(c[2] is None for c in counts(text))


def test_a_maker_is_not_the_attacker():
    text = ("Ukraine said on Saturday that Russia had sent 30 attack drones overnight and that 24 "
            "Iranian-designed Geran drones sent by Russia were destroyed.")
    facts = facts_of(text)
    assert [(a.attacker, a.target_country) for a in facts.attacks] == [("Russia", "Ukraine")]
    assert counts(text) == {("drone", 30, 24)}


def test_some_of_them_intercepted_is_no_count():
    text = ("Hezbollah fired about 25 rockets at the Galilee on Monday evening, the army said, adding that "
            "some of the rockets were shot down and the rest hit empty fields.")
    assert counts(text) == {("rocket", 25, None)}


def test_a_projectile_takes_the_kind_of_weapon_the_article_is_about():
    text = ("Air defences failed to intercept a projectile from Yemen that landed in a park in Jaffa overnight, the "
            "army said on Saturday. The Houthis' missiles have targeted Israel for months, and more missiles are "
            "expected.")
    assert counts(text) == {("missile", 1, 0)}


def test_a_measure_is_not_a_count():
    text = "A Russian jet dropped a 500-kilogram guided bomb on a factory in Zaporizhzhia on Monday, officials said."
    assert counts(text) == {("glide_bomb", 1, None)}


def test_a_country_joined_to_a_participle_keeps_the_count():
    assert counts("Ukraine's air force said it shot down all 12 Russia-launched drones during the night "
                  "attack on Odesa.") == {("drone", 12, 12)}
    assert counts("Air defences destroyed 17 out of 20 Russia-launched drones over Kyiv overnight, officials "
                  "said.") == {("drone", 20, 17)}


def test_one_weapon_that_hit_is_not_the_count_of_a_larger_attack():
    text = "Russia launched 50 drones at Ukraine overnight, the air force reported. One drone hit a warehouse in Lviv."
    assert counts(text) == {("drone", 50, None)}
