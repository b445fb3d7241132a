# PyTorch is an optional extra: where it is missing (CI), its types are Any.
# mypy: disallow-untyped-calls=False, warn-unused-ignores=False, warn-return-any=False
# mypy: disable-error-code="index,no-any-return,operator,union-attr"
"""Training the ``fast`` NER model (needs the ``train`` extra: PyTorch).

The first ``n_layers`` layers of multilingual-e5-small are fine-tuned in full (embeddings frozen)
together with a learned layer mix, a small BiLSTM and a CRF, on gold GermEval sentences and
optionally on silver sentences that the ``accurate`` model labelled (distillation). The export is
what :class:`lagebild.ner.fast.FastNer` loads: the fine-tuned layers as int8 per output row, the
head in float16.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch import nn

from lagebild.ner.fast import quantize_rows
from lagebild.ner.finetune import _LINEAR, TorchE5, _encode, _warm_start
from lagebild.ner.germeval import LABELS, Sentence
from lagebild.ner.train import CrfTagger, export
from lagebild.nlp.e5tokenizer import E5Tokenizer
from lagebild.nlp.e5weights import E5Weights

__all__ = ["train_fast"]


class FastE5(TorchE5):
    """The first layers of the encoder, trainable, with the tanh form of GELU (as the run time uses)."""

    def __init__(self, weights: E5Weights, n_layers: int) -> None:
        super().__init__(weights, [], 0, 1.0)
        self.layers = self.layers[:n_layers]
        for layer in self.layers:
            for param in layer.parameters():
                param.requires_grad_(True)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> list[torch.Tensor]:
        b, n = ids.shape
        heads, dim = self.w.heads, self.w.hidden // self.w.heads
        x = self.eln(self.word[ids] + self.pos[:n] + self.type0)
        states = [x]
        bias = (1.0 - mask[:, None, None, :]) * -1e9
        for layer in self.layers:
            q = layer["q"](x).view(b, n, heads, dim).transpose(1, 2)
            k = layer["k"](x).view(b, n, heads, dim).transpose(1, 2)
            v = layer["v"](x).view(b, n, heads, dim).transpose(1, 2)
            att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dim) + bias, dim=-1)
            ctx = (att @ v).transpose(1, 2).reshape(b, n, self.w.hidden)
            x = layer["aln"](x + layer["ao"](ctx))
            x = layer["oln"](x + layer["fo"](nn.functional.gelu(layer["fi"](x), approximate="tanh")))
            states.append(x)
        return states

    @torch.no_grad()
    def prune_ffn(self, batches: list[tuple[torch.Tensor, torch.Tensor]], keep: int) -> None:
        """Keep the ``keep`` feed-forward units per layer that carry most signal on ``batches``
        (mean |activation| times the norm of the unit's output weights); drop the rest."""
        for number, layer in enumerate(self.layers):
            total = torch.zeros(layer["fi"].weight.shape[0])
            for ids, mask in batches:
                x = self(ids, mask)[number]
                act = nn.functional.gelu(layer["fi"](x), approximate="tanh").abs()
                total += (act * mask[..., None]).sum((0, 1))
            score = total * layer["fo"].weight.norm(dim=0)
            idx = score.argsort(descending=True)[:keep].sort().values
            fi, fo = layer["fi"], layer["fo"]
            fi.weight = nn.Parameter(fi.weight[idx].clone())
            fi.bias = nn.Parameter(fi.bias[idx].clone())
            fo.weight = nn.Parameter(fo.weight[:, idx].clone())


def _truncated_encoder(weights: E5Weights, n_layers: int) -> FastE5:
    return FastE5(weights, n_layers)


def train_fast(
    weights: E5Weights,
    train: list[Sentence],
    out: Path,
    *,
    n_layers: int = 1,
    ffn: int = 0,
    lstm: int = 128,
    epochs: int = 3,
    batch_tokens: int = 1024,
    lr: float = 1e-3,
    encoder_lr: float = 1e-4,
    dropout: float = 0.3,
    seed: int = 13,
    init: Path | None = None,
    log: Callable[[str], None] = print,
) -> None:
    random.seed(seed)
    torch.manual_seed(seed)
    tok = E5Tokenizer(weights)
    encoded = _encode(train, tok)
    label_ids = {label: i for i, label in enumerate(LABELS)}
    tags = [[label_ids[t] for t in s.tags] for s in train]
    encoder = _truncated_encoder(weights, n_layers)
    if init is not None:
        _load_layers(encoder, init)
        log(f"encoder layers and head warm-started from {init}")
    elif ffn:
        sample = [_pad(encoded[i : i + 32], weights.pad) for i in range(0, min(len(encoded), 640), 32)]
        encoder.prune_ffn(sample, ffn)
        log(f"feed-forward layers pruned to {ffn} units")
    head = CrfTagger(n_layers + 1, lstm=lstm, dropout=dropout)
    if init is not None:
        _warm_start(head, init)
    enc_params = [p for p in encoder.parameters() if p.requires_grad]
    optim = torch.optim.AdamW(
        [{"params": enc_params, "lr": encoder_lr}, {"params": list(head.parameters()), "lr": lr}],
        weight_decay=0.01,
    )
    order = sorted(range(len(train)), key=lambda i: len(encoded[i][0]))
    batches: list[list[int]] = []
    cur: list[int] = []
    for i in order:
        if cur and (len(cur) + 1) * len(encoded[i][0]) > batch_tokens:
            batches.append(cur)
            cur = []
        cur.append(i)
    batches.append(cur)
    total_steps = epochs * len(batches)
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min(1.0, (s + 1) / 100) * max(0.05, 1 - s / total_steps)
    )
    params = enc_params + list(head.parameters())
    for epoch in range(epochs):
        random.shuffle(batches)
        encoder.train()
        head.train()
        start, loss_sum = time.time(), 0.0
        for step, idx in enumerate(batches):
            n_tok = max(len(encoded[i][0]) for i in idx)
            n_word = max(len(tags[i]) for i in idx)
            ids = torch.full((len(idx), n_tok), weights.pad, dtype=torch.long)
            mask = torch.zeros((len(idx), n_tok))
            first = torch.zeros((len(idx), n_word), dtype=torch.long)
            y = torch.zeros((len(idx), n_word), dtype=torch.long)
            wmask = torch.zeros((len(idx), n_word))
            for row, i in enumerate(idx):
                e_ids, e_first = encoded[i]
                ids[row, : len(e_ids)] = torch.tensor(e_ids)
                mask[row, : len(e_ids)] = 1
                first[row, : len(e_first)] = torch.tensor(e_first)
                y[row, : len(tags[i])] = torch.tensor(tags[i])
                wmask[row, : len(tags[i])] = 1
            states = torch.stack(encoder(ids, mask), dim=2)  # b, tokens, layers, hidden
            feats = states[torch.arange(len(idx))[:, None], first]  # b, words, layers, hidden
            lengths = wmask.sum(1).long()
            loss = head.nll(head.emissions(feats, lengths), y, wmask)
            optim.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(params, 5.0)
            optim.step()
            sched.step()
            loss_sum += float(loss.detach())
            if step % 200 == 0:
                log(
                    f"epoch {epoch + 1} step {step}/{len(batches)} loss {loss_sum / (step + 1):.3f} "
                    f"({time.time() - start:.0f} s)"
                )
        log(f"epoch {epoch + 1}/{epochs}: loss {loss_sum / len(batches):.4f} ({time.time() - start:.0f} s)")
    export_fast(encoder, head, out)


def _load_layers(encoder: FastE5, path: Path) -> None:
    """Encoder layers from an exported fast model (continue training it)."""
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    if int(arrays["fast_layers"]) != len(encoder.layers):
        raise ValueError(f"{path} has {int(arrays['fast_layers'])} layers, not {len(encoder.layers)}")
    for i, layer in enumerate(encoder.layers):
        for name in _LINEAR:
            weight = arrays[f"enc.l{i}.{name}.wq"].astype(np.float32) * arrays[f"enc.l{i}.{name}.ws"][:, None]
            layer[name].weight = nn.Parameter(torch.from_numpy(weight))
            layer[name].bias = nn.Parameter(torch.from_numpy(arrays[f"enc.l{i}.{name}.b"].copy()))
        for name in ("aln", "oln"):
            layer[name].weight = nn.Parameter(torch.from_numpy(arrays[f"enc.l{i}.{name}.w"].copy()))
            layer[name].bias = nn.Parameter(torch.from_numpy(arrays[f"enc.l{i}.{name}.b"].copy()))


def _pad(encoded: list[tuple[list[int], list[int]]], pad: int) -> tuple[torch.Tensor, torch.Tensor]:
    n = max(len(ids) for ids, _ in encoded)
    ids = torch.full((len(encoded), n), pad, dtype=torch.long)
    mask = torch.zeros((len(encoded), n))
    for row, (seq, _) in enumerate(encoded):
        ids[row, : len(seq)] = torch.tensor(seq)
        mask[row, : len(seq)] = 1
    return ids, mask


def export_fast(encoder: FastE5, head: CrfTagger, out: Path) -> None:
    head_path = out.with_suffix(".head.npz")
    export(head, list(range(len(encoder.layers) + 1)), head_path)
    arrays = dict(np.load(head_path, allow_pickle=False))
    head_path.unlink()
    arrays["fast_layers"] = np.array(len(encoder.layers))
    for i, layer in enumerate(encoder.layers):
        for name in _LINEAR:
            q, scale = quantize_rows(layer[name].weight.detach().numpy())
            arrays[f"enc.l{i}.{name}.wq"] = q
            arrays[f"enc.l{i}.{name}.ws"] = scale
            arrays[f"enc.l{i}.{name}.b"] = layer[name].bias.detach().numpy().astype(np.float32)
        for name in ("aln", "oln"):
            arrays[f"enc.l{i}.{name}.w"] = layer[name].weight.detach().numpy().astype(np.float32)
            arrays[f"enc.l{i}.{name}.b"] = layer[name].bias.detach().numpy().astype(np.float32)
    np.savez_compressed(out, **arrays)  # type: ignore[arg-type]
