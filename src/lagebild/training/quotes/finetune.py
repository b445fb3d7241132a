"""LoRA fine-tuning of the encoder for the quote tagger (needs the ``train`` extra: PyTorch).

The frozen encoder + BiLSTM-CRF tagger (:mod:`lagebild.training.quotes.frozen`) is the warm start; low-rank
adapters on the upper encoder layers are then trained together with it on windows of consecutive
SpkAtt sentences. Each sentence is encoded on its own, as at run time, and the words' first
sub-word states are joined into the window the BiLSTM reads. Only the adapters and the tagger are
stored; :func:`lagebild.stages.quotes` merges the adapters into the NumPy encoder when the model
file carries them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch

from lagebild.nlp.e5tokenizer import E5Tokenizer
from lagebild.nlp.e5weights import E5Weights
from lagebild.quotes.labels import HEADS, encode, extra_features
from lagebild.quotes.spkatt import Doc
from lagebild.training.ner.finetune import TorchE5, encode_sentence, load_adapters, lora_arrays
from lagebild.training.quotes.frozen import MultiCrfTagger, export
from lagebild.training.trainloop import load_mix_and_lstm, run_epochs

__all__ = ["finetune_quotes", "encode_docs", "warm_start", "Span"]

# (document index, first sentence, end sentence) of one training window
Span = tuple[int, int, int]


def _windows(docs: Sequence[Doc], max_words: int) -> list[Span]:
    out = []
    for d, doc in enumerate(docs):
        start, words = 0, 0
        for k, sent in enumerate(doc.sentences):
            if words + len(sent) > max_words and k > start:
                out.append((d, start, k))
                start, words = k, 0
            words += len(sent)
        out.append((d, start, len(doc.sentences)))
    return out


def _features(encoder: TorchE5, encoded: Sequence[tuple[list[int], list[int]]], pad: int) -> torch.Tensor:
    """(words, layers, hidden) for consecutive sentences, each encoded on its own."""
    n_tok = max(len(ids) for ids, _ in encoded)
    ids_t = torch.full((len(encoded), n_tok), pad, dtype=torch.long)
    mask = torch.zeros((len(encoded), n_tok))
    for row, (ids, _) in enumerate(encoded):
        ids_t[row, : len(ids)] = torch.tensor(ids)
        mask[row, : len(ids)] = 1
    states = torch.stack(encoder(ids_t, mask), dim=2)  # sentences, tokens, layers, hidden
    return torch.cat([states[row, first] for row, (_, first) in enumerate(encoded)], dim=0)


def encode_docs(
    encoder: TorchE5, tok: E5Tokenizer, docs: Sequence[Doc], pad: int, batch: int = 16
) -> list[np.ndarray]:
    """Per document the fine-tuned encoder's word features (float16), for evaluation."""
    out = []
    with torch.no_grad():
        for doc in docs:
            enc = [encode_sentence(tok, s) for s in doc.sentences]
            parts = [_features(encoder, enc[i : i + batch], pad) for i in range(0, len(enc), batch)]
            out.append(torch.cat(parts).numpy().astype(np.float16))
    return out


def warm_start(model: MultiCrfTagger, path: Path) -> None:
    """Load a tagger exported by :func:`lagebild.training.quotes.frozen.export` into the PyTorch model."""
    with np.load(path, allow_pickle=False) as data:
        arr = {k: torch.from_numpy(data[k].astype(np.float32)) for k in data.files if "labels" not in k}
    load_mix_and_lstm(model, arr)
    with torch.no_grad():
        for head in HEADS:
            model.outs[head].weight.copy_(arr[f"{head}_w"])
            model.outs[head].bias.copy_(arr[f"{head}_b"])
            for part in ("trans", "start", "end"):
                getattr(model.crfs[head], part).copy_(arr[f"{head}_{part}"])


def finetune_quotes(
    weights: E5Weights,
    docs: Sequence[Doc],
    out: Path,
    *,
    init: Path,
    lora_layers: Sequence[int] = range(4, 12),
    rank: int = 8,
    alpha: float = 16.0,
    epochs: int = 3,
    max_words: int = 160,
    lr: float = 1e-3,
    head_lr: float = 3e-4,
    dropout: float = 0.3,
    seed: int = 13,
    log: Callable[[str], None] = print,
    after_epoch: Callable[[int, TorchE5], None] | None = None,
) -> None:
    """Train adapters on ``lora_layers`` with the tagger started from ``init`` (a frozen-feature
    tagger, or a fine-tuned one whose adapters continue: same layers and rank); write to ``out``
    after every epoch."""
    random.seed(seed)
    torch.manual_seed(seed)
    tok = E5Tokenizer(weights)
    encoded = [[encode_sentence(tok, s) for s in doc.sentences] for doc in docs]
    tags = [encode(sum(len(s) for s in doc.sentences), doc.groups) for doc in docs]
    extras = [np.array(extra_features(doc.sentences), dtype=np.float32) for doc in docs]
    offsets = [np.cumsum([0] + [len(s) for s in doc.sentences]) for doc in docs]
    encoder = TorchE5(weights, list(lora_layers), rank, alpha)
    with np.load(init) as data:
        n_lstm = int(data["fw_hh"].shape[1])
        continued = any(key.startswith("lora.") for key in data.files)
    model = MultiCrfTagger(weights.layers + 1, lstm=n_lstm, dropout=dropout)
    warm_start(model, init)
    if continued:  # a fine-tuned tagger continues with its adapters (same layers and rank)
        load_adapters(encoder, init)
    lora = [p for p in encoder.parameters() if p.requires_grad]
    optim = torch.optim.AdamW(
        [{"params": lora, "lr": lr}, {"params": list(model.parameters()), "lr": head_lr}],
        weight_decay=0.01,
    )

    def window_loss(span: Span) -> torch.Tensor:
        d, a, b = span
        lo, hi = int(offsets[d][a]), int(offsets[d][b])
        feats = _features(encoder, encoded[d][a:b], weights.pad)[None]
        extra = torch.from_numpy(extras[d][lo:hi])[None]
        y = {h: torch.tensor(tags[d][h][lo:hi])[None] for h in HEADS}
        return model.loss(model.hidden(feats, extra, torch.tensor([hi - lo])), y, torch.ones((1, hi - lo)))

    def save(epoch: int) -> None:
        export(model, list(range(weights.layers + 1)), out)
        arrays = dict(np.load(out, allow_pickle=False))
        arrays.update(lora_arrays(encoder))
        np.savez_compressed(out, **arrays)  # type: ignore[arg-type]
        if after_epoch is not None:
            after_epoch(epoch, encoder)

    spans = _windows(docs, max_words)
    run_epochs(spans, window_loss, optim, epochs, modules=[encoder, model], log=log, after_epoch=save)
