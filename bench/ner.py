"""NER quality and speed of a shipped model on the held-out GermEval 2014 sentences.

Runs the run-time path (E5 tokenizer, NumPy encoder, NumPy head) on the last 1,000 sentences of
NER-de-test.tsv, which no model is trained on, and prints entity-level precision, recall and F1 per
type and micro-averaged (exact span and type; deriv/part tags count as O), plus words/s.

    python bench/ner.py [--model accurate|fast] [--path model.npz] [--data ../shared/data/germeval2014]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import time
from pathlib import Path

from lagebild.ner.evaluate import entity_scores, format_scores
from lagebild.ner.germeval import project_split
from lagebild.ner.tagger import load_tagger, load_tagger_file

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="accurate")
    parser.add_argument("--path", help="evaluate a model file instead of a shipped model")
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "germeval2014"))
    parser.add_argument("--repeat", type=int, default=1, help="time this many runs, report the fastest")
    parser.add_argument("--workers", type=int, default=1, help="fast model: threads over sentence batches")
    parser.add_argument("--out", help="results file (default bench/results/ner.json, ner-<model>.json)")
    args = parser.parse_args()
    if not Path(args.data).exists():
        print(f"skipped: {args.data} not found (../shared is not available)")
        return
    _, test = project_split(args.data)
    tagger = (
        load_tagger(args.model, args.workers)
        if not args.path
        else load_tagger_file(Path(args.path), args.workers)
    )
    # timed: sub-word tokenisation (cold cache), encoder, head and decoding, as at run time;
    # with --repeat, the fastest of several runs (the machine is shared), the cache cleared each time
    seconds = float("inf")
    for _ in range(args.repeat):
        tagger.tokenizer.word_ids.cache_clear()
        start = time.perf_counter()
        predicted = tagger.tag([s.words for s in test])
        seconds = min(seconds, time.perf_counter() - start)
    words = sum(len(s.words) for s in test)
    scores = entity_scores([s.tags for s in test], predicted)
    print(f"model {args.path or args.model}: GermEval 2014 test, last 1,000 sentences ({words:,} words)")
    print(format_scores(scores))
    threads = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS") or "default"
    print(
        f"{words / seconds:,.0f} words/s ({seconds:.1f} s; BLAS threads: {threads}; workers: {args.workers})"
    )
    name = "ner.json" if args.model == "accurate" else f"ner-{args.model}.json"
    out = Path(args.out) if args.out else ROOT / "bench" / "results" / name
    out.write_text(
        json.dumps(
            {
                "benchmark": "ner",
                "model": args.path or args.model,
                "blas_threads": threads,
                "workers": args.workers,
                "date": dt.date.today().isoformat(),
                "words": words,
                "seconds": seconds,
                "repeat": args.repeat,
                "scores": scores,
            },
            indent=2,
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
