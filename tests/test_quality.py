"""Quality gate: the dev-set scores must stay above the floors pinned in quality_floors.json."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, shared_path

FLOORS = json.loads((ROOT / "tests" / "quality_floors.json").read_text())


def test_dev_set_scores_hold_their_floors():
    scorer, gold = shared_path("eval", "score.py"), shared_path("eval", "dev.jsonl")
    cmd = f"{ROOT / '.venv' / 'bin' / 'newswatch'} extract --jsonl -"
    mins = [f"--min={k}={v}" for k, v in FLOORS.items() if not k.startswith("_")]
    proc = subprocess.run([sys.executable, str(scorer), str(gold), "--cmd", cmd, *mins],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
