"""LoRA fine-tuning of the encoder for NER (needs the ``train`` extra: PyTorch).

The frozen encoder's mix of layers gives 0.80 F1; adapting the encoder itself is what closes the
gap. Low-rank adapters (LoRA) on every linear map of the chosen layers are trained together with
the BiLSTM-CRF head. Only the adapters and the head are stored (a few MB); at run time the
adapters are merged into the NumPy encoder's weights (W + scale * B @ A).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from lagebild.errors import ConfigError
from lagebild.ner.germeval import LABELS, Sentence
from lagebild.nlp.e5tokenizer import E5Tokenizer
from lagebild.nlp.e5weights import E5Weights
from lagebild.training.ner.frozen import CrfTagger
from lagebild.training.trainloop import load_mix_and_lstm, train_sentences

__all__ = ["finetune", "lora_arrays", "load_adapters", "encode_sentence", "TorchE5"]

_LINEAR = ("q", "k", "v", "ao", "fi", "fo")


class LoraLinear(nn.Module):
    def __init__(self, weight: np.ndarray, bias: np.ndarray, rank: int, alpha: float) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.from_numpy(weight.copy()), requires_grad=False)  # [out, in]
        self.bias = nn.Parameter(torch.from_numpy(bias.copy()), requires_grad=False)
        self.rank = rank
        if rank:
            self.a = nn.Parameter(torch.randn(rank, weight.shape[1]) / math.sqrt(weight.shape[1]))
            self.b = nn.Parameter(torch.zeros(weight.shape[0], rank))
            self.scale = alpha / rank

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = nn.functional.linear(x, self.weight, self.bias)
        if self.rank:
            out = out + (x @ self.a.T @ self.b.T) * self.scale
        return out


class TorchE5(nn.Module):
    gelu = "none"  # the fast model's run time uses the tanh form; see lagebild.training.ner.fast

    def __init__(self, w: E5Weights, lora_layers: Sequence[int], rank: int, alpha: float) -> None:
        super().__init__()
        t = w.tensor
        self.w = w
        self.word = nn.Parameter(torch.from_numpy(t("emb.word")), requires_grad=False)
        self.pos = nn.Parameter(
            torch.from_numpy(t("emb.pos").reshape(w.max_positions, w.hidden)), requires_grad=False
        )
        self.type0 = nn.Parameter(
            torch.from_numpy(t("emb.type").reshape(-1, w.hidden)[0].copy()), requires_grad=False
        )
        self.eln = nn.LayerNorm(w.hidden, eps=w.eps)
        self.eln.weight.data, self.eln.bias.data = (
            torch.from_numpy(t("emb.ln.w")),
            torch.from_numpy(t("emb.ln.b")),
        )
        self.eln.requires_grad_(False)
        self.layers = nn.ModuleList()
        for i in range(w.layers):
            r = rank if i in lora_layers else 0
            layer = nn.ModuleDict(
                {n: LoraLinear(t(f"l{i}.{n}.w"), t(f"l{i}.{n}.b"), r, alpha) for n in _LINEAR}
            )
            for name in ("aln", "oln"):
                ln = nn.LayerNorm(w.hidden, eps=w.eps)
                ln.weight.data, ln.bias.data = (
                    torch.from_numpy(t(f"l{i}.{name}.w")),
                    torch.from_numpy(t(f"l{i}.{name}.b")),
                )
                ln.requires_grad_(False)
                layer[name] = ln
            self.layers.append(layer)

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
            x = layer["oln"](x + layer["fo"](nn.functional.gelu(layer["fi"](x), approximate=self.gelu)))
            states.append(x)
        return states


def encode_sentence(tok: E5Tokenizer, words: Sequence[str]) -> tuple[list[int], list[int]]:
    """Sub-word ids and each word's first sub-word, cut to the encoder's 512 positions."""
    ids, first = tok.encode_words(list(words))
    if len(ids) > 512:
        ids = ids[:511] + [ids[-1]]
        first = [min(f, 510) for f in first]
    return ids, first


def _encode(sentences: list[Sentence], tok: E5Tokenizer) -> list[tuple[list[int], list[int]]]:
    return [encode_sentence(tok, s.words) for s in sentences]


def finetune(
    weights: E5Weights,
    train: list[Sentence],
    out: Path,
    *,
    lora_layers: Sequence[int] = range(12),
    rank: int = 8,
    alpha: float = 16.0,
    epochs: int = 3,
    batch_tokens: int = 2048,
    lr: float = 1e-3,
    dropout: float = 0.3,
    seed: int = 13,
    init_head: Path | None = None,
    init_lora: Path | None = None,
    soft: Sequence[np.ndarray | None] | None = None,
    log: Callable[[str], None] = print,
) -> None:
    """Train LoRA adapters and a BiLSTM-CRF head on ``train`` and export both to ``out``.

    ``init_head``: start from this head (frozen-feature training or a fine-tuned model);
    ``init_lora``: start the adapters from this fine-tuned model's (same rank); ``soft``: per
    sentence a teacher's per-word label distribution to learn instead of the tags (None: the tags).
    """
    random.seed(seed)
    torch.manual_seed(seed)
    tok = E5Tokenizer(weights)
    encoded = _encode(train, tok)
    label_ids = {label: i for i, label in enumerate(LABELS)}
    tags = [[label_ids[t] for t in s.tags] for s in train]
    encoder = TorchE5(weights, list(lora_layers), rank, alpha)
    head = CrfTagger(weights.layers + 1, dropout=dropout)
    if init_head is not None:
        _warm_start(head, init_head)
    if init_lora is not None:
        load_adapters(encoder, init_lora)
    params = [p for p in encoder.parameters() if p.requires_grad] + list(head.parameters())
    optim = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
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
        log_every=50,
        soft=soft,
    )
    _export(encoder, head, out)


def _warm_start(head: CrfTagger, path: Path) -> None:
    """Start from a head trained on frozen features (what ``train_head`` exported)."""
    with np.load(path, allow_pickle=False) as data:
        arrays = {
            k: torch.from_numpy(data[k].astype(np.float32))
            for k in data.files
            if k not in ("labels", "layers")
        }
    load_mix_and_lstm(head, arrays)
    with torch.no_grad():
        head.out.weight.copy_(arrays["out_w"])
        head.out.bias.copy_(arrays["out_b"])
        head.trans.copy_(arrays["trans"])
        head.start.copy_(arrays["start"])
        head.end.copy_(arrays["end"])


def load_adapters(encoder: TorchE5, path: Path) -> None:
    """Adapters as :func:`lora_arrays` stored them (B carries the scale)."""
    from lagebild.ner.head import load_lora

    stored = load_lora(path)
    with torch.no_grad():
        for i, layer in enumerate(encoder.layers):
            for name in _LINEAR:
                lin = layer[name]
                if not lin.rank:
                    continue
                if f"l{i}.{name}" not in stored:
                    raise ConfigError(
                        f"{path} has no adapter for encoder layer {i} ({name}): not a LoRA model"
                    )
                b, a = stored[f"l{i}.{name}"]
                if a.shape != tuple(lin.a.shape):
                    raise ConfigError(f"{path}: adapter l{i}.{name} has rank {a.shape[0]}, not {lin.rank}")
                lin.a.copy_(torch.from_numpy(a.astype(np.float32)))
                lin.b.copy_(torch.from_numpy(b.astype(np.float32) / lin.scale))


def _export(encoder: TorchE5, head: CrfTagger, out: Path) -> None:
    from lagebild.training.ner.frozen import export

    head_path = out.with_suffix(".head.npz")
    export(head, list(range(encoder.w.layers + 1)), head_path)
    arrays = dict(np.load(head_path, allow_pickle=False))
    head_path.unlink()
    arrays.update(lora_arrays(encoder))
    np.savez_compressed(out, **arrays)


def lora_arrays(encoder: TorchE5) -> dict[str, np.ndarray]:
    """The adapters as stored beside a head: low-rank factors, not the product (rank x (in + out))."""
    arrays = {}
    for i, layer in enumerate(encoder.layers):
        for name in _LINEAR:
            lin = layer[name]
            if lin.rank:
                arrays[f"lora.l{i}.{name}.b"] = (lin.b.detach().numpy() * lin.scale).astype(np.float16)
                arrays[f"lora.l{i}.{name}.a"] = lin.a.detach().numpy().astype(np.float16)
    return arrays
