"""Story clustering (``lagebild.reuse.stories``): B-cubed and pairwise P/R/F1 against hand-annotated stories.

Monolingual gold: ``bench/data/stories-gold.jsonl``, one JSON object per line, ``{"source":
"10kgnad-test", "row": <0-based record of ../shared/data/10kgnad/test.csv (delimiter ';', quotechar
"'")>, "category": ..., "story": <slug>, "story_label": ...}``, singletons included. 10kGNAD has no
titles and no dates: each article is its text (title = none, lead = its first sentences), so the time
penalty plays no part here.

Split: every gold story goes to the calibration or the test half by the parity of the SHA-256 of its
id (so a story is never split). Each half is clustered on its own. ``threshold`` and ``max_df`` (and
``actor_weight`` with ``--entities``) are chosen on the calibration half by a grid (best B-cubed F1,
ties: pairwise F1, then the higher threshold) and applied unchanged to the test half. Baselines on the
same halves: every article alone and the shipped defaults (``[stories]``).

Cross-lingual set: WMT21 news (``../shared/data/wmt21-news/newstest2021.{de-fr,fr-de}.all.xml``):
every original and its human reference translation form a story of two (135 stories, 270 documents,
German and French). The documents are split into halves by the parity of the SHA-256 of the document
id; ``cross_weight`` and ``cross_cosine`` (which only act on pairs in different languages, so the
German gold cannot fit them) are chosen on the calibration half with the threshold fitted above, and
reported on the test half and on all 270 documents clustered together, each also with keys only
(``cross_weight = 0``). Other documents in the set may share a topic (a positive we count as a false
one), so precision here is a lower bound.

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
from lagebild.reuse.story_features import similarity_block  # noqa: E402

ROOT = BENCH.parent
DATA = ROOT.parent / "shared" / "data"
THRESHOLDS = [round(0.05 + 0.0025 * k, 4) for k in range(141)]  # 0.05 … 0.40
MAX_DFS = [0.05, 0.1, 0.2, 0.5, 1.0]
ACTOR_WEIGHTS = [1.0, 2.0, 3.0]  # with --entities
CROSS_WEIGHTS = [2.0, 5.0, 10.0, 20.0]
CROSS_COSINES = [0.90, 0.91, 0.92, 0.93, 0.94]


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


# -- fitting -------------------------------------------------------------------------------------
def dense(f: Features, config: StoryConfig) -> np.ndarray:
    """Every pair's similarity (the same values the library's sparse path computes)."""
    return similarity_block(f, range(len(f.keys)), None, config)


def fit(
    dense_by: dict[tuple[float, float], np.ndarray], gold: list[str]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Every (max_df, actor_weight, threshold) of the grid on one half; the best by B-cubed F1
    (ties: pairwise F1, then the higher threshold, then the smaller max_df)."""
    grid: list[dict[str, Any]] = []
    for (max_df, actor_weight), sims in dense_by.items():
        for threshold in THRESHOLDS:
            result = score(cluster_matrix(sims, threshold), gold)
            grid.append({"threshold": threshold, "max_df": max_df, "actor_weight": actor_weight, **result})
    best = max(grid, key=lambda g: (g["bcubed"]["f1"], g["pairwise"]["f1"], g["threshold"], -g["max_df"]))
    return best, grid


def _line(name: str, r: dict[str, Any]) -> str:
    b, pw = r["bcubed"], r["pairwise"]
    return (
        f"{name:<34} B3 P {b['p']:.3f} R {b['r']:.3f} F1 {b['f1']:.3f} | "
        f"pairs P {pw['p']:.3f} R {pw['r']:.3f} F1 {pw['f1']:.3f} | "
        f"clusters {r['clusters']} (multi {r['multi']})"
    )


def wmt(data: Path, fitted: StoryConfig, embedder: SentenceEmbedder) -> tuple[StoryConfig, dict[str, Any]]:
    """Fit cross_weight and cross_cosine on the calibration half of the WMT21 documents (by the parity
    of the SHA-256 of the document id), report the test half and all 270 documents."""
    docs = [d for d in load_wmt(data / "wmt21-news") if d.version in ("src", "ref")]
    split: dict[str, tuple[list[Article], list[str]]] = {"calibration": ([], []), "test": ([], [])}
    for d in docs:
        arts, gold = split[half_of(d.doc_id)]
        arts.append(to_article(d))
        gold.append(d.doc_id)
    split["all"] = ([a for h in ("calibration", "test") for a in split[h][0]], [])
    split["all"][1].extend(g for h in ("calibration", "test") for g in split[h][1])
    feats = {h: features(arts, fitted, embedder) for h, (arts, _) in split.items()}
    cal_gold = split["calibration"][1]
    grid = []
    for weight in CROSS_WEIGHTS:
        for cosine in CROSS_COSINES:
            config = replace(fitted, cross_weight=weight, cross_cosine=cosine)
            r = score(cluster(feats["calibration"], config), cal_gold)
            grid.append((r["bcubed"]["f1"], r["pairwise"]["f1"], -weight, cosine))
    _, _, weight, cosine = max(grid)
    tuned = replace(fitted, cross_weight=-weight, cross_cosine=cosine)
    out: dict[str, Any] = {"documents": len(docs), "stories": len({d.doc_id for d in docs})}
    out["fit"] = {"cross_weight": tuned.cross_weight, "cross_cosine": tuned.cross_cosine}
    for half in ("calibration", "test", "all"):
        f, gold = feats[half], split[half][1]
        out[half] = {
            "fit": score(cluster(f, tuned), gold),
            "keys only (cross_weight 0)": score(cluster(f, replace(tuned, cross_weight=0.0)), gold),
        }
    return tuned, out


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
        "articles first, so linked actors are extra keys (and actor_weight is fitted too)",
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
    actor_weights = ACTOR_WEIGHTS if args.entities else [defaults.actor_weight]
    dense_by = {}
    for m in MAX_DFS:
        for aw in actor_weights:
            config = replace(defaults, max_df=m, actor_weight=aw)
            dense_by[(m, aw)] = dense(features(cal_articles, config, embedder), config)
    best, grid = fit(dense_by, cal_gold)
    results["fit"] = {k: best[k] for k in ("threshold", "max_df", "actor_weight")}
    fitted = replace(
        defaults, threshold=best["threshold"], max_df=best["max_df"], actor_weight=best["actor_weight"]
    )
    print(
        f"\nfit on the calibration half: threshold {fitted.threshold}, max_df {fitted.max_df},"
        f" actor_weight {fitted.actor_weight}"
    )
    for half, (arts, gold) in halves.items():
        f = features(arts, fitted, embedder)
        rows_ = {
            "singletons": score([[i] for i in range(len(arts))], gold),
            "shipped defaults": score(cluster(features(arts, defaults, embedder), defaults), gold),
            "fit": score(cluster(f, fitted), gold),
        }
        # the library's sparse path and the dense grid path must agree
        sparse = sorted(sorted(c) for c in cluster(f, fitted))
        dense_c = sorted(sorted(c) for c in cluster_matrix(dense(f, fitted), fitted.threshold))
        assert sparse == dense_c, "cluster() and cluster_matrix() disagree"
        results[half] = rows_
        print(f"\n{half} half")
        for name, r in rows_.items():
            print(_line(name, r))
    per: dict[tuple[float, float], dict[str, Any]] = {}
    for g in grid:  # the best threshold of every (max_df, actor_weight), to see how flat the fit is
        key = (g["max_df"], g["actor_weight"])
        if key not in per or (g["bcubed"]["f1"], g["pairwise"]["f1"]) > (
            per[key]["bcubed"]["f1"],
            per[key]["pairwise"]["f1"],
        ):
            per[key] = g
    results["grid_best_threshold"] = [
        {
            "max_df": g["max_df"],
            "actor_weight": g["actor_weight"],
            "threshold": g["threshold"],
            "b3_f1": g["bcubed"]["f1"],
            "pair_f1": g["pairwise"]["f1"],
        }
        for g in per.values()
    ]
    results["threshold_curve_calibration"] = [
        {"threshold": g["threshold"], "b3_f1": g["bcubed"]["f1"], "pair_f1": g["pairwise"]["f1"]}
        for g in grid
        if g["max_df"] == fitted.max_df and g["actor_weight"] == fitted.actor_weight
    ]
    if not args.no_wmt and (data / "wmt21-news").exists():
        tuned, out = wmt(data, fitted, embedder)
        results["wmt21"] = out
        print(
            f"\nWMT21 de-fr + fr-de: {out['documents']} documents, {out['stories']} original+reference"
            f" stories; fit on its calibration half: cross_weight {tuned.cross_weight},"
            f" cross_cosine {tuned.cross_cosine}"
        )
        for half in ("calibration", "test", "all"):
            for name, r in out[half].items():
                print(_line(f"{half}: {name}", r))
    results["seconds"] = round(time.time() - started, 1)
    results["sentences_embedded"] = embedder.sentences_embedded
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\n{results['seconds']} s; results in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
