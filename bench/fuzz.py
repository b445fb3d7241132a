"""Hostile input at scale: thousands of generated files of every format through ``api.analyze``.

The files come from ``tests/fuzz/hostile.py`` (the generators of the property-based suite, here
driven by a seeded ``random.Random``): text, Markdown, HTML, JSONL/JSON (plain and gzipped),
RSS and Atom feeds, WARC (plain and gzipped), gzipped text and HTML, files to be sniffed by
content, and byte-flipped / truncated copies of the demo corpus and ``../shared/data/seed-sample``.
They are analyzed in batches (one folder and one fresh database per batch) and counted:

  aborted runs        analyze raised instead of returning a summary
  tracebacks          exceptions that escaped (printed), plus per-item "unexpected" errors the
                      last-resort guards caught (a reader bug or a non-lagebild exception in a stage)
  items without trace input items (JSONL lines, feed entries, WARC HTML responses, files) that were
                      neither stored nor given a failure reason
  over the budget     items that took longer than the time budget and still have no failure reason

Usage:
  nice .venv/bin/python bench/fuzz.py                       # 10,000 files, default pipeline
  nice .venv/bin/python bench/fuzz.py --files 500 --batch 100   # quick look
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.fuzz.hostile, the shared generators

from tests.fuzz.hostile import FORMATS, HostileFile, generate  # noqa: E402

from lagebild import api  # noqa: E402
from lagebild.config import load_config  # noqa: E402
from lagebild.errors import printable  # noqa: E402

KEYS = [
    "aborted runs",
    "tracebacks",
    "items without trace",
    "over the budget without a reason",
    "failed on the time budget",
    "slowest item ms",
    "items added",
    "items unchanged",
    "items failed",
]
OUTCOMES = ("added", "unchanged", "failed")
_ITEM = re.compile(r"#(?:line|entry|record) \d+$")
# Reasons written by the last-resort guards: a bug, even though the run went on.
_UNEXPECTED = re.compile(
    r"reader failed unexpectedly|stage '[^']+' failed: (?!took longer)[A-Z]\w*(Error|Exception)"
)


class Clock(api.Progress):
    """Records each item's outcome and the time since the previous item (its read + stages)."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, str, float]] = []
        self.last = time.monotonic()

    def file_done(self, path: str) -> None:
        self.last = time.monotonic()

    def item(self, outcome: Literal["added", "unchanged", "failed"], source: str, detail: str) -> None:
        now = time.monotonic()
        self.items.append((outcome, source, detail, now - self.last))
        self.last = now


def run_batch(
    files: list[HostileFile], config: Any, budget: float, totals: Counter[str], per_fmt: Counter[str]
) -> None:
    with tempfile.TemporaryDirectory(prefix="lagebild-fuzz-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        by_source: dict[str, HostileFile] = {}
        for number, hostile in enumerate(files):
            path = folder / f"{number:05d}-{hostile.name}"
            path.write_bytes(hostile.data)
            by_source[printable(str(path))] = hostile
        clock = Clock()
        try:
            api.analyze([str(folder)], db=str(Path(tmp) / "fuzz.db"), config=config, progress=clock)
        except Exception:  # noqa: BLE001 (counted and shown: what the benchmark looks for)
            totals["aborted runs"] += 1
            totals["tracebacks"] += 1
            traceback.print_exc()
        seen: Counter[str] = Counter()
        for outcome, source, detail, seconds in clock.items:
            file_source = _ITEM.sub("", source)
            seen[file_source] += 1
            fmt = by_source[file_source].fmt if file_source in by_source else "?"
            per_fmt[f"{fmt} {outcome}"] += 1
            totals[f"items {outcome}"] += 1
            if outcome == "failed" and _UNEXPECTED.search(detail):
                totals["tracebacks"] += 1
                print(f"unexpected: {source}: {detail}", file=sys.stderr)
            if seconds > budget:  # named, so that the slow input can be found and kept
                print(f"slow ({seconds:.0f} s, {outcome}): {source}: {detail}", file=sys.stderr)
            if seconds > budget and outcome != "failed":
                totals["over the budget without a reason"] += 1
            if outcome == "failed" and "took longer than" in detail:
                totals["failed on the time budget"] += 1
            totals["slowest item ms"] = max(totals["slowest item ms"], int(seconds * 1000))
        for source, hostile in by_source.items():
            if hostile.items is not None:
                totals["items without trace"] += max(0, hostile.items - seen[source])
            elif seen[source] == 0:
                totals["items without trace"] += 1
        totals["files"] += len(files)


def write_result(
    args: argparse.Namespace,
    config: dict,
    done: int,
    elapsed: float,
    totals: Counter[str],
    per_fmt: Counter[str],
    generated: Counter[str],
    *,
    complete: bool,
) -> None:
    result = {
        "files": done,
        "complete": complete,
        "seconds": round(elapsed, 1),
        "seed": args.seed,
        "batch": args.batch,
        "budget_s": args.budget,
        "stages": list(config["pipeline"]["stages"]),
        "overrides": ["stories.enabled=false", *args.set],
        "totals": dict(totals),
        "per_format": {
            fmt: {"files": generated[fmt], **{o: per_fmt[f"{fmt} {o}"] for o in OUTCOMES}} for fmt in FORMATS
        },
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=250, help="files per analyze run (one database each)")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument(
        "--budget", type=float, default=None, help="seconds per item (default: pipeline.article_seconds)"
    )
    parser.add_argument(
        "--set", action="append", default=[], help="config override, as for `lagebild analyze`"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "fuzz.json"))
    args = parser.parse_args()

    config = load_config(overrides=["stories.enabled=false", *args.set])
    budget = args.budget or float(config["pipeline"].get("article_seconds", 60.0)) or 60.0
    args.budget = budget
    rng = random.Random(args.seed)
    totals: Counter[str] = Counter()
    per_fmt: Counter[str] = Counter()
    generated: Counter[str] = Counter()
    start = time.monotonic()
    done = 0
    while done < args.files:
        size = min(args.batch, args.files - done)
        files = [generate(rng, FORMATS[(done + i) % len(FORMATS)]) for i in range(size)]
        generated.update(f.fmt for f in files)
        run_batch(files, config, budget, totals, per_fmt)
        done += size
        elapsed = time.monotonic() - start
        counts = f"aborted {totals['aborted runs']}  tracebacks {totals['tracebacks']}"
        print(
            f"{done:>6} files  {elapsed:7.0f} s  {counts}  no trace {totals['items without trace']}",
            flush=True,
        )
        # Written after every batch, so a long run that is stopped still leaves its figures.
        write_result(args, config, done, elapsed, totals, per_fmt, generated, complete=done >= args.files)
    elapsed = time.monotonic() - start
    stages = list(config["pipeline"]["stages"])
    print(f"\n{done} files in {elapsed:.0f} s ({done / elapsed:.1f} files/s), stages {stages}")
    for key in KEYS:
        print(f"  {key:<36}{totals[key]:>8}")
    print(f"\n{'format':<10}{'files':>7}{'added':>8}{'unchanged':>11}{'failed':>8}")
    for fmt in FORMATS:
        row = [per_fmt[f"{fmt} {o}"] for o in OUTCOMES]
        print(f"{fmt:<10}{generated[fmt]:>7}{row[0]:>8}{row[1]:>11}{row[2]:>8}")
    bad = totals["aborted runs"] + totals["tracebacks"] + totals["items without trace"]
    return 1 if bad or totals["over the budget without a reason"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
