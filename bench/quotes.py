"""Quote extraction scored on SpkAtt-2023 dev (150 German WikiNews articles), and its speed.

Scoring follows SpkAtt-2023 task 2 (see lagebild.quotes.evaluate): messages paired by token
overlap, then token-level precision/recall/F1 per role (Cue, Source, Message) and micro-averaged
over the roles, overall and per gold Form, non-nested gold annotations only. Each method runs the
same code as the ``quotes`` stage on the gold tokenisation: ``rules`` (cue lexicon + quotation
marks), ``tagger`` (e5-small encoder with LoRA + BiLSTM-CRF tagger, encoder pass included in the
timing; the ``accurate`` profile) and ``tagger-fast`` (the same head kind on the fast profile's shared
four-layer encoder, encoder pass included).

    python bench/quotes.py [--data ../shared/data/speaker-attribution-news]
                           [--methods rules,tagger,tagger-fast] [--model out/quotes-lora.npz]
                           [--errors Direct] [--out bench/results/quotes.json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from lagebild.errors import LagebildError
from lagebild.ner.features import word_features
from lagebild.quotes.evaluate import SCORED_ROLES, Counts, Scores, format_scores, score, source_errors
from lagebild.quotes.rules import extract_rules
from lagebild.quotes.spkatt import Doc, Group, read_split
from lagebild.quotes.tagger import tag_document

ROOT = Path(__file__).resolve().parents[1]


def run(method: str, docs: list[Doc], model: str | None = None) -> tuple[list[list[Group]], float]:
    start = time.perf_counter()
    out = []
    if method == "rules":
        out = [extract_rules(d.sentences, "de") for d in docs]
    elif method == "tagger-fast":  # the fast profile: a head on the shared four-layer encoder
        from lagebild.ner.tagger import load_tagger
        from lagebild.quotes.tagger import QuoteTagger
        from lagebild.stages.quotes import _shared_tagger

        encoder = load_tagger("fast")
        tagger = QuoteTagger.load(model) if model else _shared_tagger("fast")
        start = time.perf_counter()
        for d in docs:
            states = encoder.word_states([tuple(s) for s in d.sentences])  # type: ignore[attr-defined]
            out.append(tag_document(tagger, tagger.mixed(np.concatenate(states)), d.sentences))
    else:
        from lagebild.stages.quotes import _tagger, load_quote_model

        tokenizer, encoder, tagger = load_quote_model(model) if model else _tagger()
        start = time.perf_counter()  # model loading is not part of the throughput
        for d in docs:
            feats = word_features([tuple(s) for s in d.sentences], tokenizer, encoder)
            out.append(tag_document(tagger, np.concatenate(feats), d.sentences))
    return out, time.perf_counter() - start


def as_dict(scores: Scores) -> dict[str, object]:
    def block(c: Counts) -> dict[str, list[float]]:
        prf = c.prf
        res = {r: [round(x, 4) for x in prf([r])] for r in SCORED_ROLES}
        res["micro"] = [round(x, 4) for x in prf(SCORED_ROLES)]
        return res

    return {
        "all": block(scores.overall),
        **{f: block(c) for f, c in scores.by_form.items()},
        "groups": dict(scores.groups),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "speaker-attribution-news"))
    parser.add_argument("--methods", default="rules,tagger")
    parser.add_argument("--model", help="a quote model file instead of the shipped one (method tagger)")
    parser.add_argument(
        "--errors", metavar="FORM", help="also break down the Source errors of this form (e.g. Direct)"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "quotes.json"))
    args = parser.parse_args()
    dev = Path(args.data) / "dev"
    if not dev.exists():
        print(f"skipped: {dev} not found (needs ../shared)")
        return
    docs = read_split(dev)
    n_sent = sum(len(d.sentences) for d in docs)
    n_words = sum(len(d.tokens) for d in docs)
    results = {}
    for method in args.methods.split(","):
        try:
            groups, seconds = run(method, docs, args.model)
        except LagebildError as exc:
            raise SystemExit(f"error: {exc}") from None
        scores = score(zip(groups, [d.groups for d in docs], strict=True))
        print(
            f"== {method}: {len(docs)} documents, {n_sent:,} sentences, {n_words:,} words in {seconds:.1f} s "
            f"({n_sent / seconds:,.1f} sentences/s, {n_words / seconds:,.0f} words/s)"
        )
        print(format_scores(scores))
        if args.errors:
            print(f"{args.errors} Source by outcome: attributions, FP tokens, FN tokens")
            for kind, (n, fp, fn) in sorted(source_errors(groups, docs, args.errors).items()):
                print(f"  {kind:30} {n:4} {fp:5} {fn:5}")
        results[method] = {
            "scores": as_dict(scores),
            "seconds": round(seconds, 2),
            "sentences_per_s": round(n_sent / seconds, 1),
        }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
