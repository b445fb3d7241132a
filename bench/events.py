"""Event extraction against the hand-annotated PLOVER events (bench/data/events-gold.jsonl).

Runs the real pipeline (language, clean, metadata, sentences, time, entities, link, quotes, events) on
the 13 gold documents: seed files as raw text; SpkAtt documents as their tokens joined by single spaces,
with the date from the file name as a metadata hint. A predicted event matches a gold event when its
sentence is the gold evidence sentence (word overlap >= 60 % of the shorter one, so different sentence
splits still meet) and the action type agrees (one-to-one, in text order).
For matched events: actor and target agreement (same KB id; for actors the KB lacks, the predicted text
or document-level id lies within the gold text; both empty agrees), date agreement (the same normalised
value; both none agrees), mode, attribution and status agreement. Figures per source (seed, SpkAtt) and
per document half (A = seed + even SpkAtt documents in name order, B = odd SpkAtt documents), and
throughput of the events stage alone and of the whole
pipeline in sentences per second.

    python bench/events.py [--gold FILE] [--shared DIR] [--out FILE] [--errors N] [--cache DIR]

``--cache DIR`` keeps the pipeline output before the events stage as JSON, so reruns only time and
score the events stage. Prints "skipped: ..." and exits 0 when the shared data is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from lagebild.config import load_config
from lagebild.events import extract_events
from lagebild.kb import load_kb
from lagebild.model import Article, Event, SourceHints, content_id
from lagebild.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
STAGES = ["language", "clean", "metadata", "sentences", "time", "encode", "entities", "link", "quotes"]
_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)\.json$")


def load_gold(path: Path, shared: Path) -> dict[str, list[dict[str, Any]]]:
    """Gold events by document; each record gets its evidence sentence ("text") from the source.

    The gold file stores offsets only (the source texts' licences keep their sentences out of the
    repository): seed files by character span, SpkAtt documents by sentence index.
    """
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            source = shared / record["source"]
            if record["source"].startswith("seed-sample/"):
                record["text"] = source.read_text(encoding="utf-8")[record["start"] : record["end"]]
            else:
                sentences = json.loads(source.read_text(encoding="utf-8"))["Sentences"]
                by_id = {s["SentenceId"]: s["Tokens"] for s in sentences}
                record["text"] = " ".join(by_id[record["sentence"]])
            by_doc[record["source"]].append(record)
    return by_doc


def document(shared: Path, source: str) -> tuple[str, dict[int, tuple[int, int]], str | None]:
    """The text to analyse, gold sentence index -> character span (SpkAtt), and the date hint."""
    path = shared / source
    if source.startswith("seed-sample/"):
        return path.read_text(encoding="utf-8"), {}, None
    sentences = json.loads(path.read_text(encoding="utf-8"))["Sentences"]
    spans, parts, pos = {}, [], 0
    for sent in sentences:
        joined = " ".join(sent["Tokens"])
        spans[sent["SentenceId"]] = (pos, pos + len(joined))
        parts.append(joined)
        pos += len(joined) + 1
    found = _DATE.search(source)
    return " ".join(parts), spans, found.group(1) if found else None


_WORDS = re.compile(r"\w+")


def words(text: str) -> set[str]:
    return {w.casefold() for w in _WORDS.findall(text)}


def same_sentence(gold: set[str], pred: set[str]) -> bool:
    return bool(gold and pred) and len(gold & pred) >= 0.6 * min(len(gold), len(pred))


def run_pipeline(
    shared: Path, sources: list[str], cache: Path | None, profile: str = "accurate"
) -> tuple[dict[str, Article], float]:
    config = load_config(
        overrides=[
            "metadata.reference_date=2026-11-23",
            f"pipeline.stages={json.dumps(STAGES)}",
            f"analysis.profile={profile}",
        ]
    )
    pipeline = Pipeline.from_config(config)
    out, seconds = {}, 0.0
    for source in sources:
        stored = cache / (content_id(source) + ".json") if cache else None
        if stored and stored.exists():
            out[source] = Article.from_dict(json.loads(stored.read_text(encoding="utf-8")))
            continue
        text, _, date = document(shared, source)
        hints = SourceHints(date=date, date_source="file name" if date else None)
        article = Article(id=content_id(text), source=source, source_format="txt", raw_text=text, hints=hints)
        started = time.perf_counter()
        out[source] = pipeline.run(article)
        seconds += time.perf_counter() - started
        if stored:
            stored.write_text(json.dumps(out[source].to_dict(), ensure_ascii=False), encoding="utf-8")
    return out, seconds


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def _text_agrees(pred: str | None, gold: dict[str, Any] | None) -> bool:
    if gold is None or (gold.get("implicit") and gold.get("id") is None):
        return pred is None if gold is None else True
    if pred is None:
        return False
    if gold.get("id"):
        return pred == gold["id"]
    # KB-missing actors: the predicted text, or the slug of a document-level id ("doc:boris-tadi"),
    # within the gold text, compared as slugs (lower case, runs of other characters as "-")
    mine = _slug(pred.removeprefix("doc:"))
    theirs = _slug(gold["text"])
    return bool(mine) and (mine in theirs or theirs in mine)


def score(gold: dict[str, list[dict[str, Any]]], articles: dict[str, Article]) -> dict[str, Any]:
    buckets: dict[str, Counter[str]] = defaultdict(Counter)
    errors: list[tuple[str, ...]] = []
    order = sorted(s for s in gold if not s.startswith("seed-sample/"))
    for source, records in gold.items():
        article = articles[source]
        text = article.clean_text
        part = "seed" if source.startswith("seed-sample/") else "SpkAtt"
        half = "A" if part == "seed" or order.index(source) % 2 == 0 else "B"
        predicted: list[tuple[Event, str]] = []
        for ev in article.events:
            s = article.sentences[ev.sentence]
            predicted.append((ev, text[s.start : s.end]))
        used: set[int] = set()
        for keys in (("all", part, f"half {half}"),):
            for key in keys:
                buckets[key]["gold"] += len(records)
                buckets[key]["predicted"] += len(predicted)
        for rec in records:
            gw = words(rec["text"])
            match = None
            for n, (ev, sentence) in enumerate(predicted):
                if n not in used and ev.action == rec["type"] and same_sentence(gw, words(sentence)):
                    match = n
                    break
            if match is None:
                errors.append(
                    ("missed", source.split("/")[-1][:24], rec["type"], rec["trigger"], rec["text"][:80])
                )
                continue
            used.add(match)
            ev = predicted[match][0]
            checks = {
                "matched": True,
                "actor": _text_agrees(ev.actor, rec["actor"]),
                "target": _text_agrees(ev.target, rec["target"]),
                "date": (ev.time or None) == (rec["date"] or None),
                "mode": (ev.mode or None) == (rec["mode"] or None),
                "reported": ev.reported == rec["reported"],
                "status": ev.status == rec["status"],
            }
            if rec["date"]:
                checks["date (gold dated)"] = ev.time == rec["date"]
            for key in ("all", part, f"half {half}"):
                for name, ok in checks.items():
                    buckets[key][name + " n"] += 1
                    buckets[key][name] += ok
            if not checks["reported"]:
                errors.append(
                    (
                        "reported",
                        source.split("/")[-1][:24],
                        rec["type"],
                        f"predicted {ev.reported} / gold {rec['reported']}",
                        rec["text"][:80],
                    )
                )
            if not (checks["actor"] and checks["target"] and checks["date"]):
                errors.append(
                    (
                        "roles",
                        source.split("/")[-1][:24],
                        rec["type"],
                        f"actor {ev.actor} / {_show(rec['actor'])}",
                        f"target {ev.target} / {_show(rec['target'])}",
                        f"date {ev.time} / {rec['date']}",
                    )
                )
        for n, (ev, sentence) in enumerate(predicted):
            if n not in used:
                errors.append(
                    ("spurious", source.split("/")[-1][:24], ev.action, ev.trigger or "", sentence[:80])
                )
    return {"buckets": buckets, "errors": errors}


def _show(role: dict[str, Any] | None) -> str | None:
    return role and (role.get("id") or role["text"])


def summarise(counts: Counter[str]) -> dict[str, float | int]:
    tp, gold, pred = counts["matched"], counts["gold"], counts["predicted"]
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    row: dict[str, float | int] = {"gold": gold, "predicted": pred, "matched": tp, "P": p, "R": r}
    row["F1"] = 2 * p * r / (p + r) if p + r else 0.0
    for name in ("actor", "target", "date", "date (gold dated)", "mode", "reported", "status"):
        n = counts[name + " n"]
        row[name] = counts[name] / n if n else 0.0
        row[name + " n"] = n
    return row


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--gold", default=str(ROOT / "bench" / "data" / "events-gold.jsonl"))
    parser.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "events.json"))
    parser.add_argument("--errors", type=int, default=0, help="print this many errors")
    parser.add_argument("--cache", default=None, help="directory for pipeline output before the events stage")
    parser.add_argument("--profile", default="accurate", help="analysis.profile: accurate or fast")
    args = parser.parse_args()
    shared = Path(args.shared)
    if not shared.exists():
        print(f"skipped: {shared} not found (../shared is not available)")
        return
    gold = load_gold(Path(args.gold), shared)
    cache = Path(args.cache) if args.cache else None
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    articles, pipeline_s = run_pipeline(shared, sorted(gold), cache, args.profile)
    kb = load_kb()
    sentences = sum(len(a.sentences) for a in articles.values())
    started = time.perf_counter()
    for _ in range(5):
        for article in articles.values():
            article.events = extract_events(article, kb)
    events_s = (time.perf_counter() - started) / 5
    result = score(gold, articles)
    rows = {k: summarise(v) for k, v in sorted(result["buckets"].items())}
    cols = ("gold", "predicted", "P", "R", "F1", "actor", "target", "date", "mode", "reported", "status")
    print(
        f"Events on {sum(len(v) for v in gold.values())} gold events in {len(gold)} documents ({args.gold}):"
    )
    print(f"  {'':10}" + "".join(f"{c:>10}" for c in cols))
    for key, row in rows.items():
        cells = "".join(f"{row[c]:>10}" if isinstance(row[c], int) else f"{row[c]:>10.3f}" for c in cols)
        print(f"  {key:10}{cells}")
    print("  (actor/target/date/mode/reported/status: agreement on matched events)")
    dated = rows["all"]
    print(
        f"  date agreement where gold has a date: {dated['date (gold dated)']:.3f}"
        f" (n={dated['date (gold dated) n']})"
    )
    print(
        f"events stage: {sentences} sentences in {events_s:.3f} s = {sentences / events_s:,.0f} sentences/s"
    )
    if pipeline_s:
        rate = sentences / pipeline_s
        print(f"full pipeline (before events): {rate:,.2f} sentences/s ({pipeline_s:.0f} s)")
    for err in result["errors"][: args.errors]:
        print("  ", " | ".join(err))
    Path(args.out).write_text(
        json.dumps(
            {
                "benchmark": "events",
                "date": dt.date.today().isoformat(),
                "stages": [*STAGES, "events"],
                "documents": len(gold),
                "scores": rows,
                "throughput": {
                    "sentences": sentences,
                    "events_stage_sentences_per_s": sentences / events_s,
                    "pipeline_sentences_per_s": sentences / pipeline_s if pipeline_s else None,
                },
                "errors": result["errors"],
            },
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
