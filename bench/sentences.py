"""Sentence-boundary quality and speed of the two ``sentences`` backends on SpkAtt-2023 dev.

Data: ../shared/data/speaker-attribution-news/dev/*.json (150 German WikiNews articles). Each file's
``Sentences[*].Tokens`` are detokenized into running text (no space before , . ; : ! ? ) ] and
closing quotes, none after ( [ and opening quotes; straight quotes alternate open/close), and all
sentences of a document are joined with single spaces into ONE paragraph, so the splitter has to
find every boundary itself. The character offset where each gold sentence ends is kept while the
text is built.

Scoring: predicted sentence end offsets (trailing whitespace ignored) against gold end offsets,
exact match; the end of the document is excluded on both sides. Precision, recall, F1 over all
documents (micro). Recall is also given for the gold boundaries whose sentence ends in . ! ? or …
(optionally followed by closing quotes/brackets): the gold data also ends sentences at ':' and ';'
and at headline-like lines without punctuation, which neither backend treats as boundaries.

Speed: words (whitespace-separated) per second of ``split_somajo(text, tokenizer)`` /
``split_regex(text)`` over all documents: the best single pass of at least --repeat passes and
--min-seconds in all; the SoMaJo tokenizer is built once beforehand (its load time is reported
separately). Gold repairs: SpkAtt puts a few closing quotes at the start of the next sentence and
a few opening quotes at the end of the previous one (and has sentences that are only "“" or "."),
so those tokens are moved to the sentence they belong to before the text is built; the count is
printed.

Usage:
  .venv/bin/python bench/sentences.py
  .venv/bin/python bench/sentences.py --show-errors 15
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DEV = REPO.parent / "shared" / "data" / "speaker-attribution-news" / "dev"
DEV_DISPLAY = "../shared/data/speaker-attribution-news/dev"
RESULTS = BENCH / "results"

NO_SPACE_BEFORE = {
    ".",
    ",",
    ";",
    ":",
    "!",
    "?",
    ")",
    "]",
    "}",
    "“",
    "”",
    "’",
    "‘",
    "«",
    "%",
    "…",
    "...",
    "''",
    "'s",
}
NO_SPACE_AFTER = {"(", "[", "{", "„", "‚", "»", "``", "‘"}
STRAIGHT_QUOTES = {'"', "''", "'"}
TERMINAL = (".", "!", "?", "…")
CLOSERS = "\"“”»«'’‘)]"


def detokenize(sentences: list[list[str]]) -> tuple[str, list[int]]:
    """Running text of a document (sentences joined by single spaces) and each sentence's end offset."""
    parts: list[str] = []
    length = 0
    ends: list[int] = []
    open_quote = {q: False for q in STRAIGHT_QUOTES}
    glue_next = False  # previous token was an opening bracket/quote
    for s_index, tokens in enumerate(sentences):
        for t_index, tok in enumerate(tokens):
            first = s_index == 0 and t_index == 0
            if tok in STRAIGHT_QUOTES:
                opening = not open_quote[tok]
                open_quote[tok] = opening
                space = not first and not glue_next and opening
                glue_after = opening
            elif tok == "/":
                space = False
                glue_after = True
            else:
                space = not first and not glue_next and tok not in NO_SPACE_BEFORE
                glue_after = tok in NO_SPACE_AFTER
            if t_index == 0 and not first:
                space = True  # sentences are always separated by exactly one space
            if space:
                parts.append(" ")
                length += 1
            parts.append(tok)
            length += len(tok)
            glue_next = glue_after
        ends.append(length)
    return "".join(parts), ends


OPENERS = {"„", "‚", "(", "[", "{", "»"}
LEADING_CLOSERS = {".", ",", ";", ":", "!", "?", ")", "]", "}", "“", "”", "’", "…"}


def repair(sentences: list[list[str]]) -> tuple[list[list[str]], int]:
    """Fix gold sentences that start with a closing quote/punctuation or end with an opening quote.

    SpkAtt puts a few closing quotes at the start of the next sentence (``["“", "Sifton", ...]``) or
    an opening quote at the end of the previous one, and has sentences that are only ``“`` or ``.``.
    Such a token is moved to the sentence it belongs to (counted in the output as gold repairs);
    sentences left empty are dropped.
    """
    out = [list(s) for s in sentences]
    moved = 0
    for i in range(len(out) - 1):
        while out[i] and out[i][-1] in OPENERS:
            out[i + 1].insert(0, out[i].pop())
            moved += 1
    for i in range(1, len(out)):
        prev = next((j for j in range(i - 1, -1, -1) if out[j]), None)
        while prev is not None and out[i] and out[i][0] in LEADING_CLOSERS:
            out[prev].append(out[i].pop(0))
            moved += 1
    return [s for s in out if s], moved


def load_docs() -> list[dict]:
    docs = []
    for path in sorted(DEV.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        sents = [s["Tokens"] for s in sorted(data["Sentences"], key=lambda s: s["SentenceId"]) if s["Tokens"]]
        sents, moved = repair(sents)
        text, ends = detokenize(sents)
        docs.append(
            {
                "name": path.name,
                "text": text,
                "gold_ends": ends[:-1],  # the document's end is not a boundary to find
                "tokens": sum(len(s) for s in sents),
                "sentences": len(sents),
                "repairs": moved,
            }
        )
    return docs


def is_terminal(text: str, end: int) -> bool:
    s = text[:end].rstrip(CLOSERS)
    return s.endswith(TERMINAL)


def predicted_ends(sentences: list, text: str) -> set[int]:
    ends = set()
    for sent in sentences:
        end = sent.end
        while end > 0 and text[end - 1].isspace():
            end -= 1
        ends.add(end)
    ends.discard(len(text.rstrip()))
    return ends


def score(docs: list[dict], preds: list[set[int]]) -> dict:
    tp = fp = fn = 0
    term_gold = term_tp = 0
    errors = []
    for doc, pred in zip(docs, preds, strict=True):
        gold = set(doc["gold_ends"])
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        for g in gold:
            if is_terminal(doc["text"], g):
                term_gold += 1
                term_tp += g in pred
        for kind, offsets in (("missed", gold - pred), ("spurious", pred - gold)):
            for off in sorted(offsets):
                errors.append(
                    {
                        "doc": doc["name"],
                        "kind": kind,
                        "offset": off,
                        "context": doc["text"][max(0, off - 50) : off] + " ‖ " + doc["text"][off : off + 30],
                    }
                )
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": p,
        "recall": r,
        "f1": f,
        "terminal_gold": term_gold,
        "terminal_recall": term_tp / term_gold if term_gold else 0.0,
        "errors": errors,
    }


def _split_with(split: Callable[[str, Any], list], tokenizer: Any, text: str) -> list:
    return split(text, tokenizer)


def timed(
    split: Callable[[str], list], texts: list[str], repeat: int, min_seconds: float
) -> tuple[float, int, list[list]]:
    """Best time of one pass over all texts: at least ``repeat`` passes and ``min_seconds`` in all."""
    best = float("inf")
    out: list[list] = []
    passes = 0
    total = 0.0
    while passes < repeat or total < min_seconds:
        t = time.perf_counter()
        out = [split(text) for text in texts]
        took = time.perf_counter() - t
        best = min(best, took)
        total += took
        passes += 1
    return best, passes, out


def table(rows: list[dict]) -> str:
    head = [
        "backend",
        "docs",
        "gold bounds",
        "TP",
        "FP",
        "FN",
        "precision",
        "recall",
        "F1",
        "recall .!?",
        "seconds",
        "words/s",
        "load s",
    ]
    body = [
        [
            r["backend"],
            str(r["docs"]),
            str(r["gold_boundaries"]),
            str(r["tp"]),
            str(r["fp"]),
            str(r["fn"]),
            f"{r['precision']:.3f}",
            f"{r['recall']:.3f}",
            f"{r['f1']:.3f}",
            f"{r['terminal_recall']:.3f}",
            f"{r['seconds']:.2f}",
            f"{r['words_per_s']:,.0f}",
            f"{r['load_seconds']:.2f}",
        ]
        for r in rows
    ]
    widths = [max(len(h), *(len(row[i]) for row in body)) for i, h in enumerate(head)]

    def fmt(cells: list[str]) -> str:
        return (
            "| "
            + " | ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
            + " |"
        )

    rules = [("-" * (w + 2)) if i == 0 else ("-" * (w + 1) + ":") for i, w in enumerate(widths)]
    sep = "|" + "|".join(rules) + "|"
    return "\n".join([fmt(head), sep, *(fmt(row) for row in body)])


def main() -> None:
    ap = argparse.ArgumentParser(
        description="Sentence-boundary precision/recall/F1 and words/s of the somajo and regex backends "
        "on SpkAtt-2023 dev (../shared/data/speaker-attribution-news/dev).",
    )
    ap.add_argument("--backends", default="somajo,regex", help="comma-separated: somajo,regex")
    ap.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="minimum timing passes per backend; the best is reported (default 3)",
    )
    ap.add_argument(
        "--min-seconds",
        type=float,
        default=2.0,
        help="keep timing passes going until this many seconds in all (default 2.0)",
    )
    ap.add_argument(
        "--show-errors",
        type=int,
        default=0,
        metavar="N",
        help="print N missed and N spurious boundaries per backend with context",
    )
    ap.add_argument("--out", default=str(RESULTS / "sentences.json"), help="JSON result file")
    args = ap.parse_args()

    if not DEV.is_dir() or not any(DEV.glob("*.json")):
        print(f"skipped: {DEV_DISPLAY}/*.json not found")
        return

    sys.path.insert(0, str(REPO / "src"))  # harmless when lagebild is installed (editable)
    from lagebild.stages.sentences import _somajo, split_regex, split_somajo

    docs = load_docs()
    texts = [d["text"] for d in docs]
    words = sum(len(t.split()) for t in texts)
    gold_total = sum(len(d["gold_ends"]) for d in docs)
    print(
        f"{len(docs)} documents, {sum(d['sentences'] for d in docs):,} gold sentences, "
        f"{gold_total:,} gold boundaries (document ends excluded), "
        f"{sum(d['tokens'] for d in docs):,} tokens, "
        f"{sum(d['repairs'] for d in docs)} quote/punctuation tokens moved to their sentence, "
        f"{words:,} words, {sum(len(t) for t in texts):,} characters",
        flush=True,
    )

    rows = []
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        load = 0.0
        if backend == "somajo":
            t = time.perf_counter()
            split = functools.partial(_split_with, split_somajo, _somajo("de"))
            load = time.perf_counter() - t
        elif backend == "regex":
            split = split_regex
        else:
            raise SystemExit(f"unknown backend {backend!r} (use somajo, regex)")
        print(
            f"  {backend}: splitting (at least {args.repeat} passes, {args.min_seconds:g} s) ...", flush=True
        )
        seconds, passes, results = timed(split, texts, args.repeat, args.min_seconds)
        preds = [predicted_ends(sents, text) for sents, text in zip(results, texts, strict=True)]
        sc = score(docs, preds)
        errors = sc.pop("errors")
        rows.append(
            {
                "backend": backend,
                "docs": len(docs),
                "gold_boundaries": gold_total,
                **sc,
                "predicted_sentences": sum(len(r) for r in results),
                "seconds": seconds,
                "timing_passes": passes,
                "words": words,
                "words_per_s": words / seconds,
                "load_seconds": load,
                "error_examples": errors[:200],
            }
        )
        if args.show_errors:
            for kind in ("missed", "spurious"):
                picked = [e for e in errors if e["kind"] == kind][: args.show_errors]
                print(f"    {kind} ({sum(e['kind'] == kind for e in errors)}):")
                for e in picked:
                    print(f"      {e['context']!r}")

    print()
    print(table(rows))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "benchmark": "sentences",
                "date": dt.date.today().isoformat(),
                "command": " ".join([Path(sys.executable).name, *sys.argv]),
                "machine": {
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                    "python": platform.python_version(),
                },
                "data": DEV_DISPLAY,
                "documents": len(docs),
                "gold_boundaries": gold_total,
                "gold_repairs": sum(d["repairs"] for d in docs),
                "words": words,
                "rows": rows,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
