"""Alert titles and bodies (flows/alerts/messages.py): the headline names the figure that fired
the rule, leaves an unknown side out, and says what an intercept-only report gives."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from flows.alerts.clustering import Event
from flows.alerts.messages import render
from flows.alerts.rules import AlertRule, strongest_rule
from flows.records import Report

NOW = datetime(2026, 11, 25, 9, tzinfo=timezone.utc)
DRONES = AlertRule(name="drones-100", severity="warning", metric="drones", min=100)
MISSILES = AlertRule(name="missiles-10", severity="warning", metric="missiles", min=10)
KILLED = AlertRule(name="killed-10", severity="critical", metric="killed", min=10)


def report(aid: str, **kw) -> Report:
    base = dict(attack_id=aid, article_id=aid, source_id=f"outlet-{aid}", url=f"https://{aid}.example/a", title=None,
                published=NOW - timedelta(hours=2), first_seen=NOW - timedelta(hours=1), attacker="Russia",
                target="Ukraine", day=date(2026, 11, 25), places=frozenset({"Kharkiv"}))
    return Report(**{**base, **kw})


def test_killed_rule_names_the_dead_first():
    event = Event("e1", [report("a", launched={"drone": 40}, killed=11), report("b", launched={"drone": 42}, killed=9)])
    assert strongest_rule(event, [DRONES, KILLED]) == KILLED
    title, body = render(event, KILLED, "new")
    assert title == "Large-scale attack Russia → Ukraine: 9–11 killed; 40–42 drones"
    assert "- Killed: 9–11" in body and "- Rule: killed-10 (critical)" in body


def test_missile_rule_leads_with_missiles_and_drones_rule_with_drones():
    event = Event("e1", [report("a", launched={"drone": 194, "missile": 67}, intercepted={"drone": 100})])
    assert render(event, MISSILES, "new")[0] == "Large-scale attack Russia → Ukraine: 67 missiles, 194 drones"
    assert render(event, DRONES, "escalation")[0] == "ESCALATION: Large-scale attack Russia → Ukraine: 194 drones, 67 missiles"


@pytest.mark.parametrize("attacker, target, side", [
    (None, None, "Large-scale attack reported: "), ("Russia", None, "Large-scale attack by Russia: "),
    (None, "Ukraine", "Large-scale attack on Ukraine: ")])
def test_an_unknown_side_is_left_out(attacker, target, side):
    event = Event("e1", [report("a", attacker=attacker, target=target, launched={"drone": 150})])
    title, _ = render(event, DRONES, "new")
    assert title == side + "150 drones" and "unknown" not in title


def test_intercept_only_strike_says_how_many_were_shot_down():
    event = Event("e1", [report("a", intercepted={"drone": 121})])
    title, body = render(event, DRONES, "new")
    assert title == "Large-scale attack Russia → Ukraine: 121 drones shot down"
    assert "no counts" not in title and "intercepted 121" in body


def test_the_events_table_headline_names_the_sides_or_the_figures_alone():
    from flows.alerts.messages import event_headline

    known = Event("e1", [report("a", launched={"drone": 150})])
    assert event_headline(known, DRONES) == "Russia → Ukraine: 150 drones"
    unknown = Event("e2", [report("b", attacker=None, target=None, launched={}, intercepted={"drone": 121})])
    assert event_headline(unknown, DRONES) == "121 drones shot down"
