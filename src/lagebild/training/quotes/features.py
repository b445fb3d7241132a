"""Frozen encoder features for the SpkAtt corpus, cached for ``lagebild train quotes``.

Every sentence is encoded on its own by the run-time NumPy e5-small encoder; the state of each
word's first sub-word token at every layer is kept (float16), concatenated per document.
``lagebild train quotes --features-only`` extracts them and stops.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from lagebild.ner.fast import FastNer
from lagebild.ner.features import word_features
from lagebild.nlp.e5encoder import E5Encoder
from lagebild.nlp.e5tokenizer import E5Tokenizer
from lagebild.nlp.e5weights import load_e5_weights
from lagebild.quotes.spkatt import read_split

__all__ = ["cached_doc_features"]


def _encoder(name: str) -> Callable[[list[tuple[str, ...]]], list[np.ndarray]]:
    weights = load_e5_weights()
    if name == "fast":
        from lagebild.ner.tagger import load_tagger

        model = load_tagger("fast")
        assert isinstance(model, FastNer)
        return lambda sentences: [s.astype(np.float16) for s in model.word_states(sentences)]
    tokenizer, encoder = E5Tokenizer(weights), E5Encoder(weights)
    return lambda sentences: word_features(sentences, tokenizer, encoder)


def cached_doc_features(split: str, data: Path, cache: Path, encoder: str = "accurate") -> list[np.ndarray]:
    """Per document an array (words, layers, hidden) float16; extracted once, then memory-mapped.

    ``encoder``: "accurate", the full e5-small encoder (13 states per word), or "fast", the shared
    encoder of the fast profile (the fast NER model's embedding and four fine-tuned layers: 5 states),
    for a quote head that reads what the ``encode`` stage keeps."""
    tag = "" if encoder == "accurate" else f"{encoder}-"
    flat_path, len_path = cache / f"spkatt-{tag}{split}.npy", cache / f"spkatt-{tag}{split}-lengths.npy"
    if not flat_path.exists():
        docs = read_split(data / split)
        encode = _encoder(encoder)
        start, feats, lengths = time.time(), [], []
        for i, doc in enumerate(docs):
            per_sentence = encode([tuple(s) for s in doc.sentences])
            feats.append(np.concatenate(per_sentence))
            lengths.append(len(feats[-1]))
            if i % 50 == 0:
                print(f"{split}: {i}/{len(docs)} docs, {time.time() - start:.0f} s", flush=True)
        cache.mkdir(parents=True, exist_ok=True)
        np.save(flat_path, np.concatenate(feats))
        np.save(len_path, np.array(lengths))
        print(f"{split}: {sum(lengths):,} words in {time.time() - start:.0f} s", flush=True)
    flat = np.load(flat_path, mmap_mode="r")
    out, pos = [], 0
    for n in np.load(len_path):
        out.append(np.asarray(flat[pos : pos + n]))
        pos += n
    return out
