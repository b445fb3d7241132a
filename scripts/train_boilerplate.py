"""Train the boilerplate line classifier on the calibration half of ``../shared/data/realpages/``.

Labels: trafilatura's extraction of each page's HTML aligned to the lines of its copied text, and the
gold snippets (``lagebild.training.boilerplate``). Only calibration sites are read
(bench/data/realpages-split.json); ``python bench/realpages.py`` reports the test sites.

    python scripts/train_boilerplate.py            # fit, write src/lagebild/text/models/boilerplate.npz
    python scripts/train_boilerplate.py --cv       # 5-fold site-grouped cross-validation first (~3 min)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from lagebild.errors import LagebildError
from lagebild.training.boilerplate import calibration_lines, fit_model, out_of_fold
from lagebild.training.realpages import prf, snippet_counts

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "realpages"
CACHE = ROOT / "out" / "cache" / "realpages-trafilatura.json"
OUT = ROOT / "src" / "lagebild" / "text" / "models" / "boilerplate.npz"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cv", action="store_true", help="5-fold site-grouped cross-validation first")
    parser.add_argument("--threshold", type=float, default=0.35, help="body when P(body) >= this")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if not (DATA / "pages.jsonl").is_file():
        print(f"error: {DATA}/pages.jsonl not found", file=sys.stderr)
        return 2
    try:
        pages = calibration_lines(DATA, CACHE)
    except LagebildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    lines, body = sum(len(p.blocks) for p in pages), int(sum(p.labels.sum() for p in pages))
    print(f"{len(pages)} calibration pages, {lines} lines, {body} body", file=sys.stderr)
    if args.cv:
        probs = out_of_fold(pages)
        for t in (0.3, 0.35, 0.4, 0.45, 0.5):
            total = np.zeros(3)
            for page, prob in zip(pages, probs, strict=True):
                if page.page.task == "text":
                    kept = "\n".join(b.text for b, p in zip(page.blocks, prob, strict=True) if p >= t)
                    total += snippet_counts(kept, page.page)
            p, r, f = prf(*total)
            print(f"threshold {t:.2f}: P {p:.3f} R {r:.3f} F1 {f:.3f} (calibration sites, 5-fold by site)")
    model = fit_model(pages, threshold=args.threshold)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(model.to_bytes())
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
