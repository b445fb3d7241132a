"""Loading a shipped NER model by name: ``accurate`` (full encoder + BiLSTM-CRF) or ``fast``.

Both taggers take pre-tokenised sentences and return BIO tags per word (GermEval scheme:
PER, LOC, ORG, OTH).
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Protocol

import numpy as np

from lagebild.errors import ConfigError
from lagebild.nlp.e5tokenizer import E5Tokenizer

__all__ = ["Tagger", "AccurateNer", "load_tagger", "load_tagger_file", "shipped_models"]


class Tagger(Protocol):
    tokenizer: E5Tokenizer

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]: ...


class AccurateNer:
    """The multilingual-e5-small encoder (with LoRA adapters, if stored) + the NumPy BiLSTM-CRF head."""

    def __init__(self, path: str | Path) -> None:
        from lagebild.ner.head import NerEnsemble, load_lora
        from lagebild.nlp.e5encoder import E5Encoder
        from lagebild.nlp.e5weights import load_e5_weights

        weights = load_e5_weights()
        self.tokenizer = E5Tokenizer(weights)
        self.encoder = E5Encoder(weights, load_lora(path))
        self.head = NerEnsemble.load(path)

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        from lagebild.ner.features import word_features

        words = [tuple(s) for s in sentences]
        feats = word_features(words, self.tokenizer, self.encoder) if words else []
        return self.head.predict_batch(feats)

    def marginals(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Per sentence the CRF's label probabilities per word (words, labels), labels as ``LABELS``."""
        from lagebild.ner.features import word_features

        words = [tuple(s) for s in sentences]
        feats = word_features(words, self.tokenizer, self.encoder) if words else []
        return [self.head.marginals(f) for f in feats]


def shipped_models() -> list[str]:
    folder = resources.files("lagebild").joinpath("ner/models")
    return sorted(p.name[: -len(".npz")] for p in folder.iterdir() if p.name.endswith(".npz"))


def load_tagger_file(path: str | Path, workers: int = 1) -> Tagger:
    """``workers``: threads for the ``fast`` model's batches (the accurate model uses BLAS threads)."""
    from lagebild.ner.fast import FastNer, is_fast_model

    if is_fast_model(path):
        from lagebild.nlp.e5weights import load_e5_weights

        return FastNer(load_e5_weights(), path, workers)
    return AccurateNer(path)


def load_tagger(name: str, workers: int = 1) -> Tagger:
    """A shipped model by name (config ``ner.model``, ``ner.workers``)."""
    path = resources.files("lagebild").joinpath(f"ner/models/{name}.npz")
    if not path.is_file():
        raise ConfigError(f"no NER model named {name!r} (ner.model); shipped: {', '.join(shipped_models())}")
    return load_tagger_file(str(path), workers)
