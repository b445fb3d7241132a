from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.errors import StoreError
from lagebild.store import Edge, open_store


def edge(s: str, t: str, kind: str = "reposts", method: str = "minhash", score: float = 0.9) -> Edge:
    return Edge(s, t, kind, score, method, {"copied": [0, 2], "note": "erschien zuerst auf RT DE"})


def test_put_and_query_edges(tmp_path: Path):
    store = open_store(str(tmp_path / "e.db"))
    assert store.put_edges([edge("a", "b"), edge("c", "b", "near_duplicate", score=0.8)]) == 2
    assert store.put_edges([edge("x", "a", "translates", "e5", 0.95)]) == 1
    assert {(e.source_id, e.target_id) for e in store.edges()} == {("a", "b"), ("c", "b"), ("x", "a")}
    assert [e.target_id for e in store.edges(kind="reposts")] == ["b"]
    assert {e.kind for e in store.edges(article_id="a")} == {"reposts", "translates"}
    assert [e.source_id for e in store.edges(kind="translates", article_id="a")] == ["x"]
    assert store.edges(method="e5")[0].kind == "translates"
    got = store.edges(kind="reposts")[0]
    assert got == edge("a", "b")  # evidence round-trips as JSON
    store.close()


def test_rerun_replaces_edges_of_the_same_method_only(tmp_path: Path):
    path = str(tmp_path / "e.db")
    store = open_store(path)
    store.put_edges([edge("a", "b"), edge("c", "d"), edge("x", "a", "translates", "e5")])
    store.put_edges([edge("a", "b", score=0.5)])
    assert [(e.source_id, e.score) for e in store.edges(method="minhash")] == [("a", 0.5)]
    assert len(store.edges(method="e5")) == 1  # another method's edges stay
    store.put_edges([], method="minhash")  # a rerun that found nothing clears the method
    assert store.edges(method="minhash") == []
    store.close()
    reopened = open_store(path)
    assert [e.method for e in reopened.edges()] == ["e5"]
    reopened.close()


def test_duplicate_edges_in_one_batch_keep_the_last(tmp_path: Path):
    store = open_store(str(tmp_path / "e.db"))
    assert store.put_edges([edge("a", "b", score=0.1), edge("a", "b", score=0.7)]) == 1
    assert store.edges()[0].score == 0.7
    store.close()


def test_edges_inside_a_transaction_and_bad_evidence(tmp_path: Path):
    store = open_store(str(tmp_path / "e.db"))
    with store.transaction():
        store.put_edges([edge("a", "b")])
    assert len(store.edges()) == 1
    with pytest.raises(StoreError, match="not JSON"):
        store.put_edges([Edge("a", "c", "reposts", 1.0, "minhash", {"bad": object()})])
    assert len(store.edges()) == 1  # the failed batch was rolled back
    store.close()
