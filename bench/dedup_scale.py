"""Scale of near-duplicate detection (issue P5, acceptance 3): time and memory vs corpus size.

Each size runs in a fresh subprocess. The corpus is generated in memory with NumPy (not timed):
articles of 8–16 sentences of 8–20 words drawn from a Zipf-distributed vocabulary of 60,000
made-up words (so common words and short phrases recur across articles), plus 1–2 of 40 shared
boilerplate sentences ("Lesen Sie auch …") per article. 1 % of the articles get a repost appended
to the corpus (10 % of the sentences replaced by new ones, a footer added).

Timed: ``lagebild.reuse.minhash.near_pairs`` (shingling, MinHash signatures, LSH banding,
verification of candidates) with the default ``[reuse]`` settings — the document-level part of
``find_near_duplicates``; the paragraph alignment per found pair and building ``Article`` records
are not included. Memory: the peak resident set size during detection (``VmHWM`` after resetting
it through ``/proc/self/clear_refs``) minus the resident size before it (the corpus itself), and
the peak itself. Single-threaded (NumPy element-wise operations do not use threads).

The exponent b of time ≈ a·n^b is a least-squares fit of log(time) on log(n) over the measured
sizes. Sizes whose time, extrapolated linearly from the previous size, would exceed the remaining
--budget are skipped and reported as such.

Usage:
  .venv/bin/python bench/dedup_scale.py                          # 10k, 100k, 1M (budget 1500 s)
  .venv/bin/python bench/dedup_scale.py --sizes 10000,30000,100000,300000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RESULTS = BENCH / "results"
SYLLABLES = (
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "ka",
    "ke",
    "ki",
    "ko",
    "ku",
    "la",
    "le",
    "li",
    "lo",
    "lu",
    "ma",
    "me",
)
SYLLABLES += ("mi", "mo", "mu", "na", "ne", "ni", "no", "nu", "ra", "re", "ri", "ro", "ru", "sa", "se", "si")
SYLLABLES += ("so", "su", "ta", "te", "ti", "to", "tu", "ge", "gi", "ch", "sch", "st")
VOCAB = 60_000
FOOTER = "Dieser Beitrag erschien zuerst auf einem anderen Portal. Folgen Sie uns auf Telegram."


def _status(field: str) -> float:
    """A ``/proc/self/status`` field in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


def generate(n: int, seed: int) -> tuple[list[str], list[tuple[int, int]]]:
    import numpy as np

    rng = np.random.default_rng(seed)
    syll = np.array(list(SYLLABLES))
    parts = rng.integers(0, len(syll), size=(VOCAB, 3))
    vocab = ["".join(syll[p]) for p in parts]
    words = vocab + [w + "." for w in vocab]  # index + VOCAB: the word ends a sentence
    boiler = [f"Lesen Sie auch unseren Bericht Nummer {i} über die Lage in der Region." for i in range(40)]
    n_sent = rng.integers(8, 17, size=n)
    sent_len = rng.integers(8, 21, size=int(n_sent.sum()))
    idx = (rng.zipf(1.3, size=int(sent_len.sum())) - 1) % VOCAB
    idx[np.cumsum(sent_len) - 1] += VOCAB
    tokens = [words[i] for i in idx.tolist()]
    ends = np.cumsum(np.add.reduceat(sent_len, np.concatenate(([0], np.cumsum(n_sent)[:-1])))).tolist()
    which = rng.integers(0, len(boiler), size=n).tolist()
    first = (rng.random(n) < 0.5).tolist()
    texts: list[str] = []
    start = 0
    for i, end in enumerate(ends):
        body = " ".join(tokens[start:end])
        texts.append(f"{boiler[which[i]]} {body}" if first[i] else f"{body} {boiler[which[i]]}")
        start = end
    reposts: list[tuple[int, int]] = []
    for i in rng.choice(n, size=max(1, n // 100), replace=False).tolist():
        sents = texts[i].split(". ")
        for j in rng.choice(len(sents), size=max(1, len(sents) // 10), replace=False).tolist():
            other = texts[int(rng.integers(0, n))].split(". ")
            sents[j] = other[len(other) // 2]
        reposts.append((i, len(texts)))
        texts.append(". ".join(sents) + " " + FOOTER)
    return texts, reposts


def worker(n: int, seed: int) -> None:
    sys.path.insert(0, str(REPO / "src"))
    from lagebild.config import load_config
    from lagebild.reuse.minhash import near_pairs

    t0 = time.perf_counter()
    texts, truth = generate(n, seed)
    gen_s = time.perf_counter() - t0
    cfg = load_config()["reuse"]
    rss_before = _status("VmRSS")
    try:
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak RSS (VmHWM)
        reset = True
    except OSError:
        reset = False
    t0, c0 = time.perf_counter(), time.process_time()
    left, right, _ = near_pairs(
        texts,
        float(cfg["threshold"]),
        num_perm=int(cfg["num_perm"]),
        shingle_size=int(cfg["shingle_size"]),
        min_words=int(cfg["min_words"]),
    )
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = _status("VmHWM")
    found = set(zip(left.tolist(), right.tolist(), strict=True))
    hits = sum(1 for p in truth if p in found)
    out = {
        "n": n,
        "texts": len(texts),
        "words": sum(t.count(" ") + 1 for t in texts),
        "generate_s": round(gen_s, 1),
        "seconds": round(secs, 2),
        "cpu_s": round(cpu, 2),
        "texts_per_s": round(len(texts) / secs),
        "texts_per_cpu_s": round(len(texts) / cpu),
        "rss_before_mb": round(rss_before),
        "peak_mb": round(peak),
        "detection_mb": round(peak - rss_before) if reset else None,
        "pairs": len(found),
        "reposts": len(truth),
        "reposts_found": hits,
        "other_pairs": len(found) - hits,
    }
    print("RESULT " + json.dumps(out), flush=True)


def fit(rows: list[dict[str, Any]], key: str) -> float | None:
    pts = [(math.log(r["texts"]), math.log(r[key])) for r in rows if r.get(key)]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated corpus sizes")
    ap.add_argument("--seed", type=int, default=20261124)
    ap.add_argument("--budget", type=float, default=1500.0, help="seconds for all sizes (default 1500)")
    ap.add_argument("--out", default=str(RESULTS / "dedup_scale.json"))
    ap.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.seed)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    for n in sizes:
        left = args.budget - (time.perf_counter() - started)
        if rows:
            prev = rows[-1]
            estimate = (prev["seconds"] + prev["generate_s"]) * n / prev["n"] * 1.2
            if estimate > left:
                print(f"skipped n={n:,}: estimated {estimate:.0f} s > {left:.0f} s left of the budget")
                rows.append({"n": n, "skipped": f"estimated {estimate:.0f} s > {left:.0f} s left"})
                continue
        cmd = [sys.executable, __file__, "--worker", str(n), "--seed", str(args.seed)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        lines = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
        if proc.returncode != 0 or not lines:
            print(f"n={n}: worker failed ({proc.returncode}): {proc.stderr[-2000:]}")
            rows.append({"n": n, "error": proc.stderr[-2000:]})
            continue
        row = json.loads(lines[-1][7:])
        rows.append(row)
        print(f"n={n:,}: {row['seconds']} s, peak {row['peak_mb']} MB", flush=True)
    measured = [r for r in rows if "seconds" in r]
    exponent = fit(measured, "cpu_s")
    exponent_wall = fit(measured, "seconds")
    print(
        "\n| articles (+1 % reposts) | words | CPU s | wall s | articles per CPU s | detection MB | "
        "peak RSS MB | reposts found | other pairs |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        if "seconds" not in r:
            print(f"| {r['n']:,} | | {r.get('skipped') or 'error'} | | | | | | |")
            continue
        print(
            f"| {r['texts']:,} | {r['words']:,} | {r['cpu_s']} | {r['seconds']} | {r['texts_per_cpu_s']:,} | "
            f"{r['detection_mb']} | {r['peak_mb']} | {r['reposts_found']}/{r['reposts']} | "
            f"{r['other_pairs']} |"
        )
    if exponent is not None and exponent_wall is not None:
        print(f"fitted exponent of time vs n: {exponent:.3f} (CPU time), {exponent_wall:.3f} (wall time)")
    result = {
        "date": dt.date.today().isoformat(),
        "seed": args.seed,
        "budget_s": args.budget,
        "rows": rows,
        "exponent": exponent,
        "exponent_wall": exponent_wall,
        "wall_s": round(time.perf_counter() - started, 1),
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
