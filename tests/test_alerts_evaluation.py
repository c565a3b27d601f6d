"""Alerts: one per real-world strike, delivered to a real webhook receiver on loopback, never lost."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone

import duckdb
import pytest

from conftest import Route, query, rss
from extractors.extract import Extractor
from extractors.types import Article
from flows.alerts import evaluation as alerting
from flows.alerts.rules import load_rules
from flows.settings import ConfigError
from storage import articles as store
from storage.db import opened

NOW = datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc)
OUTLET_A = ("Russia launched 150 drones and 12 missiles at Ukraine overnight, the air force said on Tuesday. "
            "Air defences shot down 130 drones and 9 missiles. Energy facilities in Kharkiv and Odesa were hit, "
            "and parts of Kharkiv lost electricity.")
OUTLET_B = ("Ukraine's air force said Russia fired 155 drones and 12 missiles overnight, mostly at Kharkiv. "
            "Air defences destroyed 128 of the drones.")
SMALL = "Russia attacked Sumy with six drones overnight, the regional administration said. Two people were injured."
DEATHS = ("The death toll from the overnight Russian drone and missile attack on Kharkiv rose to 12, officials "
          "said on Tuesday. Russia had launched 150 drones at Ukraine overnight.")


def _store(settings, *items: tuple[str, str, str, datetime], origin: str = "page") -> None:
    """Store (source, article id, text, published) as cleaned articles with their facts."""
    articles = [Article(id=aid, source=source, url=f"https://{source}.example/{aid}", title=text[:40], text=text,
                        content_hash=str(hash(text)), origin=origin, published=published)
                for source, aid, text, published in items]
    facts = list(Extractor().extract([a.as_document() for a in articles]))
    with opened(settings.database) as con:
        store.write_batch(con, list(zip(articles, facts)), "test", NOW)


def _cycle(settings, when=NOW):
    raised = alerting.evaluate(settings, when)
    sent = alerting.deliver(settings, when)
    return raised, sent


@pytest.fixture
def hook(server, settings_factory, tmp_path):
    settings = settings_factory(alert_channels=[server.url("/hook").replace("http://", "json://")],
                                alert_log=tmp_path / "alerts.jsonl")
    return server, settings


def _delivered_posts(server) -> list[dict]:
    return [json.loads(body) for path, body, status in server.posts if path == "/hook" and status == 200]


def test_two_outlets_in_one_run_give_one_alert(hook):
    server, settings = hook
    published = NOW - timedelta(hours=2)
    _store(settings, ("outlet-a", "a1", OUTLET_A, published), ("outlet-b", "b1", OUTLET_B, published))
    raised, sent = _cycle(settings)
    assert len(raised.alerts_raised) == 1 and sent.delivered == 1
    (post,) = _delivered_posts(server)
    assert "Russia → Ukraine" in post["title"] and "150–155 drones" in post["title"]
    assert "Kharkiv" in post["message"] and "outlet-a" in post["message"] and "outlet-b" in post["message"]
    (event,) = query(settings.database, "SELECT reports, sources FROM events")
    assert event == (2, 2)
    assert query(settings.database, "SELECT launched_min, launched_max, intercepted_min, intercepted_max FROM event_weapons "
                        "WHERE category = 'drone'") == [(150, 155, 128, 130)]
    log = [json.loads(x) for x in settings.alert_log.read_text().splitlines()]
    # 150-155 drones and 12 missiles meet drones-100, combined-100 and missiles-10; all are warnings,
    # and the one with the highest threshold listed first names the alert
    assert [x["rule"] for x in log] == ["drones-100"]


KYIV = timezone(timedelta(hours=2))
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# The morning after a night of strikes in Kyiv, every weekday, on both sides of midnight UTC
MORNINGS = [datetime(2026, 11, 23 + d, h, m, tzinfo=timezone.utc) - timedelta(days=1 if h == 23 else 0)
            for d in range(7) for h, m in ((23, 48), (0, 12), (6, 0))]


@pytest.mark.parametrize("first", MORNINGS, ids=lambda t: t.strftime("%a-%H%Mutc"))
def test_two_outlets_alert_once_whatever_the_day_and_hour(hook, first):
    """One outlet names the weekday, the other says only "overnight"; both are one event."""
    server, settings = hook
    said = WEEKDAYS[first.astimezone(KYIV).weekday()]
    text_a = OUTLET_A.replace("on Tuesday", f"on {said}")
    _store(settings, ("outlet-a", "a1", text_a, first), ("outlet-b", "b1", OUTLET_B, first + timedelta(hours=2)))
    raised, sent = _cycle(settings, first + timedelta(hours=3))
    assert len(raised.alerts_raised) == 1 and sent.delivered == 1
    assert query(settings.database, "SELECT reports, event_date FROM events") == [(2, first.astimezone(KYIV).date())]


def test_the_same_strike_in_successive_runs_alerts_once(hook):
    server, settings = hook
    _store(settings, ("outlet-a", "a1", OUTLET_A, NOW - timedelta(hours=3)))
    _cycle(settings)
    _store(settings, ("outlet-b", "b1", OUTLET_B, NOW - timedelta(hours=1)))
    raised, sent = _cycle(settings, NOW + timedelta(minutes=15))
    assert raised.alerts_raised == [] and sent.delivered == 0
    assert len(_delivered_posts(server)) == 1
    assert query(settings.database, "SELECT reports FROM events") == [(2,)]


def test_small_and_old_attacks_do_not_alert(hook):
    server, settings = hook
    _store(settings, ("outlet-a", "s1", SMALL, NOW - timedelta(hours=1)),
           ("outlet-c", "old", OUTLET_A, NOW - timedelta(days=10)))
    raised, _ = _cycle(settings)
    assert raised.alerts_raised == [] and server.posts == []
    assert query(settings.database, "SELECT count(*) FROM events")[0][0] == 2  # stored, just not alerted


def test_seed_files_never_page(hook):
    """A dated seed is backfill: it forms its event and pages nobody."""
    server, settings = hook
    _store(settings, ("seeds", "seed-1", OUTLET_A, NOW - timedelta(hours=3)), origin="seed")
    raised, _ = _cycle(settings)
    assert raised.alerts_raised == [] and server.posts == []
    assert query(settings.database, "SELECT count(*) FROM events")[0][0] == 1


def test_an_undated_seed_never_joins_live_news(hook):
    """An undated seed is background: it is stored and extracted, but it never joins today's
    event, never sets its figures or evidence, and its talks are not today's talks."""
    server, settings = hook
    seed = OUTLET_A + " Talks between the Ukrainian and Russian delegations were held in Geneva."
    _store(settings, ("seeds", "seed-1", seed, None), origin="seed")
    _store(settings, ("outlet-b", "b1", OUTLET_B, NOW - timedelta(hours=1)))
    raised, _ = _cycle(settings)
    assert len(raised.alerts_raised) == 1
    assert query(settings.database, "SELECT reports, sources FROM events") == [(1, 1)]
    assert query(settings.database, "SELECT launched_min, launched_max FROM event_weapons WHERE category = 'drone'") \
        == [(155, 155)]  # the live report's figure alone
    assert query(settings.database, "SELECT count(*) FROM weapons w JOIN articles a USING (article_id) "
                                    "WHERE a.origin = 'seed'")[0][0] > 0  # the seed's facts are stored
    assert query(settings.database, "SELECT reported_on FROM v_talks_timeline") == [(None,)]


def test_failing_receiver_gets_the_alert_exactly_once_next_run(hook):
    server, settings = hook
    server.post_statuses["/hook"] = [500, 200]
    _store(settings, ("outlet-a", "a1", OUTLET_A, NOW - timedelta(hours=1)))
    _, first = _cycle(settings)
    assert (first.delivered, first.failed) == (0, 1)
    assert query(settings.database, "SELECT status FROM alerts") == [("pending",)]
    _, second = _cycle(settings, NOW + timedelta(minutes=15))
    assert (second.delivered, second.failed) == (1, 0)
    _, third = _cycle(settings, NOW + timedelta(minutes=30))
    assert (third.delivered, third.failed) == (0, 0)
    assert len(_delivered_posts(server)) == 1 and len(server.posts) == 2
    assert query(settings.database, "SELECT status, attempts FROM alert_deliveries") == [("delivered", 2)]
    assert query(settings.database, "SELECT status FROM alerts") == [("delivered",)]
    from typer.testing import CliRunner

    from flows.cli import app

    listed = CliRunner().invoke(app, ["alerts", "list", "-d", str(settings.database)], env={"COLUMNS": "250"})
    assert "delivered after 2 attempts" in listed.output and " x2" not in listed.output


def test_higher_severity_update_sends_one_escalation(hook):
    server, settings = hook
    _store(settings, ("outlet-a", "a1", OUTLET_A, NOW - timedelta(hours=2)))
    _cycle(settings)
    _store(settings, ("outlet-d", "d1", DEATHS, NOW - timedelta(hours=1)))
    raised, _ = _cycle(settings, NOW + timedelta(minutes=15))
    _store(settings, ("outlet-b", "b1", OUTLET_B, NOW))
    again, _ = _cycle(settings, NOW + timedelta(minutes=30))
    assert len(raised.alerts_raised) == 1 and again.alerts_raised == []
    kinds = query(settings.database, "SELECT kind, severity FROM alerts ORDER BY created_at")
    assert kinds == [("new", "warning"), ("escalation", "critical")]
    posts = _delivered_posts(server)
    assert len(posts) == 2 and posts[1]["title"].startswith("ESCALATION")


def test_secrets_never_reach_the_database_logs_or_record(server, settings_factory, tmp_path, caplog):
    secret = "s3cr3t-t0k3n"
    url = server.url(f"/{secret}/hook").replace("http://", "json://")
    server.post_statuses[f"/{secret}/hook"] = [500]
    settings = settings_factory(alert_channels=[url], alert_log=tmp_path / "alerts.jsonl")
    caplog.set_level(logging.DEBUG)
    _store(settings, ("outlet-a", "a1", OUTLET_A, NOW - timedelta(hours=1)))
    _cycle(settings)
    assert server.posts  # the receiver was really called
    dump = json.dumps(query(settings.database, "SELECT * FROM alert_deliveries"), default=str)
    dump += json.dumps(query(settings.database, "SELECT * FROM alerts"), default=str) + json.dumps(query(settings.database, "SELECT * FROM errors"), default=str)
    assert secret not in dump and secret not in caplog.text and secret not in settings.alert_log.read_text()
    assert secret not in repr(settings) and secret not in settings.model_dump_json()


def test_bad_rules_are_config_errors(tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rules]]\nname = "x"\nseverity = "loud"\nmetric = "drones"\nmin = 10\n')
    with pytest.raises(ConfigError, match="severity"):
        load_rules(rules)
    rules.write_text('[[rules]]\nname = "x"\nseverity = "info"\nmetric = "tanks"\nmin = 0\n')
    with pytest.raises(ConfigError, match="metric"):
        load_rules(rules)


@pytest.mark.usefixtures("prefect_harness")
def test_ingest_run_alerts_once_for_two_feeds(server, settings_factory, tmp_path, fixed_clock):
    from flows.ingest import ingest

    published = (fixed_clock - timedelta(hours=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    said = WEEKDAYS[(fixed_clock - timedelta(hours=1)).astimezone(KYIV).weekday()]
    for name, text in (("a", OUTLET_A.replace("on Tuesday", f"on {said}")), ("b", OUTLET_B)):
        page = f"<html><body><article><h1>Strike</h1><p>{text}</p></article></body></html>".encode()
        server.routes[f"/{name}.html"] = Route(body=page)
        server.routes[f"/{name}.xml"] = Route(body=rss([{"title": f"Strike {name}", "link": server.url(f"/{name}.html"),
                                                         "pubDate": published}]),
                                              content_type="application/rss+xml")
    settings = settings_factory([("a", server.url("/a.xml")), ("b", server.url("/b.xml"))],
                                alert_channels=[server.url("/hook").replace("http://", "json://")],
                                alert_log=tmp_path / "alerts.jsonl")
    first = ingest(settings)
    second = ingest(settings)
    assert (first.alerts_raised, first.alerts_delivered) == (1, 1)
    assert (second.alerts_raised, second.alerts_delivered) == (0, 0)
    assert len(_delivered_posts(server)) == 1


def test_reextract_replaces_old_facts_without_new_alerts(hook, fixed_clock):
    from typer.testing import CliRunner

    from flows.cli import app

    server, settings = hook
    now = fixed_clock
    _store(settings, ("outlet-a", "a1", OUTLET_A, now - timedelta(hours=1)))
    _cycle(settings, now)
    assert query(settings.database, "SELECT count(*) FROM alerts") == [(1,)]
    con = duckdb.connect(str(settings.database))
    con.execute("UPDATE articles SET extractor = 'newswatch-rules-old/blank'")
    con.execute("UPDATE weapons SET launched = 1")  # what an older, worse extractor stored
    con.close()
    result = CliRunner().invoke(app, ["reextract", "-d", str(settings.database)])
    assert result.exit_code == 0, result.output
    assert "re-extracted 1 articles" in result.output and "new alerts: 0" in result.output
    assert sorted(r[0] for r in query(settings.database, "SELECT launched FROM weapons")) == [12, 150]
    assert query(settings.database, "SELECT count(*) FROM events") == [(1,)]
    assert query(settings.database, "SELECT count(*) FROM alerts") == [(1,)]
    again = CliRunner().invoke(app, ["reextract", "-d", str(settings.database)])
    assert "re-extracted 0 articles" in again.output


def test_without_a_channel_the_alert_is_recorded_in_the_table_and_the_log(settings_factory, tmp_path):
    settings = settings_factory(alert_log=tmp_path / "alerts.jsonl")
    published = NOW - timedelta(hours=2)
    _store(settings, ("outlet-a", "a1", OUTLET_A, published))
    _cycle(settings)
    assert query(settings.database, "SELECT DISTINCT status FROM alerts") == [("recorded",)]
    assert {json.loads(x)["status"] for x in settings.alert_log.read_text().splitlines()} == {"recorded"}
