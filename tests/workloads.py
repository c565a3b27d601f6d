"""Stand-in documents for the isolation tests: functions the worker processes import by name."""
from __future__ import annotations

import os
import time


def behave(kind: str) -> str:
    if kind == "hang":
        time.sleep(120)
    elif kind == "balloon":
        blob = bytearray(4 * 1024 ** 3)  # 4 GB: over any budget the test sets
        return str(len(blob))
    elif kind == "crash":
        os._exit(3)
    elif kind == "raise":
        raise ValueError("a parser error")
    return f"ok:{kind}"
