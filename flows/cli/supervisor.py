"""A command's work in a process group of its own that cannot outlive the command.

`newswatch run` and `serve` start processes they do not control: Prefect's API server, the fork
server and worker processes of multiprocessing, its resource tracker. Were the command's own
process killed (SIGKILL, the OOM killer, a restarted service), they would live on, each holding
hundreds of megabytes. So the command forks: the child does the work, in a process group of its
own, and a watcher thread in it ends the whole group as soon as the parent is gone (a thread,
because the main thread may be blocked in a call for as long as it likes); the parent waits,
passes Ctrl-C and SIGTERM on (killing the group if the child has not ended 20 s after a SIGTERM),
and once the child has ended, however it ended, kills whatever is left in the child's group.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable

GRACE = 20  # seconds a stopped child has to end before its group is killed


def supervised(work: Callable[[], int]) -> int:
    """Run `work` in a supervised child and return its exit status. Where forking is not
    possible or not safe (not Linux, or threads already running), `work` runs here."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return work()
    parent = os.getpid()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os._exit(_child(work, parent))
    try:
        os.setpgid(pid, pid)  # also done by the child: whichever runs first
    except OSError:
        pass
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, _frame: _signal(pid, signum))
    _, status = os.waitpid(pid, 0)
    _kill_group(pid)  # whatever the work left behind
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 128 - code


def _child(work: Callable[[], int], parent: int) -> int:
    try:
        os.setpgid(0, 0)
        _die_with(parent)
        return work() or 0
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt:
        return 130
    except BaseException:  # noqa: BLE001 - said on stderr like any uncaught error, then the status
        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def _die_with(parent: int) -> None:
    """End this process group once the parent is gone; SIGTERM from the parent ends the work as
    Ctrl-C does."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os.killpg(0, signal.SIGKILL)  # nobody is left to clean up after us

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def _signal(pid: int, signum: int) -> None:
    """Ctrl-C and SIGTERM go to the child alone (its helpers are killed once it has ended); after
    a SIGTERM the child has GRACE seconds before its whole group is killed."""
    try:
        os.kill(pid, signal.SIGINT if signum == signal.SIGINT else signal.SIGTERM)
    except ProcessLookupError:
        return
    if signum != signal.SIGINT:
        signal.signal(signal.SIGALRM, lambda *_: _kill_group(pid))
        signal.alarm(GRACE)


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
