"""The library API end to end: idempotent reruns, incremental adds, interruption, exit codes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lagebild import api
from lagebild.config import load_config
from lagebild.store import open_store
from tests.conftest import CORPUS, ROOT

PARAGRAPH = (
    "Der chinesische Präsident Xi Jinping traf am Dienstag in Moskau ein. Er sprach mit Wladimir Putin "
    "über Energie und Sicherheit, wie beide Seiten mitteilten. Nummer {n}."
)


def write_articles(folder: Path, numbers: range) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in numbers:
        (folder / f"a{n:04d}.txt").write_text(
            f"Titel der Meldung {n}\n\n{PARAGRAPH.format(n=n)}", encoding="utf-8"
        )


def dump(db: Path) -> list[tuple[str, str]]:
    con = sqlite3.connect(db)
    rows = con.execute("select id, data from articles order by id").fetchall()
    con.close()
    return rows


def test_demo_corpus_end_to_end(tmp_path: Path):
    db, report = tmp_path / "demo.db", tmp_path / "out" / "report.html"
    summary = api.analyze([str(CORPUS)], db=str(db), report=str(report))
    assert (summary.added, summary.failed, summary.exit_code) == (17, 0, 0)
    html = report.read_text(encoding="utf-8")
    assert "Die ungleiche Umarmung" in html and "Corpus overview" in html
    assert "<script" not in html


def test_rerun_changes_nothing_and_adding_adds_only_new(tmp_path: Path):
    folder, db = tmp_path / "in", tmp_path / "s.db"
    write_articles(folder, range(5))
    first = api.analyze([str(folder)], db=str(db))
    before = dump(db)
    again = api.analyze([str(folder)], db=str(db))
    assert (first.added, again.added, again.unchanged) == (5, 0, 5)
    assert dump(db) == before
    write_articles(folder, range(5, 8))
    more = api.analyze([str(folder)], db=str(db))
    assert (more.added, more.unchanged) == (3, 5)
    assert len(dump(db)) == 8
    assert {r for r in dump(db) if r in before} == set(before)


def test_same_content_from_two_places_is_stored_once(tmp_path: Path):
    write_articles(tmp_path / "a", range(2))
    write_articles(tmp_path / "b", range(2))
    summary = api.analyze([str(tmp_path / "a"), str(tmp_path / "b")], db=str(tmp_path / "s.db"))
    assert (summary.added, summary.unchanged) == (2, 2)
    store = open_store(str(tmp_path / "s.db"))
    assert store.stats()["sources"] == 4
    store.close()


def test_bad_items_do_not_stop_the_run_and_nothing_is_lost(tmp_path: Path):
    folder, db = tmp_path / "in", tmp_path / "s.db"
    write_articles(folder, range(3))
    api.analyze([str(folder)], db=str(db))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "export.jsonl").write_text(
        '{"text": "' + PARAGRAPH.format(n=99) + '"}\n{broken\n', encoding="utf-8"
    )
    summary = api.analyze([str(folder), str(tmp_path / "missing.txt")], db=str(db))
    assert (summary.added, summary.unchanged, summary.exit_code) == (1, 3, 1)
    assert sorted(Path(s.split("#")[0]).name for s, _ in summary.failures) == [
        "empty.txt",
        "export.jsonl",
        "image.png",
        "missing.txt",
    ]
    assert len(dump(db)) == 4


def test_exit_code_2_when_nothing_usable(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    summary = api.analyze([str(tmp_path / "empty.txt")], db=str(tmp_path / "s.db"))
    assert summary.exit_code == 2 and summary.failures == [(str(tmp_path / "empty.txt"), "empty file")]


def test_stage_failure_is_reported_per_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write_articles(tmp_path / "in", range(3))
    from lagebild.stages import sentences

    original = sentences.split_somajo

    def flaky(text: str, tok: object, notes: list[str] | None = None):
        if "Nummer 1." in text:
            raise ValueError("tokenizer exploded")
        return original(text, tok, notes)

    monkeypatch.setattr(sentences, "split_somajo", flaky)
    summary = api.analyze([str(tmp_path / "in")], db=str(tmp_path / "s.db"))
    assert (summary.added, summary.exit_code) == (2, 1)
    [(source, reason)] = summary.failures
    assert (
        source.endswith("a0001.txt") and reason == "stage 'sentences' failed: ValueError: tokenizer exploded"
    )


def test_keyboard_interrupt_keeps_committed_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder, db = tmp_path / "in", tmp_path / "s.db"
    write_articles(folder, range(10))
    from lagebild.pipeline import Pipeline

    original, calls = Pipeline.run, {"n": 0}

    def interrupting(self, article):
        calls["n"] += 1
        if calls["n"] == 7:
            raise KeyboardInterrupt
        return original(self, article)

    monkeypatch.setattr(Pipeline, "run", interrupting)
    cfg = load_config(overrides=["store.batch_size=3"])
    with pytest.raises(KeyboardInterrupt):
        api.analyze([str(folder)], db=str(db), config=cfg)
    assert len(dump(db)) == 6  # two full batches of 3 were committed before the interrupt
    monkeypatch.setattr(Pipeline, "run", original)
    summary = api.analyze([str(folder)], db=str(db), config=cfg)
    assert (summary.added, summary.unchanged) == (4, 6)
    store = open_store(str(db))
    assert [r.status for r in store.runs()] == ["interrupted", "ok"]
    store.close()


# Durability is about the store, not the NLP: the model stages would only make the run slow.
BASIC_STAGES = 'pipeline.stages=["language","clean","metadata","sentences"]'


def test_killed_process_leaves_a_consistent_database(tmp_path: Path):
    folder, db = tmp_path / "in", tmp_path / "s.db"
    write_articles(folder, range(400))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lagebild",
            "analyze",
            str(folder),
            "--db",
            str(db),
            "-q",
            "--set",
            "store.batch_size=5",
            "--set",
            BASIC_STAGES,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if db.exists():
            try:
                stored = sqlite3.connect(db).execute("select count(*) from articles").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if stored >= 20:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    kept = con.execute("select count(*) from articles").fetchone()[0]
    con.close()
    assert kept >= 20
    summary = api.analyze([str(folder)], db=str(db), config=load_config(overrides=[BASIC_STAGES]))
    assert summary.added + summary.unchanged == 400 and summary.unchanged >= kept
    assert len(dump(db)) == 400


def test_export_jsonl_and_csv(tmp_path: Path):
    db = tmp_path / "s.db"
    write_articles(tmp_path / "in", range(2))
    api.analyze([str(tmp_path / "in")], db=str(db))
    lines = api.export_string(str(db), "jsonl").splitlines()
    records = [json.loads(line) for line in lines]
    assert sorted(r["title"] for r in records) == ["Titel der Meldung 0", "Titel der Meldung 1"]
    assert records[0]["sentences"] and records[0]["stages"] == list(load_config()["pipeline"]["stages"])
    csv_text = api.export_string(str(db), "csv")
    assert csv_text.splitlines()[0].startswith("id,title,outlet,language,published")
    assert len(csv_text.strip().splitlines()) == 3


def test_info(tmp_path: Path):
    db = tmp_path / "s.db"
    write_articles(tmp_path / "in", range(2))
    api.analyze([str(tmp_path / "in")], db=str(db))
    stats = api.info(str(db))
    assert stats["articles"] == 2 and stats["by_language"] == {"de": 2}
    assert stats["last_runs"][-1]["status"] == "ok"
    from lagebild.errors import LagebildError

    with pytest.raises(LagebildError, match="no database"):
        api.info(str(tmp_path / "nope.db"))
