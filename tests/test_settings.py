"""Settings layering (defaults < file < env < flags) and clear config errors."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from flows.settings import ConfigError, Settings, load_feeds, load_settings


def test_layers_in_order(tmp_path, monkeypatch):
    cfg = tmp_path / "nw.toml"
    cfg.write_text('database = "from-file.duckdb"\nbatch_size = 7\npage_concurrency = 3\n')
    monkeypatch.setenv("NEWSWATCH_BATCH_SIZE", "9")
    s = load_settings(cfg, page_concurrency=5)
    assert s.database == Path("from-file.duckdb")  # file beats default
    assert s.batch_size == 9  # env beats file
    assert s.page_concurrency == 5  # flag beats env and file
    assert s.http_max_redirects == Settings.model_fields["http_max_redirects"].default


def test_bad_value_names_the_key(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSWATCH_HTTP_READ_TIMEOUT", "soon")
    with pytest.raises(ConfigError, match="http_read_timeout"):
        load_settings()


def test_unknown_key_and_bad_toml_are_config_errors(tmp_path):
    cfg = tmp_path / "nw.toml"
    cfg.write_text("databse = 'typo.duckdb'\n")
    with pytest.raises(ConfigError, match="databse"):
        load_settings(cfg)
    cfg.write_text("database = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(cfg)
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "missing.toml")


def test_lists_and_blanks_from_the_environment(monkeypatch):
    """Lists come as JSON or words (host lists also by commas; a channel URL keeps its commas);
    white space around a value is dropped and an optional value left blank is unset."""
    monkeypatch.setenv("NEWSWATCH_ALLOWED_PRIVATE_HOSTS", "127.0.0.1, 10.0.0.0/8")
    monkeypatch.setenv("NEWSWATCH_ALERT_CHANNELS", "mailto://u:p@mail.example?to=a@x.org,b@x.org  json://hooks.example/in")
    monkeypatch.setenv("NEWSWATCH_SCHEDULE_CRON", "   ")
    monkeypatch.setenv("NEWSWATCH_DUCKLAKE_CATALOG", "  sqlite: data/catalog.sqlite ")
    monkeypatch.setenv("NEWSWATCH_SPACY_MODEL", " blank ")
    s = load_settings()
    assert s.allowed_private_hosts == ["127.0.0.1", "10.0.0.0/8"]
    assert [c.get_secret_value() for c in s.alert_channels] == [
        "mailto://u:p@mail.example?to=a@x.org,b@x.org", "json://hooks.example/in"]
    assert s.schedule_cron is None and s.spacy_model == "blank"
    assert s.ducklake_catalog == "sqlite:data/catalog.sqlite"
    monkeypatch.setenv("NEWSWATCH_ALLOWED_PRIVATE_HOSTS", '["10.0.0.0/33"]')
    with pytest.raises(ConfigError, match="allowed_private_hosts"):
        load_settings()
    monkeypatch.delenv("NEWSWATCH_ALLOWED_PRIVATE_HOSTS")
    monkeypatch.setenv("NEWSWATCH_SPACY_MODEL", "  ")
    with pytest.raises(ConfigError, match="spacy_model"):
        load_settings()


def test_errors_never_show_a_secret_and_say_where_the_value_was_set(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSWATCH_ALERT_CHANNELS", "tgram://123456:SECRETTOKEN/987")
    monkeypatch.setenv("NEWSWATCH_STORAGE_BACKEND", "ducklake")
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert "needs ducklake_catalog" in str(err.value) and "SECRETTOKEN" not in str(err.value)
    cfg = tmp_path / "nw.toml"
    cfg.write_text('ducklake_catalog = "mysql:user=x password=hunter2"\nfeed_concurency = 4\n')
    monkeypatch.setenv("NEWSWATCH_BATCH_SIZE", "many")
    with pytest.raises(ConfigError) as err:
        load_settings(cfg)
    text = str(err.value)
    assert "hunter2" not in text and f"ducklake_catalog: a DuckLake catalog is" in text and f"set in {cfg}" in text
    assert "feed_concurency: unknown key; did you mean feed_concurrency?" in text
    assert "batch_size:" in text and "set in the environment as NEWSWATCH_BATCH_SIZE" in text


def test_feed_list_errors_name_the_entry(tmp_path):
    f = tmp_path / "feeds.toml"
    f.write_text('[[feeds]]\nname = "a"\nurl = "https://example.org/rss"\n[[feeds]]\nname = "b"\nurl = "ftp://x"\n')
    with pytest.raises(ConfigError, match=r"line 4, feeds\[2\] \(name = .b.\)\.url"):
        load_feeds(f)
    f.write_text('[[feeds]]\nname = "a"\nurl = "https://example.org/1"\n[[feeds]]\nname = "a"\nurl = "https://example.org/2"\n')
    with pytest.raises(ConfigError, match=r"unique: 'a' is line 1, feeds\[1\] and line 4, feeds\[2\]"):
        load_feeds(f)


def test_default_feed_list_is_valid():
    feeds = load_feeds(Settings().feeds_file)
    assert len(feeds) >= 4 and all(str(f.url).startswith("https://") for f in feeds)


@hsettings(max_examples=60, deadline=None)
@given(key=st.sampled_from(sorted(Settings.model_fields)), value=st.one_of(
    st.text(max_size=20), st.integers(-10**9, 10**9), st.floats(allow_nan=True), st.booleans()))
def test_random_values_load_or_fail_clearly(key, value):
    try:
        load_settings(None, **{key: value})
    except ConfigError as exc:
        assert key in str(exc)
