"""Real processes on one database (issue #17): two concurrent `analyze` runs, and `kill -9` recovery."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT

SETTINGS = [
    "--set",
    'pipeline.stages=["language","clean","metadata","sentences"]',
    "--set",
    "reuse.enabled=false",
    "--set",
    "stories.enabled=false",
    "--set",
    "store.batch_size=5",
]
PARAGRAPH = (
    "Der chinesische Präsident Xi Jinping traf am Dienstag in Moskau ein. Er sprach mit Wladimir Putin "
    "über Energie und Sicherheit, wie beide Seiten mitteilten. Nummer {n}."
)


def write_articles(folder: Path, numbers: range) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in numbers:
        text = f"Titel der Meldung {n}\n\n{PARAGRAPH.format(n=n)}"
        (folder / f"a{n:04d}.txt").write_text(text, encoding="utf-8")


def analyze(paths: list[Path], db: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, "-m", "lagebild", "analyze", *map(str, paths), "--db", str(db), "-q", *SETTINGS],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def articles(db: Path) -> dict[str, str]:
    con = sqlite3.connect(db)
    rows = con.execute("select id, json_extract(data, '$.clean_text') from articles").fetchall()
    con.close()
    return dict(rows)


def test_two_analyze_runs_on_one_database_both_finish(tmp_path: Path) -> None:
    """Both runs write the same files and some of their own: each article is stored once, both exit 0."""
    shared, own_a, own_b = tmp_path / "shared", tmp_path / "a", tmp_path / "b"
    write_articles(shared, range(60))
    write_articles(own_a, range(100, 130))
    write_articles(own_b, range(200, 230))
    db = tmp_path / "s.db"
    procs = [analyze([shared, own_a], db), analyze([shared, own_b], db)]
    results = [p.communicate(timeout=600) for p in procs]
    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err.decode()[-2000:]
        assert b"database is locked" not in err
    stored = articles(db)
    assert len(stored) == 120
    con = sqlite3.connect(db)
    runs = con.execute("select status, added, unchanged, failed from runs order by id").fetchall()
    spans = con.execute("select started, finished from runs order by started").fetchall()
    (integrity,) = con.execute("pragma integrity_check").fetchone()
    con.close()
    assert integrity == "ok"
    assert [r[0] for r in runs] == ["ok", "ok"]
    assert spans[1][0] <= spans[0][1], "the two runs did not overlap"
    # the rows count what each run committed: together exactly what the database holds
    assert sum(r[1] for r in runs) == 120 and all(r[3] == 0 for r in runs)


def test_kill_9_then_rerun_gives_the_same_articles_as_a_clean_run(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, range(300))
    clean_db, killed_db = tmp_path / "clean.db", tmp_path / "killed.db"
    clean = analyze([folder], clean_db)
    proc = analyze([folder], killed_db)
    deadline = time.monotonic() + 300
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
        if killed_db.exists():
            try:
                con = sqlite3.connect(killed_db)
                stored = con.execute("select count(*) from articles").fetchone()[0]
                con.close()
            except sqlite3.OperationalError:
                continue
            if stored >= 20:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    clean.communicate(timeout=600)
    assert clean.returncode == 0
    assert 20 <= stored < 300, "the run was not killed mid-run"
    con = sqlite3.connect(killed_db)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    killed = con.execute("select id, status, added from runs").fetchall()
    kept = con.execute("select count(*) from articles").fetchone()[0]
    con.close()
    assert [(status, added) for _, status, added in killed] == [("running", kept)]
    rerun = analyze([folder], killed_db)
    _, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err.decode()[-2000:]
    assert articles(killed_db) == articles(clean_db)
    con = sqlite3.connect(killed_db)
    runs = con.execute("select status, added, unchanged from runs order by id").fetchall()
    con.close()
    assert runs == [("interrupted", kept, 0), ("ok", 300 - kept, kept)]
