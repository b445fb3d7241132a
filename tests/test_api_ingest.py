"""The ingest loop of api.analyze under hostile input: one bad item fails alone, nothing else."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from lagebild import api
from lagebild.config import Config, load_config
from lagebild.errors import InputError, StoreError
from lagebild.model import Article
from lagebild.pipeline import Context, stage
from lagebild.store import open_store

TEXT = (
    "Der Außenminister reiste am Montag nach Peking, um über Handel und Sicherheit zu sprechen. Nummer {n}."
)
LIGHT = ["language", "clean", "metadata"]


def cfg(*extra: str, stages: list[str] = LIGHT) -> Config:
    return load_config(
        overrides=[
            f"pipeline.stages={json.dumps(stages)}",
            "store.batch_size=2",
            "reuse.enabled=false",
            "stories.enabled=false",
            *extra,
        ]
    )


def stored(db: Path) -> list[str]:
    con = sqlite3.connect(db)
    rows = [r[0] for r in con.execute("select source from articles order by source")]
    con.close()
    return rows


def runs(db: Path) -> list[str]:
    store = open_store(str(db))
    try:
        return [r.status for r in store.runs()]
    finally:
        store.close()


def hostile_folder(folder: Path) -> tuple[int, int]:
    """Good and hostile items side by side; returns (good items, bad items)."""
    folder.mkdir()
    for n in range(3):
        (folder / f"a{n}.txt").write_text(TEXT.format(n=n), encoding="utf-8")
    records = [
        {"text": TEXT.format(n=10), "authors": 5},
        {"text": TEXT.format(n=11), "title": ["x"], "date": {"y": 1}, "outlet": True, "url": 3},
        {"text": 5},
        {"text": TEXT.format(n=12) + " \ud800"},
    ]
    lines = [json.dumps(r) for r in records] + ["[" * 30_000, '{"n": ' + "1" * 5000 + "}"]
    (folder / "x.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (folder / "empty.jsonl").write_bytes(b"\n\n")
    feed = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!-- ' + "x" * 5000 + ' -->]><rss version="2.0"><channel>'
        f"<item><title>&#xD800;</title><description>{TEXT.format(n=20)} &#xD800;</description></item>"
        "</channel></rss>"
    )
    (folder / "f.xml").write_text(feed, encoding="utf-8")
    with open(os.fsencode(folder) + b"/name-\xff\xfe.txt", "wb") as fh:
        fh.write(TEXT.format(n=30).encode())
    return 3 + 3 + 1 + 1, 4


def test_hostile_items_fail_alone_and_reruns_change_nothing(tmp_path: Path):
    good, bad = hostile_folder(tmp_path / "in")
    db = tmp_path / "s.db"
    summary = api.analyze([str(tmp_path / "in")], db=str(db), config=cfg())
    assert (summary.added, summary.failed, summary.exit_code) == (good, bad, 1)
    reasons = dict(summary.failures)
    assert reasons[f"{tmp_path}/in/x.jsonl#line 3"].startswith("no 'text' or 'html' field")
    assert reasons[f"{tmp_path}/in/x.jsonl#line 5"] == "invalid JSON (nested too deeply)"
    assert "4300 digits" in reasons[f"{tmp_path}/in/x.jsonl#line 6"]
    assert reasons[f"{tmp_path}/in/empty.jsonl"] == "empty JSONL file (no records)"
    sources = stored(db)
    assert len(sources) == good and f"{tmp_path}/in/name-\\xff\\xfe.txt" in sources
    assert runs(db) == ["partial"]
    again = api.analyze([str(tmp_path / "in")], db=str(db), config=cfg())
    assert (again.added, again.unchanged, again.failed) == (0, good, bad)
    assert stored(db) == sources and runs(db) == ["partial", "partial"]


def test_paths_given_as_bytes(tmp_path: Path):
    name = os.fsencode(tmp_path) + b"/\xe4rger.txt"  # latin-1 "ärger": not UTF-8
    with open(name, "wb") as fh:
        fh.write(TEXT.format(n=1).encode())
    summary = api.analyze([name], db=str(tmp_path / "s.db"), config=cfg())
    assert (summary.added, summary.failed) == (1, 0)
    assert stored(tmp_path / "s.db") == [f"{tmp_path}/\\xe4rger.txt"]


@stage("test_explodes", needs=("raw_text",), adds=())
def _explodes(article: Article, context: Context) -> Article:
    """Test stage: fails on articles that say so (an unexpected error, then an InputError)."""
    if "Nummer 1." in article.raw_text:
        raise RecursionError("maximum recursion depth exceeded")
    if "Nummer 2." in article.raw_text:
        raise InputError(article.source, "not an article")
    return article


def test_unexpected_stage_errors_fail_the_item_with_type_and_message(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(4):
        (folder / f"a{n}.txt").write_text(TEXT.format(n=n), encoding="utf-8")
    db = tmp_path / "s.db"
    summary = api.analyze([str(folder)], db=str(db), config=cfg(stages=["language", "test_explodes"]))
    assert summary.added == 2 and runs(db) == ["partial"]
    assert summary.failures == [
        (
            f"{folder}/a1.txt",
            "stage 'test_explodes' failed: RecursionError: maximum recursion depth exceeded",
        ),
        (f"{folder}/a2.txt", "not an article"),
    ]


def test_reader_bug_fails_the_item(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import lagebild.readers as readers

    original = readers.text_article

    def buggy(text: str, source: str, kind: str, notes: list[str]) -> Article:
        if source.endswith("a1.txt"):
            raise KeyError("oops")
        return original(text, source, kind, notes)

    monkeypatch.setattr(readers, "text_article", buggy)
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"a{n}.txt").write_text(TEXT.format(n=n), encoding="utf-8")
    summary = api.analyze([str(folder)], db=str(tmp_path / "s.db"), config=cfg())
    assert summary.added == 2
    assert summary.failures == [(f"{folder}/a1.txt", "reader failed unexpectedly (KeyError: 'oops')")]


@pytest.mark.parametrize("error", [StoreError("disk on fire"), RuntimeError("bug")])
def test_run_row_never_stays_running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception):
    folder, db = tmp_path / "in", tmp_path / "s.db"
    folder.mkdir()
    for n in range(5):
        (folder / f"a{n}.txt").write_text(TEXT.format(n=n), encoding="utf-8")
    from lagebild.api import analysis as api_module

    original = api_module._store
    calls = {"n": 0}

    def failing(*args: object, **kwargs: object) -> int:
        calls["n"] += 1
        if calls["n"] == 4:
            raise error
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(api_module, "_store", failing)
    with pytest.raises(type(error)):
        api.analyze([str(folder)], db=str(db), config=cfg())
    assert runs(db) == ["failed"]
    assert len(stored(db)) == 2  # the committed batch stays
