"""``lagebild train quotes-lora``: LoRA on the encoder for the quote tagger, warm-started from a tagger file.

``--init`` is either a frozen-feature tagger (``make train-quotes`` passes out/quotes-frozen.npz:
new adapters) or a fine-tuned one (the default, the shipped tagger: its adapters continue, so
``--rank`` and ``--first-layer`` must be the ones it was trained with; the defaults are the shipped
recipe's). Needs the ``train`` extra (PyTorch) and SpkAtt-2023 in ../shared. Scores on dev after every
epoch with the SpkAtt-style evaluator; writes the tagger + adapters to ``--out``.

    lagebild train quotes-lora [--init src/lagebild/quotes/models/tagger.npz] [--epochs 3]
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from lagebild.training.tasks import PACKAGE, ROOT, SHARED, need_path, require_torch, task_parser


def main(argv: Sequence[str] | None = None, prog: str = "lagebild train quotes-lora") -> int:
    parser = task_parser(prog, __doc__)
    parser.add_argument("--data", default=str(SHARED / "speaker-attribution-news"), help="SpkAtt-2023")
    parser.add_argument("--init", default=str(PACKAGE / "quotes" / "models" / "tagger.npz"))
    parser.add_argument("--out", default=str(ROOT / "out" / "quotes-lora.npz"))
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--first-layer", type=int, default=2, help="LoRA on encoder layers from here to 11")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--head-lr", type=float, default=3e-4)
    parser.add_argument("--limit", type=int, default=0, help="train documents (0 = all)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    data = need_path(args.data, "SpkAtt-2023 data")
    need_path(args.init, "the tagger to start from (--init)")
    require_torch(prog)
    import torch

    from lagebild.nlp.e5tokenizer import E5Tokenizer
    from lagebild.nlp.e5weights import load_e5_weights
    from lagebild.quotes.evaluate import format_scores, score
    from lagebild.quotes.spkatt import read_split
    from lagebild.quotes.tagger import QuoteTagger, tag_document
    from lagebild.training.quotes.finetune import encode_docs, finetune_quotes

    torch.set_num_threads(args.threads)
    weights = load_e5_weights()
    train, dev = read_split(data / "train"), read_split(data / "dev")
    if args.limit:
        train = train[: args.limit]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)

    def after_epoch(epoch: int, encoder: object) -> None:
        feats = encode_docs(encoder, E5Tokenizer(weights), dev, weights.pad)  # type: ignore[arg-type]
        tagger = QuoteTagger.load(out)
        pairs = [(tag_document(tagger, f, d.sentences), d.groups) for d, f in zip(dev, feats, strict=True)]
        print(f"dev after epoch {epoch + 1}:\n{format_scores(score(pairs))}", flush=True)
        shutil.copyfile(out, out.with_suffix(f".epoch{epoch + 1}.npz"))  # pick the best epoch afterwards

    # a LagebildError (e.g. adapters of another rank in --init) reaches the command as `error: ...`
    finetune_quotes(
        weights,
        train,
        out,
        init=Path(args.init),
        lora_layers=range(args.first_layer, weights.layers),
        rank=args.rank,
        epochs=args.epochs,
        lr=args.lr,
        head_lr=args.head_lr,
        log=lambda m: print(m, flush=True),
        after_epoch=after_epoch,
    )
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0
