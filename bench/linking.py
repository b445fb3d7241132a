"""Entity-linking accuracy on the hand-annotated gold set (bench/data/linking-gold.jsonl).

Gold mention spans are given to the linker document by document, in text order (so short names
and ambiguity resolution see the same context as in the pipeline); its answer is compared with the
gold actor. A mention whose actor is missing from the knowledge base (gold null) is right when the
linker links it to no KB actor (unlinked or a document-level ``doc:`` id). A seat of government
(Kreml, Weißes Haus) linked to the state it stands for counts as right.

    python bench/linking.py [--gold bench/data/linking-gold.jsonl] [--shared ../shared/data] [--errors 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from lagebild.kb import load_kb
from lagebild.link import Linker
from lagebild.model import Article, DateInfo, Mention

ROOT = Path(__file__).resolve().parents[1]
LABEL = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "MEDIA": "ORG"}


def documents(
    gold: list[dict[str, Any]], shared: Path
) -> dict[str, tuple[str, list[tuple[int, int, dict[str, Any]]]]]:
    """source -> (text, [(start, end, gold record)]) with character offsets into that text."""
    by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in gold:
        by_source[record["source"]].append(record)
    out = {}
    for source, records in by_source.items():
        path = shared / source
        if "start" in records[0]:
            text = path.read_text(encoding="utf-8")
            spans = [(r["start"], r["end"], r) for r in records]
        else:
            sentences = json.loads(path.read_text(encoding="utf-8"))["Sentences"]
            offsets: list[list[int]] = []
            parts, pos = [], 0
            for sent in sentences:
                starts = []
                for token in sent["Tokens"]:
                    starts.append(pos)
                    parts.append(token)
                    pos += len(token) + 1
                offsets.append(starts)
            text = " ".join(parts)
            spans = []
            for r in records:
                toks = sentences[r["sentence"]]["Tokens"]
                start = offsets[r["sentence"]][r["token_start"]]
                end = offsets[r["sentence"]][r["token_end"] - 1] + len(toks[r["token_end"] - 1])
                spans.append((start, end, r))
        out[source] = (text, sorted(spans, key=lambda s: s[0]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--gold", default=str(ROOT / "bench" / "data" / "linking-gold.jsonl"))
    parser.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--errors", type=int, default=15)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "linking.json"))
    args = parser.parse_args()
    if not Path(args.shared).exists():
        print(f"skipped: {args.shared} not found (../shared is not available)")
        return
    gold = [
        json.loads(line) for line in Path(args.gold).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    kb = load_kb()
    linker = Linker(kb)
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    errors = []
    for source, (text, spans) in documents(gold, Path(args.shared)).items():
        date = spans[0][2].get("doc_date")
        article = Article(
            id="x",
            source=source,
            source_format="txt",
            raw_text=text,
            clean_text=text,
            published=DateInfo(date, "day", date, "gold") if date else None,
        )
        article.mentions = [Mention(s, e, text[s:e], LABEL.get(r["type"], "OTH")) for s, e, r in spans]
        predicted = {(m.start, m.end): m for m in linker.link_article(article)}
        for s, e, r in spans:
            m = predicted[(s, e)]
            pred = m.actor_id if m.actor_id and not m.actor_id.startswith("doc:") else None
            want = r["actor"]
            seat = kb.actors.get(want) if want else None
            ok = pred == want or (
                seat is not None and seat.type == "government_body" and seat.metonym_for == pred
            )
            part = "in KB" if want else "not in KB (NIL)"
            for key in ("all", part, f"{source.split('/')[0]}"):
                total[key] += 1
                right[key] += ok
            if not ok:
                errors.append((source.split("/")[-1][:40], r["mention"], want, pred, m.link_rule))
    print(f"Linking accuracy on {len(gold)} gold mentions ({args.gold}):")
    for key in ("all", "in KB", "not in KB (NIL)", "seed-sample", "speaker-attribution-news"):
        if total[key]:
            print(f"  {key:28} {right[key] / total[key]:.3f}  ({right[key]}/{total[key]})")
    if args.errors:
        print(f"first {args.errors} errors (document, mention, gold, predicted, rule):")
        for err in errors[: args.errors]:
            print("  ", err)
    Path(args.out).write_text(
        json.dumps(
            {
                "benchmark": "linking",
                "date": dt.date.today().isoformat(),
                "mentions": len(gold),
                "accuracy": {k: right[k] / total[k] for k in total},
                "counts": dict(total),
                "errors": errors,
            },
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
