"""Stage ``encode``: the shared encoder runs once over an article's sentences; heads read its states.

With ``encoder.shared = "fast"`` (the ``fast`` profile) the fast NER model's encoder (multilingual-e5-small's
embeddings and first four layers, fine-tuned for NER) encodes every sentence once, batched by length,
and the ``entities`` and ``quotes`` heads both read those states: one encoder pass, two heads. With
``"none"`` (the ``accurate`` profile) the stage adds nothing and each model runs its own encoder, because
the accurate NER and quote models carry different LoRA adapters on the full encoder.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from lagebild.errors import ConfigError
from lagebild.model import Article, TokenStates
from lagebild.ner.tagger import load_tagger
from lagebild.pipeline import Context, stage

__all__ = ["shared_encoder", "sentence_words", "chunked_states", "chunks_of", "CHUNK_SENTENCES"]

# Sentences encoded at once by a head that reads a long text in pieces (memory stays bounded).
CHUNK_SENTENCES = 512
T = TypeVar("T")


def sentence_words(article: Article) -> list[list[str]]:
    """The words of every sentence of the article, in order (empty for a sentence without tokens)."""
    text = article.clean_text
    return [[text[a:b] for a, b in s.tokens] for s in article.sentences]


def shared_encoder(ctx: Context, name: str) -> Any:
    """The model whose encoder is shared: loaded once per run under the key the entities stage uses."""
    workers = ctx.config["ner"]["workers"]
    model = ctx.resource(f"ner:{name}", lambda: load_tagger(name, workers))
    if not hasattr(model, "word_states"):
        raise ConfigError(f"encoder.shared = {name!r}: that NER model has no encoder to share (fast or none)")
    return model


def chunks_of(items: Sequence[T], size: int = CHUNK_SENTENCES) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def chunked_states(article: Article, ctx: Context, name: str, keep: Sequence[int]) -> Iterator[list[Any]]:
    """The states of encoder ``name`` for the sentences ``keep`` (indices into ``article.sentences``),
    chunk by chunk: from the ``encode`` stage when it ran with that encoder, else computed now, a
    chunk at a time, so that a head on the shared encoder also works without the stage and a long
    text never holds every sentence's states at once."""
    found = article.token_states
    if found is not None and found.encoder == name and len(found.sentences) == len(article.sentences):
        for part in chunks_of(keep):
            yield [found.sentences[i] for i in part]
        return
    model, words = shared_encoder(ctx, name), sentence_words(article)
    for part in chunks_of(keep):
        yield model.word_states([words[i] for i in part])


@stage("encode", needs=("clean_text", "sentences"), adds=("token_states",))
def encode(article: Article, ctx: Context) -> Article:
    """The shared encoder's states for every sentence (config encoder.shared; run time only, not stored)."""
    name = str(ctx.config["encoder"]["shared"])
    words = sum(len(s.tokens) for s in article.sentences)
    # Above encoder.max_words the states are not kept (7.7 KB a word): the heads encode chunk by chunk.
    if name != "none" and article.sentences and words <= int(ctx.config["encoder"]["max_words"]):
        every = range(len(article.sentences))
        states = [s for chunk in chunked_states(article, ctx, name, every) for s in chunk]
        article.token_states = TokenStates(name, states)
    return article
