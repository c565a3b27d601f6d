"""Extraction on the seed article, evidence spans, and a user-supplied spaCy pipeline."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
import spacy

from extractors.extract import Extractor
from extractors.types import Document
from conftest import ROOT

SEED = (ROOT / "seeds" / "000_da25fd3c1cfd9d1c.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_facts():
    doc = Document(id="seed", text=SEED, published=datetime(2026, 2, 17, 9, tzinfo=timezone.utc))
    return next(Extractor().extract([doc]))


def test_seed_attack(seed_facts):
    assert seed_facts.is_new_attack_report
    (attack,) = seed_facts.attacks
    assert (attack.attacker, attack.target_country) == ("Russia", "Ukraine")
    weapons = {w.category: w for w in attack.weapons}
    assert (weapons["missile"].launched, weapons["missile"].intercepted) == (29, 25)
    assert (weapons["drone"].launched, weapons["drone"].launched_qualifier) == (400, "approx")
    assert attack.regions_count == 12
    assert [p.name for p in attack.locations] == ["Odesa"]  # written "Odessa"
    assert attack.children_among_casualties is True
    assert set(attack.services_disrupted) == {"electricity", "water", "heating"}
    assert {"energy", "residential", "railway"} <= set(attack.targets)


def test_seed_talks(seed_facts):
    talks = [d for d in seed_facts.diplomacy if d.venue == "Geneva"]
    assert talks and talks[0].kind == "peace_talks"
    heads = dict(talks[0].delegation_heads)
    assert heads == {"Ukraine": "Rustem Umerov", "Russia": "Vladimir Medinsky"}
    assert talks[0].duration_hours == 6
    assert {"trilateral", "bilateral"} <= set(talks[0].format)


def test_seed_entities_and_geocoding(seed_facts):
    assert {"Volodymyr Zelensky", "Rustem Umerov", "Vladimir Medinsky"} <= {p.name for p in seed_facts.persons}
    odesa = next(p for p in seed_facts.places if p.name == "Odesa")
    assert odesa.country == "Ukraine" and odesa.precision == "exact"
    assert 46 < odesa.latitude < 47 and 30 < odesa.longitude < 31


def test_every_fact_points_at_its_words(seed_facts):
    spans = [w.evidence for a in seed_facts.attacks for w in a.weapons]
    spans += [d.evidence for d in seed_facts.diplomacy] + [p.evidence for p in seed_facts.persons]
    for ev in spans:
        assert 0 <= ev.start < ev.end <= len(SEED) and ev.rule and 0 < ev.confidence <= 1
    quoted = {SEED[w.evidence.start:w.evidence.end] for a in seed_facts.attacks for w in a.weapons}
    assert "25 of the 29 missiles" in quoted


def test_not_an_attack_report():
    text = ("Ukraine's grain exports through Odesa ports rose to more than 4 million tonnes in October, "
            "almost a record, the ministry said. Railway operator Ukrzaliznytsia carried 30 percent more cargo.")
    facts = next(Extractor().extract([Document(id="n", text=text)]))
    assert not facts.is_new_attack_report and not facts.attacks


def test_named_pipeline_adds_statistical_ner(tmp_path):
    """A pipeline built and saved by the test: loadable by path, our rules still run on top."""
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    ner.add_label("PERSON")
    nlp.initialize()
    path = tmp_path / "tiny_pipeline"
    nlp.to_disk(path)
    extractor = Extractor(str(path))
    assert "ner" in extractor.nlp.pipe_names and "entity_ruler" in extractor.nlp.pipe_names
    facts = next(extractor.extract([Document(id="s", text=SEED)]))
    assert facts.is_new_attack_report and facts.attacks[0].regions_count == 12
