"""``lagebild train ner``: the ``accurate`` NER model on GermEval 2014, written into the package.

Steps: read the project split (train = dev + first 4,100 test sentences; held out = last 1,000);
1. extract every encoder layer's state at each word's first sub-word with the run-time NumPy encoder
   (cached under out/cache/; ~4 min);
2. train the layer-mix + BiLSTM + CRF head on those frozen features (PyTorch, the ``train`` extra;
   12 epochs, ~6 min on one core);
3. warm-start from that head and fine-tune it together with rank-8 LoRA adapters on all 12 encoder
   layers (4 epochs, ~14 min on 2 cores);
then export adapters + head to src/lagebild/ner/models/<name>.npz and print held-out scores.

``--from-scratch`` skips step 2 (adapters and a new head trained together: a different model to
ensemble). ``--distil model,…`` replaces steps 2-3: the model in ``--init`` continues on the
gold sentences plus silver German news (lagebild.training.ner.silver), where it learns the word-by-word
average of the named models' label marginals (an ensemble teacher) instead of tags.
``--average model,…`` writes the weight average of models that share a starting point
(lagebild.training.ner.soup), e.g. distillations that differ only in ``--ft-seed``.

``make train-ner`` runs the whole chain (base model, two more teachers, the distillation; ~2.5 h).

    lagebild train ner [--data ../shared/data/germeval2014] [--no-finetune]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from lagebild.errors import ConfigError
from lagebild.ner.evaluate import entity_scores, format_scores
from lagebild.ner.features import word_features
from lagebild.ner.germeval import Sentence, project_split
from lagebild.ner.head import NerEnsemble, combine, load_lora
from lagebild.nlp.e5encoder import E5Encoder
from lagebild.nlp.e5tokenizer import E5Tokenizer
from lagebild.nlp.e5weights import load_e5_weights
from lagebild.training.tasks import CACHE, PACKAGE, SHARED, need_path, require_torch, task_parser


def cached_features(name: str, sentences: list[Sentence], cache: Path) -> list[np.ndarray]:
    flat_path, len_path = cache / f"germeval-{name}.npy", cache / f"germeval-{name}-lengths.npy"
    if not flat_path.exists():
        weights = load_e5_weights()
        start = time.time()
        feats = word_features([s.words for s in sentences], E5Tokenizer(weights), E5Encoder(weights))
        words = sum(len(s.words) for s in sentences)
        print(f"features {name}: {words:,} words in {time.time() - start:.0f} s", flush=True)
        cache.mkdir(parents=True, exist_ok=True)
        np.save(flat_path, np.concatenate(feats))
        np.save(len_path, np.array([len(f) for f in feats]))
    flat = np.load(flat_path, mmap_mode="r")
    out, pos = [], 0
    for n in np.load(len_path):
        out.append(np.asarray(flat[pos : pos + n]))
        pos += n
    return out


def _encoder_with(path: Path) -> tuple[E5Tokenizer, E5Encoder]:
    weights = load_e5_weights()
    return E5Tokenizer(weights), E5Encoder(weights, load_lora(path))


def _model_path(name: str) -> Path:
    return PACKAGE / "ner" / "models" / f"{name}.npz"


def main(argv: Sequence[str] | None = None, prog: str = "lagebild train ner") -> int:
    parser = task_parser(prog, __doc__)
    parser.add_argument("--data", default=str(SHARED / "germeval2014"), help="GermEval 2014 directory")
    parser.add_argument("--cache", default=str(CACHE))
    parser.add_argument("--name", default="accurate")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--dropout", type=float, default=0.5)
    parser.add_argument("--seeds", default="13", help="one frozen-feature head per seed; scores are averaged")
    parser.add_argument("--no-finetune", action="store_true", help="ship the frozen-feature head(s) only")
    parser.add_argument("--ft-epochs", type=int, default=4)
    parser.add_argument("--lr", type=float, default=5e-4, help="fine-tuning learning rate")
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument(
        "--from-scratch",
        action="store_true",
        help="skip phase 1: fine-tune adapters and a new head together (a more diverse distillation teacher)",
    )
    parser.add_argument("--out", help="model file (default: the package's models/<name>.npz)")
    parser.add_argument(
        "--distil",
        metavar="TEACHERS",
        help="instead of phases 1-2: continue the model in --init on gold + silver news that learns the "
        "averaged marginals of these LoRA model files (comma-separated)",
    )
    parser.add_argument("--init", help="--distil: the fine-tuned model to start from")
    parser.add_argument("--distil-epochs", type=int, default=1)
    parser.add_argument("--gold-repeat", type=int, default=2, help="--distil: gold sentences per epoch")
    parser.add_argument("--gnad", type=int, default=1028, help="--distil: 10kGNAD articles as silver news")
    parser.add_argument(
        "--augment",
        action="store_true",
        help="--distil: gold repeats after the first swap each entity for another gold mention of its type",
    )
    parser.add_argument(
        "--average",
        metavar="MODELS",
        help="instead of training: average these model files (comma-separated, same starting point)",
    )
    parser.add_argument(
        "--ft-seed", type=int, default=13, help="fine-tuning/distillation seed (order, dropout)"
    )
    args = parser.parse_args(argv)
    if args.average and (args.distil or args.init):
        raise ConfigError("--average writes the average of finished models: it takes no --distil or --init")
    if args.augment and not args.distil:
        raise ConfigError("--augment applies to the gold copies of --distil")
    if args.distil and not args.init:
        raise ConfigError("--distil needs --init: the fine-tuned model the student starts from")
    named = [*(args.distil or "").split(","), *(args.average or "").split(","), args.init or ""]
    missing = [f for f in named if f and not Path(f).is_file()]
    if missing:
        raise ConfigError(f"model file not found: {', '.join(missing)}")
    need_path(args.data, "GermEval 2014 data")
    if args.average:
        from lagebild.training.ner.soup import average_models

        out = Path(args.out) if args.out else _model_path(args.name)
        start, (_, test) = time.time(), project_split(args.data)
        average_models([Path(f) for f in args.average.split(",")], out)
        _report(out, test, word_features([s.words for s in test], *_encoder_with(out)), start)
        return 0
    require_torch(prog)
    import torch

    from lagebild.training.ner.frozen import train_head

    torch.set_num_threads(1)
    train, test = project_split(args.data)
    cache = Path(args.cache)
    train_feats, test_feats = cached_features("train", train, cache), cached_features("test", test, cache)
    out = Path(args.out) if args.out else _model_path(args.name)
    out.parent.mkdir(parents=True, exist_ok=True)
    start = time.time()
    if args.distil:
        distil(args, train, cache, out)
        _report(out, test, word_features([s.words for s in test], *_encoder_with(out)), start)
        return 0
    members = []
    for seed in () if args.from_scratch else (int(s) for s in args.seeds.split(",")):
        member = cache / f"{args.name}-seed{seed}.npz"
        train_head(
            train_feats,
            train,
            member,
            layers=list(range(13)),
            epochs=args.epochs,
            dropout=args.dropout,
            seed=seed,
        )
        members.append(member)
    if members:
        combine(members, out)
    if not args.no_finetune:
        from lagebild.training.ner.finetune import finetune

        torch.set_num_threads(2)
        finetune(
            load_e5_weights(),
            train,
            out,
            epochs=args.ft_epochs,
            rank=args.rank,
            lr=args.lr,
            seed=args.ft_seed,
            init_head=members[0] if members else None,
        )
        test_feats = word_features([s.words for s in test], *_encoder_with(out))
    _report(out, test, test_feats, start)
    return 0


def distil(args: argparse.Namespace, train: list[Sentence], cache: Path, out: Path) -> None:
    """Phase 3: the student (same architecture, started from ``--init``) learns gold tags and, on
    silver news, the teachers' averaged per-word marginals."""
    from lagebild.training.ner.finetune import finetune
    from lagebild.training.ner.silver import ensemble_marginals, silver

    shared = Path(args.data).parent
    teachers = [Path(file) for file in args.distil.split(",")]
    news = silver(shared, cache, args.gnad)
    soft = [None] * (len(train) * args.gold_repeat) + list(
        ensemble_marginals(shared, cache, args.gnad, teachers)
    )
    gold = train * args.gold_repeat
    if args.augment:  # the repeats after the first are copies with swapped mentions
        from lagebild.training.ner.augment import swap_mentions

        gold = train + [s for k in range(1, args.gold_repeat) for s in swap_mentions(train, seed=k)]
    print(
        f"distil: {len(train):,} gold (x{args.gold_repeat}{', augmented' if args.augment else ''}) "
        f"+ {len(news):,} silver sentences",
        flush=True,
    )
    import torch

    torch.set_num_threads(2)
    finetune(
        load_e5_weights(),
        gold + news,
        out,
        epochs=args.distil_epochs,
        rank=args.rank,
        lr=args.lr,
        dropout=0.3,  # as in phase 2
        init_head=Path(args.init),
        init_lora=Path(args.init),
        soft=soft,
        seed=args.ft_seed,
        log=lambda msg: print(msg, flush=True),
    )


def _report(out: Path, test: list[Sentence], test_feats: list[np.ndarray], start: float) -> None:
    print(f"trained in {time.time() - start:.0f} s; wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    head = NerEnsemble.load(out)
    predicted = [head.predict(f) for f in test_feats]
    print("GermEval 2014, last 1,000 test sentences (held out):")
    print(format_scores(entity_scores([s.tags for s in test], predicted)))
