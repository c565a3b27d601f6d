"""Which reports are one strike (flows/alerts/clustering.py) and which events alert
(flows/alerts/rules.py): the decisions on their own, without a database."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from flows.alerts.clustering import Event, cluster, same_strike
from flows.alerts.rules import AlertRule, decide, load_rules, strongest_rule
from flows.records import Report

NOW = datetime(2026, 11, 25, 9, tzinfo=timezone.utc)
DAY = date(2026, 11, 25)
RULES = [AlertRule(name="drones-100", severity="warning", metric="drones", min=100),
         AlertRule(name="missiles-10", severity="warning", metric="missiles", min=10),
         AlertRule(name="killed-10", severity="critical", metric="killed", min=10)]


def report(aid: str, **kw) -> Report:
    base = dict(attack_id=aid, article_id=aid, source_id=f"outlet-{aid}", url=None, title=None,
                published=NOW - timedelta(hours=2), first_seen=NOW - timedelta(hours=1), attacker="Russia",
                target="Ukraine", day=DAY, places=frozenset({"Kharkiv"}), launched={"drone": 150})
    return Report(**{**base, **kw})


def event(*reports: Report) -> Event:
    return Event("ev-1", list(reports))


@pytest.mark.parametrize("other, same", [
    (report("b"), True),                                                        # same day, place and counts
    (report("b", day=DAY + timedelta(days=1)), True),                           # within the one-day window
    (report("b", day=DAY + timedelta(days=2)), False),                          # outside it
    (report("b", attacker="Ukraine", target="Russia"), False),                  # the other direction
    (report("b", attacker=None), True),                                         # a side missing agrees
    (report("b", places=frozenset({"Lviv"}), launched={"drone": 140}), True),   # other places, compatible counts
    (report("b", places=frozenset({"Kharkiv"}), launched={"drone": 40}), False),  # same place, conflicting counts
    (report("b", places=frozenset({"Lviv"}), launched={}), False),              # other places, nothing to compare
    (report("b", places=frozenset(), launched={}), True),                       # names no place, no conflict
])
def test_same_strike_decisions(other, same):
    assert same_strike(event(report("a")), other, window_days=1) is same


def test_cluster_groups_reports_and_keeps_the_earliest_day():
    events: list[Event] = []
    reports = [report("a", day=DAY), report("b", day=DAY - timedelta(days=1)),
               report("c", attacker="Ukraine", target="Russia", places=frozenset({"Kursk region"}))]
    touched = cluster(reports, events, window_days=1)
    assert len(events) == 2 and touched == {e.event_id for e in events}
    russian = next(e for e in events if e.attacker == "Russia")
    assert {r.attack_id for r in russian.reports} == {"a", "b"} and russian.day == DAY - timedelta(days=1)


def test_an_event_reports_its_conservative_and_highest_figures():
    e = event(report("a", launched={"drone": 150}, intercepted={"drone": 130}),
              report("b", launched={"drone": 155}, intercepted={"drone": 128}, killed=3))
    assert e.figures()["drone"] == {"launched_min": 150, "launched_max": 155, "intercepted_min": 128,
                                    "intercepted_max": 130, "launched_paired": 150, "intercepted_paired": 130}
    assert e.casualties("killed") == (3, 3) and e.sources == ["outlet-a", "outlet-b"]


def test_an_interception_pair_comes_from_one_report():
    """Report a: 121 shot down, no launch count; b: 100 launched, 90 shot down; c: 140 launched.
    The conservative figures (100 launched, 90 shot down) could come from different reports; the
    pair is b's alone, and a figure without its pair never makes a rate."""
    e = event(report("a", launched={}, intercepted={"drone": 121}),
              report("b", launched={"drone": 100}, intercepted={"drone": 90}), report("c", launched={"drone": 140}))
    drones = e.figures()["drone"]
    assert (drones["launched_min"], drones["intercepted_min"]) == (100, 90)
    assert (drones["launched_paired"], drones["intercepted_paired"]) == (100, 90)
    only_intercepts = event(report("a", launched={}, intercepted={"drone": 121})).figures()["drone"]
    assert only_intercepts["launched_paired"] is None and only_intercepts["intercepted_paired"] is None


def test_the_strongest_rule_is_the_most_severe_then_the_highest_threshold():
    assert strongest_rule(event(report("a", launched={"drone": 150, "missile": 12})), RULES).name == "drones-100"
    assert strongest_rule(event(report("a", launched={"drone": 150}, killed=11)), RULES).name == "killed-10"
    assert strongest_rule(event(report("a", launched={"drone": 20})), RULES) is None


def test_decide_new_escalation_age_and_seeds():
    big = event(report("a"))
    rule, kind = decide(big, RULES, None, NOW, timedelta(hours=48))
    assert (rule.name, kind) == ("drones-100", "new")
    assert decide(big, RULES, 1, NOW, timedelta(hours=48)) is None                     # warned already
    worse = event(report("a", killed=12))
    assert decide(worse, RULES, 1, NOW, timedelta(hours=48))[1] == "escalation"
    old = event(report("a", published=NOW - timedelta(days=5)))
    assert decide(old, RULES, None, NOW, timedelta(hours=48)) is None                  # a backfill pages nobody
    assert decide(event(replace(report("a"), origin="seed")), RULES, None, NOW, timedelta(hours=48)) is None


def test_the_packaged_rules_load():
    from flows.settings import DEFAULT_RULES_FILE

    names = [r.name for r in load_rules(DEFAULT_RULES_FILE)]
    assert "drones-100" in names and len(names) == len(set(names))
