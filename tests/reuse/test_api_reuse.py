from __future__ import annotations

import json
from pathlib import Path

import pytest

from lagebild import api
from lagebild.config import load_config
from lagebild.errors import LagebildError
from lagebild.store import Edge, open_store

from .helpers import article, text


def fill(db: str) -> None:
    store = open_store(db)
    with store.transaction():
        for i in range(10):
            store.put(article(f"u{i:02d}", text(200 + i), "2023-01-01"))
        store.put(article("orig", text(1), "2023-03-10", outlet="RT DE"))
        store.put(article("copy", text(1) + "\n\nFolgen Sie uns auf Telegram.", "2023-03-11", outlet="KenFM"))
    store.put_edges([Edge("copy", "orig", "translates", 0.9, "e5", {})])  # another detector's edge
    store.close()


def test_find_reuse_stores_edges_and_a_rerun_changes_nothing(tmp_path: Path):
    db = str(tmp_path / "r.db")
    fill(db)
    first = api.find_reuse(db)
    assert first.articles == 12 and first.by_kind == {"reposts": 1}
    (edge,) = first.edges
    assert (edge.source_id, edge.target_id) == ("copy", "orig")
    second = api.find_reuse(db)
    assert second.edges == first.edges
    store = open_store(db)
    stored = store.edges(method="minhash")
    assert len(stored) == 1 and stored[0].evidence["direction"] == "published 2023-03-11 after 2023-03-10"
    assert [e.kind for e in store.edges(article_id="copy")] == ["reposts", "translates"]  # e5 edge kept
    store.close()


def test_find_reuse_settings_and_missing_db(tmp_path: Path):
    db = str(tmp_path / "r.db")
    fill(db)
    strict = load_config(overrides=["reuse.threshold=0.9"])
    assert api.find_reuse(db, strict).by_kind == {"reposts": 1}  # identical text + one footer line
    assert api.find_reuse(db, load_config(overrides=["reuse.min_words=100000"])).edges == []
    store = open_store(db)
    assert store.edges(method="minhash") == []  # the rerun that found nothing cleared the old edges
    store.close()
    with pytest.raises(LagebildError, match="no database"):
        api.find_reuse(str(tmp_path / "missing.db"))


def test_analyze_runs_reuse_when_enabled(tmp_path: Path):
    docs = tmp_path / "in.jsonl"
    body = text(7)
    rows = [
        {"text": body, "date": "2023-05-01", "outlet": "RT DE"},
        {
            "text": body + "\n\nDieser Beitrag erschien zuerst bei RT DE.",
            "date": "2023-05-03",
            "outlet": "KenFM",
        },
        {"text": text(8), "date": "2023-05-02"},
    ]
    docs.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    overrides = ['pipeline.stages=["language","clean","metadata","sentences"]', "sentences.backend=regex"]
    db = str(tmp_path / "a.db")
    summary = api.analyze([str(docs)], db=db, config=load_config(overrides=overrides))
    assert summary.added == 3 and summary.reuse is not None
    assert summary.reuse.by_kind == {"reposts": 1}
    rerun = api.analyze([str(docs)], db=db, config=load_config(overrides=overrides))
    assert rerun.reuse is None  # nothing added: the stored edges are still current
    off = api.analyze(
        [str(docs)],
        db=str(tmp_path / "b.db"),
        config=load_config(overrides=[*overrides, "reuse.enabled=false"]),
    )
    assert off.reuse is None
    store = open_store(db)
    (edge,) = store.edges(kind="reposts")
    # The metadata stage moved the note out of the text into the provenance, which gives the direction.
    assert edge.evidence["direction"] == "first_published: Dieser Beitrag erschien zuerst bei RT DE"
    assert edge.score == 1.0 and edge.evidence["added"] == 0
    store.close()
