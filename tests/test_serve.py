"""`newswatch serve` against a real Prefect server on loopback: scheduled runs, one at a time,
schedules that survive a restart, and runs that meet a busy database lose nothing."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time

import duckdb
import httpx
import pytest

from conftest import ROOT, Route, rss

pytestmark = pytest.mark.slow
NEWSWATCH = str(ROOT / ".venv" / "bin" / "newswatch")
PAGE = "<html><body><article><h1>Report {n}</h1><p>{text}</p></article></body></html>"
TEXT = ("Russia launched 40 drones at Sumy overnight, regional officials said on Monday. Air defences shot "
        "down 30 of them. A power substation was damaged and part of the city lost electricity. Item {n}.")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _feed(server, n_items: int) -> None:
    for n in range(n_items):
        server.routes[f"/s{n}.html"] = Route(body=PAGE.format(n=n, text=TEXT.format(n=n)).encode())
    server.routes["/feed.xml"] = Route(body=rss([{"title": f"Report {n}", "link": server.url(f"/s{n}.html")}
                                                 for n in range(n_items)]), content_type="application/rss+xml")


def _serve(config, cwd) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(PREFECT_RUNNER_POLL_FREQUENCY="2", PREFECT_LOGGING_LEVEL="WARNING")
    return subprocess.Popen([NEWSWATCH, "serve", "--config", str(config)], cwd=cwd, env=env,
                            stdout=open(cwd / "serve.log", "ab"), stderr=subprocess.STDOUT, start_new_session=True)


def _stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _query(db, sql):
    for _ in range(50):
        try:
            con = duckdb.connect(str(db), read_only=True)
        except duckdb.Error:
            time.sleep(0.2)
            continue
        try:
            return con.execute(sql).fetchall()
        except duckdb.CatalogException:
            return []
        finally:
            con.close()
    return None


def _wait_for(predicate, timeout: float, what: str, log):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(2)
    pytest.fail(f"timed out waiting for {what}\n--- serve.log ---\n{log.read_text(errors='replace')[-4000:]}")


def _completed(db) -> int:
    rows = _query(db, "SELECT count(*) FROM runs WHERE status LIKE 'completed%'")
    return rows[0][0] if rows else 0


def _flow_runs(api: str) -> list[dict]:
    body = {"sort": "EXPECTED_START_TIME_ASC", "limit": 200}
    return httpx.post(f"{api}/flow_runs/filter", json=body, timeout=10).json()


def _config(tmp_path, port: int, feed_url: str, more: str = ""):
    """A config file under tmp_path for `serve` on `port`, polling one feed."""
    (tmp_path / "seeds").mkdir(exist_ok=True)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nname = "loop"\nurl = "{feed_url}"\n')
    config = tmp_path / "newswatch.toml"
    config.write_text(textwrap.dedent(f"""
        database = "{tmp_path / 'data' / 'serve.duckdb'}"
        seeds_dir = "{tmp_path / 'seeds'}"
        feeds_file = "{feeds}"
        prefect_home = "{tmp_path / 'prefect'}"
        prefect_port = {port}
    """) + textwrap.dedent(more))
    return config


@pytest.mark.timeout(900)
def test_serve_schedules_runs_one_at_a_time_and_survives_restart(server, tmp_path):
    _feed(server, 2)
    port = _free_port()
    db = tmp_path / "data" / "serve.duckdb"
    config = _config(tmp_path, port, server.url("/feed.xml"), f"""
        schedule_interval_minutes = 0.1
        alerts_interval_minutes = 0.5
        lock_timeout = 1
        alert_log = "{tmp_path / 'alerts.jsonl'}"
        fetch_retries = 0
        allowed_private_hosts = ["127.0.0.1"]
    """)
    log = tmp_path / "serve.log"
    api = f"http://127.0.0.1:{port}/api"
    proc = _serve(config, tmp_path)
    try:
        _wait_for(lambda: _completed(db) >= 2, 240, "two scheduled runs", log)
        assert _query(db, "SELECT count(*) FROM articles WHERE source_id = 'loop'")[0][0] == 2
        # while another process holds the database, a scheduled run stages its batch ...
        _feed(server, 3)
        holder = subprocess.Popen([sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(db)!r}); "
                                   "print('held', flush=True); time.sleep(15)"], stdout=subprocess.PIPE, text=True)
        assert holder.stdout.readline().strip() == "held"
        before = _completed(db)
        time.sleep(14)
        holder.kill()
        holder.wait()
        # ... and a later run merges it: the new article appears, nothing is lost
        _wait_for(lambda: (_query(db, "SELECT count(*) FROM articles") or [[0]])[0][0] == 3, 120,
                  "the staged article", log)
        assert _completed(db) > before
        # serve says where its API is and records it: status finds it without PREFECT_API_URL
        record = tmp_path / "prefect" / "api.json"
        assert json.loads(record.read_text())["url"] == api
        assert f"export PREFECT_API_URL={api}" in log.read_text() and str(record) in log.read_text()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
        status = subprocess.run([NEWSWATCH, "status", "--config", str(config), "--format", "json"], cwd=tmp_path,
                                env=env, capture_output=True, text=True, timeout=120)
        assert status.returncode == 0, status.stderr
        scheduled = json.loads(status.stdout)["next_scheduled_run"]
        assert api in scheduled and "did not answer" not in scheduled and "no Prefect server" not in scheduled
    finally:
        _stop(proc)
    assert not (tmp_path / "prefect" / "api.json").exists()  # a stopped serve leaves no record
    # only one ingest run at a time: no two runs of the deployment overlapped
    runs_after_first = _completed(db)
    proc = _serve(config, tmp_path)
    try:
        _wait_for(lambda: _completed(db) > runs_after_first, 240, "a run after the restart", log)
        deployments = httpx.post(f"{api}/deployments/filter", json={}, timeout=10).json()
        ingest = next(d for d in deployments if d["name"] == "scheduled-ingest")
        assert not ingest["paused"] and all(s["active"] for s in ingest["schedules"])
        assert ingest["concurrency_limit"] == 1 or (ingest.get("global_concurrency_limit") or {}).get("limit") == 1
        spans = sorted((r["start_time"], r["end_time"], r["state_name"]) for r in _flow_runs(api)
                       if r["deployment_id"] == ingest["id"] and r["start_time"] and r["end_time"]
                       and r["state_name"] in ("Completed", "Failed"))
        # (a run the stop killed ends as Crashed when serve restarts; colliding runs are Cancelled unrun)
        assert len(spans) >= 3
        assert all(prev[1] <= nxt[0] for prev, nxt in zip(spans, spans[1:])), spans
    finally:
        _stop(proc)




def test_a_busy_port_is_one_line_naming_the_setting(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
        proc = subprocess.run([NEWSWATCH, "serve", "--config", str(_config(tmp_path, port, "http://127.0.0.1:9/feed.xml"))], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)
    assert proc.returncode == 4, proc.stdout + proc.stderr
    lines = [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
    assert len(lines) == 1 and f"port {port}" in lines[0] and "`prefect_port`" in lines[0], lines
    assert "--port" not in lines[0] and not (tmp_path / "prefect" / "api.json").exists()


def test_the_record_names_a_live_serve_only(tmp_path):
    from flows.serve import forget_api, record_api, recorded_api
    from flows.settings import Settings

    settings = Settings(prefect_home=tmp_path / "prefect")
    assert recorded_api(settings) is None
    path = record_api(settings, "http://127.0.0.1:4321/api")
    assert recorded_api(settings) == "http://127.0.0.1:4321/api"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    path.write_text(json.dumps({"url": "http://127.0.0.1:4321/api", "pid": dead.pid}))
    assert recorded_api(settings) is None  # its serve is gone
    forget_api(settings)
    assert path.exists()  # another process's record is not ours to remove
    record_api(settings, "http://127.0.0.1:4321/api")
    forget_api(settings)
    assert not path.exists()
