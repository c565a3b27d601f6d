"""Turn pipeline records (Article, Facts) into column-ready rows for the fact tables."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta, timezone
from typing import Any

from extractors.types import Article, Attack, Evidence, Facts, Place

Rows = dict[str, list[dict[str, Any]]]


def _span(ev: Evidence, text: str) -> dict[str, Any]:
    return {
        "sentence": ev.sentence, "span_start": ev.start, "span_end": ev.end,
        "rule": ev.rule, "confidence": ev.confidence,
    }


def _with_evidence(ev: Evidence, text: str) -> dict[str, Any]:
    return {**_span(ev, text), "evidence": text[ev.start:ev.end]}


def _utc(when: datetime | None) -> datetime | None:
    return when.astimezone(timezone.utc) if when is not None and when.tzinfo is not None else when


def _offset(when: datetime | None) -> int | None:
    """Minutes east of UTC of the source's own clock; None for UTC or no time."""
    offset = when.utcoffset() if when is not None else None
    return int(offset.total_seconds() // 60) if offset else None


def published_at(utc: datetime | None, offset_minutes: int | None) -> datetime | None:
    """A stored publication time back on the source's own clock."""
    if utc is None or not offset_minutes:
        return utc
    return utc.astimezone(timezone(timedelta(minutes=offset_minutes)))


def article_row(article: Article, facts: Facts | None, now: datetime, run_id: str) -> dict[str, Any]:
    return {
        "article_id": article.id, "source_id": article.source, "url": article.url,
        "title": article.title, "published": _utc(article.published), "published_offset": _offset(article.published),
        "author": article.author,
        "sitename": article.sitename, "language": article.language, "text": article.text,
        "content_hash": article.content_hash, "entry_hash": article.entry_hash,
        "origin": article.origin, "fallback_reason": article.fallback_reason,
        "is_attack_report": facts.is_new_attack_report if facts else None,
        "extractor": facts.extractor if facts else None,
        "first_seen": now, "updated_at": now, "run_id": run_id,
    }


def _place_row(article_id: str, attack_id: str | None, ordinal: int, p: Place, text: str) -> dict[str, Any]:
    return {
        "article_id": article_id, "attack_id": attack_id, "ordinal": ordinal, "text": p.text,
        "name": p.name, "admin_level": p.admin_level, "country": p.country,
        "latitude": p.latitude, "longitude": p.longitude, "precision": p.precision,
        **_span(p.evidence, text),
    }


def _attack_rows(article_id: str, ordinal: int, a: Attack, text: str, out: Rows) -> None:
    attack_id = f"{article_id}:a{ordinal}"
    out["attacks"].append({
        "attack_id": attack_id, "article_id": article_id, "ordinal": ordinal,
        "attacker": a.attacker, "target_country": a.target_country, "attack_date": a.day,
        "regions_count": a.regions_count, "killed": a.casualty("killed"),
        "injured": a.casualty("injured"), "children": a.children_among_casualties,
        "targets": list(a.targets), "services_disrupted": list(a.services_disrupted),
        **_with_evidence(a.evidence, text),
    })
    for i, w in enumerate(a.weapons):
        out["weapons"].append({
            "article_id": article_id, "attack_id": attack_id, "ordinal": i,
            "category": w.category, "model": w.model, "launched": w.launched,
            "launched_qualifier": w.launched_qualifier, "intercepted": w.intercepted,
            "intercepted_qualifier": w.intercepted_qualifier, **_with_evidence(w.evidence, text),
        })
    for i, c in enumerate(a.casualties):
        out["casualties"].append({
            "article_id": article_id, "attack_id": attack_id, "ordinal": i, "kind": c.kind,
            "count": c.count, "qualifier": c.qualifier, "children": c.children,
            **_with_evidence(c.evidence, text),
        })
    for i, p in enumerate(a.locations):
        out["locations"].append(_place_row(article_id, attack_id, i, p, text))


def fact_rows(article: Article, facts: Facts) -> Rows:
    """Rows for every fact table, each carrying its article id and evidence span."""
    out: Rows = defaultdict(list)
    text, aid = article.text, article.id
    for n, attack in enumerate(facts.attacks):
        _attack_rows(aid, n, attack, text, out)
    base = len(out["locations"])
    for i, p in enumerate(facts.places):
        out["locations"].append(_place_row(aid, None, base + i, p, text))
    for n, d in enumerate(facts.diplomacy):
        out["diplomacy"].append({
            "diplomacy_id": f"{aid}:d{n}", "article_id": aid, "ordinal": n, "kind": d.kind,
            "venue": d.venue, "parties": list(d.parties), "format": list(d.format),
            "delegation_heads": [{"key": c, "value": p} for c, p in d.delegation_heads], "duration_hours": d.duration_hours,
            "status": d.status, **_with_evidence(d.evidence, text),
        })
    mentions = [(e.kind, e.text, e.name, e.evidence) for e in facts.persons]
    mentions += [("place", p.text, p.name, p.evidence) for p in facts.places]
    for i, (kind, surface, name, ev) in enumerate(mentions):
        out["entities"].append({
            "article_id": aid, "ordinal": i, "kind": kind, "text": surface, "name": name,
            **_span(ev, text),
        })
    return out
