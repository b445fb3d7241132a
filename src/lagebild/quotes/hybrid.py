"""Combine the tagger's attributions with the rules' direct quotes.

Quotation marks delimit a direct quote exactly; the tagger sometimes cuts a long quote into pieces or
stops short of a closing mark. So every quoted run the rules accept becomes one message: tagger
attributions overlapping it are merged into it (keeping their cue and source, else the rules'), and
an attributed run the tagger missed is added.
"""

from __future__ import annotations

from collections.abc import Sequence

from lagebild.quotes.marks import is_quote_token
from lagebild.quotes.spkatt import Group

__all__ = ["merge_direct", "drop_scare_quotes"]


def merge_direct(tagged: Sequence[Group], direct: Sequence[Group]) -> list[Group]:
    out = list(tagged)
    for rule in direct:
        run = set(rule.message)
        touching = [g for g in out if run & set(g.message)]
        overlapping = [g for g in touching if g.form == "Direct"]
        if not touching:
            if rule.roles.get("Cue") or rule.roles.get("Source"):
                out.append(Group("Direct", {**rule.roles, "Addr": []}))
            continue
        if not overlapping:
            inside = [g for g in touching if run <= set(g.message)]
            if inside and not rule.roles.get("Cue"):
                continue  # a quoted phrase inside an indirect statement stays part of it
            if inside:
                # An attributed quote ('"…", schlussfolgert RusStrat') inside an over-long statement
                # splits it: what precedes the quote, the quote, what follows its attribution.
                attribution = run | set(rule.roles.get("Cue", [])) | set(rule.roles.get("Source", []))
                for g in inside:
                    out.remove(g)
                    before = [t for t in g.message if t < min(run)]
                    after = [t for t in g.message if t > max(attribution)]
                    if before:
                        out.append(Group(g.form, {**g.roles, "Message": before}))
                    if after:
                        out.append(Group(g.form, {"Message": after, "Cue": [], "Source": [], "Addr": []}))
                out.append(Group("Direct", {**rule.roles, "Addr": []}))
                continue
            # A quote that only overlaps a neighbouring statement is a statement of its own.
            for g in touching:
                g.roles["Message"] = [t for t in g.message if t not in run]
            out = [g for g in out if g.message]
            if rule.roles.get("Cue") or rule.roles.get("Source"):
                out.append(Group("Direct", {**rule.roles, "Addr": []}))
            continue
        roles: dict[str, set[int]] = {"Message": set(run), "Cue": set(), "Source": set(), "Addr": set()}
        for g in overlapping:
            out.remove(g)
            for role in roles:
                roles[role] |= set(g.roles.get(role, []))
        for role in ("Cue", "Source"):
            if not roles[role]:
                roles[role] = set(rule.roles.get(role, []))
        out.append(Group("Direct", {r: sorted(v) for r, v in roles.items()}))
    return sorted(out, key=lambda g: min(g.message) if g.message else 0)


def drop_scare_quotes(groups: Sequence[Group], words: Sequence[str]) -> list[Group]:
    """Drop direct "quotes" of a single word without a speech cue: a scare quote or a name in marks
    ('den „Alarmzustand“', 'der Dienst „Wikiasari“'), not a statement, even when a source is near;
    and any statement whose message holds nothing but quotation marks."""
    out = []
    for g in groups:
        inner = [i for i in g.message if i < len(words) and not is_quote_token(words[i])]
        if g.form == "Direct" and not g.roles.get("Cue") and len(inner) <= 1:
            continue
        if not inner:  # a quotation mark left over when a quote was split off: no statement at all
            continue
        out.append(g)
    return out
