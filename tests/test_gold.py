"""The project's own quality gate: hand-written cases in tests/gold/ with expected facts.

Each case is `NN-name.txt` (the article) and `NN-name.json` (publication date and the facts it
must yield, in the shape of the extraction contract). Keys a case leaves out are not scored for it.
Scores are precision/recall over sets of facts, pooled over the cases, and must stay above the
floors of the "gold" section of tests/quality_floors.json (changed only by a deliberate commit).
"""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timezone

import pytest

from conftest import ROOT
from extractors.extract import Extractor
from extractors.types import Document

GOLD = ROOT / "tests" / "gold"
CASES = sorted(p.stem for p in GOLD.glob("*.txt"))
FLOORS = json.loads((ROOT / "tests" / "quality_floors.json").read_text())["gold"]


def _fold(name: str) -> str:
    name = name.casefold().strip()
    for suffix in (" region", " oblast"):
        name = name.removesuffix(suffix)
    return name


def _coarse(category: str) -> str:
    return "missile" if "missile" in category else category


def _facts(doc: dict, with_model: bool = False) -> dict[str, set]:
    out: dict[str, set] = defaultdict(set)
    out["attack"] = {True} if doc.get("is_new_attack_report") else set()
    for n, attack in enumerate(doc.get("attacks") or []):
        out["direction"].add((attack.get("attacker"), attack.get("target_country")))
        for w in attack.get("weapons") or []:
            cat = _coarse(w["category"])
            out["weapon"].add(cat)
            if w.get("launched") is not None:
                out["launched"].add((cat, w["launched"]))
                out["qualifier"].add((cat, w["launched"], w.get("launched_qualifier") or "exact"))
            if w.get("intercepted") is not None:
                out["intercepted"].add((cat, w["intercepted"]))
        for key in ("killed", "injured", "regions_count"):
            if attack.get(key) is not None:
                out[key].add(attack[key])
        out["locations"] |= {_fold(p) for p in attack.get("locations") or []}
        out["targets"] |= set(attack.get("targets") or [])
        out["services"] |= set(attack.get("services_disrupted") or [])
    for d in doc.get("diplomacy") or []:
        out["kind"].add(d["kind"])
        if d.get("venue"):
            out["venue"].add(_fold(d["venue"]))
        out["heads"] |= {(c, p.split()[-1]) for c, p in (d.get("delegation_heads") or {}).items()}
    out["persons"] = {p.split()[-1] for p in doc.get("persons") or []}
    out["places"] = {_fold(p) for p in doc.get("places") or []}
    return out


def _scored_keys(expected: dict) -> set[str]:
    keys = {"attack", "launched", "intercepted", "qualifier", "direction", "weapon", "killed", "injured",
            "regions_count", "locations", "targets", "services", "kind", "venue", "heads"}
    attack_keys = {k for a in expected.get("attacks") or [] for k in a}
    if "locations" not in attack_keys and expected.get("attacks"):
        keys.discard("locations")
    for key, field in (("targets", "targets"), ("services", "services_disrupted"), ("killed", "killed"),
                       ("injured", "injured"), ("regions_count", "regions_count"), ("direction", "attacker")):
        if field not in attack_keys and expected.get("attacks"):
            keys.discard(key)
    if "persons" in expected:
        keys.add("persons")
    if "places" in expected:
        keys.add("places")
    return keys


@pytest.fixture(scope="module")
def results():
    docs, expected = [], {}
    for case in CASES:
        exp = json.loads((GOLD / f"{case}.json").read_text())
        published = datetime.fromisoformat(exp["published"]).replace(tzinfo=timezone.utc)
        docs.append(Document(id=case, text=(GOLD / f"{case}.txt").read_text(), published=published))
        expected[case] = exp
    predicted = {f.doc_id: f.to_contract() for f in Extractor().extract(docs)}
    return expected, predicted


def test_there_are_enough_cases_with_negatives():
    expected = [json.loads((GOLD / f"{c}.json").read_text()) for c in CASES]
    assert len(CASES) >= 30
    assert sum(not e["is_new_attack_report"] for e in expected) >= 10


def test_gold_scores_hold_their_floors(results):
    expected, predicted = results
    tp, fp, fn = defaultdict(int), defaultdict(int), defaultdict(int)
    misses = []
    for case, exp in expected.items():
        gold, pred = _facts(exp), _facts(predicted[case])
        for key in _scored_keys(exp):
            g, p = gold.get(key, set()), pred.get(key, set())
            tp[key] += len(g & p)
            fp[key] += len(p - g)
            fn[key] += len(g - p)
            if g != p:
                misses.append(f"{case} {key}: missing {sorted(map(str, g - p))} extra {sorted(map(str, p - g))}")
    scores = {}
    for key in tp.keys() | fp.keys() | fn.keys():
        p = tp[key] / (tp[key] + fp[key]) if tp[key] + fp[key] else 1.0
        r = tp[key] / (tp[key] + fn[key]) if tp[key] + fn[key] else 1.0
        scores[f"{key}_p"], scores[f"{key}_r"] = p, r
        scores[f"{key}_f1"] = 2 * p * r / (p + r) if p + r else 0.0
    report = "\n".join(misses)
    print(json.dumps({k: round(v, 3) for k, v in sorted(scores.items())}))
    below = {k: (round(scores.get(k, 0), 3), floor) for k, floor in FLOORS.items()
             if not k.startswith("_") and scores.get(k, 0) < floor}
    assert not below, f"below floor: {below}\n{report}"
