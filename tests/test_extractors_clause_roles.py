"""Roles of counts (extractors/clause_roles.py): launched, intercepted, a hit or background, from the count's own clause.

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


def test_part_of_a_stated_total():
    text = "Air defences shot down 21 of the total 26 missiles that Russia fired at Ukraine overnight."
    assert counts(text) == {("missile", 26, 21)}
    text = "The air force said it destroyed 14 out of 17 drones launched overnight on Sunday."
    assert counts(text) == {("drone", 17, 14)}


def test_all_n_were_neutralised():
    text = "Ukraine's air force said all 18 Russian drones were neutralised overnight on Friday."
    assert counts(text) == {("drone", 18, 18)}


def test_coordinated_counts_share_their_verb():
    text = ("The air force said on Monday that Russia fired 12 missiles and 90 drones overnight, "
            "and that air defences downed 70 of the drones as well as both missiles.")
    assert counts(text) == {("missile", 12, 2), ("drone", 90, 70)}


def test_hits_are_not_launches():
    text = "Five drones struck the oil terminal in Tuapse overnight on Monday, the regional governor said."
    assert counts(text) == {("drone", None, None)}


def test_hit_by_counts_hits_not_launches():
    text = "The bulk carrier was hit by three missiles off the coast on Tuesday, the maritime agency said."
    assert counts(text) == {("missile", None, None)}


def test_failed_interception_counts_zero():
    text = ("On Friday night a ballistic missile fired from Yemen could not be intercepted and landed near "
            "Ashdod, the army said.")
    assert counts(text) == {("missile", 1, 0)}


def test_one_missile_fired_then_shot_down():
    text = ("Late on Monday one medium-range missile was fired from Iraq at Eilat, and it was shot "
            "down over the desert, the army said.")
    assert counts(text) == {("missile", 1, 1)}


def test_comparison_with_an_earlier_attack_is_background():
    text = ("Russia launched 350 drones at Ukraine overnight on Wednesday, more than the 300 drones "
            "fired on the previous night, the air force said.")
    assert counts(text) == {("drone", 350, None)}


def test_previous_record_is_not_this_attacks_count():
    text = ("Russia launched 520 drones at Ukraine overnight, the air force said on Sunday. "
            "The previous record was 470 drones.")
    assert counts(text) == {("drone", 520, None)}


def test_relative_clause_of_a_weapon_is_not_its_verb():
    text = ("On Friday morning, four drones loaded with explosives that had flown in from the sea were downed, "
            "the navy said.")
    assert counts(text) == {("drone", None, 4)}


def test_a_list_after_a_relative_clause_shares_the_first_verb():
    text = ("The air force said on Monday it had shot down the five Kh-101s fired from bombers, eight Geran "
            "drones and two Kalibr cruise missiles.")
    assert ("missile", 5, 5) in counts(text) and ("drone", None, 8) in counts(text)
    assert not {c for c in counts(text) if c[1] is not None and c[1] != 5}


def test_the_most_recent_earlier_hit_is_background():
    text = ("Air defences destroyed a missile fired at Haifa late on Sunday, the army said. Earlier attacks were "
            "less successful, the most recent being a rocket that hit a school in April.")
    assert ("rocket", 1, None) not in counts(text)


def test_the_attacking_force_is_a_launch_count_but_hits_are_not():
    assert counts("Up to 45 drones attacked Odesa overnight, the regional governor said on Monday.") == {("drone", 45, None)}
    assert counts("Russian jets dropped six guided aerial bombs on Kharkiv on Tuesday, the governor said.") == \
        {("glide_bomb", 6, None)}


def test_a_total_since_the_start_of_the_war_is_background():
    text = ("Russia launched 90 drones at Ukraine overnight on Thursday, the air force said. Russia has fired more "
            "than 30,000 drones since the start of the war.")
    assert counts(text) == {("drone", 90, None)}
    assert facts_of(text).is_new_attack_report


def test_all_of_which_and_which_were_shot_down():
    assert counts("Overnight, Russia attacked Kyiv with nine Shahed drones and two cruise missiles, all of which "
                  "were shot down, the military administration said.") == {("drone", 9, 9), ("missile", 2, 2)}
    # a relative clause belongs to the last count only
    assert counts("The overnight attack on Lviv included six Shahed drones and four cruise missiles which were "
                  "shot down by air defences, officials said.") == {("drone", 6, None), ("missile", 4, 4)}
    # ... and a negated one intercepts nothing
    assert counts("Russia fired 12 drones at Sumy overnight; ten were shot down. It was unclear what became of "
                  "the two drones that were not shot down.") == {("drone", 12, 10)}


def test_part_of_a_qualified_whole():
    assert counts("Air defence forces shot down 38 out of over 40 cruise missiles that Russia launched overnight, "
                  "the air force said.") == {("missile", 40, 38)}
