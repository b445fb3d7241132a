"""``lagebild train boilerplate``: the boilerplate line classifier, on the calibration half of realpages.

Labels: trafilatura's extraction of each page's HTML aligned to the lines of its copied text, and the
gold snippets (``lagebild.training.boilerplate``). Only calibration sites are read
(bench/data/realpages-split.json); ``python bench/realpages.py`` reports the test sites.

    lagebild train boilerplate        # fit, write src/lagebild/text/models/boilerplate.npz
    lagebild train boilerplate --cv   # 5-fold site-grouped cross-validation first (~3 min)
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from lagebild.training.boilerplate import calibration_lines, fit_model, out_of_fold
from lagebild.training.realpages import prf, snippet_counts
from lagebild.training.tasks import CACHE, PACKAGE, SHARED, need_path, task_parser

OUT = PACKAGE / "text" / "models" / "boilerplate.npz"
TRAFILATURA_CACHE = CACHE / "realpages-trafilatura.json"


def main(argv: Sequence[str] | None = None, prog: str = "lagebild train boilerplate") -> int:
    parser = task_parser(prog, __doc__)
    parser.add_argument("--data", type=Path, default=SHARED / "realpages", help="the realpages directory")
    parser.add_argument("--cv", action="store_true", help="5-fold site-grouped cross-validation first")
    parser.add_argument("--threshold", type=float, default=0.30, help="body when P(body) >= this")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    need_path(args.data / "pages.jsonl", "realpages")
    pages = calibration_lines(args.data, TRAFILATURA_CACHE)
    lines, body = sum(len(p.blocks) for p in pages), int(sum(p.labels.sum() for p in pages))
    print(f"{len(pages)} calibration pages, {lines} lines, {body} body", file=sys.stderr)
    if args.cv:
        probs = out_of_fold(pages)
        for t in (0.25, 0.3, 0.35, 0.4, 0.45, 0.5):
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
