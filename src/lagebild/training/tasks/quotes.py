"""``lagebild train quotes``: the quote tagger on SpkAtt-2023 train, scored on dev.

Steps: extract frozen encoder features for train and dev (:mod:`lagebild.training.quotes.features`,
cached under out/cache/, ~10 min on one core; ``--features-only`` stops there); train the layer-mix +
BiLSTM + 4-CRF tagger on windows of consecutive train sentences (PyTorch, the ``train`` extra); score on
dev with the SpkAtt-style evaluator after every few epochs; write the weights to
src/lagebild/quotes/models/tagger.npz (``make train-quotes`` writes out/quotes-frozen.npz, the warm start
of ``lagebild train quotes-lora``).

    lagebild train quotes [--data ../shared/data/speaker-attribution-news] [--epochs 10]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from lagebild.quotes.evaluate import format_scores, score
from lagebild.quotes.labels import HEADS, encode, extra_features
from lagebild.quotes.spkatt import Doc, read_split
from lagebild.quotes.tagger import QuoteTagger, tag_document
from lagebild.training.quotes.features import cached_doc_features
from lagebild.training.tasks import CACHE, PACKAGE, SHARED, need_path, require_torch, task_parser


def windows(
    doc: Doc, feats: np.ndarray, max_words: int
) -> list[tuple[np.ndarray, np.ndarray, dict[str, list[int]]]]:
    """Consecutive sentences up to ``max_words`` words, each with its features, extras and tags."""
    tags = encode(len(feats), doc.groups)
    extra = np.array(extra_features(doc.sentences), dtype=np.float16)
    out, start, pos = [], 0, 0
    bounds = []
    for sent in doc.sentences:
        if pos - start + len(sent) > max_words and pos > start:
            bounds.append((start, pos))
            start = pos
        pos += len(sent)
    bounds.append((start, pos))
    for a, b in bounds:
        out.append((feats[a:b], extra[a:b], {h: tags[h][a:b] for h in HEADS}))
    return out


def evaluate(model_path: Path, docs: list[Doc], feats: list[np.ndarray]) -> str:
    tagger = QuoteTagger.load(model_path)
    pairs = [(tag_document(tagger, f, d.sentences), d.groups) for d, f in zip(docs, feats, strict=True)]
    return format_scores(score(pairs))


def main(argv: Sequence[str] | None = None, prog: str = "lagebild train quotes") -> int:
    parser = task_parser(prog, __doc__)
    parser.add_argument("--data", default=str(SHARED / "speaker-attribution-news"), help="SpkAtt-2023")
    parser.add_argument("--cache", default=str(CACHE))
    parser.add_argument(
        "--encoder",
        choices=("accurate", "fast"),
        default="accurate",
        help="features of the full encoder (the accurate profile's tagger.npz) or of the fast profile's "
        "shared encoder (tagger-fast.npz: a head on the fast NER model's four layers)",
    )
    parser.add_argument("--out", help="default: src/lagebild/quotes/models/tagger.npz or tagger-fast.npz")
    parser.add_argument("--epochs", type=int, default=16)
    parser.add_argument("--window", type=int, default=160, help="max words per training window")
    parser.add_argument("--lstm", type=int, default=192)
    parser.add_argument("--dropout", type=float, default=0.3)
    parser.add_argument("--eval-every", type=int, default=2)
    parser.add_argument(
        "--features-only", action="store_true", help="cache the encoder features of train and dev, then stop"
    )
    args = parser.parse_args(argv)
    data, cache = need_path(args.data, "SpkAtt-2023 data"), Path(args.cache)
    if args.features_only:
        for split in ("dev", "train"):
            cached_doc_features(split, data, cache, args.encoder)
        return 0
    require_torch(prog)
    import torch

    from lagebild.training.quotes.frozen import train_tagger

    torch.set_num_threads(1)
    train_docs, dev_docs = read_split(data / "train"), read_split(data / "dev")
    train_feats = cached_doc_features("train", data, cache, args.encoder)
    dev_feats = cached_doc_features("dev", data, cache, args.encoder)
    wins = [w for d, f in zip(train_docs, train_feats, strict=True) for w in windows(d, f, args.window)]
    print(f"{len(train_docs)} train documents, {len(wins)} windows", flush=True)
    name = "tagger.npz" if args.encoder == "accurate" else f"tagger-{args.encoder}.npz"
    out = Path(args.out or PACKAGE / "quotes" / "models" / name)
    out.parent.mkdir(parents=True, exist_ok=True)
    layers = list(range(train_feats[0].shape[1]))

    def after_epoch(epoch: int) -> None:
        if (epoch + 1) % args.eval_every == 0 or epoch + 1 == args.epochs:
            print(evaluate(out, dev_docs, dev_feats), flush=True)

    train_tagger(
        wins,
        out,
        layers=layers,
        epochs=args.epochs,
        lstm=args.lstm,
        dropout=args.dropout,
        log=lambda m: print(m, flush=True),
        after_epoch=after_epoch,
    )
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0
