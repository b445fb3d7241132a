"""Stories behind the Store interface: put_stories replaces, stories() reads back and filters by article."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.errors import StoreError
from lagebild.store import Story, open_store


def story(sid: str, members: list[str], start: str | None = "2021-02-10") -> Story:
    return Story(
        sid, f"label {sid}", members, start, "2021-02-14", ["KenFM", "RT DE"], ["de"], 0.95, {"k": [1]}
    )


def test_put_read_filter_and_replace(tmp_path: Path):
    path = str(tmp_path / "s.db")
    store = open_store(path)
    assert store.stories() == []
    assert store.put_stories([story("s1", ["a", "b"]), story("s2", ["c", "d", "e"], None)]) == 2
    stored = store.stories()
    assert [s.id for s in stored] == ["s2", "s1"]  # largest first
    assert stored[1] == story("s1", ["a", "b"])  # every field round-trips, member order kept
    assert [s.id for s in store.stories(article_id="d")] == ["s2"]
    assert store.stories(article_id="x") == []
    store.put_stories([story("s3", ["a", "x"])])  # a rerun replaces every story
    assert [s.id for s in store.stories()] == ["s3"] and store.stories(article_id="c") == []
    store.close()
    reopened = open_store(path)
    assert [s.members for s in reopened.stories()] == [["a", "x"]]
    reopened.put_stories([])
    assert reopened.stories() == []
    reopened.close()


def test_evidence_must_be_json(tmp_path: Path):
    store = open_store(str(tmp_path / "s.db"))
    bad = Story("s", "l", ["a"], evidence={"x": object()})
    with pytest.raises(StoreError, match="not JSON"):
        store.put_stories([bad])
    store.close()
