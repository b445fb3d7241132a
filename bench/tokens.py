"""Token-boundary quality of the two sentence backends against GermEval 2014 gold tokens.

Each gold sentence is detokenised (no space before closing punctuation, none after opening
brackets and quotes), so the tokenizer has to find the boundaries; a predicted token counts when
its character span equals a gold token's span. Reports precision, recall and F1 over tokens, and
words/s. Data: the last 1,000 sentences of NER-de-test.tsv (the project's held-out split).

    python bench/tokens.py [--data FILE] [--out bench/results/tokens.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

from lagebild.stages.sentences import _somajo, split_regex, split_somajo

NO_SPACE_BEFORE = set(".,;:!?)]}%“”»«'’\"")
NO_SPACE_AFTER = set("([{„»‚")


def read_germeval(path: Path) -> list[list[str]]:
    sentences: list[list[str]] = []
    current: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if current:
                sentences.append(current)
            current = []
            continue
        current.append(line.split("\t")[1])
    if current:
        sentences.append(current)
    return sentences


def detokenize(tokens: list[str]) -> tuple[str, set[tuple[int, int]]]:
    text, spans = "", set()
    for i, tok in enumerate(tokens):
        glue = i == 0 or tok[0] in NO_SPACE_BEFORE and len(tok) == 1 or tokens[i - 1] in NO_SPACE_AFTER
        if not glue:
            text += " "
        spans.add((len(text), len(text) + len(tok)))
        text += tok
    return text, spans


def score(name: str, split, docs: list[tuple[str, set[tuple[int, int]]]]) -> dict[str, float | str | int]:
    tp = fp = fn = 0
    start = time.perf_counter()
    predicted = [{tok for s in split(text) for tok in s.tokens} for text, _ in docs]
    seconds = time.perf_counter() - start
    for (_, gold), pred in zip(docs, predicted, strict=True):
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    p, r = tp / (tp + fp), tp / (tp + fn)
    words = sum(len(g) for _, g in docs)
    return {
        "backend": name,
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4),
        "tokens": words,
        "words_per_s": round(words / seconds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", default="../shared/data/germeval2014/NER-de-test.tsv")
    parser.add_argument("--out", default="bench/results/tokens.json")
    args = parser.parse_args()
    path = Path(args.data)
    if not path.exists():
        print(f"skipped: {path} not found (../shared is not available)")
        return
    docs = [detokenize(s) for s in read_germeval(path)[-1000:]]
    tok = _somajo("de")
    rows = [
        score("somajo", lambda t: split_somajo(t, tok), docs),
        score("regex", split_regex, docs),
    ]
    print(f"GermEval 2014 test, last 1,000 sentences ({rows[0]['tokens']:,} gold tokens)")
    print(f"{'backend':8} {'P':>7} {'R':>7} {'F1':>7} {'words/s':>9}")
    for row in rows:
        p, r, f = row["precision"], row["recall"], row["f1"]
        print(f"{row['backend']:8} {p:7.4f} {r:7.4f} {f:7.4f} {row['words_per_s']:9,}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(
        json.dumps(
            {"benchmark": "tokens", "date": dt.date.today().isoformat(), "data": str(path), "rows": rows},
            indent=2,
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
