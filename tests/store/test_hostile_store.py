"""The store under hostile conditions (issue #17): full disk, killed runs, damaged files, read-only media."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from lagebild import api
from lagebild.api import analysis
from lagebild.config import load_config
from lagebild.errors import LagebildError, StoreError
from lagebild.model import Article
from lagebild.store import open_store
from lagebild.store.runlock import lock_path
from lagebild.store.search import search
from lagebild.store.sqlite import SQLiteStore
from tests.conftest import ROOT
from tests.store.test_sqlite import article

BASIC = load_config(
    overrides=[
        'pipeline.stages=["language","clean","metadata","sentences"]',
        "reuse.enabled=false",
        "stories.enabled=false",
        "store.batch_size=5",
    ]
)


def big(n: int) -> Article:
    a = article(n)
    a.clean_text = f"Nummer {n}: " + " ".join(f"wort{n}x{i}" for i in range(600))
    return a


def limit_pages(store: SQLiteStore, extra: int) -> None:
    """Simulate a disk that fills up after ``extra`` more pages."""
    (pages,) = store._db.execute("PRAGMA page_count").fetchone()
    store._db.execute(f"PRAGMA max_page_count = {pages + extra}")


def test_disk_full_says_so_and_the_run_row_counts_what_was_stored(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.db"))
    assert isinstance(store, SQLiteStore)
    run = store.start_run(["in"])
    limit_pages(store, 40)
    claimed = 0
    with pytest.raises(StoreError) as caught, store.transaction():
        for n in range(500):
            store.put(big(n))
            claimed += 1
            if n % 5 == 4:
                store.commit()
    message = str(caught.value)
    assert "database or disk is full" in message and "cannot rollback" not in message
    store.finish_run(run, "failed", claimed, 0, 0)
    [record] = store.runs()
    assert 0 < record.added == store.count() < claimed
    store.close()


def test_disk_full_in_analyze(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, db = tmp_path / "in", tmp_path / "s.db"
    folder.mkdir()
    for n in range(60):
        body = " ".join(f"Satz {n} mit Wort{n}x{i}." for i in range(40))
        (folder / f"a{n:03d}.txt").write_text(f"Titel {n}\n\n{body}", encoding="utf-8")
    real = analysis.open_store

    def small_disk(path: str, **kwargs: bool) -> SQLiteStore:
        store = real(path, **kwargs)
        assert isinstance(store, SQLiteStore)
        limit_pages(store, 30)
        return store

    monkeypatch.setattr(analysis, "open_store", small_disk)
    with pytest.raises(LagebildError, match="database or disk is full"):
        api.analyze([str(folder)], db=str(db), config=BASIC)
    con = sqlite3.connect(db)
    stored = con.execute("select count(*) from articles").fetchone()[0]
    added, status = con.execute("select added, status from runs").fetchone()
    assert stored > 0 and added == stored and status in ("failed", "interrupted", "running")
    con.close()
    monkeypatch.setattr(analysis, "open_store", real)
    # the next run (disk freed) completes the set
    summary = api.analyze([str(folder)], db=str(db), config=BASIC)
    assert summary.added + summary.unchanged == 60 and summary.unchanged == stored


def test_a_killed_run_is_marked_interrupted_on_the_next_open(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    # a process that starts a run and dies without finishing it (as kill -9 would)
    script = (
        "import os, sys\n"
        "from lagebild.store import open_store\n"
        "s = open_store(sys.argv[1]); s.start_run(['x']); os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(db)], check=True, env=_env())
    con = sqlite3.connect(db)
    assert con.execute("select status from runs").fetchall() == [("running",)]
    con.close()
    live = open_store(str(db))  # another run, alive in this process, must be left alone
    alive = live.start_run(["y"])
    store = open_store(str(db))
    assert [(r.id, r.status) for r in store.runs()] == [(1, "interrupted"), (alive, "running")]
    assert not Path(lock_path(str(db), 1)).exists()
    live.finish_run(alive, "ok", 0, 0, 0)
    assert not Path(lock_path(str(db), alive)).exists()
    store.close()
    live.close()


def test_an_unfinished_run_of_a_closed_store_is_interrupted(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.db"))
    store.start_run(["x"])
    store.close()
    store = open_store(str(tmp_path / "s.db"))
    assert [r.status for r in store.runs()] == ["interrupted"]
    store.close()


def test_a_damaged_schema_version_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    open_store(str(db)).close()
    con = sqlite3.connect(db)
    con.execute("update meta set value='abc' where key='schema_version'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="schema_version is 'abc', not a number"):
        open_store(str(db))
    with pytest.raises(StoreError, match="schema_version"):
        open_store(str(db), readonly=True)


@pytest.mark.parametrize("dropped", ["articles_fts", "articles_fts_data", "quote_index", "articles_text"])
def test_a_dropped_part_of_the_search_index_is_rebuilt_on_open(tmp_path: Path, dropped: str) -> None:
    db = tmp_path / "s.db"
    store = open_store(str(db))
    with store.transaction():
        for n in range(3):
            store.put(article(n))
    store.close()
    con = sqlite3.connect(db)
    kind = "VIEW" if dropped == "articles_text" else "TABLE"
    con.execute(f"DROP {kind} {dropped}")
    con.commit()
    con.close()
    store = open_store(str(db))
    page = search(store, "clean")
    assert page.total == 3
    with store.transaction():
        store.put(article(9))
    assert search(store, "Titel").total == 4
    store.close()


def test_reads_see_the_open_batch_and_a_lost_batch_leaves_nothing(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.db"))
    with pytest.raises(RuntimeError), store.transaction():
        assert store.put(article(1)) is True
        assert store.has(article(1).id) and store.get(article(1).id) == article(1)
        assert store.put(article(1)) is False
        raise RuntimeError("boom")
    assert store.count() == 0 and not store.has(article(1).id)
    store.close()


def test_a_reader_does_not_create_a_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database"):
        open_store(str(tmp_path / "missing.db"), readonly=True)
    assert not (tmp_path / "missing.db").exists()


def test_read_only_store_refuses_writes_clearly(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    open_store(str(db)).close()
    db.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        store = open_store(str(db), readonly=True)
        if not store.readonly:  # root may write anyway: nothing to check here
            store.close()
            pytest.skip("running as root: permissions do not make a file read-only")
        with pytest.raises(StoreError, match="read-only"):
            store.start_run(["x"])
        store.close()
    finally:
        tmp_path.chmod(0o755)
        db.chmod(0o644)


READ_ONLY_SCRIPT = r"""
import json, sys
from lagebild import api
from lagebild.store import open_store
db = sys.argv[1]
store = open_store(db, readonly=True)
print(json.dumps({"readonly": store.readonly, "count": store.count()}))
store.close()
print(json.dumps({"info": api.info(db)["articles"]}))
print(json.dumps({"csv": api.export_string(db, "csv").count("\n")}))
"""


def test_a_database_on_read_only_media_can_be_read(tmp_path: Path) -> None:
    """A WAL database on a read-only mount: mode=ro cannot create the WAL index, immutable=1 can."""
    media = tmp_path / "media"
    media.mkdir()
    db = media / "s.db"
    store = open_store(str(db))
    with store.transaction():
        for n in range(3):
            store.put(article(n))
    store.close()
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"mount --bind {media} {media} && mount -o remount,bind,ro {media}"],
        capture_output=True,
    )
    if probe.returncode != 0:
        pytest.skip(f"cannot make a read-only mount here: {probe.stderr.decode()[:200]}")
    mount = f"mount --bind {media} {media} && mount -o remount,bind,ro {media}"
    runs = [
        f"\"{sys.executable}\" -c '{READ_ONLY_SCRIPT}' {db}",
        f'"{sys.executable}" -m lagebild info --db {db}',
        f'"{sys.executable}" -m lagebild export --db {db} --format jsonl -o /dev/null',
        f'"{sys.executable}" -m lagebild report --db {db} -o {tmp_path}/r.html',
        f"\"{sys.executable}\" -c \"from lagebild.web import create_app; create_app(db='{db}'); print('web ok')\"",
    ]
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", mount + " && touch " + str(media / "x") + " ; " + " && ".join(runs)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert '{"readonly": true, "count": 3}' in done.stdout
    assert '{"info": 3}' in done.stdout and '{"csv": 4}' in done.stdout
    assert "3 articles" in done.stdout and "web ok" in done.stdout
    assert "Read-only file system" in done.stderr  # the mount really was read-only
    assert "exported 3 articles" in done.stderr and "report written" in done.stderr


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "300"}


def test_text_sqlite_cannot_take_fails_one_write_not_the_batch(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.db"))
    bad = article(2)
    bad.title = "lone \ud800 surrogate"
    with store.transaction():
        store.put(article(1))
        with pytest.raises(StoreError, match="not valid Unicode"):
            store.put(bad)
        store.put(article(3))
    assert store.count() == 2 and not store.has(bad.id)
    store.close()


def test_a_large_transaction_spills_to_disk_and_stays_atomic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("lagebild.store.sqlite.SPILL_OPS", 10)
    path = str(tmp_path / "s.db")
    store = open_store(path)
    run = store.start_run(["x"])
    with pytest.raises(RuntimeError), store.transaction():
        for n in range(25):
            store.put(article(n))
        assert store.has(article(3).id) and store.get(article(24).id) == article(24)
        raise RuntimeError("boom")
    assert store.count() == 0
    with store.transaction():
        for n in range(25):
            store.put(article(n))
            store.add_source(f"a{n}.txt", article(n).id, run)
        store.commit()
        # another connection sees the committed batch while the transaction goes on
        assert sqlite3.connect(path).execute("select count(*) from articles").fetchone()[0] == 25
        store.put(article(30))
    store.finish_run(run, "ok", 26, 0, 0)
    assert store.count() == 26 and store.runs()[0].added == 26
    store.close()
