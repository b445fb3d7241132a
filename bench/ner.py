"""NER quality and speed of a shipped model on the held-out GermEval 2014 sentences.

Runs the run-time path (E5 tokenizer, NumPy encoder, NumPy head) on the last 1,000 sentences of
NER-de-test.tsv, which no model is trained on, and prints entity-level precision, recall and F1 per
type and micro-averaged (exact span and type; deriv/part tags count as O), plus words/s.

    python bench/ner.py [--model accurate] [--data ../shared/data/germeval2014]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

from lagebild.ner.evaluate import entity_scores, format_scores
from lagebild.ner.features import word_features
from lagebild.ner.germeval import project_split
from lagebild.ner.head import NerEnsemble, load_lora
from lagebild.nlp.e5encoder import E5Encoder
from lagebild.nlp.e5tokenizer import E5Tokenizer
from lagebild.nlp.e5weights import load_e5_weights
from lagebild.stages.entities import _model

ROOT = Path(__file__).resolve().parents[1]


def _model_file(path: Path) -> tuple[E5Tokenizer, E5Encoder, NerEnsemble]:
    weights = load_e5_weights()
    return E5Tokenizer(weights), E5Encoder(weights, load_lora(path)), NerEnsemble.load(path)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="accurate")
    parser.add_argument("--path", help="evaluate a model file instead of a shipped model")
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "germeval2014"))
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "ner.json"))
    args = parser.parse_args()
    if not Path(args.data).exists():
        print(f"skipped: {args.data} not found (../shared is not available)")
        return
    _, test = project_split(args.data)
    tokenizer, encoder, head = _model(args.model) if not args.path else _model_file(Path(args.path))
    start = time.perf_counter()
    feats = word_features([s.words for s in test], tokenizer, encoder)
    predicted = [head.predict(f) for f in feats]
    seconds = time.perf_counter() - start
    words = sum(len(s.words) for s in test)
    scores = entity_scores([s.tags for s in test], predicted)
    print(f"model {args.model}: GermEval 2014 test, last 1,000 sentences ({words:,} words)")
    print(format_scores(scores))
    print(f"{words / seconds:,.0f} words/s ({seconds:.1f} s)")
    Path(args.out).write_text(
        json.dumps(
            {
                "benchmark": "ner",
                "model": args.model,
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
