#!/usr/bin/env python3
"""Validate bench/data/stories-gold.jsonl (story-clustering gold set on 10kGNAD test).

Checks
* every line is a JSON object with the fields ``source``, ``row``, ``category``,
  ``story`` and ``story_label``; ``source`` is ``10kgnad-test``; ``row`` is an int;
  ``story`` is a lower-case slug; ``story_label`` is a non-empty string;
* no row appears twice; every story has one label;
* ``row`` exists in ``10kgnad/test.csv`` (0-based record number, parsed with
  ``csv.reader(delimiter=";", quotechar="'")``) and its label equals ``category``.

The source data is not part of the repository. It is looked up under
``<repo>/../shared/data`` (override with ``--data DIR`` or ``LAGEBILD_SHARED_DATA``);
when the CSV is missing the script prints "skipped: data missing" and exits 0.

Usage:  python bench/data/validate_stories_gold.py [--data DIR] [--gold FILE]
Exit status 0 if everything passes (or the data is absent), 1 otherwise.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SOURCE = "10kgnad-test"
CSV_PATH = Path("10kgnad") / "test.csv"
FIELDS = ("source", "row", "category", "story", "story_label")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def default_data_dir() -> Path:
    env = os.environ.get("LAGEBILD_SHARED_DATA")
    if env:
        return Path(env)
    return REPO.parent / "shared" / "data"


def load_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f, delimiter=";", quotechar="'"))


def check(gold: Path, rows: list[list[str]]) -> tuple[list[str], list[dict]]:
    errors: list[str] = []
    records: list[dict] = []
    seen_rows: dict[int, int] = {}
    labels: dict[str, str] = {}
    with gold.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{gold.name}:{lineno}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"{where}: invalid JSON ({exc})")
                continue
            if not isinstance(rec, dict):
                errors.append(f"{where}: not a JSON object")
                continue
            missing = [k for k in FIELDS if k not in rec]
            if missing:
                errors.append(f"{where}: missing field(s) {', '.join(missing)}")
                continue
            row, story, label = rec["row"], rec["story"], rec["story_label"]
            if rec["source"] != SOURCE:
                errors.append(f"{where}: source {rec['source']!r} is not {SOURCE!r}")
            if not isinstance(row, int) or isinstance(row, bool):
                errors.append(f"{where}: row {row!r} is not an integer")
                continue
            if not isinstance(story, str) or not SLUG_RE.match(story):
                errors.append(f"{where}: story {story!r} is not a lower-case slug")
                continue
            if not isinstance(label, str) or not label.strip():
                errors.append(f"{where}: empty story_label")
            elif labels.setdefault(story, label) != label:
                errors.append(f"{where}: story {story!r} has two labels: {labels[story]!r} and {label!r}")
            if row in seen_rows:
                errors.append(f"{where}: row {row} already annotated on line {seen_rows[row]}")
                continue
            seen_rows[row] = lineno
            if not 0 <= row < len(rows):
                errors.append(f"{where}: row {row} not in test.csv ({len(rows)} records)")
                continue
            if not rows[row] or rows[row][0] != rec["category"]:
                actual = rows[row][0] if rows[row] else "<empty>"
                errors.append(f"{where}: row {row} has category {actual!r}, gold says {rec['category']!r}")
                continue
            records.append(rec)
    return errors, records


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=None, help="shared data dir (has 10kgnad/test.csv)")
    ap.add_argument("--gold", type=Path, default=HERE / "stories-gold.jsonl", help="gold file to check")
    args = ap.parse_args(argv)

    data_dir = args.data if args.data is not None else default_data_dir()
    csv_file = data_dir / CSV_PATH
    if not csv_file.is_file():
        print(f"skipped: data missing ({csv_file} not found)")
        return 0
    if not args.gold.is_file():
        print(f"error: gold file {args.gold} not found", file=sys.stderr)
        return 1

    errors, records = check(args.gold, load_rows(csv_file))
    if errors:
        for e in errors:
            print(f"error: {e}", file=sys.stderr)
        print(f"FAILED: {len(errors)} problem(s) in {args.gold}", file=sys.stderr)
        return 1

    sizes = collections.Counter(r["story"] for r in records)
    cats = collections.Counter(r["category"] for r in records)
    multi = [s for s, n in sizes.items() if n > 1]
    largest, largest_n = sizes.most_common(1)[0] if sizes else ("-", 0)
    print(f"articles: {len(records)} ({', '.join(f'{c} {n}' for c, n in sorted(cats.items()))})")
    print(f"stories: {len(sizes)} (singletons {len(sizes) - len(multi)})")
    print(f"multi-article stories: {len(multi)} covering {sum(sizes[s] for s in multi)} articles")
    print(f"largest story: {largest} ({largest_n} articles)")
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
