"""A run that meets a database held by another process stages its batches and loses nothing."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from conftest import FIXED_NOW, Route, query, rss

pytestmark = pytest.mark.usefixtures("prefect_harness")

PAGE = ("<html><body><article><h1>Strike on Kharkiv</h1><p>Russia launched 120 drones at Kharkiv overnight, "
        "the air force said on Monday. Air defences shot down 100 of them. {n}</p></article></body></html>")


def _hold(path, read_only: bool) -> subprocess.Popen:
    """Another process that opens the database and keeps it until killed."""
    code = textwrap.dedent(f"""
        import duckdb, time
        con = duckdb.connect({str(path)!r}, read_only={read_only})
        print("holding", flush=True)
        time.sleep(120)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


def _feed(server, names):
    for n in names:
        server.routes[f"/p{n}.html"] = Route(body=PAGE.format(n=n).encode())
    server.routes["/feed.xml"] = Route(body=rss([{"title": f"Story {n}", "link": server.url(f"/p{n}.html")}
                                                 for n in names]), content_type="application/rss+xml")


@pytest.mark.parametrize("holder_read_only", [False, True], ids=["writer-holds", "reader-holds"])
def test_run_while_database_is_held_loses_nothing(server, settings_factory, holder_read_only):
    from flows.ingest import ingest
    from storage.staging import pending, staging_dir

    settings = settings_factory([("f", server.url("/feed.xml"))], lock_timeout=0.5)
    _feed(server, [1, 2])
    assert ingest(settings).articles_new == 2
    _feed(server, [1, 2, 3, 4])
    holder = _hold(settings.database, holder_read_only)
    try:
        blocked = ingest(settings)
    finally:
        holder.kill()
        holder.wait()
    # a reader lets the run look up what is stored; behind a writer it stages every entry it sees
    assert blocked.articles_staged == (2 if holder_read_only else 4) and blocked.articles_new == 0
    assert len(pending(staging_dir(settings.store))) >= 2  # the batch and the run's feed state
    assert query(settings.database, "SELECT count(*) FROM articles") == [(2,)]  # nothing half-written meanwhile

    later = ingest(settings)
    assert later.articles_merged == 2 and later.articles_new == 0  # stored by this run, found by the earlier one
    assert pending(staging_dir(settings.store)) == []
    assert query(settings.database, "SELECT count(*) FROM articles") == [(4,)]
    assert query(settings.database, "SELECT count(*) FROM weapons") == [(4,)]
    assert query(settings.database, "SELECT count(*) FROM runs WHERE status LIKE 'completed%'") == [(3,)]
    # the staged run's feed state arrived too: the next poll is conditional, nothing is fetched again
    again = ingest(settings)
    assert again.articles_new == 0 and again.articles_staged == 0


def test_half_written_staging_folders_of_killed_runs_are_tidied(tmp_path):
    import os

    from storage import staging

    folder = tmp_path / "db.duckdb.staging"
    old, fresh = folder / "run1-00001.tmp", folder / "run2-00001.tmp"
    for path in (old, fresh):
        path.mkdir(parents=True)
    now = FIXED_NOW.timestamp()
    os.utime(old, (now - 7200, now - 7200))
    os.utime(fresh, (now - 60, now - 60))
    assert staging.drop_stale_tmp(folder, now) == 1 and not old.exists() and fresh.exists()


def test_a_run_whose_process_is_gone_is_marked_interrupted_at_once(tmp_path, fixed_clock):
    import os
    import socket
    import subprocess
    import sys
    from datetime import timedelta

    from flows import clock
    from flows.ingest import _process_gone
    from storage import runs
    from storage.db import opened
    from storage.run_storage import RunStorage

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    here, minutes = socket.gethostname(), timedelta(minutes=5)
    with opened(tmp_path / "db.duckdb") as con:
        runs.start_run(con, "killed-here", fixed_clock - minutes, None, here, dead.pid)
        runs.start_run(con, "alive-here", fixed_clock - minutes, None, here, os.getpid())
        runs.start_run(con, "elsewhere-old", fixed_clock - timedelta(hours=8), None, "other-host", 4242)
        runs.start_run(con, "elsewhere-recent", fixed_clock - minutes, None, "other-host", 4242)
    storage = RunStorage(tmp_path / "db.duckdb", "new", clock.now)
    storage.begin(None, here, os.getpid(), _process_gone)
    with opened(tmp_path / "db.duckdb") as con:
        status = dict(con.execute("SELECT run_id, status FROM runs").fetchall())
    assert status == {"killed-here": "interrupted", "alive-here": "running", "elsewhere-old": "interrupted",
                      "elsewhere-recent": "running", "new": "running"}
