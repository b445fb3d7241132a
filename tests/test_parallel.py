"""lagebild.parallel: the stages in worker processes, results in input order, failures per item."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from lagebild import api
from lagebild.config import load_config
from lagebild.errors import ConfigError
from lagebild.model import Article, content_id
from lagebild.parallel import ArticleRunner, Failure, worker_count
from lagebild.pipeline import Context, Pipeline, stage

TEXT = (
    "Nummer {n}. Der Außenminister reiste am Montag nach Peking. Dort sprach er mit seinem Amtskollegen "
    "über den Handel, die Lage in der Region und die nächsten Gespräche beider Regierungen."
)


MAIN_PID = os.getpid()  # a forked worker inherits it


@stage("test_worker_trouble", needs=("raw_text",), adds=())
def _trouble(article: Article, context: Context) -> Article:
    """Test stage: fails on "Nummer 3.", kills its process on "Nummer 5." (only in a worker)."""
    if "Nummer 3." in article.raw_text:
        raise ValueError("kaputt")
    if "Nummer 5." in article.raw_text and os.getpid() != MAIN_PID:
        os._exit(9)
    article.notes.append(f"pid {os.getpid()}")
    return article


def _pipeline() -> Pipeline:
    return Pipeline(["language", "clean", "test_worker_trouble"], Context(load_config()))


def _articles(n: int) -> list[Article]:
    texts = [TEXT.format(n=i) for i in range(n)]
    return [
        Article(id=content_id(t), source=f"a{i}", source_format="txt", raw_text=t)
        for i, t in enumerate(texts)
    ]


def _run(workers: int, pool_after: int, items: list[Article]) -> list[tuple[str, object]]:
    runner: ArticleRunner[Article] = ArticleRunner(_pipeline(), workers, pool_after)
    out = []
    for item, outcome in runner.run(items, lambda a: a):
        out.append((item.source, outcome.clean_text if isinstance(outcome, Article) else outcome))
    return out


def test_workers_give_the_results_of_one_process_in_input_order() -> None:
    items = [a for a in _articles(12) if "Nummer 5." not in a.raw_text]
    alone = _run(1, 16, items)
    pooled = _run(2, 2, items)
    assert pooled == alone
    assert [source for source, _ in pooled] == [a.source for a in items]
    assert alone[3] == ("a3", Failure("a3", "ValueError: kaputt", "test_worker_trouble"))


def test_articles_after_pool_after_run_in_other_processes() -> None:
    runner: ArticleRunner[Article] = ArticleRunner(_pipeline(), 2, 2)
    notes = [o.notes[-1] for _, o in runner.run(_articles(3), lambda a: a) if isinstance(o, Article)]
    assert notes[0] == f"pid {os.getpid()}" and notes[1] == f"pid {os.getpid()}"
    assert notes[2] != f"pid {os.getpid()}"


def test_items_that_are_no_work_pass_through_in_their_place() -> None:
    items = _articles(6)
    runner: ArticleRunner[Article] = ArticleRunner(_pipeline(), 2, 0)
    out = list(runner.run(items, lambda a: None if a.source in ("a1", "a4") else a))
    assert [i.source for i, _ in out] == [a.source for a in items]
    assert [o is None for _, o in out] == [False, True, False, False, True, False]


def test_a_worker_that_dies_fails_only_its_article() -> None:
    out = dict(_run(2, 0, _articles(10)))
    assert out["a5"] == Failure(
        "a5", "the worker process running it ended unexpectedly (killed or out of memory)"
    )
    assert isinstance(out["a3"], Failure) and out["a3"].stage == "test_worker_trouble"
    assert all(isinstance(v, str) and v for k, v in out.items() if k not in ("a3", "a5"))


def test_analyze_with_workers_stores_what_one_process_stores(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(9):
        (folder / f"a{i}.txt").write_text(TEXT.format(n=i + 10), encoding="utf-8")
    (folder / "copy.txt").write_text(TEXT.format(n=12), encoding="utf-8")  # the same text twice in a run
    rows = {}
    for workers in (1, 2):
        config = load_config(
            overrides=[
                "pipeline.stages=['language','clean','metadata','sentences']",
                f"pipeline.workers={workers}",
                "pipeline.pool_after=2",
                "reuse.enabled=false",
                "stories.enabled=false",
            ]
        )
        db = tmp_path / f"w{workers}.db"
        summary = api.analyze([str(folder)], db=str(db), config=config)
        assert (summary.added, summary.unchanged, summary.failed) == (9, 1, 0)
        with sqlite3.connect(db) as con:
            rows[workers] = con.execute(
                "SELECT id, source, title, json_extract(data, '$.clean_text'), json_extract(data, '$.sentences') FROM articles ORDER BY rowid"
            ).fetchall()
        again = api.analyze([str(folder)], db=str(db), config=config)
        assert (again.added, again.unchanged) == (0, 10)
    assert rows[2] == rows[1]


def test_workers_setting() -> None:
    assert worker_count(load_config(overrides=["pipeline.workers=3"])) == 3
    assert 1 <= worker_count(load_config()) <= 4
    for bad in ("0", "'many'", "true"):
        with pytest.raises(ConfigError, match="pipeline.workers"):
            load_config(overrides=[f"pipeline.workers={bad}"])
