"""The whole picture, end to end: articles/s, words/s, peak RSS and time per stage, per profile.

Input: the first ``--n`` articles (default 1,000) of ``../shared/data/10kgnad/test.csv`` (Der Standard,
German), written as one JSONL file. Each profile runs ``lagebild.api.analyze`` in a fresh subprocess on
a fresh SQLite database (read → stages → store, the end-of-run reuse and story passes included), so
peak RSS (``ru_maxrss``) and loaded models do not mix between profiles. Stage times come from wrapping
the registered stage functions in that process; "NER alone" is the articles/s of the ``entities``
stage measured in the same run, plus the ``encode`` stage when the profile shares an encoder (the
issue's yardstick: the whole run should reach 0.7 × of it).

Stages run in ``pipeline.workers`` processes ("auto": the cores, at most 4) after the first
``pipeline.pool_after`` articles; ``--set pipeline.workers=1`` runs them all in one process (the
per-stage breakdown then covers every article).

Words are whitespace-separated tokens of the input text. Model loading is part of the run (it is what
a user waits for); the one-article start-up time is measured separately by ``--startup``.

    .venv/bin/python bench/pipeline.py                      # both profiles, 1,000 articles
    .venv/bin/python bench/pipeline.py --n 100 --profiles fast
    .venv/bin/python bench/pipeline.py --set quotes.method=rules   # extra overrides for every profile
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GNAD = ROOT.parent / "shared" / "data" / "10kgnad" / "test.csv"
RESULTS = ROOT / "bench" / "results" / "pipeline.json"
PROFILES = ("fast", "accurate")


def write_corpus(n: int, path: Path) -> tuple[int, int]:
    with GNAD.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f, delimiter=";", quotechar="'") if len(r) > 1 and r[1].strip()]
    rows = rows[:n]
    words = 0
    with path.open("w", encoding="utf-8") as out:
        for i, (label, text, *_) in enumerate(rows):
            words += len(text.split())
            record = {"id": f"gnad-{i}", "text": text, "outlet": "derstandard.at", "section": label}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(rows), words


def _pss_kb(pid: int) -> int:
    """Proportional set size of a process (Linux): shared pages counted once across the processes."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            return next((int(line.split()[1]) for line in fh if line.startswith("Pss:")), 0)
    except OSError:
        return 0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as fh:
            return [int(c) for c in fh.read().split()]
    except OSError:
        return []


class PssSampler(threading.Thread):
    """Peak of the summed PSS of this process and its worker processes, sampled every second: what
    the run holds in memory together (a forked worker shares the models' pages with the main process,
    so adding up their RSS would count them twice)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self.done.wait(1.0):
            total = _pss_kb(me) + sum(_pss_kb(c) for c in _children(me))
            self.peak_kb = max(self.peak_kb, total)


def worker(corpus: str, db: str, profile: str, overrides: list[str]) -> dict[str, Any]:
    """One profile in this (fresh) process; returns the figures as a dict."""
    import resource

    start = time.perf_counter()
    from lagebild import api, pipeline
    from lagebild.config import load_config
    from lagebild.parallel import worker_count

    stage_seconds: dict[str, float] = {}

    def timed(name: str, fn: Any) -> Any:
        def run(*args: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args)
            finally:
                stage_seconds[name] = stage_seconds.get(name, 0.0) + time.perf_counter() - t0

        return run

    for name, st in pipeline.registered_stages().items():
        pipeline._REGISTRY[name] = dataclasses.replace(st, fn=timed(name, st.fn))
    # The end-of-run passes, wherever analyze looks them up.
    home = sys.modules[api.analyze.__module__]
    for name in ("_find_reuse", "_find_stories"):
        if hasattr(home, name):
            setattr(home, name, timed(f"end:{name.strip('_').removeprefix('find_')}", getattr(home, name)))
    config = load_config(overrides=[f"analysis.profile={profile}", *overrides])
    sampler = PssSampler()
    sampler.start()
    summary = api.analyze([corpus], db=db, config=config)
    sampler.done.set()
    total = time.perf_counter() - start
    return {
        "profile": profile,
        "stages": list(config["pipeline"]["stages"]),
        "ner_model": config["ner"]["model"],
        "quotes_method": config["quotes"]["method"],
        "added": summary.added,
        "failed": summary.failed,
        "seconds": total,
        "stage_seconds": stage_seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        # worker processes (pipeline.workers): the largest one's peak; they run in parallel
        "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0,
        "workers": worker_count(config),
        "peak_pss_mb": sampler.peak_kb / 1024.0,
        "pool_after": int(config["pipeline"]["pool_after"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1000, help="10kGNAD test articles (default 1,000)")
    parser.add_argument("--profiles", default=",".join(PROFILES))
    parser.add_argument("--set", dest="overrides", action="append", default=[], help="config override")
    parser.add_argument("--out", default=str(RESULTS))
    parser.add_argument("--worker", nargs=3, metavar=("CORPUS", "DB", "PROFILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker, args.overrides)))
        return
    if not GNAD.exists():
        print(f"skipped: {GNAD} not found (the 10kGNAD data set of ../shared)")
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "gnad.jsonl"
        n, words = write_corpus(args.n, corpus)
        print(f"corpus: {n} 10kGNAD test articles, {words:,} words; {os.cpu_count()} cores", flush=True)
        for profile in args.profiles.split(","):
            cmd = [sys.executable, __file__, "--worker", str(corpus), f"{tmp}/{profile}.db", profile]
            cmd += [f"--set={o}" for o in args.overrides]
            done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
            if done.returncode != 0:
                print(f"{profile}: failed\n{done.stderr[-3000:]}")
                continue
            row = json.loads(done.stdout.strip().splitlines()[-1])
            row.update(articles=n, words=words, load=os.getloadavg()[0])
            rows.append(row)
            show(row)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    print(f"wrote {args.out}")


def show(row: dict[str, Any]) -> None:
    n, secs = row["articles"], row["seconds"]
    # NER alone: its stage, plus the shared encoder pass when the profile has one (encode)
    ner = row["stage_seconds"].get("entities", 0.0) + row["stage_seconds"].get("encode", 0.0)
    print(
        f"\n{row['profile']}: {n / secs:.2f} articles/s, {row['words'] / secs:,.0f} words/s, "
        f"{secs:.0f} s, peak RSS {row['peak_rss_mb']:,.0f} MB, added {row['added']}, failed {row['failed']} "
        f"(ner {row['ner_model']}, quotes {row['quotes_method']}; load {row['load']:.1f})"
    )
    if row.get("workers", 1) > 1:
        print(
            f"  {row['workers']} worker processes after the first {row['pool_after']} articles, largest "
            f"worker peak RSS {row['worker_peak_rss_mb']:,.0f} MB; all processes together (PSS, sampled "
            f"each second): {row.get('peak_pss_mb', 0):,.0f} MB; the stage times below are the main "
            "process's share only (--set pipeline.workers=1 for the whole breakdown)"
        )
    if ner:
        print(f"  NER alone in this run: {n / ner:.2f} articles/s; whole run / NER = {ner / secs:.2f}")
    staged = sum(row["stage_seconds"].values())
    for name, s in sorted(row["stage_seconds"].items(), key=lambda kv: -kv[1]):
        print(f"  {name:14s} {s:8.1f} s  {100 * s / secs:5.1f} %")
    rest = secs - staged
    print(f"  {'other':14s} {rest:8.1f} s  {100 * rest / secs:5.1f} %  (read, store, load models)")


if __name__ == "__main__":
    main()
