"""Mistakes stop at the door: `newswatch run` checks every file and setting it depends on before
it opens the database or the network, and exits 2 naming the file, the entry or key, and why."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from flows.cli import app

GOOD_FEED = '[[feeds]]\nname = "wire"\nurl = "https://wire.example/rss"\n'
GOOD_RULE = '[[rules]]\nname = "drones-100"\nseverity = "warning"\nmetric = "drones"\nmin = 100\n'

CASES = {
    "missing feeds file": ({"feeds": None}, [], "feeds_file", "not found"),
    "duplicate feed names": ({"feeds": GOOD_FEED * 2}, [], "feeds_file", "'wire' is line 1, feeds[1] and line 4, feeds[2]"),
    "feed url not a url": ({"feeds": GOOD_FEED + '[[feeds]]\nname = "bad"\nurl = "not a url"\n'}, [],
                           "line 4, feeds[2] (name = 'bad').url", "valid URL"),
    "feed url a local file": ({"feeds": '[[feeds]]\nname = "pw"\nurl = "file:///etc/passwd"\n'}, [],
                              "line 1, feeds[1] (name = 'pw').url", "http' or 'https'"),
    "rule metric tanks": ({"rules": GOOD_RULE.replace("drones\"\nmin", "tanks\"\nmin")}, [],
                          "alert_rules_file", "metric"),
    "missing rules file": ({"rules": None}, [], "alert_rules_file", "not found"),
    "channel apprise cannot use": ({}, ["--config-channel", "notascheme://zzz"], "alert_channels[0]",
                                   "not a URL apprise can send to"),
    "explicit seeds folder missing": ({"seeds_dir": "nowhere"}, [], "seeds_dir", "not found"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_mistake_exits_2_before_the_database_exists(tmp_path, case):
    files, extra, where, why = CASES[case]
    feeds, rules = tmp_path / "feeds.toml", tmp_path / "rules.toml"
    if files.get("feeds", GOOD_FEED) is not None:
        feeds.write_text(files.get("feeds", GOOD_FEED))
    if files.get("rules", GOOD_RULE) is not None:
        rules.write_text(files.get("rules", GOOD_RULE))
    database = tmp_path / "data" / "nw.duckdb"
    config = tmp_path / "newswatch.toml"
    lines = [f'database = "{database}"', f'feeds_file = "{feeds}"', f'alert_rules_file = "{rules}"',
             f'seeds_dir = "{tmp_path / files.get("seeds_dir", "seeds")}"']
    if extra:
        lines.append(f'alert_channels = ["{extra[1]}"]')
    (tmp_path / "seeds").mkdir()
    config.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(app, ["run", "--config", str(config), "--no-progress"])
    assert result.exit_code == 2, result.output
    assert where in result.output and why in result.output, result.output
    assert not database.exists() and not database.parent.exists()
    if extra:
        assert "zzz" not in result.output  # a channel URL may carry a token: never repeated


@pytest.mark.usefixtures("prefect_harness")
def test_the_ingest_flow_itself_refuses_a_bad_feed_list(settings_factory, tmp_path):
    """A deployment runs the flow without the command line: the flow checks too."""
    from flows.ingest import ingest
    from flows.settings import ConfigError

    settings = settings_factory()
    settings.feeds_file.write_text('[[feeds]]\nname = "x"\nurl = "not a url"\n')
    with pytest.raises(ConfigError, match="feeds_file"):
        ingest(settings)
    assert not settings.database.exists()
