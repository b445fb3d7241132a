import signal
import threading
import time
from pathlib import Path

import pytest

from lagebild.api import analyze
from lagebild.config import load_config
from lagebild.errors import ConfigError, PipelineError, StageError
from lagebild.model import Article, content_id
from lagebild.pipeline import Context, Pipeline, TimeBudgetError, registered_stages, stage


def test_builtin_stages_declare_needs_and_adds():
    stages = registered_stages()
    assert {"language", "clean", "metadata", "sentences"} <= set(stages)
    assert "clean_text" in stages["clean"].adds and "language" in stages["clean"].needs
    assert all(s.doc for s in stages.values())


def test_order_is_checked_before_running():
    ctx = Context(load_config())
    with pytest.raises(PipelineError, match="stage 'clean' needs language"):
        Pipeline(["clean", "language"], ctx)
    with pytest.raises(PipelineError, match="unknown stage"):
        Pipeline(["language", "nonsense"], ctx)


def test_custom_stage_plugs_in():
    @stage("shout", needs=("clean_text",), adds=("notes",))
    def shout(article: Article, ctx: Context) -> Article:
        article.notes.append(article.clean_text.upper())
        return article

    cfg = load_config(overrides=['pipeline.stages=["language", "clean", "shout"]'])
    text = "Peking und Moskau vereinbaren neue Gespräche über Energie und Handel."
    a = Pipeline.from_config(cfg).run(Article(id="x", source="s", source_format="txt", raw_text=text))
    assert a.notes[-1] == text.upper() and a.stages == ["language", "clean", "shout"]


# -- the per-article time budget ----------------------------------------------------------------


@stage("stall", needs=("raw_text",), adds=())
def stall(article: Article, ctx: Context) -> Article:
    """Test stage: loops (pure Python) or sleeps for ever on texts that say so."""
    if "LOOP" in article.raw_text:
        while True:
            pass
    if "SLEEP" in article.raw_text:
        time.sleep(3600)
    if "SLOW" in article.raw_text:
        time.sleep(0.5)
    return article


def _budget_pipeline(seconds: float) -> Pipeline:
    cfg = load_config(overrides=['pipeline.stages=["stall"]', f"pipeline.article_seconds={seconds}"])
    return Pipeline.from_config(cfg)


def _article(text: str) -> Article:
    return Article(id=content_id(text), source="hostile.txt", source_format="txt", raw_text=text)


@pytest.mark.parametrize("word", ["LOOP", "SLEEP"])
def test_a_runaway_stage_is_interrupted_at_the_budget(word: str) -> None:
    text = f"Peking und Moskau vereinbaren neue Gespräche über Energie und Handel. {word}"
    with pytest.raises(TimeBudgetError, match=r"took longer than 0.3 s in stage stall") as err:
        _budget_pipeline(0.3).run(_article(text))
    assert err.value.stage == "stall" and err.value.source == "hostile.txt"
    assert isinstance(err.value, StageError)  # the per-item failure path handles it
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # the timer is disarmed again


def test_off_the_main_thread_the_budget_is_checked_between_stages() -> None:
    text = "Peking und Moskau vereinbaren neue Gespräche über Energie und Handel. SLOW"
    caught: list[BaseException] = []

    def work() -> None:
        try:
            _budget_pipeline(0.1).run(_article(text))
        except TimeBudgetError as exc:
            caught.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(30)
    assert len(caught) == 1 and "in stage stall" in str(caught[0])


def test_within_the_budget_nothing_changes() -> None:
    text = "Peking und Moskau vereinbaren neue Gespräche über Energie und Handel."
    assert _budget_pipeline(30).run(_article(text)).stages == ["stall"]
    assert _budget_pipeline(0).run(_article(text + " SLOW")).stages[-1] == "stall"  # 0: no limit


def test_a_stage_over_the_budget_fails_its_item_and_the_run_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-stuck.txt").write_text("Ein Text, der hängen bleibt. LOOP", encoding="utf-8")
    (folder / "b-fine.txt").write_text(
        "Peking und Moskau vereinbaren neue Gespräche über Energie und Handel.", encoding="utf-8"
    )
    cfg = load_config(overrides=['pipeline.stages=["stall"]', "pipeline.article_seconds=0.5"])
    summary = analyze([str(folder)], db=str(tmp_path / "t.db"), config=cfg)
    assert summary.added == 1 and summary.failed == 1
    source, reason = summary.failures[0]
    assert source.endswith("a-stuck.txt") and "took longer than 0.5 s in stage stall" in reason


def test_the_budget_is_validated() -> None:
    with pytest.raises(ConfigError, match="article_seconds"):
        load_config(overrides=["pipeline.article_seconds=-1"])
    with pytest.raises(ConfigError, match="article_seconds"):
        load_config(overrides=["pipeline.article_seconds=soon"])


def test_blas_threads_are_held_while_the_stages_run():
    from threadpoolctl import threadpool_info

    from lagebild.config import load_config

    def blas() -> set[int]:
        return {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}

    pipeline = Pipeline.from_config(load_config(overrides=["pipeline.blas_threads=1"]))
    with pipeline.blas_threads():
        assert blas() == {1}
    unlimited = Pipeline.from_config(load_config(overrides=["pipeline.blas_threads=0"]))
    before = blas()
    with unlimited.blas_threads():
        assert blas() == before
