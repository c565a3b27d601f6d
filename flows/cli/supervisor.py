"""A command's work in a process group of its own that cannot outlive the command.

`newswatch run` and `serve` start processes they do not control: Prefect's API server, the fork
server and worker processes of multiprocessing, its resource tracker. Were the command's own
process killed (SIGKILL, the OOM killer, a restarted service), they would live on, each holding
hundreds of megabytes. So the command forks: the child does the work, in a process group of its
own, and receives SIGTERM when the parent dies (Linux's parent-death signal), upon which it ends
its whole group; the parent waits, passes Ctrl-C and SIGTERM on, and once the child has ended,
however it ended, kills whatever is left in the child's group.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable

PR_SET_PDEATHSIG = 1


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
    """SIGTERM when the parent dies; then this process ends its whole group at once."""
    def on_term(signum, frame):
        if os.getppid() != parent:  # the parent is gone: nobody will clean up after us
            os.killpg(0, signal.SIGKILL)
        raise KeyboardInterrupt  # the parent asked: end as on Ctrl-C; it cleans up after us

    signal.signal(signal.SIGTERM, on_term)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the signal was armed
        os.killpg(0, signal.SIGKILL)


def _signal(pid: int, signum: int) -> None:
    """Ctrl-C and SIGTERM go to the child alone (its helpers are killed once it has ended)."""
    try:
        os.kill(pid, signal.SIGINT if signum == signal.SIGINT else signal.SIGTERM)
    except ProcessLookupError:
        pass


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
