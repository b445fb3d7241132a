"""The training loop shared by the encoder fine-tuning trainers (needs the ``train`` extra: PyTorch).

LoRA NER (:mod:`lagebild.training.ner.finetune`), the ``fast`` NER model (:mod:`lagebild.training.ner.fast`)
and the quote tagger's LoRA (:mod:`lagebild.training.quotes.finetune`) all batch sentences by length, warm
up and then decay the learning rate linearly, clip gradients and log the running loss; what differs
is only how a batch becomes a loss.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np
import torch
from torch import nn

__all__ = [
    "length_batches",
    "warmup_decay",
    "sentence_batch",
    "sentence_nll",
    "soft_targets",
    "run_epochs",
    "train_sentences",
    "load_mix_and_lstm",
]

T = TypeVar("T")
Encoded = tuple[list[int], list[int]]  # sub-word ids, index of each word's first sub-word


def length_batches(lengths: Sequence[int], max_tokens: int) -> list[list[int]]:
    """Indices grouped into batches of similar length with at most ``max_tokens`` padded tokens."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    cur: list[int] = []
    for i in order:
        if cur and (len(cur) + 1) * lengths[i] > max_tokens:
            batches.append(cur)
            cur = []
        cur.append(i)
    if cur:
        batches.append(cur)
    return batches


def warmup_decay(
    optim: torch.optim.Optimizer, total_steps: int, warmup: int = 100
) -> torch.optim.lr_scheduler.LambdaLR:
    """Linear warm-up over ``warmup`` steps, then linear decay to 5 % at ``total_steps``."""
    return torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min(1.0, (s + 1) / warmup) * max(0.05, 1 - s / total_steps)
    )


def sentence_batch(
    idx: Sequence[int], encoded: Sequence[Encoded], tags: Sequence[Sequence[int]], pad: int
) -> tuple[torch.Tensor, ...]:
    """Padded (ids, token mask, first sub-word per word, tags, word mask) for sentences ``idx``."""
    n_tok = max(len(encoded[i][0]) for i in idx)
    n_word = max(len(tags[i]) for i in idx)
    ids = torch.full((len(idx), n_tok), pad, dtype=torch.long)
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
    return ids, mask, first, y, wmask


def soft_targets(
    idx: Sequence[int], tags: Sequence[Sequence[int]], soft: Sequence[np.ndarray | None], n_labels: int
) -> torch.Tensor:
    """Per-word label distributions (b, words, labels): ``soft[i]`` where given (a teacher's
    marginals), else one-hot gold ``tags[i]``; zero on padding."""
    n_word = max(len(tags[i]) for i in idx)
    out = torch.zeros((len(idx), n_word, n_labels))
    for row, i in enumerate(idx):
        dist = soft[i]
        if dist is None:
            out[row, torch.arange(len(tags[i])), torch.tensor(tags[i], dtype=torch.long)] = 1.0
        else:
            out[row, : len(dist)] = torch.from_numpy(dist.astype(np.float32))
    return out


def sentence_nll(
    encoder: nn.Module,
    head: nn.Module,
    batch: tuple[torch.Tensor, ...],
    target: torch.Tensor | None = None,
) -> torch.Tensor:
    """CRF loss of a sentence batch: encoder states at each word's first sub-word into the head;
    against per-word distributions ``target`` (see :func:`soft_targets`) when given."""
    ids, mask, first, y, wmask = batch
    states = torch.stack(encoder(ids, mask), dim=2)  # b, tokens, layers, hidden
    feats = states[torch.arange(len(ids))[:, None], first]  # b, words, layers, hidden
    em = head.emissions(feats, wmask.sum(1).long())
    if target is not None:
        return head.soft_nll(em, target, wmask)
    return head.nll(em, y, wmask)


def run_epochs(
    steps: list[T],
    loss_of: Callable[[T], torch.Tensor],
    optim: torch.optim.Optimizer,
    epochs: int,
    *,
    modules: Sequence[nn.Module],
    log: Callable[[str], None] = print,
    log_every: int = 100,
    after_epoch: Callable[[int], None] | None = None,
) -> None:
    """``epochs`` passes over ``steps`` (shuffled each time): one optimizer step per item."""
    params = [p for m in modules for p in m.parameters() if p.requires_grad]
    sched = warmup_decay(optim, epochs * len(steps))
    for epoch in range(epochs):
        random.shuffle(steps)
        for module in modules:
            module.train()
        start, loss_sum = time.time(), 0.0
        for number, item in enumerate(steps):
            loss = loss_of(item)
            optim.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(params, 5.0)
            optim.step()
            sched.step()
            loss_sum += float(loss.detach())
            if number % log_every == 0:
                log(
                    f"epoch {epoch + 1} step {number}/{len(steps)} loss {loss_sum / (number + 1):.3f} "
                    f"({time.time() - start:.0f} s)"
                )
        log(f"epoch {epoch + 1}/{epochs}: loss {loss_sum / len(steps):.4f} ({time.time() - start:.0f} s)")
        for module in modules:
            module.eval()
        if after_epoch is not None:
            after_epoch(epoch)


def train_sentences(
    encoder: nn.Module,
    head: nn.Module,
    encoded: Sequence[Encoded],
    tags: Sequence[Sequence[int]],
    pad: int,
    optim: torch.optim.Optimizer,
    epochs: int,
    *,
    batch_tokens: int,
    log: Callable[[str], None] = print,
    log_every: int = 100,
    soft: Sequence[np.ndarray | None] | None = None,
) -> None:
    """Sentence-level tagging (NER): length batches through encoder and CRF head, ``epochs`` times;
    with ``soft``, sentences that have a teacher's marginals learn those instead of hard tags."""
    batches = length_batches([len(ids) for ids, _ in encoded], batch_tokens)
    n_labels = next((dist.shape[1] for dist in soft or [] if dist is not None), 0)

    def loss_of(idx: list[int]) -> torch.Tensor:
        batch = sentence_batch(idx, encoded, tags, pad)
        if soft is None:
            return sentence_nll(encoder, head, batch)
        return sentence_nll(encoder, head, batch, soft_targets(idx, tags, soft, n_labels))

    run_epochs(
        batches,
        loss_of,
        optim,
        epochs,
        modules=[encoder, head],
        log=log,
        log_every=log_every,
    )


def load_mix_and_lstm(model: nn.Module, arrays: dict[str, torch.Tensor]) -> None:
    """Warm start the layer mix and BiLSTM of a head from its NumPy export (summed LSTM biases)."""
    mix = arrays["mix"]
    with torch.no_grad():
        model.gamma.fill_(float(mix.sum()))
        model.mix_logits.copy_(torch.log(mix / mix.sum()))
        for prefix, suffix in (("fw", ""), ("bw", "_reverse")):
            getattr(model.lstm, f"weight_ih_l0{suffix}").copy_(arrays[f"{prefix}_ih"])
            getattr(model.lstm, f"weight_hh_l0{suffix}").copy_(arrays[f"{prefix}_hh"])
            getattr(model.lstm, f"bias_ih_l0{suffix}").copy_(arrays[f"{prefix}_b"])
            getattr(model.lstm, f"bias_hh_l0{suffix}").zero_()
