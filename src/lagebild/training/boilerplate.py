"""Training data and fitting for the boilerplate line classifier (``lagebild.text.boilerplate``).

Labels come for free from the HTML of the same pages: a line of the copied text is body when
trafilatura's extraction of the page's HTML contains it (long lines as a substring, short ones as a
whole line of the extraction); the gold snippets of ``text`` pages override that where they say so.
Only the calibration half of the sites is ever used here.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from lagebild.errors import MissingExtraError
from lagebild.rules import RuleSet
from lagebild.text.blocks import Block, split_blocks
from lagebild.text.boilerplate import (
    HASH_SIZE,
    BoilerplateModel,
    Trees,
    stacked_features,
    word_features,
    word_ids,
)
from lagebild.text.linefeatures import FEATURES, line_features
from lagebild.training.realpages import Page

__all__ = [
    "PageLines",
    "page_lines",
    "line_labels",
    "fit_logistic",
    "fit_model",
    "fit_trees",
    "export_trees",
    "trafilatura_texts",
    "calibration_lines",
    "cv_fold",
    "out_of_fold",
]

_WS = re.compile(r"\s+")
_RULE = FEATURES.index("rule")


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


@dataclass
class PageLines:
    page: Page
    raw: str
    blocks: list[Block]
    features: np.ndarray
    labels: np.ndarray
    words: list[list[int]] = field(default_factory=list)
    language: str = ""


def trafilatura_texts(pages: Iterable[Page], cache: Path) -> dict[str, str]:
    """trafilatura's main text of each page's HTML, cached as JSON (it takes minutes)."""
    import trafilatura

    done: dict[str, str] = json.loads(cache.read_text(encoding="utf-8")) if cache.is_file() else {}
    missing = [p for p in pages if p.page not in done]
    for page in missing:
        done[page.page] = trafilatura.extract(page.html, url=page.url) or ""
    if missing:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp")
        tmp.write_text(json.dumps(done, ensure_ascii=False), encoding="utf-8")
        tmp.replace(cache)
    return done


def line_labels(blocks: list[Block], extracted: str, page: Page) -> np.ndarray:
    """1 for body lines, 0 for clutter (see the module docstring)."""
    body = _norm(extracted)
    body_lines = {_norm(line) for line in extracted.splitlines() if line.strip()}
    labels = np.zeros(len(blocks), dtype=np.float32)
    for i, block in enumerate(blocks):
        text = _norm(block.text)
        if len(text) >= 25:
            labels[i] = float(text in body)
        else:
            labels[i] = float(text in body_lines)
        for snippet in page.with_:
            s = _norm(snippet)
            if len(s) >= 15 and (s in text or (len(text) >= 25 and text in s)):
                labels[i] = 1.0
        for snippet in page.without:
            s = _norm(snippet)
            if len(s) >= 10 and (s in text or text in s):
                labels[i] = 0.0
    return labels


def page_lines(
    page: Page,
    extracted: str,
    rules_for: Callable[[str], RuleSet],
    ruled_fn: Callable[[list[Block], RuleSet], set[int]],
    language: str,
) -> PageLines:
    raw = page.text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = split_blocks(raw)
    ruled = ruled_fn(blocks, rules_for(language))
    return PageLines(
        page,
        raw,
        blocks,
        line_features(blocks, ruled),
        line_labels(blocks, extracted, page),
        [word_ids(b) for b in blocks],
        language,
    )


def fit_logistic(
    x: np.ndarray, y: np.ndarray, l2: float = 1.0, iters: int = 60, weights: np.ndarray | None = None
) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method (features already standardised)."""
    n, d = x.shape
    w = np.zeros(d, dtype=np.float64)
    sw = np.ones(n) if weights is None else weights.astype(np.float64)
    xd = x.astype(np.float64)
    reg = np.full(d, l2)
    reg[0] = 0.0  # the bias column is not shrunk
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-(xd @ w)))
        grad = xd.T @ (sw * (p - y)) + reg * w
        hess = (xd * (sw * p * (1 - p))[:, None]).T @ xd + np.diag(reg) + 1e-6 * np.eye(d)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-7:
            break
    return w


def word_table(pages: list[PageLines]) -> np.ndarray:
    """Log-odds of body vs clutter per hashed word (add-one smoothed; each word once per line)."""
    counts = np.ones((2, HASH_SIZE))
    for page in pages:
        for ids, label in zip(page.words, page.labels, strict=True):
            for h in set(ids):
                counts[int(label), h] += 1
    counts /= counts.sum(axis=1, keepdims=True)
    return np.asarray(np.log(counts[1]) - np.log(counts[0]))


def _site_part(site: str, parts: int) -> int:
    return zlib.crc32(site.encode()) % parts


def _standardiser(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-6
    mean[0], std[0] = 0.0, 1.0  # the bias column
    return mean, std


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))))


def fit_model(
    pages: list[PageLines], l2: float = 1.0, threshold: float = 0.30, stage2: str = "trees"
) -> BoilerplateModel:
    """Fit both stages. The word evidence of a training line comes from a table built without its
    site (thirds by site), and stage 2 learns from stage-1 probabilities of pages whose sites stage 1
    did not see (halves by site), so neither stage learns to trust evidence that is too good."""
    table = word_table(pages)
    held = [word_table([p for p in pages if _site_part(p.page.site, 3) != k]) for k in range(3)]
    x1 = [
        np.concatenate([p.features, word_features(p.words, held[_site_part(p.page.site, 3)])], axis=1)
        for p in pages
    ]
    y = np.concatenate([p.labels for p in pages])
    mean1, std1 = _standardiser(np.concatenate(x1))
    w1 = fit_logistic((np.concatenate(x1) - mean1) / std1, y, l2=l2)
    p1: list[np.ndarray] = [np.zeros(0)] * len(pages)
    for half in (0, 1):
        train = [i for i, p in enumerate(pages) if _site_part(p.page.site, 2) != half]
        xt = np.concatenate([x1[i] for i in train])
        yt = np.concatenate([pages[i].labels for i in train])
        w = fit_logistic((xt - mean1) / std1, yt, l2=l2)
        for i, page in enumerate(pages):
            if _site_part(page.page.site, 2) == half:
                p1[i] = _sigmoid(((x1[i] - mean1) / std1) @ w)
    x2 = np.concatenate(
        [
            stacked_features(x1[i], p1[i], np.array([len(b.text) for b in p.blocks], dtype=np.float64))
            for i, p in enumerate(pages)
        ]
    )
    mean2, std2 = _standardiser(x2)
    w2 = fit_logistic((x2 - mean2) / std2, y, l2=l2)
    trees2 = fit_trees(x2, y) if stage2 == "trees" else None
    return BoilerplateModel(table, mean1, std1, w1, mean2, std2, w2, threshold, trees2)


def fit_trees(x: np.ndarray, y: np.ndarray, seed: int = 0) -> Trees:
    """Stage 2 as gradient-boosted trees (scikit-learn, the ``train`` extra), exported as arrays.

    Settings chosen by 5-fold site-grouped cross-validation on the calibration sites: 300 rounds at
    rate 0.05 gave F1 0.891 at threshold 0.35 (the logistic stage 2: 0.876), 100 rounds at rate 0.15
    0.892 at threshold 0.30 and a third of the run time; depth 6, 40 lines per leaf."""
    try:
        from sklearn.ensemble import HistGradientBoostingClassifier
    except ImportError:
        raise MissingExtraError("lagebild train boilerplate", "scikit-learn", "train") from None
    clf = HistGradientBoostingClassifier(
        max_iter=100,
        learning_rate=0.15,
        max_depth=6,
        min_samples_leaf=40,
        l2_regularization=1.0,
        random_state=seed,
    )
    clf.fit(x, y)
    return export_trees(clf)


def export_trees(clf: Any) -> Trees:
    """A fitted binary HistGradientBoostingClassifier's trees as :class:`Trees` (same margins)."""
    nodes = [predictor.nodes for (predictor,) in clf._predictors]
    width = max(len(n) for n in nodes)

    def pad(field: str, dtype: Any) -> np.ndarray:
        out = np.zeros((len(nodes), width), dtype=dtype)
        for i, n in enumerate(nodes):
            out[i, : len(n)] = n[field]
        return out

    leaf = np.ones((len(nodes), width), dtype=bool)  # padding: leaves of value 0, never reached
    for i, n in enumerate(nodes):
        leaf[i, : len(n)] = n["is_leaf"].astype(bool)
    if any(n["is_categorical"].any() for n in nodes):
        raise ValueError("categorical splits are not exported")
    return Trees(
        feature=pad("feature_idx", np.int32),
        threshold=pad("num_threshold", np.float64),
        left=pad("left", np.int32),
        right=pad("right", np.int32),
        leaf=leaf,
        value=pad("value", np.float64),
        base=float(np.ravel(clf._baseline_prediction)[0]),
    )


def calibration_lines(root: Path, cache: Path) -> list[PageLines]:
    """Every calibration page of realpages as lines with features and labels."""
    from lagebild.rules import load_rules
    from lagebild.stages.clean import rule_matches
    from lagebild.stages.language import _identifier, detect_language
    from lagebild.training.realpages import load_pages

    pages = list(load_pages(root, "calibration"))
    extracted = trafilatura_texts(pages, cache)
    identifier = _identifier()
    rules: dict[str, RuleSet] = {}

    def rules_for(lang: str) -> RuleSet:
        return rules.setdefault(lang, load_rules(lang))

    def ruled(blocks: list[Block], ruleset: RuleSet) -> set[int]:
        return set(rule_matches(blocks, ruleset, 300))

    out = []
    for page in pages:
        text = page.text
        lang = detect_language(text, identifier)[0] if text.strip() else "de"
        out.append(page_lines(page, extracted[page.page], rules_for, ruled, lang))
    return out


def cv_fold(site: str, folds: int = 5) -> int:
    return zlib.crc32(b"cv" + site.encode()) % folds


def out_of_fold(pages: list[PageLines], folds: int = 5) -> list[np.ndarray]:
    """Each page's body probabilities from a model fitted without its site (what unseen sites get)."""
    probs: list[np.ndarray] = [np.zeros(0)] * len(pages)
    for fold in range(folds):
        model = fit_model([p for p in pages if cv_fold(p.page.site, folds) != fold])
        for i, page in enumerate(pages):
            if cv_fold(page.page.site, folds) == fold:
                ruled = {j for j in range(len(page.blocks)) if page.features[j, _RULE] > 0.5}
                probs[i] = model.body_probability(page.blocks, ruled)
    return probs
