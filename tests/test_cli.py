"""The `newswatch` command: contracts of extract/clean, read-only sql, documented everywhere."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import duckdb
import pytest
from typer.testing import CliRunner

from conftest import ROOT, shared_path
from flows.cli import app
from flows.settings import Settings

runner = CliRunner()
NEWSWATCH = [sys.executable, "-m", "flows.cli"]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cli.duckdb"
    con = duckdb.connect(str(path))
    from storage.db import migrate

    migrate(con)
    con.execute("INSERT INTO runs (run_id, started_at, status) VALUES ('r1', now(), 'completed')")
    con.close()
    return path


def test_sql_reads_and_formats(db):
    result = runner.invoke(app, ["sql", "SELECT run_id, status FROM runs", "-d", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip()) == {"run_id": "r1", "status": "completed"}
    result = runner.invoke(app, ["sql", "SELECT run_id FROM runs", "-d", str(db), "--format", "csv"])
    assert result.stdout.splitlines() == ["run_id", "r1"]


def test_sql_cannot_modify(db):
    for statement in ("DELETE FROM runs", "CREATE TABLE x (a INT)", "DROP TABLE runs"):
        result = runner.invoke(app, ["sql", statement, "-d", str(db)])
        assert result.exit_code == 1 and "read-only" in result.output.lower(), result.output
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 1


@pytest.mark.parametrize("statement", [
    "INSTALL httpfs FROM 'http://127.0.0.1:9/'", "LOAD httpfs", "COPY (SELECT 1) TO '{out}/copy.csv'",
    "EXPORT DATABASE '{out}/export'", "ATTACH '{out}/other.duckdb' AS other", "SELECT * FROM read_csv('/etc/passwd')",
    "SET enable_external_access = true"])
def test_sql_neither_loads_code_nor_touches_files(db, tmp_path, statement):
    before = sorted(tmp_path.rglob("*"))
    result = runner.invoke(app, ["sql", statement.format(out=tmp_path), "-d", str(db)])
    assert result.exit_code == 1 and "query failed" in result.output, result.output
    assert sorted(tmp_path.rglob("*")) == before


def test_sql_on_missing_database_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["sql", "SELECT 1", "-d", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 3 and "does not exist yet" in result.output


def test_bad_config_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("NEWSWATCH_PAGE_CONCURRENCY", "zero")
    result = runner.invoke(app, ["sql", "SELECT 1"])
    assert result.exit_code == 2 and "page_concurrency" in result.output


def test_extract_contract_through_the_console_script():
    lines = [{"id": "x1", "text": "Overnight Russia launched 50 drones at Kharkiv; 40 were shot down."},
             {"id": "x2", "text": "The weather was mild.", "published": "2026-03-01"}]
    proc = subprocess.run([str(ROOT / ".venv" / "bin" / "newswatch"), "extract", "--jsonl", "-"],
                          input="\n".join(json.dumps(x) for x in lines) + "\nnot json\n",
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == ["x1", "x2"] and "line 3" in proc.stderr
    weapons = out[0]["attacks"][0]["weapons"]
    assert (weapons[0]["category"], weapons[0]["launched"], weapons[0]["intercepted"]) == ("drone", 50, 40)
    assert out[1]["is_new_attack_report"] is False


def test_clean_contract(tmp_path):
    page = shared_path("realdata", "pages", "blog.python.org.html")
    broken = tmp_path / "empty.html"
    broken.write_text("<html><body></body></html>")
    result = runner.invoke(app, ["clean", "--jsonl", str(page), str(broken)])
    first, second = (json.loads(x) for x in result.stdout.splitlines())
    assert first["path"] == str(page) and "Python 3.6.0" in first["text"] and first["language"] == "en"
    assert second["text"] is None and "no main text" in second["error"]


def test_cleaning_quality_gate():
    pages = shared_path("realdata", "pages")
    scorer = shared_path("eval", "clean_score.py")
    cmd = f"{ROOT / '.venv' / 'bin' / 'newswatch'} clean --jsonl"
    proc = subprocess.run([sys.executable, str(scorer), str(pages), "--cmd", cmd, "--min", "f1=0.91"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _commands() -> list[str]:
    import typer.main

    group = typer.main.get_group(app)
    names = []
    for name, cmd in group.commands.items():
        sub = getattr(cmd, "commands", None)
        names += [f"{name} {s}" for s in sub] if sub else [name]
    return names


def test_readme_documents_every_command_and_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in _commands():
        assert f"newswatch {command}" in readme, command
        assert runner.invoke(app, [*command.split(), "--help"]).exit_code == 0
    for name in Settings.model_fields:
        assert re.search(rf"\|\s*`{name}`\s*\|", readme), f"setting {name} is not in the README table"
    assert "make run" in readme and "make test" in readme


def _help_options(command: list[str]) -> set[str]:
    """The option names `--help` prints for a command (long and short, both sides of a flag)."""
    text = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"}).output
    block = text.split("Options:", 1)[1].split("\nCommands:", 1)[0]
    found = set()
    for line in block.splitlines():
        if line.startswith("  -"):
            found |= set(re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", line.split("  ", 2)[1]))
    return found - {"--help"}


def _reference() -> dict[str, set[str]]:
    """The README's command reference: command -> the options its row lists."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Command reference", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = line.split(" | ")
        match = re.match(r"\| `newswatch ([a-z][a-z-]*(?: (?:list|test|run))?)(?![\w-])", line)
        if match and len(cells) == 3:
            rows[match.group(1)] = set(re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", cells[2].replace("/", " ")))
    return rows


def test_readme_command_reference_matches_help():
    """Every command and every option `--help` shows is in the README's reference row of that
    command, and the reference names no command or option that --help does not."""
    reference = _reference()
    assert set(reference) == set(_commands())
    for command, options in reference.items():
        assert options == _help_options(command.split()), command
    assert "--version" in _help_options([]) and "`newswatch --version`" in (ROOT / "README.md").read_text()


def test_help_shows_flags_in_the_usual_form():
    text = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "200"}).output
    assert "--progress / --no-progress" in text and "-v, --verbose" in text and "<bool>" not in text
    assert runner.invoke(app, ["run", "--no-progress", "true"]).exit_code == 2  # a flag takes no value
    version = runner.invoke(app, ["--version"])
    from importlib.metadata import version as installed

    assert version.exit_code == 0 and version.output.strip() == f"newswatch {installed('newswatch')}"


def test_status_counts_the_log_and_backup_makes_one_complete_file(db, tmp_path):
    wal = db.with_name(db.name + ".wal")
    con = duckdb.connect(str(db))
    con.execute("PRAGMA disable_checkpoint_on_shutdown")
    con.execute("INSERT INTO runs (run_id, started_at, status) SELECT 'r' || i, now(), 'completed' FROM range(2, 3000) t(i)")
    con.close()
    assert wal.exists() and wal.stat().st_size > 0  # the new rows are only in the log
    status = runner.invoke(app, ["status", "-d", str(db)], env={"COLUMNS": "200"})
    size = (db.stat().st_size + wal.stat().st_size) / 1e6
    assert status.exit_code == 0 and f"({size:.1f} MB)" in status.output and "runs 2999" in status.output, status.output
    out = tmp_path / "backups" / "copy.duckdb"
    result = runner.invoke(app, ["backup", "--out", str(out), "-d", str(db)])
    assert result.exit_code == 0 and "backup of" in result.output, result.output
    assert not out.with_name(out.name + ".wal").exists()
    assert duckdb.connect(str(out), read_only=True).execute("SELECT count(*) FROM runs").fetchone() == (2999,)


def test_backup_of_a_busy_database_says_so(db, tmp_path):
    import subprocess
    import sys

    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(db)!r}); "
                               "print('ready', flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        result = runner.invoke(app, ["backup", "--out", str(tmp_path / "b.duckdb"), "-d", str(db)],
                               env={"NEWSWATCH_LOCK_TIMEOUT": "0.5"})
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 3 and "in use by another process" in result.output
    assert not (tmp_path / "b.duckdb").exists()


def test_the_local_prefect_api_server_stays_quiet_unless_verbose(monkeypatch):
    """Its shutdown may log errors about events it could not flush any more ("Error flushing 1
    events"): a run's output is the summary, not Prefect's server log."""
    from flows.cli.app import prefect_defaults

    for verbose, level in ((False, "CRITICAL"), (True, "WARNING")):
        for name in ("PREFECT_SERVER_LOGGING_LEVEL", "PREFECT_LOGGING_LEVEL"):
            monkeypatch.delenv(name, raising=False)
        prefect_defaults(verbose)
        assert os.environ["PREFECT_SERVER_LOGGING_LEVEL"] == level
