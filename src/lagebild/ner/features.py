"""Encoder features for words: every layer's hidden state at each word's first sub-word token."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from lagebild.nlp.e5encoder import E5Encoder
from lagebild.nlp.e5tokenizer import E5Tokenizer

__all__ = ["word_features", "batched"]

MAX_TOKENS = 512


def batched(
    items: Sequence[tuple[str, ...]], tokenizer: E5Tokenizer, max_tokens: int = 4096
) -> Iterator[list[int]]:
    """Indices of sentences grouped into batches of similar length (fewer pad tokens)."""
    lengths = [len(tokenizer.encode_words(list(w))[0]) for w in items]
    order = sorted(range(len(items)), key=lambda i: lengths[i])
    batch: list[int] = []
    for i in order:
        if batch and (len(batch) + 1) * max(lengths[batch[-1]], lengths[i]) > max_tokens:
            yield batch
            batch = []
        batch.append(i)
    if batch:
        yield batch


def word_features(
    sentences: Sequence[tuple[str, ...]],
    tokenizer: E5Tokenizer,
    encoder: E5Encoder,
    layers: Sequence[int] | None = None,
) -> list[np.ndarray]:
    """For each sentence an array (words, layers, hidden) in float16."""
    out: list[np.ndarray] = [np.empty(0)] * len(sentences)
    for batch in batched(sentences, tokenizer):
        encoded = [tokenizer.encode_words(list(sentences[i])) for i in batch]
        ids = [e[0][: MAX_TOKENS - 1] + ([e[0][-1]] if len(e[0]) >= MAX_TOKENS else []) for e in encoded]
        states, _ = encoder.forward(ids)
        if layers is not None:
            states = states[list(layers)]
        for row, (i, (_, first)) in enumerate(zip(batch, encoded, strict=True)):
            # Words beyond the 512-token window get the last position's state.
            index = np.minimum(np.array(first), len(ids[row]) - 2)
            out[i] = states[:, row, index, :].transpose(1, 0, 2).astype(np.float16)
    return out
