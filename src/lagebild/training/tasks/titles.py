"""``lagebild train titles``: the headline ranker (``lagebild.meta.titles``), on realpages calibration sites.

The candidates of each page come with the boilerplate classifier's decisions as they would be on an
unseen site (out-of-fold by site), and the headline is the line that matches the page's og:title,
<h1> or <title>. Writes src/lagebild/meta/data/title_ranker.json.

    lagebild train titles          # 5-fold site-grouped accuracy, then the fit (~5 min)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from lagebild.meta.titles import FEATURES, title_candidates
from lagebild.text.boilerplate import load_model
from lagebild.text.linefeatures import FEATURES as LINE_FEATURES
from lagebild.training.boilerplate import calibration_lines, cv_fold, out_of_fold
from lagebild.training.realpages import reference_titles, title_matches
from lagebild.training.tasks import CACHE, PACKAGE, SHARED, need_path, task_parser
from lagebild.training.titles import fit_title_ranker, ranker_accuracy

OUT = PACKAGE / "meta" / "data" / "title_ranker.json"
TRAFILATURA_CACHE = CACHE / "realpages-trafilatura.json"
RULE_COLUMN = LINE_FEATURES.index("rule")


def main(argv: Sequence[str] | None = None, prog: str = "lagebild train titles") -> int:
    parser = task_parser(prog, __doc__)
    parser.add_argument("--data", type=Path, default=SHARED / "realpages", help="the realpages directory")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    need_path(args.data / "pages.jsonl", "realpages")
    pages = calibration_lines(args.data, TRAFILATURA_CACHE)
    probs = out_of_fold(pages)
    cut = load_model().threshold  # the shipped classifier's cut decides what is body
    data, sites = [], []
    for page, prob in zip(pages, probs, strict=True):
        refs = reference_titles(page.page.html)
        if not refs:
            continue
        ruled = [bool(page.features[i, RULE_COLUMN] > 0.5) for i in range(len(page.blocks))]
        cands = title_candidates(page.blocks, [bool(p >= cut) for p in prob], ruled)
        data.append((cands, np.array([float(title_matches(c.text, refs)) for c in cands])))
        sites.append(page.page.site)
    right = 0.0
    for fold in range(5):
        train = [d for d, s in zip(data, sites, strict=True) if cv_fold(s) != fold]
        test = [d for d, s in zip(data, sites, strict=True) if cv_fold(s) == fold]
        right += ranker_accuracy(test, fit_title_ranker(train)) * len(test)
    print(f"headline found on {right / len(data):.3f} of {len(data)} calibration pages (5-fold by site)")
    weights = fit_title_ranker(data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "about": "Headline ranker weights (conditional logit), fitted by `lagebild train titles`",
        "weights": {name: round(float(w), 6) for name, w in zip(FEATURES, weights, strict=True)},
    }
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0
