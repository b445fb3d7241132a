"""Story clustering (``lagebild.reuse.stories``): B-cubed and pairwise P/R/F1 against hand-annotated stories.

Monolingual gold: ``bench/data/stories-gold.jsonl``, one JSON object per line, ``{"source":
"10kgnad-test", "row": <0-based record of ../shared/data/10kgnad/test.csv (delimiter ';', quotechar
"'")>, "category": ..., "story": <slug>, "story_label": ...}``, singletons included. 10kGNAD has no
titles and no dates: each article is its text (title = none, lead = its first sentences), so the time
penalty plays no part here.

Split: every gold story goes to the calibration or the test half by the parity of the SHA-256 of its
id (so a story is never split). Each half is clustered on its own. ``threshold`` and ``entity_weight``
are chosen on the calibration half by a grid (best B-cubed F1, ties: pairwise F1, then the higher
threshold) and applied unchanged to the test half. Baselines on the same halves: every article alone,
the shipped defaults (``[stories]``), and the fit without keywords (``entity_weight = 0``).

Cross-lingual set: WMT21 news (``../shared/data/wmt21-news/newstest2021.{de-fr,fr-de}.all.xml``):
every original and its human reference translation form a story of two (135 stories, 270 documents,
German and French); all 270 are clustered together with the calibrated settings; reported as
pairwise (and B-cubed) P/R/F1. Other documents in the set may share a topic (a positive we count as
a false one), so precision here is a lower bound.

Usage:
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/stories.py [--gold FILE]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from wmt_docs import load_wmt, to_article  # noqa: E402

from lagebild.config import load_config  # noqa: E402
from lagebild.model import Article  # noqa: E402
from lagebild.pipeline import Pipeline  # noqa: E402
from lagebild.reuse.sentembed import SentenceEmbedder  # noqa: E402
from lagebild.reuse.stories import Features, StoryConfig, cluster, cluster_matrix, features  # noqa: E402

ROOT = BENCH.parent
DATA = ROOT.parent / "shared" / "data"
THRESHOLDS = [round(0.90 + 0.005 * k, 4) for k in range(81)]  # 0.90 … 1.30
WEIGHTS = [0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0]
MAX_DFS = [0.02, 0.05, 0.1, 0.2, 1.0]


def load_gnad(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh, delimiter=";", quotechar="'"))


def _article(row: int, record: list[str]) -> Article:
    text = record[1]
    a = Article(id=f"10kgnad-{row}", source=f"10kgnad:{row}", source_format="csv", raw_text=text)
    a.clean_text, a.language = text, "de"
    return a


def entity_pipeline() -> Callable[[Article], Article]:
    stages = '["language","clean","metadata","sentences","entities","link"]'
    config = load_config(overrides=[f"pipeline.stages={stages}", 'ner.model="fast"'])
    return Pipeline.from_config(config).run


def half_of(story: str) -> str:
    return "calibration" if int(hashlib.sha256(story.encode()).hexdigest(), 16) % 2 == 0 else "test"


# -- metrics -------------------------------------------------------------------------------------
def _prf(p: float, r: float) -> dict[str, float]:
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def bcubed(pred: Sequence[int], gold: Sequence[str]) -> dict[str, float]:
    """B-cubed precision/recall/F1; ``pred[i]`` and ``gold[i]`` are item i's cluster labels."""
    by_pred: dict[int, set[int]] = defaultdict(set)
    by_gold: dict[str, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(pred, gold, strict=True)):
        by_pred[p].add(i)
        by_gold[g].add(i)
    ps, rs = [], []
    for p, g in zip(pred, gold, strict=True):
        both = len(by_pred[p] & by_gold[g])
        ps.append(both / len(by_pred[p]))
        rs.append(both / len(by_gold[g]))
    return _prf(float(np.mean(ps)), float(np.mean(rs)))


def pairwise(pred: Sequence[int], gold: Sequence[str]) -> dict[str, Any]:
    """Precision/recall/F1 over item pairs put in one cluster (1.0 when no pair is predicted/gold)."""
    n = len(pred)
    tp = fp = fn = 0
    for i in range(n):
        for j in range(i + 1, n):
            same_p, same_g = pred[i] == pred[j], gold[i] == gold[j]
            tp += same_p and same_g
            fp += same_p and not same_g
            fn += same_g and not same_p
    out: dict[str, Any] = _prf(tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)
    out.update(tp=tp, fp=fp, fn=fn)
    return out


def labels(clusters: list[list[int]], n: int) -> list[int]:
    out = [0] * n
    for k, members in enumerate(clusters):
        for i in members:
            out[i] = k
    return out


def score(clusters: list[list[int]], gold: Sequence[str]) -> dict[str, Any]:
    pred = labels(clusters, len(gold))
    return {
        "bcubed": bcubed(pred, gold),
        "pairwise": pairwise(pred, gold),
        "clusters": len(clusters),
        "multi": sum(1 for c in clusters if len(c) > 1),
    }


# -- dense similarity parts (the same terms as lagebild.reuse.stories.similarity_matrix) ---------
def parts(f: Features, config: StoryConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cos = f.vectors @ f.vectors.T
    vocab: dict[str, int] = {}
    for keys in f.keys:
        for k in keys:
            vocab.setdefault(k, len(vocab))
    x = np.zeros((len(f.keys), max(1, len(vocab))), dtype=np.float32)
    for i, keys in enumerate(f.keys):
        for k, w in keys.items():
            x[i, vocab[k]] = w / f.norms[i]
    keycos = x @ x.T
    days = np.array([d if d is not None else np.nan for d in f.days])
    gap = np.abs(days[:, None] - days[None, :])
    penalty = np.where(np.isnan(gap), 0.0, 1.0 - np.exp(-np.nan_to_num(gap) / config.time_scale_days))
    return cos, keycos, penalty


def combined(
    p: tuple[np.ndarray, np.ndarray, np.ndarray], threshold: float, weight: float, tw: float
) -> np.ndarray:
    cos, keycos, penalty = p
    sims = cos + weight * keycos - tw * penalty
    np.fill_diagonal(sims, 1.0)
    return sims


def fit(
    dense: dict[float, tuple[np.ndarray, np.ndarray, np.ndarray]], gold: list[str], tw: float
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Every (max_df, entity_weight, threshold) of the grid on one half; the best by B-cubed F1
    (ties: pairwise F1, then the higher threshold, then the smaller max_df)."""
    grid: list[dict[str, Any]] = []
    for max_df, p in dense.items():
        for weight in WEIGHTS:
            if weight == 0.0 and max_df != MAX_DFS[-1]:
                continue  # without keys max_df plays no part
            for threshold in THRESHOLDS:
                result = score(cluster_matrix(combined(p, threshold, weight, tw), threshold), gold)
                grid.append({"threshold": threshold, "entity_weight": weight, "max_df": max_df, **result})
    best = max(grid, key=lambda g: (g["bcubed"]["f1"], g["pairwise"]["f1"], g["threshold"], -g["max_df"]))
    return best, grid


def _line(name: str, r: dict[str, Any]) -> str:
    b, pw = r["bcubed"], r["pairwise"]
    return (
        f"{name:<34} B3 P {b['p']:.3f} R {b['r']:.3f} F1 {b['f1']:.3f} | "
        f"pairs P {pw['p']:.3f} R {pw['r']:.3f} F1 {pw['f1']:.3f} | "
        f"clusters {r['clusters']} (multi {r['multi']})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--gold", default=str(BENCH / "data" / "stories-gold.jsonl"))
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--cache-dir", default="out/cache/e5-sentences")
    parser.add_argument("--no-wmt", action="store_true")
    parser.add_argument(
        "--entities",
        action="store_true",
        help="run language, clean, metadata, sentences, entities (ner.model=fast) and link on the gold "
        "articles first, so the keys are entity mentions and linked actors (else capitalised words)",
    )
    parser.add_argument("--out", default=str(BENCH / "results" / "stories.json"))
    args = parser.parse_args()
    started = time.time()
    gold_path, data = Path(args.gold), Path(args.data)
    csv_path = data / "10kgnad" / "test.csv"
    if not gold_path.exists() or not csv_path.exists():
        print(f"skipped: {gold_path if not gold_path.exists() else csv_path} not found")
        return 0
    embedder = SentenceEmbedder(Path(args.cache_dir) if args.cache_dir else None)
    prepare = entity_pipeline() if args.entities else (lambda a: a)
    if args.entities and args.out == parser.get_default("out"):
        args.out = str(BENCH / "results" / "stories-entities.json")
    defaults = StoryConfig.from_config(load_config())
    records = load_gnad(csv_path)
    gold_rows = [
        json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    gold_rows = [g for g in gold_rows if g.get("source") == "10kgnad-test"]
    results: dict[str, Any] = {
        "gold": str(gold_path.relative_to(ROOT) if gold_path.is_relative_to(ROOT) else gold_path)
    }
    halves: dict[str, tuple[list[Article], list[str]]] = {}
    for half in ("calibration", "test"):
        rows = [g for g in gold_rows if half_of(str(g["story"])) == half]
        halves[half] = (
            [prepare(_article(int(g["row"]), records[int(g["row"])])) for g in rows],
            [str(g["story"]) for g in rows],
        )
        stories = len(set(halves[half][1]))
        multi = sum(1 for s in set(halves[half][1]) if halves[half][1].count(s) > 1)
        results[f"{half}_size"] = {"articles": len(rows), "stories": stories, "multi_article_stories": multi}
        print(f"{half}: {len(rows)} articles, {stories} gold stories ({multi} with 2+ articles)")
    cal_articles, cal_gold = halves["calibration"]
    dense_by_df = {
        m: parts(features(cal_articles, replace(defaults, max_df=m), embedder), defaults) for m in MAX_DFS
    }
    best, grid = fit(dense_by_df, cal_gold, defaults.time_weight)
    nokeys = max(
        (g for g in grid if g["entity_weight"] == 0.0),
        key=lambda g: (g["bcubed"]["f1"], g["pairwise"]["f1"], g["threshold"]),
    )
    results["fit"] = {k: best[k] for k in ("threshold", "entity_weight", "max_df")}
    results["fit_without_keywords"] = {"threshold": nokeys["threshold"]}
    fitted = replace(
        defaults, threshold=best["threshold"], entity_weight=best["entity_weight"], max_df=best["max_df"]
    )
    print(
        f"\nfit on the calibration half: threshold {fitted.threshold}, entity_weight {fitted.entity_weight},"
        f" max_df {fitted.max_df}"
    )
    feats = {h: features(arts, fitted, embedder) for h, (arts, _) in halves.items()}
    dense = {h: parts(feats[h], fitted) for h in halves}
    for half, (arts, gold) in halves.items():
        f, p = feats[half], dense[half]
        rows = {
            "singletons": score([[i] for i in range(len(arts))], gold),
            "defaults": score(cluster(f, defaults), gold),
            "fit (embeddings + keywords)": score(cluster(f, fitted), gold),
            "fit without keywords": score(
                cluster_matrix(combined(p, nokeys["threshold"], 0.0, 0.0), nokeys["threshold"]), gold
            ),
        }
        # the library's sparse path and the dense grid path must agree
        sparse = sorted(sorted(c) for c in cluster(f, fitted))
        dense_c = sorted(
            sorted(c)
            for c in cluster_matrix(
                combined(p, fitted.threshold, fitted.entity_weight, fitted.time_weight), fitted.threshold
            )
        )
        assert sparse == dense_c, "cluster() and cluster_matrix() disagree"
        results[half] = rows
        print(f"\n{half} half")
        for name, r in rows.items():
            print(_line(name, r))
    per: dict[tuple[float, float], dict[str, Any]] = {}
    for g in grid:  # the best threshold of every (max_df, entity_weight), to see how flat the fit is
        key = (g["max_df"], g["entity_weight"])
        if key not in per or (g["bcubed"]["f1"], g["pairwise"]["f1"]) > (
            per[key]["bcubed"]["f1"],
            per[key]["pairwise"]["f1"],
        ):
            per[key] = g
    results["grid_best_threshold"] = [
        {
            "max_df": g["max_df"],
            "entity_weight": g["entity_weight"],
            "threshold": g["threshold"],
            "b3_f1": g["bcubed"]["f1"],
            "pair_f1": g["pairwise"]["f1"],
        }
        for g in per.values()
    ]
    if not args.no_wmt and (data / "wmt21-news").exists():
        docs = [d for d in load_wmt(data / "wmt21-news") if d.version in ("src", "ref")]
        arts = [to_article(d) for d in docs]
        gold = [d.doc_id for d in docs]
        f = features(arts, fitted, embedder)
        wmt = {"documents": len(arts), "stories": len(set(gold))}
        wmt["fit"] = score(cluster(f, fitted), gold)
        wmt["fit without keywords"] = score(
            cluster(f, replace(fitted, threshold=nokeys["threshold"], entity_weight=0.0)),
            gold,
        )
        results["wmt21"] = wmt
        print(f"\nWMT21 de-fr + fr-de: {len(arts)} documents, {len(set(gold))} original+reference stories")
        for name in ("fit", "fit without keywords"):
            print(_line(name, wmt[name]))
    results["seconds"] = round(time.time() - started, 1)
    results["sentences_embedded"] = embedder.sentences_embedded
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\n{results['seconds']} s; results in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
