"""Diplomacy (extractors/diplomacy.py): delegation heads as reports state them, venues, persons.

Every sentence here is written for the test; none is taken from the evaluation sets.
"""
from __future__ import annotations

from datetime import datetime, timezone

from extractors.extract import shared_extractor
from extractors.types import Document, Facts

PUBLISHED = datetime(2026, 9, 14, 9, 0, tzinfo=timezone.utc)


def facts_of(text: str) -> Facts:
    return next(shared_extractor().extract([Document(id="t", text=text, published=PUBLISHED)]))


def heads(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for d in facts_of(text).diplomacy:
        out.update(dict(d.delegation_heads))
    return out


def test_who_led_the_delegation():
    text = ("Talks resumed in Istanbul on Monday. Vladimir Medinsky, who led the Russian delegation, "
            "said the meeting lasted two hours.")
    assert heads(text) == {"Russia": "Vladimir Medinsky"}


def test_a_side_represented_by_one_envoy():
    text = ("The talks in Istanbul began on Tuesday. The US side was represented by special envoy Steve Witkoff, "
            "officials said.")
    assert heads(text) == {"United States": "Steve Witkoff"}


def test_a_side_represented_by_a_list_has_no_head():
    text = ("The talks in Istanbul began on Tuesday. Ukraine is represented by Rustem Umerov, Andriy Yermak "
            "and Kyrylo Budanov.")
    assert "Ukraine" not in heads(text)


def test_a_team_headed_by():
    text = "Ukraine's team, headed by Rustem Umerov, arrived in Geneva for the talks on Wednesday."
    assert heads(text) == {"Ukraine": "Rustem Umerov"}


def test_head_of_the_named_delegation():
    text = ("The head of the Ukrainian delegation, Rustem Umerov, said the talks in Istanbul on Friday "
            "were difficult.")
    assert heads(text) == {"Ukraine": "Rustem Umerov"}


def test_the_two_leaders_of_a_call_are_its_heads():
    text = "Trump and Putin spoke by phone for more than two hours on Monday, the Kremlin said."
    assert heads(text) == {"United States": "Donald Trump", "Russia": "Vladimir Putin"}


def test_a_planned_meeting_with_a_leader_names_no_heads():
    text = "Witkoff is due to fly to Moscow next week for a meeting with Putin, officials said."
    assert heads(text) == {}


def venues(text: str) -> set[str | None]:
    return {d.venue for d in facts_of(text).diplomacy}


def test_a_building_venue_stands_for_its_city():
    text = "Macron hosted Zelensky at the Elysee Palace on Friday for a summit on security guarantees."
    assert venues(text) == {"Paris"}


def test_a_building_speaking_is_not_a_venue():
    text = "According to the Kremlin, Putin and Trump spoke by phone for two hours on Tuesday."
    assert None in venues(text) and "Moscow" not in venues(text)


def test_travel_to_a_city_for_talks_names_the_venue():
    text = ("Turkish mediators arrived in Qatar on Sunday ahead of talks with Hamas. "
            "The Israeli team has flown to Doha as well.")
    assert venues(text) == {"Doha"}


def test_the_subject_of_talks_is_not_their_venue():
    text = "Sudan truce talks will resume in Jeddah on Thursday, mediators said."
    assert venues(text) == {"Jeddah"}


def test_a_cancelled_meeting_has_no_venue():
    text = "A meeting set for next week in Oslo was called off, the ministry said."
    assert "Oslo" not in venues(text)


def test_heads_of_a_movement_and_with_an_arabic_family_name():
    assert heads("A Hamas delegation, headed by Khalil al-Hayya, arrived in Cairo on Saturday for truce talks, "
                 "an official said.") == {"Hamas": "Khalil al-Hayya"}
    assert heads("The Hamas delegation is being headed by Khalil Al-Hayya, a senior official said, as talks "
                 "resumed in Doha.") == {"Hamas": "Khalil Al-Hayya"}


def test_a_head_announced_for_coming_talks():
    assert heads("Zelensky announced that Defence Minister Rustem Umerov will lead the Ukrainian delegation at "
                 "the talks in Istanbul on Monday.") == {"Ukraine": "Rustem Umerov"}


def test_a_past_round_keeps_its_head_and_the_current_talks_theirs():
    text = ("Delegations of Ukraine, Russia and the United States met in Abu Dhabi on Friday. The head of the "
            "Ukrainian delegation, Rustem Umerov, said the talks were constructive. During the negotiations in "
            "Istanbul in 2025, the Russian delegation was headed by Vladimir Medinsky.")
    events = {d.venue: d for d in facts_of(text).diplomacy}
    assert dict(events["Abu Dhabi"].delegation_heads) == {"Ukraine": "Rustem Umerov"}
    assert events["Abu Dhabi"].status == "held" and events["Istanbul"].status == "past"


def test_hours_of_talks():
    facts = facts_of("Delegations agreed on a prisoner exchange after more than eight hours of talks in Jeddah.")
    assert [d.duration_hours for d in facts.diplomacy] == [8.0]
