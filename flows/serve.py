"""`newswatch serve`: scheduled ingestion on one machine with Prefect's `serve`.

Prefect's ephemeral API cannot schedule, so without `PREFECT_API_URL` a local Prefect server
(SQLite under `prefect_home`, on 127.0.0.1:`prefect_port`) is started first and stopped on exit.
Deployments keep their schedules across restarts (`pause_on_shutdown=False`) and allow one run
at a time (a new run that collides with a running one is cancelled). While it serves, the API's
address is recorded in `prefect_home/api.json`, where `newswatch status` and `alerts run` find it.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx

from flows.settings import Settings

SERVER_START_TIMEOUT = 120.0


API_RECORD = "api.json"  # under prefect_home: where the API of a running `serve` listens


class ServerFailed(RuntimeError):
    """The local Prefect server did not come up; the message has the end of its log."""


def _port_taken(settings: Settings) -> ServerFailed:
    return ServerFailed(f"port {settings.prefect_port} on 127.0.0.1 is in use (another newswatch serve, a Prefect "
                        "server or another program): set `prefect_port` (NEWSWATCH_PREFECT_PORT or the config file) "
                        "to a free port")


def _port_free(port: int) -> bool:
    """Whether a server could listen on 127.0.0.1:port now (as uvicorn binds: SO_REUSEADDR)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def record_api(settings: Settings, url: str) -> Path:
    """Write where this process's Prefect API listens, for the other commands to find."""
    path = settings.prefect_home / API_RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"url": url, "pid": os.getpid()}), encoding="utf-8")
    return path


def forget_api(settings: Settings) -> None:
    """Remove this process's record (a record another `serve` wrote is left alone)."""
    path = settings.prefect_home / API_RECORD
    try:
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
            path.unlink()
    except (OSError, ValueError):
        pass


def recorded_api(settings: Settings) -> str | None:
    """The API URL a running `newswatch serve` recorded under `prefect_home`; None when there is
    no record or its process is gone."""
    try:
        record = json.loads((settings.prefect_home / API_RECORD).read_text(encoding="utf-8"))
        os.kill(int(record["pid"]), 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, another user's
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return record["url"]


def _prefect_executable() -> str:
    candidate = Path(sys.executable).with_name("prefect")
    return str(candidate) if candidate.exists() else "prefect"


@contextmanager
def prefect_api(settings: Settings) -> Iterator[str]:
    """The Prefect API to use: PREFECT_API_URL if set, else a local server started here."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield configured
        return
    if not _port_free(settings.prefect_port):
        raise _port_taken(settings)
    home = settings.prefect_home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{settings.prefect_port}/api"
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "DO_NOT_TRACK": "1", "PREFECT_UI_API_URL": url}
    env.pop("PREFECT_API_URL", None)
    log_path = home / "server.log"
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            [_prefect_executable(), "server", "start", "--host", "127.0.0.1", "--port", str(settings.prefect_port)],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent,
        )
    try:
        try:
            _wait_ready(url, proc, log_path)
        except ServerFailed as exc:
            raise (_port_taken(settings) if "already in use" in str(exc) else exc) from None
        yield url
    finally:
        _stop(proc)


def _die_with_parent() -> None:
    """In the server's process before it starts: SIGTERM when `serve` dies, however it dies
    (Linux's parent-death signal); a killed `serve` leaves no Prefect server behind."""
    import ctypes

    try:
        ctypes.CDLL(None).prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _wait_ready(url: str, proc: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerFailed(f"the Prefect server exited with {proc.returncode}:\n{_tail(log_path)}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise ServerFailed(f"the Prefect server was not ready after {SERVER_START_TIMEOUT:.0f} s:\n{_tail(log_path)}")


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


def deployments(settings: Settings, config_file: Path | None):
    """The served deployments: scheduled ingest and alert evaluation, one run at a time each."""
    from prefect.client.schemas.objects import (
        ConcurrencyLimitConfig,
        ConcurrencyLimitStrategy,
    )
    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron, Interval

    from flows.alerting import alerts
    from flows.ingest import ingest

    zone = settings.schedule_timezone
    if settings.schedule_cron:
        schedule = Cron(settings.schedule_cron, timezone=zone, slug="ingest-cron")
    else:
        schedule = Interval(timedelta(minutes=settings.schedule_interval_minutes), timezone=zone, slug="ingest-interval")
    one_at_a_time = ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW)
    params = {"config_file": str(config_file.resolve())} if config_file else {}
    common = dict(concurrency_limit=one_at_a_time, parameters=params, tags=["newswatch"],
                  entrypoint_type=EntrypointType.MODULE_PATH)
    return [
        ingest.to_deployment(name="scheduled-ingest", schedules=[schedule], **common),
        alerts.to_deployment(name="alert-evaluation", schedules=[Interval(
            timedelta(minutes=settings.alerts_interval_minutes), timezone=zone, slug="alerts-interval")], **common),
    ]


DEPLOYMENTS = ("ingest/scheduled-ingest", "alerts/alert-evaluation")


def release_stale_runs(announce=print) -> int:
    """Mark runs of our deployments that a stopped `serve` left Running or Pending as Crashed.

    Nothing else runs these deployments, so such runs are dead; left alone they would hold the
    deployment's single concurrency slot and every new scheduled run would be cancelled.
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.exceptions import ObjectNotFound
    from prefect.states import Crashed

    released = 0
    with get_client(sync_client=True) as client:
        ids = []
        for name in DEPLOYMENTS:
            try:
                ids.append(client.read_deployment_by_name(name).id)
            except ObjectNotFound:
                continue
        if not ids:
            return 0
        stale = client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=ids)),
            flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(
                any_=[StateType.RUNNING, StateType.PENDING, StateType.CANCELLING]))))
        for run in stale:
            client.set_flow_run_state(run.id, Crashed(message="newswatch serve stopped during this run"), force=True)
            released += 1
    if released:
        announce(f"marked {released} run(s) left over by a stopped serve as crashed")
    return released


def serve(settings: Settings, config_file: Path | None, announce=print) -> None:
    """Serve the deployments until interrupted; the schedules stay active across restarts."""
    from prefect import serve as prefect_serve
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with prefect_api(settings) as url:
        os.environ["PREFECT_API_URL"] = url  # flow-run subprocesses inherit it
        record = record_api(settings, url)
        try:
            with temporary_settings({PREFECT_API_URL: url}):
                announce(f"Prefect API {url}, UI {url.removesuffix('/api')}; recorded in {record}, where "
                         "`newswatch status` and `newswatch alerts run` find it. Other tools: "
                         f"export PREFECT_API_URL={url}")
                release_stale_runs(announce)
                prefect_serve(*deployments(settings, config_file), pause_on_shutdown=False, print_starting_message=True)
        finally:
            forget_api(settings)
