"""Weapon counts (extractors/weapons.py): a count's role comes from its own clause.

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


def test_reduced_relative_launched_by_is_not_a_launch_count():
    text = ("Russia sent 40 drones against Ukraine overnight, the air force said on Tuesday. "
            "It said 33 Shahed drones launched by Russia were shot down over the centre of the country.")
    assert counts(text) == {("drone", 40, 33)}


def test_relative_clause_fired_at_a_city_is_a_part_of_the_national_tally():
    text = ("Ukraine's air force destroyed 52 drones overnight across the country, it said on Tuesday. "
            "All 12 drones fired at Kyiv were shot down, the city administration said.")
    assert counts(text) == {("drone", None, 52)}


def test_part_of_a_stated_total():
    text = "Air defences shot down 21 of the total 26 missiles that Russia fired at Ukraine overnight."
    assert counts(text) == {("missile", 26, 21)}
    text = "The air force said it destroyed 14 out of 17 drones launched overnight on Sunday."
    assert counts(text) == {("drone", 17, 14)}


def test_all_n_were_neutralised():
    text = "Ukraine's air force said all 18 Russian drones were neutralised overnight on Friday."
    assert counts(text) == {("drone", 18, 18)}


def test_counts_split_over_two_sentences():
    text = ("Russia launched 64 drones at Ukraine overnight, the air force said on Monday. "
            "Of these, 51 were shot down over the north and east.")
    assert counts(text) == {("drone", 64, 51)}


def test_coordinated_counts_share_their_verb():
    text = ("The air force said on Monday that Russia fired 12 missiles and 90 drones overnight, "
            "and that air defences downed 70 of the drones as well as both missiles.")
    assert counts(text) == {("missile", 12, 2), ("drone", 90, 70)}


def test_hits_are_not_launches():
    text = "Five drones struck the grain terminal in Izmail overnight on Monday, the regional governor said."
    assert counts(text) == {("drone", None, None)}


def test_hit_by_counts_hits_not_launches():
    text = "The bulk carrier was hit by three missiles off the coast on Tuesday, the maritime agency said."
    assert counts(text) == {("missile", None, None)}


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


def test_failed_interception_counts_zero():
    text = ("A ballistic missile launched from Yemen on Friday night could not be intercepted and fell "
            "near Tel Aviv, the army said.")
    assert counts(text) == {("missile", 1, 0)}


def test_one_missile_fired_then_shot_down():
    text = ("On Saturday night one surface-to-surface missile was fired from Yemen towards Israel, "
            "and it was shot down before it crossed the border, the army said.")
    assert counts(text) == {("missile", 1, 1)}


def test_comparison_with_an_earlier_attack_is_background():
    text = ("Russia launched 350 drones at Ukraine overnight on Wednesday, more than the 300 drones "
            "fired on the previous night, the air force said.")
    assert counts(text) == {("drone", 350, None)}


def test_previous_record_is_not_this_attacks_count():
    text = ("Russia launched 520 drones at Ukraine overnight, the air force said on Sunday. "
            "The previous record was 470 drones.")
    assert counts(text) == {("drone", 520, None)}


def test_per_region_tallies_without_a_total_leave_the_count_empty():
    text = ("Russia's defence ministry said air defences destroyed nine Ukrainian drones over the Kursk region "
            "overnight. Another two drones were destroyed over the Oryol region, it said on Thursday.")
    assert counts(text) == {("drone", None, None)}


def test_per_region_figures_beside_a_stated_total_are_parts():
    text = ("Russian air defences destroyed 40 Ukrainian drones overnight, the defence ministry said on Friday: "
            "17 drones over the Bryansk region, 13 drones over the Kursk region and ten drones over Crimea.")
    assert counts(text) == {("drone", None, 40)}


def test_unmanned_surface_vehicles_are_drones():
    text = ("The Black Sea Fleet destroyed four unmanned surface vehicles approaching Sevastopol early on "
            "Monday, the governor said.")
    assert counts(text) == {("drone", None, 4)}


def test_anti_aircraft_missiles_are_the_defence_not_the_attack():
    text = ("Russia fired 11 cruise missiles at Ukraine overnight, and anti-aircraft missile units "
            "shot down nine of them, the air force said on Monday.")
    assert counts(text) == {("missile", 11, 9)}


def test_relative_clause_of_a_weapon_is_not_its_verb():
    text = ("Early on Friday, three Hezbollah drones carrying explosives that had crossed into northern Israel "
            "were intercepted, the army said.")
    assert counts(text) == {("drone", None, 3)}


def test_a_list_after_a_relative_clause_shares_the_first_verb():
    text = ("The general said on Monday that his forces had intercepted the four Kinzhals launched from "
            "aircraft, seven Kalibr cruise missiles and two Iskanders.")
    assert ("missile", 4, 4) in counts(text)
    assert not {c for c in counts(text) if c[1] is not None and c[1] != 4}


def test_coordinated_kinds_before_one_noun_are_one_count():
    text = "The overnight barrage included more than 30 ballistic, cruise and guided missiles, officials said on Monday."
    assert counts(text) == {("missile", 30, None)}


def test_the_weapons_were_all_destroyed_refers_to_the_last_count():
    text = ("Russia launched three Kalibr missiles and 11 Shahed drones at Ukraine overnight, the air force said "
            "on Friday. The missiles hit port buildings in Odesa and could not be shot down. "
            "The drones were all destroyed over the central regions.")
    assert counts(text) == {("missile", 3, 0), ("drone", 11, 11)}


def test_a_headless_count_after_several_kinds_is_nobodys():
    text = ("On Wednesday night Russia struck the south with Kh-22 cruise missiles and Shahed drones, the general "
            "staff said. Twelve were intercepted.")
    assert all(c[2] is None for c in counts(text))


def test_a_maker_is_not_the_attacker():
    text = ("Russia fired 30 drones at Ukraine overnight, the air force said on Saturday. It said 24 "
            "Iranian-made Shahed drones launched by Russia were shot down.")
    facts = facts_of(text)
    assert [(a.attacker, a.target_country) for a in facts.attacks] == [("Russia", "Ukraine")]
    assert counts(text) == {("drone", 30, 24)}


def test_some_of_them_intercepted_is_no_count():
    text = ("About 25 rockets were fired from Lebanon at northern Israel on Monday evening, the army said. "
            "Some of the rockets were intercepted, while others fell in open areas.")
    assert counts(text) == {("rocket", 25, None)}


def test_drones_launched_from_somewhere_and_all_shot_down_count_as_launched_too():
    text = ("The army said on Sunday it had intercepted four drones over the Red Sea, launched from the east, "
            "before they reached the coast.")
    assert counts(text) == {("drone", 4, 4)}


def test_a_projectile_takes_the_kind_of_weapon_the_article_is_about():
    text = ("A projectile launched from Yemen overnight could not be intercepted and fell in Tel Aviv, the army "
            "said on Saturday. The Houthis have fired missiles and drones at Israel for months, and more missiles "
            "are expected.")
    assert counts(text) == {("missile", 1, 0)}


def test_the_most_recent_earlier_hit_is_background():
    text = ("The army said it intercepted a missile launched from Yemen on Friday night. Some missiles have got "
            "through in the past, the most recent being a rocket that hit a car park in May.")
    assert ("rocket", 1, None) not in counts(text)


def test_the_attacking_force_is_a_launch_count_but_hits_are_not():
    assert counts("Up to 45 drones attacked Odesa overnight, the regional governor said on Monday.") == {("drone", 45, None)}
    assert counts("Russian jets dropped six guided aerial bombs on Kharkiv on Tuesday, the governor said.") == \
        {("glide_bomb", 6, None)}


def test_a_measure_is_not_a_count():
    text = "A Russian jet dropped a 500-kilogram guided bomb on a factory in Zaporizhzhia on Monday, officials said."
    assert counts(text) == {("glide_bomb", 1, None)}
