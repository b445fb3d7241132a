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

import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch import nn

from lagebild.errors import ConfigError
from lagebild.ner.fast import quantize_rows
from lagebild.ner.germeval import LABELS, Sentence
from lagebild.nlp.e5tokenizer import E5Tokenizer
from lagebild.nlp.e5weights import E5Weights
from lagebild.training.ner.finetune import _LINEAR, TorchE5, _encode, _warm_start
from lagebild.training.ner.frozen import CrfTagger, export
from lagebild.training.trainloop import train_sentences

__all__ = ["train_fast"]


class FastE5(TorchE5):
    """The first layers of the encoder, trainable, with the tanh form of GELU (as the run time uses)."""

    gelu = "tanh"

    def __init__(self, weights: E5Weights, n_layers: int) -> None:
        super().__init__(weights, [], 0, 1.0)
        self.layers = self.layers[:n_layers]
        for layer in self.layers:
            for param in layer.parameters():
                param.requires_grad_(True)

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
    soft: list[np.ndarray | None] | None = None,
    log: Callable[[str], None] = print,
) -> None:
    """``soft``: per training sentence a teacher's label marginals (words, labels) or None (gold)."""
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
    train_sentences(
        encoder,
        head,
        encoded,
        tags,
        weights.pad,
        optim,
        epochs,
        batch_tokens=batch_tokens,
        log=log,
        log_every=200,
        soft=soft,
    )
    export_fast(encoder, head, out)


def _load_layers(encoder: FastE5, path: Path) -> None:
    """Encoder layers from an exported fast model (continue training it)."""
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    if int(arrays["fast_layers"]) != len(encoder.layers):
        raise ConfigError(f"{path} has {int(arrays['fast_layers'])} layers, not {len(encoder.layers)}")
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
