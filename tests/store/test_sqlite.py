from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from lagebild.errors import StoreError
from lagebild.model import Article, DateInfo, Provenance, RemovedSpan, Sentence
from lagebild.store import open_store


def article(n: int, outlet: str = "RT DE", published: str | None = "2023-03-10") -> Article:
    return Article(
        id=f"{n:020x}",
        source=f"a{n}.txt",
        source_format="txt",
        raw_text=f"raw {n}",
        clean_text=f"clean {n}",
        title=f"Titel {n}",
        outlet=outlet,
        language="de",
        published=DateInfo(published, "day", published, "text") if published else None,
        removed=[RemovedSpan(0, 3, "raw", "navigation", "r")],
        provenance=[Provenance("first_published", "RT DE", "erschien zuerst", "2023-03-10")],
        sentences=[Sentence(0, 5, [(0, 5)])],
    )


def test_roundtrip_and_idempotent_put(tmp_path: Path):
    store = open_store(str(tmp_path / "s.db"))
    with store.transaction():
        assert store.put(article(1)) is True
        assert store.put(article(1)) is False
    got = store.get(article(1).id)
    assert got == article(1)
    assert store.has(article(1).id) and not store.has("0" * 20)
    store.close()


def test_query_filters_and_order(tmp_path: Path):
    store = open_store(str(tmp_path / "s.db"))
    with store.transaction():
        store.put(article(1, "RT DE", "2023-03-10"))
        store.put(article(2, "KenFM", "2021-02-14"))
        store.put(article(3, "KenFM", None))
    assert [a.title for a in store.query()] == ["Titel 2", "Titel 1", "Titel 3"]
    assert [a.title for a in store.query(outlet="KenFM")] == ["Titel 2", "Titel 3"]
    assert [a.title for a in store.query(limit=1, offset=1)] == ["Titel 1"]
    stats = store.stats()
    assert stats["by_outlet"] == {"KenFM": 2, "RT DE": 1}
    assert stats["by_month"] == {"(undated)": 1, "2021-02": 1, "2023-03": 1}
    store.close()


def test_rollback_on_error_keeps_earlier_commits(tmp_path: Path):
    store = open_store(str(tmp_path / "s.db"))
    with store.transaction():
        store.put(article(1))
    with pytest.raises(RuntimeError), store.transaction():
        store.put(article(2))
        raise RuntimeError("boom")
    assert store.count() == 1
    store.close()


def test_commit_is_a_batch_boundary(tmp_path: Path):
    path = str(tmp_path / "s.db")
    store = open_store(path)
    with store.transaction():
        store.put(article(1))
        store.commit()
        # another connection sees the committed batch while the transaction goes on
        assert sqlite3.connect(path).execute("select count(*) from articles").fetchone()[0] == 1
        store.put(article(2))
    store.close()


def test_runs_failures_sources(tmp_path: Path):
    store = open_store(str(tmp_path / "s.db"))
    run = store.start_run(["x"])
    with store.transaction():
        store.put(article(1))
        store.add_source("a1.txt", article(1).id, run)
        store.add_source("a1.txt", article(1).id, run)
        store.add_failure(run, "bad.bin", "not text")
    store.finish_run(run, "partial", 1, 0, 1)
    assert store.failures() == [("bad.bin", "not text")]
    [record] = store.runs()
    assert (record.status, record.added, record.failed) == ("partial", 1, 1)
    assert store.stats()["sources"] == 1
    store.close()


def test_not_a_database(tmp_path: Path):
    bad = tmp_path / "x.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open database"):
        open_store(str(bad))
