"""Casualties (extractors/casualties.py and the attack's figures in extractors/attacks.py).

Every sentence here is written for the test; none is taken from the evaluation sets.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from extractors.extract import shared_extractor
from extractors.types import Document, Facts

PUBLISHED = datetime(2026, 6, 3, 9, 0, tzinfo=timezone.utc)


def facts_of(text: str) -> Facts:
    return next(shared_extractor().extract([Document(id="t", text=text, published=PUBLISHED)]))


def figures(text: str) -> tuple[int | None, int | None]:
    facts = facts_of(text)
    assert facts.attacks, "no attack extracted"
    attack = facts.attacks[0]
    return attack.casualty("killed"), attack.casualty("injured")


def test_no_casualties_in_several_wordings():
    tail = " after Russian drones attacked the port of Reni overnight, the governor said."
    assert figures("Nothing was damaged and there were no casualties" + tail) == (0, 0)
    assert figures("There were no civilian casualties" + tail) == (0, 0)
    assert figures("Residents were not hurt" + tail) == (0, 0)
    assert figures("The ship's crew remained safe" + tail) == (0, 0)


def test_no_injuries_says_nothing_of_deaths():
    text = "Hezbollah fired 25 rockets at the Galilee on Monday evening; the army reported no injuries."
    assert figures(text) == (None, 0)


def test_one_named_person_counts_one():
    text = "A Russian glide bomb hit a bus depot in Sumy on Tuesday morning and a worker was injured, officials said."
    assert figures(text) == (None, 1)


def test_people_who_sought_medical_help_are_injured():
    text = ("After Tuesday's Russian missile strike on Sumy, 9 residents who sought medical help were counted, "
            "the regional head said.")
    assert figures(text) == (None, 9)


def test_the_death_toll_rose_to_n():
    text = ("A Russian missile hit an apartment block in Dnipro on Saturday. The death toll rose to 14 on Sunday, "
            "the regional governor said.")
    assert figures(text)[0] == 14


def test_fatalities_and_injuries_as_nouns():
    text = "Officials said Saturday's Israeli airstrike on the power station caused four fatalities and 33 injuries."
    assert figures(text) == (4, 33)


def test_per_city_figures_without_a_total_stay_unknown():
    text = ("A Russian missile barrage on Thursday killed at least seven people across Ukraine. In Dnipro, 41 people "
            "were wounded. Elsewhere the strikes wounded at least 18 people in two districts of Lviv.")
    assert figures(text) == (7, None)


def test_a_day_long_national_toll_is_not_the_attacks():
    text = ("Russia fired 38 missiles at Ukraine overnight, the air force said on Friday. Over the last 24 hours, "
            "nine people died and 60 were wounded in Russian attacks nationwide, officials said.")
    assert figures(text) == (None, None)


def test_the_campaigns_toll_is_not_the_attacks():
    text = ("Houthi rebels fired two missiles at a cargo ship in the Red Sea on Wednesday, the maritime agency said. "
            "The group's campaign against shipping, which has killed three seafarers, goes on.")
    assert figures(text) == (None, None)


def test_a_city_spared_does_not_zero_the_attack():
    text = ("Russian drones attacked Odesa overnight on Monday, injuring three people. In Reni the drones only "
            "damaged warehouses and there were no casualties.")
    assert figures(text) == (None, 3)


def test_casualties_of_an_earlier_strike_are_background():
    text = ("Russian drones struck Kharkiv overnight on Tuesday, injuring four people, the mayor said. "
            "Last week's missile strike on the city killed 12 people, and a strike on Odesa in March killed 20.")
    assert figures(text) == (None, 4)


@pytest.mark.parametrize("text, expected", [
    # a death toll is no count of injured
    ("A Russian missile hit an apartment block in Zaporizhzhia on Friday. The death toll rose to 12, officials said.",
     (12, None)),
    # a toll told at length, with a possessive in it
    ("A Russian missile strike on Dnipro overnight killed two people. The death toll from the strike on the city's "
     "central district on Tuesday night has since risen to nine people, the regional governor said.", (9, None)),
    # "the deaths of", and an aside between the figure and its verb
    ("Russia attacked Kharkiv with glide bombs on Monday. The strike resulted in the deaths of four people, and "
     "another 23, including three children, were injured.", (4, 23)),
    # "the killing of seven commanders" names an earlier event, not this attack's toll
    ("Militants fired 30 rockets at the Galilee on Friday night, causing no casualties. Tension is high after the "
     "killing of seven commanders in an airstrike on April 1.", (0, 0)),
    # no information is not zero
    ("Russia launched 40 drones at Sumy overnight, the air force said. There was no information about casualties.",
     (None, None)),
    # the figures of an earlier strike and of a campaign stay out
    ("Russia launched 30 drones at Odesa overnight, hitting warehouses. No one was hurt. Russia struck the same area a "
     "day prior, which had killed two people and injured five others.", (0, 0)),
    ("Israeli forces intercepted 20 rockets fired from Lebanon on Sunday evening, the army said. Israeli strikes across "
     "Lebanon since Sept. 23 have killed at least 1,200 people, the health ministry says.", (None, None)),
])
def test_the_attacks_own_figures(text, expected):
    assert figures(text) == expected
