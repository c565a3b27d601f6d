"""Quality gate: dev.jsonl and dev2.jsonl, scored together as one set, must stay above the floors
of the "dev+dev2" section of tests/quality_floors.json (changed only by a deliberate commit)."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, shared_path

FLOORS = json.loads((ROOT / "tests" / "quality_floors.json").read_text())["dev+dev2"]


def test_dev_and_dev2_scored_together_hold_their_floors(tmp_path):
    scorer = shared_path("eval", "score.py")
    parts = [shared_path("eval", name) for name in ("dev.jsonl", "dev2.jsonl")]
    both = tmp_path / "dev+dev2.jsonl"
    both.write_text("".join(p.read_text(encoding="utf-8").rstrip("\n") + "\n" for p in parts), encoding="utf-8")
    cmd = f"{ROOT / '.venv' / 'bin' / 'newswatch'} extract --jsonl -"
    mins = [f"--min={k}={v}" for k, v in FLOORS.items()]
    proc = subprocess.run([sys.executable, str(scorer), str(both), "--cmd", cmd, *mins],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert json.loads(proc.stdout.splitlines()[-1])["cases"] == sum(
        1 for p in parts for line in p.read_text(encoding="utf-8").splitlines() if line.strip())
