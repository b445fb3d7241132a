"""Baseline: spaCy's CNN NER trained from scratch on the project's GermEval split (issue P2, variant a).

Not part of lagebild at run time: spaCy is the optional extra ``baseline``
(``pip install -e '.[baseline]'``). The pipeline is spaCy's own default for ``ner`` with
``optimize="efficiency"`` on a blank German model (hash embeddings of NORM/PREFIX/SUFFIX/SHAPE,
a 4-layer maxout CNN of width 96, transition-based NER), no pretrained vectors. Trained on the same
6,300 sentences as lagebild's models (dev + first 4,100 of test) for a fixed number of epochs with
no model selection, scored on the last 1,000 test sentences with the same entity-level scorer as
``bench/ner.py``; words/s is measured on the pre-tokenised held-out sentences, as there.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python bench/ner_spacy_baseline.py [--epochs 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from pathlib import Path

from lagebild.ner.evaluate import entity_scores, format_scores
from lagebild.ner.germeval import Sentence, project_split, spans

ROOT = Path(__file__).resolve().parents[1]


def _doc(nlp: object, sentence: Sentence, with_ents: bool) -> object:
    from spacy.tokens import Doc, Span

    doc = Doc(nlp.vocab, words=list(sentence.words))  # type: ignore[attr-defined]
    if with_ents:
        doc.ents = [Span(doc, a, b, label=kind) for a, b, kind in sorted(spans(sentence.tags))]
    return doc


def _tags(doc: object) -> list[str]:
    tags = ["O"] * len(doc)  # type: ignore[arg-type]
    for ent in doc.ents:  # type: ignore[attr-defined]
        tags[ent.start] = f"B-{ent.label_}"
        for i in range(ent.start + 1, ent.end):
            tags[i] = f"I-{ent.label_}"
    return tags


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "germeval2014"))
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--save", help="also write the trained spaCy pipeline to this folder")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "ner-spacy-baseline.json"))
    args = parser.parse_args()
    if not Path(args.data).exists():
        print(f"skipped: {args.data} not found (../shared is not available)")
        return
    try:
        import spacy
        from spacy.cli.init_config import init_config
        from spacy.training import Example
        from spacy.util import compounding, fix_random_seed, minibatch
    except ImportError:
        print("skipped: spaCy is not installed (pip install -e '.[baseline]')")
        return
    fix_random_seed(args.seed)
    random.seed(args.seed)
    train, test = project_split(args.data)
    config = init_config(lang="de", pipeline=["ner"], optimize="efficiency", gpu=False)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    examples = [Example(_doc(nlp, s, False), _doc(nlp, s, True)) for s in train]  # type: ignore[arg-type]
    optimizer = nlp.initialize(lambda: examples)
    train_words = sum(len(s.words) for s in train)
    start = time.time()
    for epoch in range(args.epochs):
        random.shuffle(examples)
        losses: dict[str, float] = {}
        t0 = time.time()
        # spaCy's usual schedule: batches growing from 4 to 32 sentences
        for batch in minibatch(examples, size=compounding(4.0, 32.0, 1.001)):
            nlp.update(batch, drop=0.1, sgd=optimizer, losses=losses)
        print(
            f"epoch {epoch + 1}/{args.epochs}: ner loss {losses.get('ner', 0.0):.1f} "
            f"({train_words / (time.time() - t0):,.0f} words/s training)",
            flush=True,
        )
    train_seconds = time.time() - start
    if args.save:
        nlp.to_disk(args.save)
    docs = [_doc(nlp, s, False) for s in test]
    words = sum(len(s.words) for s in test)
    start = time.perf_counter()
    predicted = [_tags(doc) for doc in nlp.pipe(docs, batch_size=256)]  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    scores = entity_scores([s.tags for s in test], predicted)
    print(f"spaCy {spacy.__version__} CNN NER from scratch, {args.epochs} epochs ({train_seconds:.0f} s)")
    print(f"GermEval 2014 test, last 1,000 sentences ({words:,} words)")
    print(format_scores(scores))
    print(f"{words / seconds:,.0f} words/s ({seconds:.1f} s)")
    Path(args.out).write_text(
        json.dumps(
            {
                "benchmark": "ner-spacy-baseline",
                "spacy": spacy.__version__,
                "epochs": args.epochs,
                "train_seconds": train_seconds,
                "date": dt.date.today().isoformat(),
                "words": words,
                "seconds": seconds,
                "scores": scores,
            },
            indent=2,
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
