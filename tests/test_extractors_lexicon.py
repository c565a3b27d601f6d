"""Word families (extractors/lexicon.py): weapon models and target cues."""
from __future__ import annotations

from extractors import lexicon


def test_target_cues_begin_a_word():
    keys = lambda text: lexicon.matching_keys(text, lexicon.TARGET_WORDS)  # noqa: E731
    assert "shipping" not in keys("Officials reported that support for the airport's leadership was strong.")
    assert "shipping" not in keys("A portion of the region lost power.")
    assert "shipping" in keys("A drone hit a tanker moored in the port; two ships were damaged.")
    assert "energy" in keys("Strikes hit energy facilities and a substation.")  # a stem: "facilit" + "ies"
    assert "agriculture" in keys("Farmland and grain silos burned.")


def test_every_written_form_of_a_model_names_its_model_and_category():
    assert lexicon.WEAPON_MODELS["Shahed-136"] == ("Shahed", "drone")
    assert lexicon.WEAPON_MODELS["Kh-47M2"] == ("Kinzhal", "ballistic_missile")
    assert lexicon.WEAPON_MODELS["Onyx"] == ("Oniks", "cruise_missile")
    categories = {category for _, category in lexicon.WEAPON_MODELS.values()}
    assert categories <= set(lexicon.WEAPON_HEADS.values()) | {"cruise_missile", "ballistic_missile"}
