import pytest

from lagebild.config import load_config
from lagebild.errors import PipelineError
from lagebild.model import Article
from lagebild.pipeline import Context, Pipeline, registered_stages, stage


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
