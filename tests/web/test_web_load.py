"""bench/web_load.py in small: concurrent clients against a real `lagebild serve` on loopback, no errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_load_test_runs_without_errors(web_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    command = [sys.executable, str(ROOT / "bench" / "web_load.py"), "--db", str(web_db)]
    command += ["--clients", "4", "--requests", "120", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["errors"] == 0 and report["requests"] == 120
    assert report["overall"]["p99_ms"] >= report["overall"]["p50_ms"] > 0
