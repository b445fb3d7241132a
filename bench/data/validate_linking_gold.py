#!/usr/bin/env python3
"""Validate bench/data/linking-gold.jsonl.

Checks
* every line is a JSON object with the required fields and a known ``type``;
* seed-sample rows: ``text[start:end] == mention`` for the file read with
  ``open(path, encoding="utf-8").read()``;
* speaker-attribution rows: ``" ".join(tokens[token_start:token_end]) == mention``
  for the sentence with that ``SentenceId``;
* no duplicate or overlapping spans within a document;
* every non-null ``actor`` (and ``metonym_of``) is an id of the shipped KB
  (``src/lagebild/kb/actors/*.yaml``); a null ``actor`` has a ``kb_missing`` text;
* ``doc_date`` agrees with the source (seed files: first line / file name;
  SpkAtt: the date in the file name).

The source texts are not part of the repository. They are looked up under
``<repo>/../shared/data`` (override with ``--data DIR`` or ``LAGEBILD_SHARED_DATA``).

Usage:  python bench/data/validate_linking_gold.py [--data DIR] [--gold FILE] [-q]
Exit status 0 if everything passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
TYPES = {"PER", "LOC", "ORG", "MEDIA", "WEAPON", "TREATY", "EVENT", "OTH"}
COMMON = ("source", "mention", "actor", "type", "doc_date", "metonym")
SEED_PREFIX = "seed-sample/"
SPK_PREFIX = "speaker-attribution-news/"


def load_kb_ids(kb_dir: Path) -> set[str]:
    ids: set[str] = set()
    for p in sorted(kb_dir.glob("*.yaml")):
        for actor in yaml.safe_load(p.read_text(encoding="utf-8")) or []:
            ids.add(str(actor["id"]))
    return ids


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--data",
        type=Path,
        default=Path(os.environ.get("LAGEBILD_SHARED_DATA", REPO.parent / "shared" / "data")),
    )
    ap.add_argument("--gold", type=Path, default=HERE / "linking-gold.jsonl")
    ap.add_argument("--kb", type=Path, default=REPO / "src" / "lagebild" / "kb" / "actors")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)

    errors: list[str] = []

    def err(lineno: int, msg: str) -> None:
        errors.append(f"line {lineno}: {msg}")

    kb_ids = load_kb_ids(args.kb)
    if not kb_ids:
        print(f"no KB actors found in {args.kb}", file=sys.stderr)
        return 1

    texts: dict[str, str] = {}
    sentences: dict[str, dict[int, list[str]]] = {}
    spans: dict[str, list[tuple]] = collections.defaultdict(list)
    rows = []

    for lineno, line in enumerate(args.gold.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            err(lineno, "empty line")
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            err(lineno, f"invalid JSON: {e}")
            continue
        rows.append(r)
        missing = [k for k in COMMON if k not in r]
        if missing:
            err(lineno, f"missing fields {missing}")
            continue
        src, mention = r["source"], r["mention"]
        if r["type"] not in TYPES:
            err(lineno, f"unknown type {r['type']!r}")
        if not isinstance(r["metonym"], bool):
            err(lineno, "metonym must be true/false")
        if r["actor"] is None:
            if not r.get("kb_missing"):
                err(lineno, "actor is null but kb_missing is empty")
        else:
            if r["actor"] not in kb_ids:
                err(lineno, f"actor {r['actor']!r} is not a KB id")
            if "kb_missing" in r:
                err(lineno, "kb_missing given for a linked mention")
        if r.get("metonym_of") is not None and r["metonym_of"] not in kb_ids:
            err(lineno, f"metonym_of {r['metonym_of']!r} is not a KB id")
        if r.get("metonym_of") and not r["metonym"]:
            err(lineno, "metonym_of given but metonym is false")

        path = args.data / src
        if src.startswith(SEED_PREFIX):
            for k in ("start", "end"):
                if not isinstance(r.get(k), int):
                    err(lineno, f"seed row needs integer {k}")
                    break
            else:
                if src not in texts:
                    if not path.is_file():
                        err(lineno, f"source not found: {path}")
                        continue
                    texts[src] = Path(path).read_text(encoding="utf-8")
                text = texts[src]
                got = text[r["start"] : r["end"]]
                if got != mention:
                    err(lineno, f"offset mismatch {r['start']}:{r['end']} -> {got!r} != {mention!r}")
                m = re.search(r"date (\d{4}-\d{2})", text[:40]) or re.search(r"(\d{4}-\d{2})", path.name)
                if m and not r["doc_date"].startswith(m.group(1)):
                    err(lineno, f"doc_date {r['doc_date']} disagrees with source date {m.group(1)}")
                spans[src].append((r["start"], r["end"], lineno))
        elif src.startswith(SPK_PREFIX):
            for k in ("sentence", "token_start", "token_end"):
                if not isinstance(r.get(k), int):
                    err(lineno, f"SpkAtt row needs integer {k}")
                    break
            else:
                if src not in sentences:
                    if not path.is_file():
                        err(lineno, f"source not found: {path}")
                        continue
                    doc = json.loads(Path(path).read_text(encoding="utf-8"))
                    sentences[src] = {s["SentenceId"]: s["Tokens"] for s in doc["Sentences"]}
                toks = sentences[src].get(r["sentence"])
                if toks is None:
                    err(lineno, f"no sentence {r['sentence']} in {src}")
                    continue
                if not 0 <= r["token_start"] < r["token_end"] <= len(toks):
                    err(lineno, f"token range {r['token_start']}:{r['token_end']} outside 0:{len(toks)}")
                    continue
                got = " ".join(toks[r["token_start"] : r["token_end"]])
                if got != mention:
                    err(
                        lineno,
                        f"token mismatch s{r['sentence']} {r['token_start']}:{r['token_end']}"
                        f" -> {got!r} != {mention!r}",
                    )
                m = re.search(r"\((\d{4}-\d{2}-\d{2})\)\.json$", src)
                if m and r["doc_date"] != m.group(1):
                    err(lineno, f"doc_date {r['doc_date']} != file date {m.group(1)}")
                spans[src].append(
                    ((r["sentence"], r["token_start"]), (r["sentence"], r["token_end"]), lineno)
                )
        else:
            err(lineno, f"unknown source prefix: {src}")

    for src, sp in spans.items():
        sp.sort()
        for (_s1, e1, l1), (s2, _e2, l2) in zip(sp, sp[1:], strict=False):
            if s2 < e1:
                errors.append(f"lines {l1}/{l2}: overlapping or duplicate spans in {src}")

    if not args.quiet:
        by_type = collections.Counter(r.get("type") for r in rows)
        by_src = collections.Counter(r.get("source", "").split("/")[0] for r in rows)
        docs = {r.get("source") for r in rows}
        null = [r for r in rows if r.get("actor") is None]
        print(f"{len(rows)} mentions in {len(docs)} documents; by source {dict(by_src)}")
        print("by type:", dict(sorted(by_type.items())))
        print(
            f"linked {len(rows) - len(null)}, KB-missing {len(null)} "
            f"({len({r.get('kb_missing') for r in null})} distinct), "
            f"metonyms {sum(1 for r in rows if r.get('metonym'))}"
        )
    for e in errors:
        print("ERROR", e, file=sys.stderr)
    if errors:
        print(f"FAILED: {len(errors)} error(s)", file=sys.stderr)
        return 1
    if not args.quiet:
        print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
