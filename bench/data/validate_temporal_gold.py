#!/usr/bin/env python3
"""Validate bench/data/timex-gold.jsonl and bench/data/events-gold.jsonl.

Checks, time expressions (``timex-gold.jsonl``)
* every line is a JSON object with the required fields; ``type`` is one of
  DATE, TIME, DURATION, SET; ``mod`` (optional) is a TIMEX3 mod; ``vague`` is a bool;
* ``value`` matches the TIMEX3-style syntax for its type (see ``VALUE_RE``);
  ``anchor`` is null or a DATE/TIME-like value; ``*_REF`` values have an anchor;
* seed-sample rows: ``text[start:end] == mention`` (file read with
  ``open(path, encoding="utf-8").read()``); speaker-attribution rows:
  ``" ".join(tokens[token_start:token_end]) == mention`` for the sentence with that
  ``SentenceId``;
* no duplicate or overlapping spans within a document;
* ``doc_date`` agrees with the source (seed: header / file name month; SpkAtt: file name).

Checks, events (``events-gold.jsonl``)
* required fields; ``type`` is one of the 16 PLOVER categories; ``mode`` and ``status``
  come from the documented lists; ``reported`` is a bool;
* the evidence sentence: seed rows ``text[start:end] == text``; SpkAtt rows
  ``" ".join(tokens) == text`` for sentence ``sentence``;
* ``trigger`` occurs in the sentence; ``actor``/``target`` are null or objects
  ``{"text", "id"[, "implicit"]}`` whose text occurs in the sentence unless ``implicit``;
  every non-null id is a KB id (``src/lagebild/kb/actors/*.yaml``);
* ``date`` is null or a DATE value; ``date_text`` occurs in the sentence (or, with
  ``date_context: true``, elsewhere in the document).

The source texts are not part of the repository. They are looked up under
``<repo>/../shared/data`` (override with ``--data DIR`` or ``LAGEBILD_SHARED_DATA``);
when that directory is missing the script prints "skipped" and exits 0.

Usage:  python bench/data/validate_temporal_gold.py [--data DIR] [--timex FILE] [--events FILE] [-q]
Exit status 0 if everything passes (or the data is absent), 1 otherwise.
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
SEED_PREFIX = "seed-sample/"
SPK_PREFIX = "speaker-attribution-news/"

TIMEX_TYPES = {"DATE", "TIME", "DURATION", "SET"}
MODS = {
    "START",
    "MID",
    "END",
    "BEFORE",
    "AFTER",
    "ON_OR_BEFORE",
    "ON_OR_AFTER",
    "LESS_THAN",
    "MORE_THAN",
    "EQUAL_OR_LESS",
    "EQUAL_OR_MORE",
    "APPROX",
}
_DATE = (
    r"(?:\d{4}(?:-\d{2}(?:-\d{2})?)?"  # 2021, 2021-02, 2021-02-14
    r"|\d{4}-W(?:\d{2}|XX)(?:-(?:\d|WE))?"  # 2006-W21, 2006-W32-WE, 2017-WXX-5
    r"|XXXX-WXX-\d"  # some Friday
    r"|\d{4}-(?:SP|SU|FA|WI|Q[1-4]|H[12])"  # seasons, quarters, halves
    r"|\d{3}|\d{2}"  # decade 199, century 19
    r"|PAST_REF|PRESENT_REF|FUTURE_REF)"
)
_DUR = r"P(?:(?:\d+(?:\.\d+)?|X)[YMWD])+(?:T(?:(?:\d+(?:\.\d+)?|X)[HMS])+)?|PT(?:(?:\d+(?:\.\d+)?|X)[HMS])+"
VALUE_RE = {
    "DATE": re.compile(rf"^{_DATE}$"),
    "TIME": re.compile(r"^(?:\d{4}-\d{2}-\d{2}|XXXX-XX-XX)T(?:\d{2}:\d{2}(?::\d{2})?|MO|AF|EV|NI|DT)$"),
    "DURATION": re.compile(rf"^(?:{_DUR})$"),
    "SET": re.compile(rf"^(?:{_DUR}|XXXX-WXX-\d|XXXX-XX-XX(?:T\d{{2}}:\d{{2}})?)$"),
}
ANCHOR_RE = re.compile(rf"^{_DATE}(?:T.*)?$")
TIMEX_REQUIRED = ("source", "mention", "type", "value", "anchor", "vague", "doc_date")

EVENT_TYPES = {
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
}
MODES = {
    None,
    "military",
    "economic",
    "diplomatic",
    "political",
    "legal",
    "humanitarian",
    "phone",
    "visit",
    "meeting",  # CONSULT modes
}
STATUS = {"factual", "planned"}
EVENT_REQUIRED = (
    "source",
    "actor",
    "target",
    "type",
    "mode",
    "trigger",
    "date",
    "date_text",
    "where",
    "reported",
    "reported_by",
    "doc_date",
)


def load_kb_ids(kb_dir: Path) -> set[str]:
    ids: set[str] = set()
    for p in sorted(kb_dir.glob("*.yaml")):
        for actor in yaml.safe_load(p.read_text(encoding="utf-8")) or []:
            ids.add(str(actor["id"]))
    return ids


class Sources:
    """Lazy access to the seed texts and SpkAtt sentences."""

    def __init__(self, root: Path):
        self.root = root
        self.texts: dict[str, str] = {}
        self.sents: dict[str, dict[int, list[str]]] = {}

    def text(self, src: str) -> str | None:
        if src not in self.texts:
            p = self.root / src
            if not p.is_file():
                return None
            self.texts[src] = p.read_text(encoding="utf-8")
        return self.texts[src]

    def sentences(self, src: str) -> dict[int, list[str]] | None:
        if src not in self.sents:
            p = self.root / src
            if not p.is_file():
                return None
            doc = json.loads(p.read_text(encoding="utf-8"))
            self.sents[src] = {s["SentenceId"]: s["Tokens"] for s in doc["Sentences"]}
        return self.sents[src]

    def doc_string(self, src: str) -> str | None:
        if src.startswith(SEED_PREFIX):
            return self.text(src)
        sents = self.sentences(src)
        if sents is None:
            return None
        return " ".join(" ".join(t) for _, t in sorted(sents.items()))


def check_doc_date(src: str, doc_date: object, text_head: str, err) -> None:
    if not isinstance(doc_date, str) or not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", doc_date):
        err(f"bad doc_date {doc_date!r}")
        return
    if src.startswith(SEED_PREFIX):
        m = re.search(r"date (\d{4}-\d{2})", text_head) or re.search(r"(\d{4}-\d{2})", src)
        if m and not doc_date.startswith(m.group(1)):
            err(f"doc_date {doc_date} disagrees with source date {m.group(1)}")
    else:
        m = re.search(r"\((\d{4}-\d{2}-\d{2})\)\.json$", src)
        if m and doc_date != m.group(1):
            err(f"doc_date {doc_date} != file date {m.group(1)}")


def read_jsonl(path: Path, errors: list[str], tag: str) -> list[tuple[int, dict]]:
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            errors.append(f"{tag} line {lineno}: empty line")
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"{tag} line {lineno}: invalid JSON: {e}")
            continue
        if not isinstance(r, dict):
            errors.append(f"{tag} line {lineno}: not an object")
            continue
        rows.append((lineno, r))
    return rows


def validate_timex(path: Path, srcs: Sources, errors: list[str]) -> list[dict]:
    spans: dict[str, list[tuple]] = collections.defaultdict(list)
    rows = read_jsonl(path, errors, "timex")
    for lineno, r in rows:

        def err(msg: str, lineno: int = lineno) -> None:
            errors.append(f"timex line {lineno}: {msg}")

        missing = [k for k in TIMEX_REQUIRED if k not in r]
        if missing:
            err(f"missing fields {missing}")
            continue
        typ, value, anchor = r["type"], r["value"], r["anchor"]
        if typ not in TIMEX_TYPES:
            err(f"unknown type {typ!r}")
        elif not isinstance(value, str) or not VALUE_RE[typ].match(value):
            err(f"value {value!r} is not a valid {typ} value")
        if "mod" in r and r["mod"] not in MODS:
            err(f"unknown mod {r['mod']!r}")
        if not isinstance(r["vague"], bool):
            err("vague must be true/false")
        if anchor is not None and (not isinstance(anchor, str) or not ANCHOR_RE.match(anchor)):
            err(f"bad anchor {anchor!r}")
        if isinstance(value, str) and value.endswith("_REF") and anchor is None:
            err("a *_REF value needs an anchor")
        if "signal" in r and not (isinstance(r["signal"], str) and r["signal"]):
            err("signal must be a non-empty string")

        src, mention = r["source"], r["mention"]
        if src.startswith(SEED_PREFIX):
            if not all(isinstance(r.get(k), int) for k in ("start", "end")):
                err("seed row needs integer start and end")
                continue
            text = srcs.text(src)
            if text is None:
                err(f"source not found: {srcs.root / src}")
                continue
            got = text[r["start"] : r["end"]]
            if got != mention:
                err(f"offset mismatch {r['start']}:{r['end']} -> {got!r} != {mention!r}")
            check_doc_date(src, r["doc_date"], text[:40], err)
            spans[src].append((r["start"], r["end"], lineno))
        elif src.startswith(SPK_PREFIX):
            if not all(isinstance(r.get(k), int) for k in ("sentence", "token_start", "token_end")):
                err("SpkAtt row needs integer sentence, token_start, token_end")
                continue
            sents = srcs.sentences(src)
            if sents is None:
                err(f"source not found: {srcs.root / src}")
                continue
            toks = sents.get(r["sentence"])
            if toks is None:
                err(f"no sentence {r['sentence']} in {src}")
                continue
            if not 0 <= r["token_start"] < r["token_end"] <= len(toks):
                err(f"token range {r['token_start']}:{r['token_end']} outside 0:{len(toks)}")
                continue
            got = " ".join(toks[r["token_start"] : r["token_end"]])
            if got != mention:
                err(
                    f"token mismatch s{r['sentence']} {r['token_start']}:{r['token_end']}"
                    f" -> {got!r} != {mention!r}"
                )
            check_doc_date(src, r["doc_date"], "", err)
            spans[src].append(((r["sentence"], r["token_start"]), (r["sentence"], r["token_end"]), lineno))
        else:
            err(f"unknown source prefix: {src}")

    for src, sp in spans.items():
        sp.sort()
        for (_s1, e1, l1), (s2, _e2, l2) in zip(sp, sp[1:], strict=False):
            if s2 < e1:
                errors.append(f"timex lines {l1}/{l2}: overlapping or duplicate spans in {src}")
    return [r for _, r in rows]


def check_actor(obj: object, field: str, sentence: str, kb_ids: set[str], err) -> None:
    if obj is None:
        return
    if not isinstance(obj, dict) or "text" not in obj or "id" not in obj:
        err(f"{field} must be null or an object with text and id")
        return
    if set(obj) - {"text", "id", "implicit"}:
        err(f"{field} has unknown keys {sorted(set(obj) - {'text', 'id', 'implicit'})}")
    if not isinstance(obj["text"], str) or not obj["text"]:
        err(f"{field}.text must be a non-empty string")
        return
    if obj["id"] is not None and obj["id"] not in kb_ids:
        err(f"{field}.id {obj['id']!r} is not a KB id")
    implicit = obj.get("implicit", False)
    if not isinstance(implicit, bool):
        err(f"{field}.implicit must be true/false")
    elif not implicit and obj["text"] not in sentence:
        err(f"{field}.text {obj['text']!r} not in the sentence (mark implicit if it comes from context)")


def validate_events(path: Path, srcs: Sources, kb_ids: set[str], errors: list[str]) -> list[dict]:
    rows = read_jsonl(path, errors, "events")
    for lineno, r in rows:

        def err(msg: str, lineno: int = lineno) -> None:
            errors.append(f"events line {lineno}: {msg}")

        missing = [k for k in EVENT_REQUIRED if k not in r]
        if missing:
            err(f"missing fields {missing}")
            continue
        if r["type"] not in EVENT_TYPES:
            err(f"unknown type {r['type']!r}")
        if r["mode"] not in MODES:
            err(f"unknown mode {r['mode']!r}")
        if r.get("status", "factual") not in STATUS:
            err(f"unknown status {r.get('status')!r}")
        if not isinstance(r["reported"], bool):
            err("reported must be true/false")
        if r["reported_by"] is not None and not r["reported"]:
            err("reported_by given but reported is false")
        if r["date"] is not None and not (isinstance(r["date"], str) and VALUE_RE["DATE"].match(r["date"])):
            err(f"bad date {r['date']!r}")
        if "date_mod" in r and r["date_mod"] not in MODS:
            err(f"unknown date_mod {r['date_mod']!r}")

        # The evidence sentence is not stored (the source texts' licences): rebuilt from the offsets.
        src, sentence = r["source"], ""
        if src.startswith(SEED_PREFIX):
            if not all(isinstance(r.get(k), int) for k in ("start", "end")):
                err("seed row needs integer start and end")
                continue
            text = srcs.text(src)
            if text is None:
                err(f"source not found: {srcs.root / src}")
                continue
            sentence = text[r["start"] : r["end"]]
            if not sentence.strip() or sentence != sentence.strip():
                err(f"sentence offsets {r['start']}:{r['end']} do not give a sentence")
            check_doc_date(src, r["doc_date"], text[:40], err)
        elif src.startswith(SPK_PREFIX):
            if not isinstance(r.get("sentence"), int):
                err("SpkAtt row needs an integer sentence")
                continue
            sents = srcs.sentences(src)
            if sents is None:
                err(f"source not found: {srcs.root / src}")
                continue
            toks = sents.get(r["sentence"])
            if toks is None:
                err(f"no sentence {r['sentence']} in {src}")
                continue
            sentence = " ".join(toks)
            check_doc_date(src, r["doc_date"], "", err)
        else:
            err(f"unknown source prefix: {src}")
            continue

        if not isinstance(r["trigger"], str) or r["trigger"] not in sentence:
            err(f"trigger {r['trigger']!r} not in the sentence")
        check_actor(r["actor"], "actor", sentence, kb_ids, err)
        check_actor(r["target"], "target", sentence, kb_ids, err)
        dt = r["date_text"]
        if dt is not None:
            where = srcs.doc_string(src) if r.get("date_context") else sentence
            if not isinstance(dt, str) or where is None or dt not in where:
                scope = "document" if r.get("date_context") else "sentence"
                err(f"date_text {dt!r} not found in the {scope}")
        if r["where"] is not None and not isinstance(r["where"], str):
            err("where must be null or a string")
    return [r for _, r in rows]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--data",
        type=Path,
        default=Path(os.environ.get("LAGEBILD_SHARED_DATA", REPO.parent / "shared" / "data")),
    )
    ap.add_argument("--timex", type=Path, default=HERE / "timex-gold.jsonl")
    ap.add_argument("--events", type=Path, default=HERE / "events-gold.jsonl")
    ap.add_argument("--kb", type=Path, default=REPO / "src" / "lagebild" / "kb" / "actors")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)

    if not (args.data / "seed-sample").is_dir() and not (args.data / "speaker-attribution-news").is_dir():
        print(f"skipped: source data not found under {args.data} (set --data or LAGEBILD_SHARED_DATA)")
        return 0

    kb_ids = load_kb_ids(args.kb)
    if not kb_ids:
        print(f"no KB actors found in {args.kb}", file=sys.stderr)
        return 1

    errors: list[str] = []
    srcs = Sources(args.data)
    timex = validate_timex(args.timex, srcs, errors)
    events = validate_events(args.events, srcs, kb_ids, errors)

    if not args.quiet:

        def src_kind(r: dict) -> str:
            return str(r.get("source", "")).split("/")[0]

        print(f"timex: {len(timex)} expressions in {len({r.get('source') for r in timex})} documents")
        print("  by source:", dict(collections.Counter(src_kind(r) for r in timex)))
        print("  by type:", dict(sorted(collections.Counter(r.get("type") for r in timex).items())))
        n_vague = sum(1 for r in timex if r.get("vague"))
        n_mod = sum(1 for r in timex if "mod" in r)
        n_anch = sum(1 for r in timex if r.get("anchor"))
        print(f"  vague {n_vague}, with mod {n_mod}, anchored {n_anch}")
        print(f"events: {len(events)} in {len({r.get('source') for r in events})} documents")
        print("  by source:", dict(collections.Counter(src_kind(r) for r in events)))
        print("  by type:", dict(sorted(collections.Counter(r.get("type") for r in events).items())))
        print("  by mode:", dict(sorted(collections.Counter(str(r.get("mode")) for r in events).items())))
        n_dated = sum(1 for r in events if r.get("date"))
        n_rep = sum(1 for r in events if r.get("reported"))
        n_plan = sum(1 for r in events if r.get("status") == "planned")
        print(f"  dated {n_dated}, reported {n_rep}, planned {n_plan}")
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
