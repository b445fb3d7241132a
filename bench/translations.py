"""Translation detection (``lagebild.reuse.translation``) on WMT21 news documents.

Data: ../shared/data/wmt21-news/newstest2021.{de-fr,fr-de}.all.xml (read by ``bench/wmt_docs.py``):
61 German originals with French references and 74 French originals with German references, plus
9 MT systems' outputs per direction.

Human set: every original and its human reference is a positive document pair; every other pair of
a German and a French document (originals and references alike) is a negative. The documents (by
WMT doc id, each with its original and reference) are split into a calibration and a test half with
``random.Random(seed)``, per direction; only pairs within one half are scored. Blocking parameters
and decision thresholds are fitted on the calibration half (``fit_blocking``, ``fit_thresholds``),
whose pool also holds the restructured references (below) of the calibration documents as further
positives, and applied unchanged to the test half.

Restructured set (test half): each human reference with every two sentences of a paragraph joined
and every fifth joined sentence dropped, against the originals — translations that do not keep the
sentence boundaries and leave parts out.

MT set (harder positives, reported separately): per system, the originals plus that system's
outputs; positives are (original, its MT output), negatives every other cross-language pair; the
thresholds fitted on the human calibration half, scored on the test half.

Columns: pairs = all cross-language pairs, cand = pairs left after blocking, blockR = positives left
after blocking, minPos / maxNeg = the lowest coverage of a positive and the highest of a negative among
the candidates (the margin around the coverage threshold).

Throughput: sentences/s of a fresh (uncached) embedding of --speed-sample sentences with one
thread; pairs/s of alignment scoring (embeddings in memory); peak RSS (ru_maxrss).

Usage:
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/translations.py [--no-mt]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from wmt_docs import WmtDoc, load_wmt, to_article  # noqa: E402

from lagebild.model import Article  # noqa: E402
from lagebild.reuse.sentembed import SentenceEmbedder  # noqa: E402
from lagebild.reuse.translation import (  # noqa: E402
    TranslationConfig,
    anchors,
    candidate_pairs,
    fit_blocking,
    fit_thresholds,
    score_embeddings,
    sentence_texts,
)

DATA = BENCH.parent.parent / "shared" / "data" / "wmt21-news"


def restructure(doc: WmtDoc) -> WmtDoc:
    """A reference rewritten the way translations often are: every two sentences of a paragraph joined
    into one, then every fifth of the joined sentences dropped."""
    paragraphs: list[list[str]] = []
    k = 0
    for paragraph in doc.paragraphs:
        joined = [" ".join(paragraph[i : i + 2]) for i in range(0, len(paragraph), 2)]
        kept = []
        for sentence in joined:
            k += 1
            if k % 5:
                kept.append(sentence)
        if kept:
            paragraphs.append(kept)
    return WmtDoc(doc.doc_id, doc.origlang, "ref-restructured", doc.lang, paragraphs)


def split(docs: list[WmtDoc], seed: int) -> dict[str, str]:
    """doc id -> "calibration" / "test", half of each direction's documents each."""
    halves: dict[str, str] = {}
    for lang in sorted({d.origlang for d in docs}):
        ids = sorted({d.doc_id for d in docs if d.origlang == lang})
        random.Random(f"{seed}:{lang}").shuffle(ids)
        for k, doc_id in enumerate(ids):
            halves[doc_id] = "calibration" if k < len(ids) // 2 else "test"
    return halves


class Corpus:
    def __init__(self, articles: list[Article], embedder: SentenceEmbedder) -> None:
        self.articles = articles
        self.texts = [sentence_texts(a) for a in articles]
        self.anchors = [anchors(t) for t in self.texts]
        self.vectors = [embedder.embed_cached(t) for t in self.texts]
        self.doc_ids = [a.id.split("|")[0] for a in articles]

    def cross_pairs(self) -> list[tuple[int, int]]:
        n = len(self.articles)
        langs = [a.language for a in self.articles]
        return [(i, j) for i in range(n) for j in range(i + 1, n) if langs[i] != langs[j]]

    def label(self, i: int, j: int) -> bool:
        return self.doc_ids[i] == self.doc_ids[j]


def evaluate(corpus: Corpus, config: TranslationConfig) -> dict[str, Any]:
    all_pairs = corpus.cross_pairs()
    positives = {p for p in all_pairs if corpus.label(*p)}
    start = time.perf_counter()
    blocked = candidate_pairs(corpus.articles, config, corpus.anchors)
    block_s = time.perf_counter() - start
    start = time.perf_counter()
    predicted = set()
    pos_cov, neg_cov = [1.0], [0.0]
    for i, j in blocked:
        s = score_embeddings(corpus.vectors[i], corpus.vectors[j], config.sentence_threshold)
        if s.coverage >= config.coverage_threshold and s.doc_cosine >= config.doc_threshold:
            predicted.add((i, j))
        (pos_cov if corpus.label(i, j) else neg_cov).append(s.coverage)
    score_s = time.perf_counter() - start
    tp = len(predicted & positives)
    fp, fn = len(predicted - positives), len(positives - predicted)
    return {
        "documents": len(corpus.articles),
        "pairs": len(all_pairs),
        "positives": len(positives),
        "candidates": len(blocked),
        "blocked_positives": len(positives & set(blocked)),
        "blocking_recall": len(positives & set(blocked)) / max(1, len(positives)),
        "min_positive_coverage": min(pos_cov),
        "max_negative_coverage": max(neg_cov),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": tp / max(1, tp + fp),
        "recall": tp / max(1, tp + fn),
        "blocking_pairs_per_s": len(all_pairs) / max(block_s, 1e-9),
        "scored_pairs_per_s": len(blocked) / max(score_s, 1e-9),
        "errors": [
            [corpus.articles[i].id, corpus.articles[j].id, "fp" if (i, j) in predicted else "fn"]
            for i, j in sorted((predicted - positives) | (positives - predicted))
        ][:20],
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--no-mt", action="store_true", help="skip the machine-translation set")
    parser.add_argument("--systems", default="", help="comma-separated MT systems (default: all)")
    parser.add_argument("--speed-sample", type=int, default=200, help="sentences embedded uncached for speed")
    parser.add_argument("--cache-dir", default="out/cache/e5-sentences")
    parser.add_argument("--out", default=str(BENCH / "results" / "translations.json"))
    args = parser.parse_args()
    folder = Path(args.data)
    if not (folder / "newstest2021.de-fr.all.xml").exists():
        print(f"skipped: {folder} not found (../shared is not available)")
        return 0
    started = time.time()
    docs = load_wmt(folder)
    halves = split(docs, args.seed)
    embedder = SentenceEmbedder(cache_dir=Path(args.cache_dir))

    def corpus(half: str, versions: tuple[str, ...]) -> Corpus:
        chosen = [d for d in docs if halves[d.doc_id] == half and d.version in versions]
        return Corpus([to_article(d) for d in chosen], embedder)

    t0 = time.perf_counter()
    calib_docs = [d for d in docs if halves[d.doc_id] == "calibration" and d.version in ("src", "ref")]
    calib_docs += [restructure(d) for d in calib_docs if d.version == "ref"]
    calib = Corpus([to_article(d) for d in calib_docs], embedder)
    test = corpus("test", ("src", "ref"))
    embed_s = time.perf_counter() - t0
    # Blocking fitted on calibration positives, then decision thresholds on the calibration candidates.
    config = fit_blocking(
        calib.articles,
        [calib.label(i, j) for i, j in calib.cross_pairs()],
        calib.cross_pairs(),
        calib.anchors,
    )
    cand = candidate_pairs(calib.articles, config, calib.anchors)
    config, fit = fit_thresholds(
        [(calib.vectors[i], calib.vectors[j]) for i, j in cand], [calib.label(i, j) for i, j in cand], config
    )
    results: dict[str, Any] = {"config": asdict(config), "fit": {k: v for k, v in fit.items() if k != "grid"}}
    results["fit_grid"] = fit["grid"]
    results["human"] = {
        "calibration": evaluate(calib, config),
        "test": evaluate(test, config),
        "test_shipped_defaults": evaluate(test, TranslationConfig()),
    }

    restructured = [restructure(d) for d in docs if d.version == "ref" and halves[d.doc_id] == "test"]
    sources = [d for d in docs if d.version == "src" and halves[d.doc_id] == "test"]
    results["human"]["test_restructured"] = evaluate(
        Corpus([to_article(d) for d in sources + restructured], embedder), config
    )

    systems = sorted({d.version for d in docs} - {"src", "ref"})
    if args.systems:
        systems = [s for s in systems if s in args.systems.split(",")]
    if not args.no_mt:
        per: dict[str, Any] = {}
        for system in systems:
            per[system] = evaluate(corpus("test", ("src", system)), config)
        keys = ("documents", "pairs", "tp", "fp", "fn", "positives", "candidates", "blocked_positives")
        tot = {k: sum(r[k] for r in per.values()) for k in keys}
        tot["blocking_recall"] = tot["blocked_positives"] / max(1, tot["positives"])
        tot["min_positive_coverage"] = min(r["min_positive_coverage"] for r in per.values())
        tot["max_negative_coverage"] = max(r["max_negative_coverage"] for r in per.values())
        tot["precision"] = tot["tp"] / max(1, tot["tp"] + tot["fp"])
        tot["recall"] = tot["tp"] / max(1, tot["tp"] + tot["fn"])
        results["mt"] = {"systems": per, "pooled_test": tot}

    sample = [s for t in test.texts for s in t][: args.speed_sample]
    fresh = SentenceEmbedder(cache_dir=None)
    fresh.embed(sample[:8])  # load the weights outside the timing
    fresh.seconds, fresh.sentences_embedded = 0.0, 0
    fresh.embed(sample)
    results["throughput"] = {
        "sentences_per_s": fresh.sentences_embedded / max(fresh.seconds, 1e-9),
        "sentences_in_speed_sample": len(sample),
        "embedding_seconds_this_run": round(embed_s, 1),
        "sentences_embedded_uncached_this_run": embedder.sentences_embedded,
        "threads": os.environ.get("OMP_NUM_THREADS", "unset"),
    }
    results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["seed"] = args.seed
    results["seconds"] = round(time.time() - started, 1)
    print_table(results)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False, default=_json) + "\n")
    print(f"wrote {args.out}")
    return 0


def _json(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(type(value))


def print_table(r: dict[str, Any]) -> None:
    c = r["config"]
    print(
        f"fitted: length ratio ≤ {c['max_length_ratio']:.2f}, shared anchors ≥ {c['min_shared']} "
        f"(by length alone below {c['min_anchors']} anchors), "
        f"sentence cos ≥ {c['sentence_threshold']:.2f}, coverage ≥ {c['coverage_threshold']:.3f}, "
        f"doc cos ≥ {c['doc_threshold']:.3f}"
    )
    print(f"{'set':<28} {'docs':>5} {'pairs':>7} {'pos':>4} {'cand':>6} {'blockR':>6} ", end="")
    print(f"{'P':>6} {'R':>6} {'fp':>3} {'fn':>3} {'minPos':>6} {'maxNeg':>6}")
    rows = [("human calibration", r["human"]["calibration"]), ("human test", r["human"]["test"])]
    rows.append(("human test, shipped defaults", r["human"]["test_shipped_defaults"]))
    rows.append(("human test, restructured", r["human"]["test_restructured"]))
    rows += [(f"MT {name} (test)", v) for name, v in r.get("mt", {}).get("systems", {}).items()]
    if "mt" in r:
        p = r["mt"]["pooled_test"]
        rows.append(
            ("MT pooled (test)", {"documents": "", "pairs": "", "blocking_recall": float("nan"), **p})
        )
    for name, v in rows:
        print(
            f"{name:<28} {v['documents']:>5} {v['pairs']:>7} {v['positives']:>4} {v['candidates']:>6} "
            f"{v['blocking_recall']:>6.3f} {v['precision']:>6.3f} {v['recall']:>6.3f} "
            f"{v['fp']:>3} {v['fn']:>3} {v['min_positive_coverage']:>6.3f} {v['max_negative_coverage']:>6.3f}"
        )
    t = r["throughput"]
    h = r["human"]["test"]
    print(
        f"throughput: {t['sentences_per_s']:.1f} sentences/s embedded (1 thread), "
        f"{h['scored_pairs_per_s']:.0f} pairs/s scored, {h['blocking_pairs_per_s']:.0f} pairs/s blocked; "
        f"peak RSS {r['peak_rss_mb']:.0f} MB; {r['seconds']} s"
    )


if __name__ == "__main__":
    raise SystemExit(main())
