"""``lagebild train ner-fast``: the ``fast`` NER model (``make train-ner-fast``); PyTorch and ../shared.

Steps:
1. silver data (cached under out/cache/, reused when present): the shipped ``accurate`` model labels
   German news that is not GermEval: SpkAtt-2023 train + unlabelled (given tokens) and 10kGNAD articles
   (split by SoMaJo, labelled in blocks of 300 articles); sentences of 3-80 words (~26 min for all);
2. phase 1: fine-tune the first ``--layers`` encoder layers (feed-forward blocks pruned to ``--ffn``
   units) with a layer mix + BiLSTM + CRF head on GermEval gold (dev + first 4,100 test sentences)
   plus silver from SpkAtt and the first ``--gnad`` 10kGNAD articles (4 epochs);
3. phase 2 (``--then-epochs``): continue on gold twice + silver from ``--then-gnad`` articles; with
   ``--soft`` the silver sentences learn the teacher's per-word label marginals instead of its
   Viterbi tags (``--teacher``, default the shipped ``accurate``; computed once and cached as
   ``ner-silver-<source>.<teacher key>.soft.npy``, ~20 min on 2 cores);
4. export to src/lagebild/ner/models/<name>.npz and score the run-time NumPy model on the held-out
   last 1,000 test sentences (never trained on, never labelled as silver).

Run with one thread (the project machines have 2 cores, shared):

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 lagebild train ner-fast
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from lagebild.errors import ConfigError
from lagebild.ner.evaluate import entity_scores, format_scores
from lagebild.ner.germeval import project_split
from lagebild.training.ner.silver import silver, teacher_marginals
from lagebild.training.tasks import CACHE, PACKAGE, SHARED, need_path, require_torch, task_parser

ACCURATE = PACKAGE / "ner" / "models" / "accurate.npz"
THEN_EPOCHS = 1  # the shipped model: phase 1, then one epoch on gold x2 + all silver


def main(argv: Sequence[str] | None = None, prog: str = "lagebild train ner-fast") -> int:
    parser = task_parser(prog, __doc__)
    parser.add_argument("--data", default=str(SHARED / "germeval2014"), help="GermEval 2014 directory")
    parser.add_argument("--cache", default=str(CACHE))
    parser.add_argument("--name", default="fast")
    parser.add_argument("--out", help="model file (default: the package's models/<name>.npz)")
    parser.add_argument("--layers", type=int, default=2, help="encoder layers kept and fine-tuned")
    parser.add_argument(
        "--ffn", type=int, default=512, help="prune feed-forward units to this many (0: keep)"
    )
    parser.add_argument("--lstm", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3, help="head learning rate")
    parser.add_argument("--encoder-lr", type=float, default=2e-4)
    parser.add_argument("--batch-tokens", type=int, default=1024)
    parser.add_argument(
        "--epochs", type=int, default=4, help="phase 1 epochs (0 with --init: phase 2 starts from --init)"
    )
    parser.add_argument("--gnad", type=int, default=300, help="10kGNAD articles to label as silver data")
    parser.add_argument(
        "--gold-repeat", type=int, default=1, help="gold sentences per epoch: this many times"
    )
    parser.add_argument("--init", help="continue training this fast model file (same --layers)")
    parser.add_argument("--then-epochs", type=int, default=THEN_EPOCHS, help="phase 2: continue this long")
    parser.add_argument("--then-gnad", type=int, default=1028, help="phase 2: 10kGNAD articles as silver")
    parser.add_argument("--then-gold-repeat", type=int, default=2)
    parser.add_argument("--then-lr", type=float, default=5e-4)
    parser.add_argument("--then-encoder-lr", type=float, default=1e-4)
    parser.add_argument("--no-silver", action="store_true", help="gold GermEval sentences only")
    parser.add_argument(
        "--soft",
        action="store_true",
        help="phase 2: silver sentences learn the teacher's marginals, not its tags",
    )
    parser.add_argument(
        "--teacher", default=str(ACCURATE), help="--soft: the model whose marginals are learnt"
    )
    parser.add_argument("--silver-only", action="store_true", help="build the silver cache and stop")
    parser.add_argument("--threads", type=int, default=1, help="PyTorch threads (1 on a shared machine)")
    args = parser.parse_args(argv)
    need_path(args.data, "GermEval 2014 data")
    require_torch(prog)
    import torch

    from lagebild.nlp.e5weights import load_e5_weights
    from lagebild.training.ner.fast import train_fast

    torch.set_num_threads(args.threads)
    train, test = project_split(args.data)
    cache = Path(args.cache)
    if args.silver_only:
        silver(SHARED, cache, max(args.gnad, args.then_gnad if args.then_epochs else 0))
        return 0
    out = Path(args.out) if args.out else PACKAGE / "ner" / "models" / f"{args.name}.npz"
    phases = [(args.epochs, args.gnad, args.gold_repeat, args.lr, args.encoder_lr)]
    if args.epochs == 0 and args.init:
        phases = []
    if args.then_epochs:
        phases.append(
            (args.then_epochs, args.then_gnad, args.then_gold_repeat, args.then_lr, args.then_encoder_lr)
        )
    if not phases:
        raise ConfigError("nothing to train: --epochs 0 and --then-epochs 0")
    init = Path(args.init) if args.init else None
    start = time.time()
    first = 1 if len(phases) == 1 + bool(args.then_epochs) else 2  # phase 1 skipped: --epochs 0 --init
    for number, (epochs, gnad, gold_repeat, lr, encoder_lr) in enumerate(phases, start=first):
        target = out if number == first + len(phases) - 1 else cache / f"{args.name}-phase{number}.npz"
        silver_part = [] if args.no_silver else silver(SHARED, cache, gnad)
        soft = None
        if args.soft and silver_part and number == 2:
            soft = [None] * (len(train) * gold_repeat) + teacher_marginals(
                SHARED, cache, gnad, Path(args.teacher)
            )
        print(
            f"phase {number}: {len(train):,} gold (x{gold_repeat}) + {len(silver_part):,} silver sentences",
            flush=True,
        )
        train_fast(
            load_e5_weights(),
            train * gold_repeat + silver_part,
            target,
            n_layers=args.layers,
            ffn=args.ffn,
            lstm=args.lstm,
            lr=lr,
            encoder_lr=encoder_lr,
            batch_tokens=args.batch_tokens,
            epochs=epochs,
            init=init,
            soft=soft,
            log=lambda msg: print(msg, flush=True),
        )
        init = target
    print(f"trained in {time.time() - start:.0f} s; wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    from lagebild.ner.fast import FastNer

    tagger = FastNer(load_e5_weights(), out)
    predicted = tagger.tag([s.words for s in test])
    print("GermEval 2014, last 1,000 test sentences (held out):")
    print(format_scores(entity_scores([s.tags for s in test], predicted)))
    return 0
