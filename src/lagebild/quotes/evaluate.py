"""Score speaker attribution the way SpkAtt-2023 task 2 does.

Per document, system and gold attributions are paired by the token overlap (F1) of their
messages; the official scorer uses an optimal assignment, we pair greedily by descending overlap,
which gives the same pairs whenever a message overlaps at most one message on the other side (the
normal case: messages in one document rarely overlap). Then every role's tokens are counted as
true positives (in both), false positives (system only) and false negatives (gold only);
unpaired attributions count all their tokens as false positives / negatives. Scores: precision,
recall and F1 per role and micro-averaged over roles, overall and per gold ``Form`` (an unpaired
system attribution counts under its own form). Nested annotations are left out on both sides, as in
the task's simplified setting: the official scorer (SpkAtt-2023 ``eval/classes.py``, subtrack 2) drops
gold and system annotations flagged ``IsNested``, so a system that recognises a nested attribution
("Die Zeitung zitiert einen Augenzeugen mit den Worten: „…“") keeps it out of the count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lagebild.quotes.spkatt import Doc, Group

__all__ = ["Counts", "Scores", "score", "format_scores", "source_errors", "SCORED_ROLES"]

SCORED_ROLES = ("Cue", "Source", "Message")


@dataclass
class Counts:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)

    def add(self, role: str, gold: Sequence[int], system: Sequence[int]) -> None:
        g, s = set(gold), set(system)
        self.tp[role] += len(g & s)
        self.fp[role] += len(s - g)
        self.fn[role] += len(g - s)

    def prf(self, roles: Iterable[str]) -> tuple[float, float, float]:
        roles = list(roles)
        tp = sum(self.tp[r] for r in roles)
        fp = sum(self.fp[r] for r in roles)
        fn = sum(self.fn[r] for r in roles)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Scores:
    overall: Counts = field(default_factory=Counts)
    by_form: dict[str, Counts] = field(default_factory=dict)
    groups: Counter[str] = field(default_factory=Counter)  # gold / system / paired counts

    def form(self, name: str | None) -> Counts:
        return self.by_form.setdefault(name or "None", Counts())


def _overlap(a: Sequence[int], b: Sequence[int]) -> float:
    both = len(set(a) & set(b))
    return 2 * both / (len(set(a)) + len(set(b))) if both else 0.0


def pair(system: Sequence[Group], gold: Sequence[Group]) -> list[tuple[int, int]]:
    """(system index, gold index) pairs, greedily by message overlap; ties prefer the same form."""
    candidates = []
    for i, s in enumerate(system):
        for j, g in enumerate(gold):
            ov = _overlap(s.message, g.message)
            if ov > 0:
                candidates.append((ov + (0.01 if s.form == g.form else 0.0), i, j))
    used_s, used_g, pairs = set(), set(), []
    for _, i, j in sorted(candidates, reverse=True):
        if i not in used_s and j not in used_g:
            used_s.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def score(docs: Iterable[tuple[Sequence[Group], Sequence[Group]]]) -> Scores:
    """``docs``: per document (system groups, gold groups)."""
    out = Scores()
    for system_all, gold_all in docs:
        gold = [g for g in gold_all if not g.nested]
        system = [s for s in system_all if not s.nested]
        out.groups["gold"] += len(gold)
        out.groups["system"] += len(system)
        pairs = pair(system, gold)
        out.groups["paired"] += len(pairs)
        matched: list[tuple[Group | None, Group | None]] = [(system[i], gold[j]) for i, j in pairs]
        matched += [(system[i], None) for i in set(range(len(system))) - {i for i, _ in pairs}]
        matched += [(None, gold[j]) for j in set(range(len(gold))) - {j for _, j in pairs}]
        for s, g in matched:
            form = out.form(g.form if g is not None else s.form if s is not None else None)
            for role in SCORED_ROLES:
                gold_tokens = g.roles.get(role, []) if g is not None else []
                sys_tokens = s.roles.get(role, []) if s is not None else []
                out.overall.add(role, gold_tokens, sys_tokens)
                form.add(role, gold_tokens, sys_tokens)
    return out


def source_errors(system: Sequence[Sequence[Group]], docs: Sequence[Doc], form: str) -> dict[str, list[int]]:
    """Where ``form``'s Source tokens are lost: per kind of outcome [attributions, FP tokens, FN tokens].

    Kinds: paired attributions with the same source (exact), overlapping (partial), disjoint (wrong),
    none found (missed) or found where gold has none (gold has none); unpaired gold (message missed);
    unpaired system attributions, split by whether their message overlaps a nested gold annotation
    (real quotes that the non-nested scoring leaves out, e.g. "X zitiert Y mit den Worten: …").
    """
    out: dict[str, list[int]] = {}

    def add(kind: str, fp: int, fn: int) -> None:
        row = out.setdefault(kind, [0, 0, 0])
        row[0], row[1], row[2] = row[0] + 1, row[1] + fp, row[2] + fn

    for groups_all, doc in zip(system, docs, strict=True):
        groups = [s for s in groups_all if not s.nested]
        gold = [g for g in doc.groups if not g.nested]
        nested = [set(g.message) for g in doc.groups if g.nested]
        pairs = pair(groups, gold)
        for i, j in pairs:
            if gold[j].form != form:
                continue
            g, s = set(gold[j].roles.get("Source", [])), set(groups[i].roles.get("Source", []))
            kind = (
                "exact"
                if g == s
                else "gold has none"
                if not g
                else "missed"
                if not s
                else "partial"
                if g & s
                else "wrong"
            )
            add(kind, len(s - g), len(g - s))
        for j in set(range(len(gold))) - {j for _, j in pairs}:
            if gold[j].form == form:
                add("gold unpaired", 0, len(gold[j].roles.get("Source", [])))
        for i in set(range(len(groups))) - {i for i, _ in pairs}:
            if groups[i].form == form:
                inside = any(set(groups[i].message) & m for m in nested)
                kind = "system unpaired, nested gold" if inside else "system unpaired"
                add(kind, len(groups[i].roles.get("Source", [])), 0)
    return out


def format_scores(scores: Scores) -> str:
    lines = [f"{'':22} {'P':>6} {'R':>6} {'F1':>6}"]

    def block(name: str, counts: Counts) -> None:
        for role in SCORED_ROLES:
            p, r, f = counts.prf([role])
            lines.append(f"{name + ' ' + role:22} {p:6.3f} {r:6.3f} {f:6.3f}")
        p, r, f = counts.prf(SCORED_ROLES)
        lines.append(f"{name + ' micro':22} {p:6.3f} {r:6.3f} {f:6.3f}")

    block("all", scores.overall)
    for form in sorted(scores.by_form):
        block(form, scores.by_form[form])
    g = scores.groups
    lines.append(f"attributions: gold {g['gold']}, system {g['system']}, paired {g['paired']}")
    return "\n".join(lines)
