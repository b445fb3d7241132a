"""Stage ``encode``: the shared encoder runs once and the NER and quote heads read its states."""

from __future__ import annotations

from lagebild.config import load_config
from lagebild.model import Article
from lagebild.pipeline import Context, Pipeline, registered_stages

TEXT = (
    "Der chinesische Präsident Xi Jinping traf am Dienstag in Moskau ein. "
    "„Wir sind Freunde“, sagte Wladimir Putin bei der Begrüßung im Kreml. "
    "Außenminister Sergej Lawrow erklärte, Russland werde China mehr Gas liefern. "
    "Die Gespräche sollen am Mittwoch fortgesetzt werden."
)
BEFORE = ["language", "clean", "metadata", "sentences"]


def _prepared(ctx: Context) -> Article:
    article = Article(id="t", source="t.txt", source_format="txt", raw_text=TEXT)
    stages = registered_stages()
    for name in BEFORE:
        article = stages[name].fn(article, ctx)
    return article


def _heads(article: Article, ctx: Context) -> Article:
    stages = registered_stages()
    for name in ("entities", "quotes"):
        article = stages[name].fn(article, ctx)
    return article


def test_the_fast_profile_encodes_once_and_both_heads_read_the_states():
    ctx = Context(load_config(overrides=["analysis.profile=fast", "quotes.method=tagger"]))
    article = registered_stages()["encode"].fn(_prepared(ctx), ctx)
    states = article.token_states
    assert states is not None and states.encoder == "fast"
    assert len(states.sentences) == len(article.sentences) == 4
    for sentence, array in zip(article.sentences, states.sentences, strict=True):
        assert array.shape == (len(sentence.tokens), 5, 384)  # embedding + 4 layers
    shared = _heads(article, ctx)
    # the same heads without the stage encode for themselves and find the same
    alone = _heads(_prepared(ctx), ctx)
    assert alone.token_states is None
    assert [(m.text, m.label) for m in shared.mentions] == [(m.text, m.label) for m in alone.mentions]
    assert {"Xi Jinping", "Moskau", "Wladimir Putin", "Sergej Lawrow"} <= {m.text for m in shared.mentions}
    assert [(q.text, q.speaker) for q in shared.quotes] == [(q.text, q.speaker) for q in alone.quotes]
    assert any(q.speaker and "Putin" in q.speaker and "Freunde" in q.text for q in shared.quotes)
    assert "token_states" not in shared.to_dict()


def test_a_long_article_keeps_no_states_and_the_heads_encode_in_chunks():
    ctx = Context(load_config(overrides=["analysis.profile=fast", "encoder.max_words=5"]))
    article = registered_stages()["encode"].fn(_prepared(ctx), ctx)
    assert article.token_states is None
    assert {"Xi Jinping", "Wladimir Putin"} <= {m.text for m in _heads(article, ctx).mentions}


def test_the_accurate_profile_shares_no_encoder():
    ctx = Context(load_config())
    article = registered_stages()["encode"].fn(_prepared(ctx), ctx)
    assert article.token_states is None and ctx.config["encoder"]["shared"] == "none"


def test_the_default_pipeline_is_the_whole_picture():
    pipeline = Pipeline.from_config(load_config(overrides=["analysis.profile=fast"]))
    article = pipeline.run(Article(id="t", source="t.txt", source_format="txt", raw_text=TEXT))
    assert article.mentions and article.quotes and article.events and article.time_expressions
    assert any(m.actor_id for m in article.mentions)  # linked to the knowledge base
