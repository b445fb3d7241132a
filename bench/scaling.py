"""How stage time grows with input size: clean, sentences, time, quotes and the whole default pipeline.

One German news-like text per size (10 KB … 5 MB, UTF-8 bytes): 10kGNAD test articles
(``../shared/data/10kgnad/test.csv``) joined as paragraphs, repeated in order until the size is reached;
without ``../shared`` a generated text of the same shape. Each stage is timed alone on an article
prepared by the stages before it (not timed); ``pipeline`` times the whole default pipeline. Models
and rules are loaded on a small warm-up text first, so the times are the work on the text. The
exponent is the least-squares slope of log(seconds) on log(bytes) over the measured sizes; a size
whose extrapolation from the previous one would exceed what is left of ``--budget`` is skipped.

    .venv/bin/python bench/scaling.py                        # all targets, 10 KB … 5 MB
    .venv/bin/python bench/scaling.py --targets time,quotes-rules --sizes 10e3,1e6
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import math
import os
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

# One BLAS thread: on a shared, loaded machine OpenBLAS's spinning threads made the quote tagger's
# encoder up to 15× slower (200 short sentences: 154 s against 11 s), which is noise, not scaling.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lagebild.config import Config, load_config  # noqa: E402
from lagebild.model import Article  # noqa: E402
from lagebild.pipeline import Context, Pipeline, registered_stages  # noqa: E402

GNAD = ROOT.parent / "shared" / "data" / "10kgnad" / "test.csv"
# target -> (stage timed, or None for the whole pipeline; config overrides)
TARGETS: dict[str, tuple[str | None, list[str]]] = {
    "clean": ("clean", []),
    "sentences": ("sentences", []),
    "time": ("time", []),
    "quotes-rules": ("quotes", ["quotes.method=rules"]),
    "quotes": ("quotes", []),
    "pipeline": (None, []),
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„])")
CLOCK = [time.perf_counter]  # --clock cpu: time.process_time
# The budget would stop a big text: off for the measurement.
BASE = ["pipeline.article_seconds=0", "metadata.reference_date=2026-11-23"]


def paragraphs() -> tuple[list[str], str]:
    if GNAD.exists():
        with GNAD.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f, delimiter=";", quotechar="'"))
        # Each article is one line; news pages come in paragraphs: three sentences each.
        out: list[str] = []
        for row in rows:
            if len(row) > 1 and row[1].strip():
                sents = _SENTENCE_END.split(row[1].strip())
                out += [" ".join(sents[i : i + 3]) for i in range(0, len(sents), 3)]
        return out, "10kGNAD test articles in paragraphs of three sentences"
    rng = random.Random(17)
    words = [
        "Regierung",
        "Moskau",
        "Peking",
        "sagte",
        "Sprecher",
        "Ministerium",
        "Gespräche",
        "Handel",
        "Energie",
        "Sanktionen",
    ]
    out = []
    for i in range(3000):
        sents = [
            " ".join(rng.choice(words) for _ in range(rng.randint(8, 20))).capitalize() + "."
            for _ in range(rng.randint(3, 6))
        ]
        sents.insert(
            1, f"„{' '.join(rng.choice(words) for _ in range(9))}“, sagte der Sprecher am {i % 28 + 1}. Mai."
        )
        out.append(" ".join(sents))
    return out, "generated paragraphs (../shared not found)"


def text_of(size: int, paras: list[str]) -> str:
    out: list[str] = []
    total, i = 0, 0
    while total < size:
        p = paras[i % len(paras)]
        out.append(p)
        total += len(p.encode("utf-8")) + 2
        i += 1
    return "\n\n".join(out)


def prepare(text: str, stage: str | None, cfg: Config, prefix_cfg: Config) -> Article:
    """The article as the timed stage gets it: the stages before it have run."""
    article = Article(id="scaling", source="scaling.txt", source_format="txt", raw_text=text)
    if stage is None:
        return article
    names = list(cfg["pipeline"]["stages"])
    before = names[: names.index(stage)]
    if stage != "clean" and "clean" in before:
        # clean is measured on its own; the others get the text as clean text (10kGNAD paragraphs
        # have nothing to remove) so that a slow clean does not decide which sizes they reach.
        article.language, article.clean_text = "de", text
        before = [n for n in before if n not in {"language", "clean"}]
    ctx, stages = Context(prefix_cfg), registered_stages()
    for name in before:
        article = stages[name].fn(article, ctx)
    return article


def run_once(target: str, text: str, warm: Context, prefix_cfg: Config) -> float:
    stage, _ = TARGETS[target]
    cfg = warm.config
    article = prepare(text, stage, cfg, prefix_cfg)
    if stage is None:
        pipeline = Pipeline(list(cfg["pipeline"]["stages"]), warm)
        start = CLOCK[0]()
        pipeline.run(article)
        return CLOCK[0]() - start
    fn = registered_stages()[stage].fn
    article = copy.deepcopy(article)
    start = CLOCK[0]()
    fn(article, warm)
    return CLOCK[0]() - start


def slope(points: list[tuple[int, float]]) -> float | None:
    if len(points) < 2:
        return None
    xs = [math.log(s) for s, _ in points]
    ys = [math.log(max(t, 1e-6)) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10e3,100e3,1e6,5e6", help="text sizes in bytes")
    parser.add_argument("--targets", default=",".join(TARGETS), help=f"of {', '.join(TARGETS)}")
    parser.add_argument("--budget", type=float, default=300.0, help="seconds per target for all its sizes")
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="wall time, or this process's CPU time (one BLAS thread: the work itself, not what other "
        "processes on a shared machine take from it)",
    )
    parser.add_argument("--prefix-backend", default="regex", help="sentence backend of the untimed prefix")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "scaling.json"))
    args = parser.parse_args()
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    CLOCK[0] = time.process_time if args.clock == "cpu" else time.perf_counter
    targets = [t for t in args.targets.split(",") if t]
    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}")
    paras, source = paragraphs()
    texts = {s: text_of(s, paras) for s in sizes}
    prefix_cfg = load_config(overrides=[*BASE, f"sentences.backend={args.prefix_backend}"])
    print(f"text: {source}; sizes {', '.join(f'{s:,}' for s in sizes)} bytes", flush=True)
    rows: list[dict[str, Any]] = []
    for target in targets:
        warm = Context(load_config(overrides=[*BASE, *TARGETS[target][1]]))
        run_once(target, text_of(3_000, paras), warm, prefix_cfg)  # load models and rules
        left, points, prev = args.budget, [], None
        for size in sizes:
            if prev is not None:
                p_size, p_secs = prev
                # Linear extrapolation at the least; the fitted slope when it is steeper.
                k = max(1.0, slope(points) or 1.0)
                estimate = p_secs * (size / p_size) ** k
                if estimate > left:
                    rows.append(
                        {
                            "target": target,
                            "bytes": size,
                            "seconds": None,
                            "note": f"skipped: ≈{estimate:.0f} s",
                        }
                    )
                    print(
                        f"{target:13s} {size:>10,} skipped (estimate {estimate:.0f} s > {left:.0f} s left)",
                        flush=True,
                    )
                    continue
            secs = run_once(target, texts[size], warm, prefix_cfg)
            left -= secs
            points.append((size, secs))
            prev = (size, secs)
            rows.append({"target": target, "bytes": size, "seconds": round(secs, 3), "note": ""})
            print(f"{target:13s} {size:>10,} {secs:9.2f} s  {size / secs / 1e3:9.1f} KB/s", flush=True)
        k = slope(points)
        rows.append({"target": target, "exponent": None if k is None else round(k, 2)})
    print("\ntarget         " + "".join(f"{s / 1e3:>10,.0f} KB" for s in sizes) + "   exponent")
    for target in targets:
        cells = {r["bytes"]: r for r in rows if r["target"] == target and "bytes" in r}
        exp = next(r["exponent"] for r in rows if r["target"] == target and "exponent" in r)
        line = "".join(
            f"{cells[s]['seconds']:>11.2f}s" if cells.get(s, {}).get("seconds") is not None else f"{'—':>12s}"
            for s in sizes
        )
        print(f"{target:13s}{line}   {'—' if exp is None else f'{exp:.2f}'}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(
        json.dumps({"text": source, "clock": args.clock, "sizes": sizes, "rows": rows}, indent=1),
        encoding="utf-8",
    )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
