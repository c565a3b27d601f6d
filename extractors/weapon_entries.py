"""Weapon entries of an attack: the mentions of one weapon merged into one entry.

  combine_weapons   one entry per (category, model): counts merged, a bare total dropped beside
                    per-model counts, per-place parts of a stated total and per-region tallies
                    without a total left uncounted
"""
from __future__ import annotations

from dataclasses import replace

from extractors.weapons import Mention, coarse



def combine_weapons(mentions: list[Mention], headline: bool = True) -> list[Mention]:
    """One entry per (category, model): counts merged; totals dropped beside per-model counts. The
    first sentence's figures go last when it is a headline (rounded, "up to"), first when it is the
    lead ("intercepted three rockets ... Later, two more")."""
    entries: list[Mention] = []
    subsets = _place_subsets(mentions)
    for m in sorted(mentions, key=lambda m: (headline and m.sentence == 0, m.start)):
        if m.decoy or m.generic_total:
            continue
        if id(m) in subsets:
            m = replace(m, launched=None, launched_qualifier=None, intercepted=None, model=None)
        if m.launched is None and m.intercepted is None and m.model is None:
            if not any(coarse(e.category) == coarse(m.category) for e in entries):
                entries.append(replace(m))  # "dozens of drones": the weapon is known, its count is not
            continue
        target = _compatible(entries, m)
        if target is None:
            if m.model is None and any(e.category == m.category and e.model is None
                                       and (e.launched or e.intercepted) for e in entries):
                continue  # another figure for the same weapons: a per-place subset or a restatement
            entries.append(replace(m))
            continue
        if _filled(m) > _filled(target):  # the fuller phrase is the better evidence
            target.start, target.end, target.sentence, target.rule = m.start, m.end, m.sentence, m.rule
        if target.model is None and m.model is not None:
            target.model = m.model
            if coarse(m.category) == coarse(target.category):
                target.category = m.category if m.category != "missile" else target.category
        if target.launched is None and m.launched is not None:
            target.launched, target.launched_qualifier = m.launched, m.launched_qualifier
        elif target.launched == m.launched and target.launched_qualifier == "exact":
            target.launched_qualifier = m.launched_qualifier  # headlines drop "about"; the body keeps it
        if target.intercepted is None and m.intercepted is not None:
            target.intercepted = m.intercepted
    for e in entries:
        if e.launched is None and e.intercepted and e.relative_launch and not any(
                o.launched for o in entries if coarse(o.category) == coarse(e.category)):
            e.launched, e.launched_qualifier = e.intercepted, "exact"  # no other launch count: these were all
    return _drop_totals(entries)


def _place_subsets(mentions: list[Mention]) -> set[int]:
    """Counts tied to one place that are not the attack's figure: parts of a stated total ("23
    drones were shot down ... all 10 fired at Kyiv"), or per-region tallies with no total ("15 over
    Kursk region, one over Bryansk region"), which are not added up."""
    out: set[int] = set()
    counted = [m for m in mentions if not m.decoy and not m.generic_total and (m.launched or m.intercepted is not None)]
    for m in counted:
        if m.place is None or m.role != "intercepted":
            continue
        same = [o for o in counted if coarse(o.category) == coarse(m.category) and o.role == m.role]
        general = [o for o in same if o.place is None]
        tallies = {(o.place, o.launched, o.intercepted) for o in same if o.place is not None}
        values = {(v[1], v[2]) for v in tallies}
        if general or (len(tallies) >= 2 and len(values) >= 2):
            out.add(id(m))
    return out


def _filled(m: Mention) -> int:
    return (m.launched is not None) + (m.intercepted is not None) + (m.model is not None)


def _compatible(entries: list[Mention], m: Mention) -> Mention | None:
    uncounted = [e for e in entries if e.launched is None and e.intercepted is None and e.model is None
                 and coarse(e.category) == coarse(m.category)]
    if uncounted:
        return uncounted[0]
    same = [e for e in entries if coarse(e.category) == coarse(m.category) and e.side == m.side
            or (coarse(e.category) == coarse(m.category) and (e.side is None or m.side is None))]
    exact = [e for e in same if e.model == m.model and (m.model is not None or e.category == m.category)]
    for e in exact:
        if _fits(e, m):
            return e
    if m.model is None:
        loose = [e for e in same if _fits(e, m)]
        return loose[0] if len(loose) == 1 else None
    generic = [e for e in same if e.model is None and _fits(e, m)]
    return generic[0] if len(generic) == 1 and len(same) == 1 else None


def _fits(e: Mention, m: Mention) -> bool:
    """Two mentions can be one entry: no conflicting counts."""
    if e.launched is not None and m.launched is not None and e.launched != m.launched:
        return False
    if e.intercepted is not None and m.intercepted is not None and e.intercepted != m.intercepted:
        return False
    if e.launched is not None and m.intercepted is not None and m.intercepted > e.launched:
        return False
    if m.launched is not None and e.intercepted is not None and e.intercepted > m.launched:
        return False
    return True


def _drop_totals(entries: list[Mention]) -> list[Mention]:
    out = []
    for e in entries:
        specific = [o for o in entries if o is not e and o.model is not None and coarse(o.category) == coarse(e.category)]
        if e.model is None and specific and e.intercepted is None and any(o.launched for o in specific):
            continue
        out.append(e)
    return out
