"""Typed records that flow through the pipeline: CleanDoc -> Document -> Facts.

Everything here is a frozen dataclass of plain values so that records can cross process and
thread boundaries, be compared in tests and be turned into rows by `storage/` without help.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

WEAPON_CATEGORIES = (
    "drone", "missile", "ballistic_missile", "cruise_missile", "glide_bomb", "rocket", "artillery",
)
QUALIFIERS = ("exact", "approx", "at_least", "more_than", "up_to")


@dataclass(frozen=True)
class CleanDoc:
    """What cleaning keeps of an HTML page: the main text and its metadata."""

    text: str
    title: str | None = None
    date: str | None = None
    author: str | None = None
    sitename: str | None = None
    language: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Document:
    """An article ready for extraction: identity, text and the publication date."""

    id: str
    text: str
    title: str | None = None
    published: datetime | None = None
    source_url: str | None = None
    language: str | None = None  # the page's declared or detected language: a hint; the text decides


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: sentence index and character span in the document text."""

    sentence: int
    start: int
    end: int
    rule: str
    confidence: float


@dataclass(frozen=True)
class Weapon:
    category: str
    model: str | None
    launched: int | None
    launched_qualifier: str | None
    intercepted: int | None
    evidence: Evidence
    intercepted_qualifier: str | None = None


@dataclass(frozen=True)
class Casualty:
    kind: str  # killed | injured
    count: int | None
    qualifier: str | None
    children: bool | None
    evidence: Evidence
    place: str | None = None  # the one place a figure is given for ("In Kharkiv, five were killed")


@dataclass(frozen=True)
class Place:
    """A place name as written, with its canonical form and where the gazetteer puts it."""

    text: str
    name: str
    admin_level: str  # city | region | country | facility | sea | unknown
    country: str | None
    latitude: float | None
    longitude: float | None
    precision: str  # exact | near | region | country | unknown (after ACLED's geo_precision)
    evidence: Evidence


@dataclass(frozen=True)
class Attack:
    """One strike wave: who hit whom with what, where, and with what consequences."""

    attacker: str | None
    target_country: str | None
    weapons: tuple[Weapon, ...]
    regions_count: int | None
    locations: tuple[Place, ...]
    casualties: tuple[Casualty, ...]
    targets: tuple[str, ...]
    services_disrupted: tuple[str, ...]
    day: date | None
    evidence: Evidence

    def casualty(self, kind: str) -> int | None:
        counts = [c.count for c in self.casualties if c.kind == kind and c.count is not None]
        return max(counts) if counts else None

    @property
    def children_among_casualties(self) -> bool | None:
        return True if any(c.children for c in self.casualties) else None


@dataclass(frozen=True)
class Diplomacy:
    kind: str  # peace_talks | meeting | call | summit | agreement
    venue: str | None
    parties: tuple[str, ...]
    format: tuple[str, ...]
    delegation_heads: tuple[tuple[str, str], ...]  # (country, person)
    duration_hours: float | None
    status: str | None  # held | ongoing | planned | past
    evidence: Evidence


@dataclass(frozen=True)
class Entity:
    kind: str  # person | place
    text: str
    name: str
    evidence: Evidence


@dataclass(frozen=True)
class Facts:
    """Everything extracted from one document."""

    doc_id: str
    is_new_attack_report: bool
    attacks: tuple[Attack, ...] = ()
    diplomacy: tuple[Diplomacy, ...] = ()
    persons: tuple[Entity, ...] = ()
    places: tuple[Place, ...] = ()
    extractor: str = ""
    attack_confidence: float = 0.0

    def to_contract(self) -> dict[str, Any]:
        """The JSON shape of `../shared/eval/SCHEMA.md`, with evidence as extra fields."""
        return {
            "id": self.doc_id,
            "is_new_attack_report": self.is_new_attack_report,
            "attack_confidence": round(self.attack_confidence, 3),
            "attacks": [_attack_json(a) for a in self.attacks],
            "diplomacy": [_diplomacy_json(d) for d in self.diplomacy],
            "persons": _unique(e.name for e in self.persons),
            "places": _unique(p.name for p in self.places),
            "extractor": self.extractor,
        }


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


def _evidence_json(ev: Evidence) -> dict[str, Any]:
    return asdict(ev)


def _attack_json(a: Attack) -> dict[str, Any]:
    return {
        "attacker": a.attacker,
        "target_country": a.target_country,
        "weapons": [
            {
                "category": w.category, "model": w.model,
                "launched": w.launched, "launched_qualifier": w.launched_qualifier,
                "intercepted": w.intercepted, "evidence": _evidence_json(w.evidence),
            }
            for w in a.weapons
        ],
        "regions_count": a.regions_count,
        "locations": _unique(p.name for p in a.locations),
        "killed": a.casualty("killed"),
        "injured": a.casualty("injured"),
        "children_among_casualties": a.children_among_casualties,
        "targets": list(a.targets),
        "services_disrupted": list(a.services_disrupted),
        "date": a.day.isoformat() if a.day else None,
        "evidence": _evidence_json(a.evidence),
    }


def _diplomacy_json(d: Diplomacy) -> dict[str, Any]:
    return {
        "kind": d.kind,
        "venue": d.venue,
        "parties": list(d.parties),
        "format": list(d.format),
        "delegation_heads": dict(d.delegation_heads),
        "duration_hours": d.duration_hours,
        "status": d.status,
        "evidence": _evidence_json(d.evidence),
    }


@dataclass(frozen=True)
class Article:
    """A cleaned article with its identity and provenance, as stored."""

    id: str
    source: str
    url: str | None
    title: str | None
    text: str
    content_hash: str
    origin: str  # page | feed | seed
    published: datetime | None = None
    author: str | None = None
    sitename: str | None = None
    language: str | None = None
    entry_hash: str | None = None
    fallback_reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def as_document(self) -> Document:
        return Document(id=self.id, text=self.text, title=self.title, published=self.published,
                        source_url=self.url, language=self.language)
