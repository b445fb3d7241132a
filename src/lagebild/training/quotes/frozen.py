"""Train the quote tagger on frozen encoder features (needs the ``train`` extra: PyTorch).

Model: a learned softmax mix of encoder layers plus a few quote-mark features, a BiLSTM over the
whole text window, and four linear-chain CRFs (message with form, cue, source, addressee) sharing
it. Trained on windows of consecutive sentences from SpkAtt train; the weights are exported as a
small ``.npz`` for :class:`lagebild.quotes.tagger.QuoteTagger`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch import nn

from lagebild.quotes.labels import HEADS, LABELS, N_EXTRA
from lagebild.training.ner.frozen import crf_nll

__all__ = ["MultiCrfTagger", "train_tagger", "Window"]

# (features (words, layers, hidden), extra (words, N_EXTRA), tags per head)
Window = tuple[np.ndarray, np.ndarray, dict[str, list[int]]]


class Crf(nn.Module):
    def __init__(self, n: int) -> None:
        super().__init__()
        self.trans = nn.Parameter(torch.zeros(n, n))
        self.start = nn.Parameter(torch.zeros(n))
        self.end = nn.Parameter(torch.zeros(n))

    def nll(self, em: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return crf_nll(self.trans, self.start, self.end, em, tags, mask)


class MultiCrfTagger(nn.Module):
    def __init__(self, n_layers: int, hidden: int = 384, lstm: int = 192, dropout: float = 0.3) -> None:
        super().__init__()
        self.mix_logits = nn.Parameter(torch.zeros(n_layers))
        self.gamma = nn.Parameter(torch.ones(1))
        self.drop = nn.Dropout(dropout)
        self.lstm = nn.LSTM(hidden + N_EXTRA, lstm, batch_first=True, bidirectional=True)
        self.outs = nn.ModuleDict({h: nn.Linear(2 * lstm, len(LABELS[h])) for h in HEADS})
        self.crfs = nn.ModuleDict({h: Crf(len(LABELS[h])) for h in HEADS})

    def mix(self) -> torch.Tensor:
        weights: torch.Tensor = torch.softmax(self.mix_logits, 0) * self.gamma
        return weights

    def hidden(self, feats: torch.Tensor, extra: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        x = torch.cat([torch.einsum("bwlh,l->bwh", feats, self.mix()), extra], dim=-1)
        x = self.drop(x)
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.lstm(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
        return self.drop(out)

    def loss(self, h: torch.Tensor, tags: dict[str, torch.Tensor], mask: torch.Tensor) -> torch.Tensor:
        total = torch.zeros(())
        for head in HEADS:
            total = total + self.crfs[head].nll(self.outs[head](h), tags[head], mask)
        return total


def _pad(windows: list[Window], idx: list[int]) -> tuple[torch.Tensor, ...]:
    lengths = torch.tensor([len(windows[i][0]) for i in idx])
    steps = int(lengths.max())
    _, n_layers, dim = windows[idx[0]][0].shape
    x = torch.zeros((len(idx), steps, n_layers, dim))
    e = torch.zeros((len(idx), steps, N_EXTRA))
    mask = torch.zeros((len(idx), steps))
    ys = [torch.zeros((len(idx), steps), dtype=torch.long) for _ in HEADS]
    for row, i in enumerate(idx):
        f, extra, tags = windows[i]
        n = len(f)
        x[row, :n] = torch.from_numpy(f.astype(np.float32))
        e[row, :n] = torch.from_numpy(extra.astype(np.float32))
        mask[row, :n] = 1
        for y, head in zip(ys, HEADS, strict=True):
            y[row, :n] = torch.tensor(tags[head])
    return (x, e, mask, lengths, *ys)


def train_tagger(
    windows: list[Window],
    out: Path,
    *,
    layers: list[int],
    epochs: int = 10,
    batch: int = 16,
    lr: float = 1e-3,
    seed: int = 13,
    dropout: float = 0.3,
    lstm: int = 192,
    log: Callable[[str], None] = print,
    after_epoch: Callable[[int], None] | None = None,
) -> MultiCrfTagger:
    random.seed(seed)
    torch.manual_seed(seed)
    windows = [(f[:, layers, :], e, t) for f, e, t in windows]
    model = MultiCrfTagger(len(layers), lstm=lstm, dropout=dropout)
    optim = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.LambdaLR(optim, lambda ep: 1.0 if ep < epochs - 2 else 0.3)
    # Similar lengths in a batch: fewer padded steps in the CRF loop.
    order = sorted(range(len(windows)), key=lambda i: len(windows[i][0]))
    batches = [order[i : i + batch] for i in range(0, len(order), batch)]
    for epoch in range(epochs):
        model.train()
        random.shuffle(batches)
        start, total = time.time(), 0.0
        for idx in batches:
            x, e, mask, lengths, *ys = _pad(windows, idx)
            loss = model.loss(model.hidden(x, e, lengths), dict(zip(HEADS, ys, strict=True)), mask)
            optim.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optim.step()
            total += float(loss.detach()) * len(idx)
        sched.step()
        log(f"epoch {epoch + 1}/{epochs}: loss {total / len(windows):.4f} ({time.time() - start:.0f} s)")
        export(model, layers, out)
        if after_epoch is not None:
            after_epoch(epoch)
    return model


def export(model: MultiCrfTagger, layers: list[int], out: Path) -> None:
    sd = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    arrays: dict[str, np.ndarray] = {
        "layers": np.array(layers),
        "mix": model.mix().detach().numpy().astype(np.float16),
        "fw_ih": sd["lstm.weight_ih_l0"].astype(np.float16),
        "fw_hh": sd["lstm.weight_hh_l0"].astype(np.float16),
        "fw_b": (sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"]).astype(np.float16),
        "bw_ih": sd["lstm.weight_ih_l0_reverse"].astype(np.float16),
        "bw_hh": sd["lstm.weight_hh_l0_reverse"].astype(np.float16),
        "bw_b": (sd["lstm.bias_ih_l0_reverse"] + sd["lstm.bias_hh_l0_reverse"]).astype(np.float16),
    }
    for head in HEADS:
        arrays[f"{head}_labels"] = np.array(LABELS[head])
        arrays[f"{head}_w"] = sd[f"outs.{head}.weight"].astype(np.float16)
        arrays[f"{head}_b"] = sd[f"outs.{head}.bias"].astype(np.float16)
        for part in ("trans", "start", "end"):
            arrays[f"{head}_{part}"] = sd[f"crfs.{head}.{part}"]
    np.savez_compressed(out, **arrays)  # type: ignore[arg-type]
