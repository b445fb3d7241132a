"""Time expressions (P4): the rule-based tagger scored on bench/data/timex-gold.jsonl, and its speed.

Only the 26 documents of the gold set are scored (every time expression in them is annotated, see
bench/data/README.md). Seed-sample files are tagged as raw file text (the gold offsets are into the
file, boilerplate included); SpkAtt documents as their tokens joined by single spaces, sentences
joined by a space, and predicted extents are widened to whole tokens (gold is token-based). The
anchor is the gold ``doc_date``.

* strict: exact extent; lenient: any overlap (one-to-one, in text order);
* type and value accuracy over the lenient matches;
* per source (seed, SpkAtt) and per half: the documents were split into ``dev`` and ``test`` halves
  (sorted by the SHA-256 of their path, alternating) before the rules were tuned on ``dev``.

Throughput: tag_times over 10kGNAD test texts (anchor 2016-01-01), expressions and sentences per second.

    python bench/timex.py [--data ../shared/data] [--gnad-docs 300] [--errors]
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from lagebild.model import Sentence
from lagebild.temporal.tagger import tag_times

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "bench" / "data" / "timex-gold.jsonl"


@dataclass
class Doc:
    source: str
    text: str
    anchor: str
    gold: list[dict[str, object]]
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[tuple[int, int]] = field(default_factory=list)  # SpkAtt only


def load_docs(data: Path) -> list[Doc]:
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_source: dict[str, list[dict[str, object]]] = collections.defaultdict(list)
    for r in rows:
        by_source[str(r["source"])].append(r)
    docs = []
    for source, gold in by_source.items():
        path = data / source
        anchor = str(gold[0]["doc_date"])
        if source.startswith("seed-sample/"):
            docs.append(Doc(source, path.read_text(encoding="utf-8"), anchor, gold))
            continue
        sents = {
            s["SentenceId"]: s["Tokens"] for s in json.loads(path.read_text(encoding="utf-8"))["Sentences"]
        }
        doc = Doc(source, "", anchor, gold)
        parts, pos, index = [], 0, {}
        for sid, toks in sorted(sents.items()):
            start = pos
            for i, tok in enumerate(toks):
                index[(sid, i)] = len(doc.tokens)
                doc.tokens.append((pos, pos + len(tok)))
                pos += len(tok) + 1
            doc.sentences.append(Sentence(start, pos - 1))
            parts.append(" ".join(toks))
        doc.text = " ".join(parts)
        for g in gold:
            first = doc.tokens[index[(g["sentence"], g["token_start"])]]
            last = doc.tokens[index[(g["sentence"], int(str(g["token_end"])) - 1)]]
            g["start"], g["end"] = first[0], last[1]
        docs.append(doc)
    return docs


def split_of(source: str, sources: list[str]) -> str:
    order = sorted(sources, key=lambda s: hashlib.sha256(s.encode("utf-8")).hexdigest())
    return "dev" if order.index(source) % 2 == 0 else "test"


@dataclass
class Tally:
    gold: int = 0
    pred: int = 0
    strict: int = 0
    lenient: int = 0
    type_ok: int = 0
    value_ok: int = 0

    def add(self, other: Tally) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def figures(self) -> dict[str, float | int]:
        def prf(tp: int) -> tuple[float, float, float]:
            p = tp / self.pred if self.pred else 0.0
            r = tp / self.gold if self.gold else 0.0
            return p, r, (2 * p * r / (p + r) if p + r else 0.0)

        sp, sr, sf = prf(self.strict)
        lp, lr, lf = prf(self.lenient)
        m = self.lenient or 1
        return {
            "gold": self.gold,
            "pred": self.pred,
            "strict_p": round(sp, 3),
            "strict_r": round(sr, 3),
            "strict_f1": round(sf, 3),
            "lenient_p": round(lp, 3),
            "lenient_r": round(lr, 3),
            "lenient_f1": round(lf, 3),
            "type_acc": round(self.type_ok / m, 3),
            "value_acc": round(self.value_ok / m, 3),
        }


def _widen(span: tuple[int, int], tokens: list[tuple[int, int]]) -> tuple[int, int]:
    inside = [t for t in tokens if t[0] < span[1] and t[1] > span[0]]
    return (inside[0][0], inside[-1][1]) if inside else span


def score_doc(doc: Doc, errors: list[str]) -> Tally:
    pred = tag_times(doc.text, "de", doc.anchor, doc.sentences or None)
    spans = [(_widen((p.start, p.end), doc.tokens) if doc.tokens else (p.start, p.end), p) for p in pred]
    gold = sorted(doc.gold, key=lambda g: int(str(g["start"])))
    t = Tally(gold=len(gold), pred=len(pred))
    used: set[int] = set()
    for g in gold:
        gs, ge = int(str(g["start"])), int(str(g["end"]))
        hit = next((i for i, (s, _) in enumerate(spans) if i not in used and s[0] < ge and s[1] > gs), None)
        if hit is None:
            errors.append(f"MISS  {doc.source[:40]}: {g['mention']!r} {g['type']} {g['value']}")
            continue
        used.add(hit)
        (ps, pe), p = spans[hit]
        t.lenient += 1
        t.strict += (ps, pe) == (gs, ge)
        t.type_ok += p.type == g["type"]
        t.value_ok += p.value == g["value"]
        if (ps, pe) != (gs, ge) or p.value != g["value"] or p.type != g["type"]:
            errors.append(
                f"DIFF  {doc.source[:40]}: gold {g['mention']!r} {g['type']} {g['value']}"
                f" | pred {doc.text[ps:pe]!r} {p.type} {p.value}"
            )
    for i, (s, p) in enumerate(spans):
        if i not in used:
            ctx = doc.text[max(0, s[0] - 30) : s[1] + 20].replace("\n", " ")
            errors.append(f"FP    {doc.source[:40]}: {p.text!r} {p.type} {p.value}  «{ctx}»")
    return t


def throughput(path: Path, n_docs: int) -> dict[str, float]:
    texts = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            _, _, text = line.partition(";")
            texts.append(text.strip().strip("'"))
            if len(texts) >= n_docs:
                break
    tag_times("Am 1. Januar 2020.", "de", "2016-01-01")  # load the rules outside the timing
    n_sent = sum(len(re.findall(r"[.!?](?:\s|$)", t)) or 1 for t in texts)
    start = time.perf_counter()
    n_expr = sum(len(tag_times(t, "de", "2016-01-01")) for t in texts)
    seconds = time.perf_counter() - start
    return {
        "docs": len(texts),
        "sentences": n_sent,
        "expressions": n_expr,
        "seconds": round(seconds, 3),
        "docs_per_s": round(len(texts) / seconds, 1),
        "sentences_per_s": round(n_sent / seconds, 1),
        "expressions_per_s": round(n_expr / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--gnad-docs", type=int, default=300, help="10kGNAD test texts for the speed run")
    parser.add_argument("--errors", action="store_true", help="print misses, false positives, value errors")
    parser.add_argument("--split", choices=["all", "dev", "test"], default="all", help="errors of this half")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "timex.json"))
    args = parser.parse_args()
    data = Path(args.data)
    if not (data / "seed-sample").is_dir() or not (data / "speaker-attribution-news").is_dir():
        print(f"skipped: {data}/seed-sample or speaker-attribution-news not found (needs ../shared)")
        return
    docs = load_docs(data)
    sources = [d.source for d in docs]
    tallies: dict[str, Tally] = collections.defaultdict(Tally)
    errors: list[str] = []
    for doc in docs:
        half = split_of(doc.source, sources)
        errs: list[str] = []
        t = score_doc(doc, errs)
        if args.split in ("all", half):
            errors.extend(errs)
        kind = "seed" if doc.source.startswith("seed-sample/") else "SpkAtt"
        for key in ("all", kind, half, f"{half}/{kind}"):
            tallies[key].add(t)
    keys = ["all", "seed", "SpkAtt", "dev", "test", "dev/seed", "dev/SpkAtt", "test/seed", "test/SpkAtt"]
    results = {k: tallies[k].figures() for k in keys if k in tallies}
    header = f"{'subset':<12}{'gold':>5}{'pred':>5}  strict P/R/F1       lenient P/R/F1      type   value"
    print(header)
    for k, f in results.items():
        strict = f"{f['strict_p']:.3f}/{f['strict_r']:.3f}/{f['strict_f1']:.3f}"
        print(
            f"{k:<12}{f['gold']:>5}{f['pred']:>5}  {strict}"
            f"  {f['lenient_p']:.3f}/{f['lenient_r']:.3f}/{f['lenient_f1']:.3f}"
            f"  {f['type_acc']:.3f}  {f['value_acc']:.3f}"
        )
    gnad = data / "10kgnad" / "test.csv"
    speed = throughput(gnad, args.gnad_docs) if gnad.is_file() else {}
    if speed:
        print(
            f"throughput: {speed['docs']} 10kGNAD texts, {speed['sentences_per_s']:.0f} sentences/s,"
            f" {speed['expressions_per_s']:.0f} expressions/s ({speed['expressions']} expressions)"
        )
    if args.errors:
        print("\n".join(errors))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"scores": results, "throughput": speed}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
