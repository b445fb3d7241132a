"""Train the NER head on frozen encoder features (needs the ``train`` extra: PyTorch).

Model: a learned softmax mix of encoder layers, dropout, a BiLSTM and a linear layer, scored by a
linear-chain CRF. Features are extracted once with the run-time NumPy encoder, so training and
inference see the same numbers; the trained weights are written as a small ``.npz`` for
:class:`lagebild.ner.head.NerHead`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch import nn

from lagebild.ner.germeval import LABELS, Sentence

__all__ = ["train_head", "CrfTagger", "crf_nll", "crf_soft_nll"]


class CrfTagger(nn.Module):
    def __init__(self, n_layers: int, hidden: int = 384, lstm: int = 256, dropout: float = 0.3) -> None:
        super().__init__()
        self.mix_logits = nn.Parameter(torch.zeros(n_layers))
        self.gamma = nn.Parameter(torch.ones(1))
        self.drop = nn.Dropout(dropout)
        self.lstm = nn.LSTM(hidden, lstm, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * lstm, len(LABELS))
        n = len(LABELS)
        self.trans = nn.Parameter(torch.zeros(n, n))
        self.start = nn.Parameter(torch.zeros(n))
        self.end = nn.Parameter(torch.zeros(n))

    def mix(self) -> torch.Tensor:
        weights: torch.Tensor = torch.softmax(self.mix_logits, 0) * self.gamma
        return weights

    def emissions(self, feats: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        x = torch.einsum("bwlh,l->bwh", feats, self.mix())
        x = self.drop(x)
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.lstm(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
        return self.out(self.drop(out))

    def nll(self, em: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return crf_nll(self.trans, self.start, self.end, em, tags, mask)

    def soft_nll(self, em: torch.Tensor, target: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return crf_soft_nll(self.trans, self.start, self.end, em, target, mask)


def _log_partition(
    trans: torch.Tensor, start: torch.Tensor, end: torch.Tensor, em: torch.Tensor, mask: torch.Tensor
) -> torch.Tensor:
    """log Z per sequence of a linear-chain CRF (forward algorithm over the masked words)."""
    alpha = start[None, :] + em[:, 0]
    for t in range(1, em.shape[1]):
        nxt = torch.logsumexp(alpha[:, :, None] + trans[None] + em[:, t, None, :], dim=1)
        alpha = torch.where(mask[:, t, None] > 0, nxt, alpha)
    return torch.logsumexp(alpha + end[None], dim=1)


def crf_nll(
    trans: torch.Tensor,
    start: torch.Tensor,
    end: torch.Tensor,
    em: torch.Tensor,
    tags: torch.Tensor,
    mask: torch.Tensor,
) -> torch.Tensor:
    """Mean negative log-likelihood of ``tags`` under a linear-chain CRF (forward algorithm)."""
    b, steps, _ = em.shape
    idx = torch.arange(b)
    gold = start[tags[:, 0]] + em[idx, 0, tags[:, 0]]
    for t in range(1, steps):
        gold = gold + (trans[tags[:, t - 1], tags[:, t]] + em[idx, t, tags[:, t]]) * mask[:, t]
    gold = gold + end[tags[idx, mask.sum(1).long() - 1]]
    return (_log_partition(trans, start, end, em, mask) - gold).mean()


def crf_soft_nll(
    trans: torch.Tensor,
    start: torch.Tensor,
    end: torch.Tensor,
    em: torch.Tensor,
    target: torch.Tensor,
    mask: torch.Tensor,
) -> torch.Tensor:
    """Mean cross-entropy from per-word label distributions ``target`` (b, words, labels) to the CRF.

    The target's sequence score is its expectation under independent words (a transition counts
    with the product of its two words' probabilities), so a one-hot target gives exactly
    :func:`crf_nll`, and a teacher's marginals give soft distillation: the gradient on the
    emissions is the student's marginals minus the teacher's.
    """
    b, steps, _ = em.shape
    gold = (target[:, 0] * (start[None, :] + em[:, 0])).sum(-1)
    for t in range(1, steps):
        step = torch.einsum("bi,ij,bj->b", target[:, t - 1], trans, target[:, t])
        gold = gold + (step + (target[:, t] * em[:, t]).sum(-1)) * mask[:, t]
    last = target[torch.arange(b), mask.sum(1).long() - 1]
    gold = gold + (last * end[None, :]).sum(-1)
    return (_log_partition(trans, start, end, em, mask) - gold).mean()


def _batches(n: int, size: int, shuffle: bool) -> list[list[int]]:
    order = list(range(n))
    if shuffle:
        random.shuffle(order)
    return [order[i : i + size] for i in range(0, n, size)]


def _pad(
    feats: list[np.ndarray], tags: list[list[int]], idx: list[int]
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    lengths = torch.tensor([len(feats[i]) for i in idx])
    steps = int(lengths.max())
    shape = feats[idx[0]].shape[1:]
    x = torch.zeros((len(idx), steps, *shape), dtype=torch.float32)
    y = torch.zeros((len(idx), steps), dtype=torch.long)
    mask = torch.zeros((len(idx), steps), dtype=torch.float32)
    for row, i in enumerate(idx):
        n = len(feats[i])
        x[row, :n] = torch.from_numpy(feats[i].astype(np.float32))
        y[row, :n] = torch.tensor(tags[i])
        mask[row, :n] = 1
    return x, y, mask, lengths


def train_head(
    feats: list[np.ndarray],
    sentences: list[Sentence],
    out: Path,
    *,
    layers: list[int],
    epochs: int = 8,
    batch: int = 32,
    lr: float = 1e-3,
    seed: int = 13,
    dropout: float = 0.3,
    lstm: int = 256,
    log: Callable[[str], None] = print,
) -> CrfTagger:
    random.seed(seed)
    torch.manual_seed(seed)
    label_ids = {label: i for i, label in enumerate(LABELS)}
    tags = [[label_ids[t] for t in s.tags] for s in sentences]
    feats = [f[:, layers, :] for f in feats]
    model = CrfTagger(len(layers), lstm=lstm, dropout=dropout)
    optim = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.LambdaLR(optim, lambda e: 1.0 if e < epochs - 2 else 0.3)
    for epoch in range(epochs):
        model.train()
        start, total = time.time(), 0.0
        for idx in _batches(len(feats), batch, shuffle=True):
            x, y, mask, lengths = _pad(feats, tags, idx)
            loss = model.nll(model.emissions(x, lengths), y, mask)
            optim.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optim.step()
            total += float(loss.detach()) * len(idx)
        sched.step()
        log(f"epoch {epoch + 1}/{epochs}: loss {total / len(feats):.4f} ({time.time() - start:.0f} s)")
    export(model, layers, out)
    return model


def export(model: CrfTagger, layers: list[int], out: Path) -> None:
    sd = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    np.savez_compressed(
        out,
        labels=np.array(LABELS),
        layers=np.array(layers),
        mix=model.mix().detach().numpy().astype(np.float16),
        fw_ih=sd["lstm.weight_ih_l0"].astype(np.float16),
        fw_hh=sd["lstm.weight_hh_l0"].astype(np.float16),
        fw_b=(sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"]).astype(np.float16),
        bw_ih=sd["lstm.weight_ih_l0_reverse"].astype(np.float16),
        bw_hh=sd["lstm.weight_hh_l0_reverse"].astype(np.float16),
        bw_b=(sd["lstm.bias_ih_l0_reverse"] + sd["lstm.bias_hh_l0_reverse"]).astype(np.float16),
        out_w=sd["out.weight"].astype(np.float16),
        out_b=sd["out.bias"].astype(np.float16),
        trans=sd["trans"],
        start=sd["start"],
        end=sd["end"],
    )
