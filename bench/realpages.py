"""Cleaning, titles and dates on real web pages nobody on the project wrote (``../shared/data/realpages/``).

Scores lagebild's plain-text path (the text a person copies from the page) and HTML path against the
gold snippets (trafilatura's metric) and gold publication dates, next to the do-nothing baseline (the
whole copied text kept) and trafilatura / htmldate on the HTML. Titles are checked against the page's
own headline (og:title, <h1>, <title>). The sites are split once (bench/data/realpages-split.json):
the classifier is trained and tuned on ``calibration``; ``test`` is reported.

    python bench/realpages.py                      # test half, all paths
    python bench/realpages.py --part calibration   # the half used for training and tuning
    python bench/realpages.py --dump out/rp.jsonl  # per-page results for error analysis
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import htmldate
import trafilatura

from lagebild.config import load_config
from lagebild.errors import LagebildError
from lagebild.model import Article, content_id
from lagebild.pipeline import Pipeline
from lagebild.readers.html import html_article
from lagebild.training.realpages import (
    Page,
    load_pages,
    prf,
    reference_titles,
    snippet_counts,
    title_matches,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "realpages"
STAGES = ["language", "clean", "metadata", "sentences", "time"]


def _pipeline(overrides: list[str]) -> Pipeline:
    config = load_config(overrides=["sentences.backend=regex", *overrides])
    return Pipeline(STAGES, Pipeline.from_config(config).context)


def _plain(page: Page, pipe: Pipeline) -> Article:
    raw = page.text.replace("\r\n", "\n").replace("\r", "\n")
    article = Article(id=content_id(raw), source=page.page, source_format="txt", raw_text=raw)
    return pipe.run(article)


def _html(page: Page, pipe: Pipeline) -> Article | None:
    try:
        article = html_article(page.html, page.page, [], url=page.url)
    except LagebildError:
        return None
    return pipe.run(article)


def clean_speed(pages: list[Page], pipe: Pipeline, workers: int = 2) -> dict[str, float]:
    """Model load time; the ``clean`` stage alone (classifier included) over the copied texts in one
    process (CPU time, best of 3, so other jobs on the machine do not count); and language + clean in
    ``workers`` processes through :class:`lagebild.parallel.ArticleRunner`, as ``analyze`` runs them
    (wall time: what a user waits for)."""
    from lagebild.parallel import ArticleRunner
    from lagebild.stages.clean import clean as clean_stage
    from lagebild.text.boilerplate import load_model

    t0 = time.perf_counter()
    load_model()
    load_s = time.perf_counter() - t0
    raws = []
    for page in pages:
        raw = page.text.replace("\r\n", "\n").replace("\r", "\n")
        raws.append(Article(id=content_id(raw), source=page.page, source_format="txt", raw_text=raw))
    detect = Pipeline(["language"], pipe.context)
    best = float("inf")
    for _ in range(3):
        articles = [detect.run(copy.deepcopy(a)) for a in raws]
        t0 = time.process_time()
        for art in articles:
            clean_stage(art, pipe.context)
        best = min(best, time.process_time() - t0)
    runner: ArticleRunner[Article] = ArticleRunner(Pipeline(["language", "clean"], pipe.context), workers, 0)
    t0 = time.perf_counter()
    done = sum(1 for _ in runner.run([copy.deepcopy(a) for a in raws], lambda a: a))
    wall = time.perf_counter() - t0
    return {
        "model_load_s": load_s,
        "clean_articles_per_s": len(raws) / best,
        "articles": len(raws),
        "workers": workers,
        "language_clean_workers_articles_per_s": done / wall,
    }


def _lang_group(lang: str | None) -> str:
    return lang if lang in ("de", "en") else "other"


def _date_row(article: Article | None, gold: str | None) -> dict[str, Any]:
    pub = article.published if article is not None else None
    if pub is None:
        return {"value": None, "precision": None, "confidence": None, "right": False}
    right = pub.precision == "day" and pub.value == gold
    return {
        "value": pub.value,
        "precision": pub.precision,
        "confidence": pub.confidence,
        "source": pub.source,
        "right": right,
        # A year- or month-precise answer that agrees with the gold day is not wrong, only coarse.
        "coarse_ok": pub.precision in ("year", "month") and bool(gold) and gold.startswith(pub.value),
    }


def run(part: str | None, paths: set[str], overrides: list[str], dump: str | None) -> dict[str, Any]:
    pipe = _pipeline(overrides)
    pages = list(load_pages(DATA, part))
    rows: list[dict[str, Any]] = []
    timings: dict[str, float] = defaultdict(float)
    for n, page in enumerate(pages, 1):
        row: dict[str, Any] = {"page": page.page, "site": page.site, "task": page.task}
        t0 = time.perf_counter()
        plain = _plain(page, pipe)
        timings["plain"] += time.perf_counter() - t0
        row["lang"] = _lang_group(plain.language)
        html = page.html
        refs = reference_titles(html)
        row["title_refs"] = refs
        row["title_plain"] = plain.title
        row["title_ok"] = title_matches(plain.title, refs) if refs else None
        if page.task == "text":
            row["plain"] = snippet_counts(plain.clean_text, page)
            row["baseline"] = snippet_counts(page.text, page)
            if "html" in paths:
                t0 = time.perf_counter()
                art = _html(page, pipe)
                timings["html"] += time.perf_counter() - t0
                row["html"] = snippet_counts(art.clean_text if art else "", page)
            if "trafilatura" in paths:
                row["trafilatura"] = snippet_counts(trafilatura.extract(html, url=page.url) or "", page)
        else:
            row["date_gold"] = page.date
            row["date_plain"] = _date_row(plain, page.date)
            if "html" in paths:
                row["date_html"] = _date_row(_html(page, pipe), page.date)
            if "trafilatura" in paths:
                found = htmldate.find_date(html, original_date=True, outputformat="%Y-%m-%d", url=page.url)
                row["date_htmldate"] = {"value": found, "right": found == page.date}
        rows.append(row)
        if n % 50 == 0:
            print(f"  {n}/{len(pages)} pages", file=sys.stderr)
    speed = clean_speed(pages, pipe)
    if dump:
        Path(dump).parent.mkdir(parents=True, exist_ok=True)
        with open(dump, "w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return {**summarise(rows, timings), "speed": speed}


def _text_scores(rows: list[dict[str, Any]], key: str) -> dict[str, list[float]]:
    scores: dict[str, list[float]] = {}
    for group in ("all", "de", "en", "other"):
        sel = [r for r in rows if r["task"] == "text" and key in r and (group == "all" or r["lang"] == group)]
        fw = sum(r[key][0] for r in sel)
        fo = sum(r[key][1] for r in sel)
        tw = sum(r[key][2] for r in sel)
        scores[group] = [*prf(fw, fo, tw), len(sel)]
    return scores


def _date_scores(rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    sel = [r for r in rows if r["task"] == "date" and key in r]
    if not sel:
        return {}
    right = sum(1 for r in sel if r[key]["right"])
    out: dict[str, Any] = {"pages": len(sel), "exact_day": right / len(sel)}
    if key != "date_htmldate":
        confident = [
            r for r in sel if r[key].get("precision") == "day" and (r[key].get("confidence") or 0) >= 0.9
        ]
        out["confident_day_pages"] = len(confident)
        out["confident_day_precision"] = (
            sum(1 for r in confident if r[key]["right"]) / len(confident) if confident else None
        )
        out["coarse_answers"] = sum(1 for r in sel if r[key].get("precision") in ("year", "month"))
        out["coarse_consistent"] = sum(1 for r in sel if r[key].get("coarse_ok"))
        out["no_date"] = sum(1 for r in sel if r[key]["value"] is None)
    return out


def summarise(rows: list[dict[str, Any]], timings: dict[str, float]) -> dict[str, Any]:
    titled = [r for r in rows if r["title_ok"] is not None]
    n_text = sum(1 for r in rows if r["task"] == "text")
    return {
        "text": {key: _text_scores(rows, key) for key in ("baseline", "plain", "html", "trafilatura")},
        "date": {key: _date_scores(rows, key) for key in ("date_plain", "date_html", "date_htmldate")},
        "title": {
            "pages_with_headline": len(titled),
            "plain_right": sum(1 for r in titled if r["title_ok"]) / len(titled) if titled else None,
        },
        "plain_articles_per_s": len(rows) / timings["plain"] if timings["plain"] else None,
        "html_text_pages_per_s": n_text / timings["html"] if timings.get("html") else None,
    }


def _print(summary: dict[str, Any], part: str) -> None:
    print(f"\nrealpages, part = {part}")
    print(f"{'text path':<14}{'group':<7}{'pages':>6}{'P':>7}{'R':>7}{'F1':>7}")
    names = {
        "baseline": "do nothing",
        "plain": "lagebild txt",
        "html": "lagebild html",
        "trafilatura": "trafilatura",
    }
    for key, groups in summary["text"].items():
        for group, (p, r, f, n) in groups.items():
            if n:
                print(f"{names[key]:<14}{group:<7}{int(n):>6}{p:>7.3f}{r:>7.3f}{f:>7.3f}")
    print("\ndates (exact day)")
    for key, scores in summary["date"].items():
        if scores:
            print(
                f"  {key:<15}"
                + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in scores.items())
            )
    t = summary["title"]
    if t["plain_right"] is not None:
        print(
            f"\ntitle of the plain-text copy = headline: {t['plain_right']:.3f}"
            f" of {t['pages_with_headline']} pages"
        )
    speed = summary.get("speed")
    if speed:
        print(
            f"boilerplate model load {speed['model_load_s']:.3f} s; clean stage alone "
            f"{speed['clean_articles_per_s']:.0f} pages/s over {speed['articles']} pages "
            "(one process, CPU time); "
            f"language + clean in {speed['workers']} processes: "
            f"{speed['language_clean_workers_articles_per_s']:.0f} pages/s (wall time)"
        )
    if summary["plain_articles_per_s"]:
        print(f"plain-text path (language..time): {summary['plain_articles_per_s']:.1f} pages/s")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--part", choices=["calibration", "test", "all"], default="test")
    parser.add_argument("--paths", default="html,trafilatura", help="extra paths: html, trafilatura")
    parser.add_argument("--set", action="append", default=[], dest="overrides", help="config override")
    parser.add_argument("--dump", help="write per-page results (JSONL) here")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "realpages-{part}.json"))
    args = parser.parse_args()
    if not (DATA / "pages.jsonl").is_file():
        print(f"skipped: {DATA}/pages.jsonl not found")
        return 0
    part = None if args.part == "all" else args.part
    summary = run(part, set(filter(None, args.paths.split(","))), args.overrides, args.dump)
    _print(summary, args.part)
    out = Path(args.out.format(part=args.part))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
