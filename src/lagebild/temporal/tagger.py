"""Rule-based temporal tagger for German and English.

The rules are data (``lagebild/temporal/data/<lang>.toml``): regular expressions over word lists, each
naming the normaliser that turns its named groups into a value (:mod:`lagebild.temporal.normalize`).
Month and weekday names are those of the metadata rules (``lagebild/rules/<lang>.toml``).

All rules run over the text; overlapping matches are resolved longest-first (then by rule order), and
the survivors are normalised in text order, so anaphoric expressions ("im gleichen Jahr", "einen Tag
später") see the expression before them.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from lagebild.errors import ConfigError
from lagebild.model import Sentence, TimeExpression
from lagebild.rules import load_rules
from lagebild.temporal.normalize import HANDLERS, Anchor, Env, Lexicon, Norm, normalize

__all__ = ["TemporalRules", "load_temporal_rules", "tag_times", "sentence_bounds", "sentence_of", "LANGUAGES"]

LANGUAGES = ("de", "en")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_CALENDAR = re.compile(r"^\d{4}")


@dataclass(frozen=True)
class _Rule:
    name: str
    kind: str
    pattern: re.Pattern[str]
    trigger: re.Pattern[str] | None = None  # a cheap test: the rule runs only on texts it finds


@dataclass
class TemporalRules:
    language: str
    rules: list[_Rule]
    lexicon: Lexicon
    year_cues: re.Pattern[str]
    year_anticues: re.Pattern[str]
    year_follow: re.Pattern[str]
    duration_anticues: re.Pattern[str]
    year_follow_anti: re.Pattern[str]
    future: re.Pattern[str]


def _alternation(words: Sequence[str]) -> str:
    """Words as a regex alternation, longest first; spaces match any whitespace."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


def _cased(words: Sequence[str]) -> list[str]:
    # Month and weekday names are case-sensitive ("Mai", "MAI", not "mai"; "May", not "may").
    return [form for w in words for form in (w[:1].upper() + w[1:], w.upper())]


def _month_names(months: dict[str, int]) -> tuple[list[str], list[str]]:
    """All month names, and the full ones (no abbreviation that is a prefix of a longer name)."""
    full = [
        name
        for name, num in months.items()
        if not any(o != name and o.startswith(name) for o, n in months.items() if n == num)
        and (len(name) > 3 or all(len(o) <= 3 for o, n in months.items() if n == num))
    ]
    return list(months), full


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"bad pattern in {where}: {exc}") from exc


@lru_cache(maxsize=4)
def load_temporal_rules(language: str) -> TemporalRules:
    """The compiled rules for ``language`` ("de" or "en")."""
    if language not in LANGUAGES:
        raise ConfigError(f"no temporal rules for language {language!r} (have: {', '.join(LANGUAGES)})")
    path = resources.files("lagebild").joinpath(f"temporal/data/{language}.toml")
    where = f"temporal/data/{language}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: {exc}") from exc
    base = load_rules(language)
    months, full = _month_names(base.months)
    words: dict[str, dict[str, object]] = {
        table: {" ".join(k.casefold().split()): v for k, v in entries.items()}
        for table, entries in data.get("words", {}).items()
    }
    lexicon = Lexicon(words, dict(base.months), dict(base.weekdays))
    numbers = list(words.get("number", {}))
    fills = {
        "month": rf"(?:{_alternation(_cased(months))})(?:\.(?!\d))?",
        "month_full": _alternation(_cased(full)),
        "weekday": _alternation(_cased(list(base.weekdays))),
        "year": r"(?:1\d{3}|20\d{2})",
        "num": rf"(?:\d{{1,3}}|(?i:{_alternation(numbers)}))",
        **{table: _alternation(list(entries)) for table, entries in words.items()},
    }

    def expand(pattern: str, rule: str) -> str:
        def fill(m: re.Match[str]) -> str:
            if m.group(1) not in fills:
                raise ConfigError(f"{where} rule {rule!r}: unknown list {{{m.group(1)}}}")
            return fills[m.group(1)]

        return _PLACEHOLDER.sub(fill, pattern)

    rules: list[_Rule] = []
    for entry in data.get("rule", []):
        try:
            name, kind, pattern = entry["name"], entry["kind"], entry["pattern"]
        except KeyError as exc:
            raise ConfigError(f"{where}: every rule needs name, kind and pattern (missing {exc})") from exc
        if kind not in HANDLERS:
            raise ConfigError(f"{where} rule {name!r}: unknown kind {kind!r}")
        trigger = entry.get("trigger")
        rules.append(
            _Rule(
                name,
                kind,
                _compile(expand(pattern, name), f"{where} rule {name!r}"),
                _compile(expand(trigger, name), f"{where} rule {name!r} trigger") if trigger else None,
            )
        )

    def setting(key: str) -> re.Pattern[str]:
        return _compile(expand(str(data.get(key, "(?!)")), key), f"{where} {key}")

    return TemporalRules(
        language=language,
        rules=rules,
        lexicon=lexicon,
        year_cues=_compile(rf"(?i:{expand(str(data.get('year_cues', '(?!)')), 'year_cues')})\s*$", where),
        year_anticues=_compile(
            rf"(?i:{expand(str(data.get('year_anticues', '(?!)')), 'year_anticues')})\s*$", where
        ),
        year_follow=setting("year_follow"),
        duration_anticues=setting("duration_anticues"),
        year_follow_anti=setting("year_follow_anti"),
        future=setting("future_cues"),
    )


@dataclass
class _Candidate:
    start: int
    end: int
    order: int
    rule: _Rule
    groups: dict[str, str | None]


def sentence_bounds(text: str, sentences: Sequence[Sentence] | None) -> list[tuple[int, int]]:
    if sentences:
        return [(s.start, s.end) for s in sentences]
    bounds, start = [], 0
    for m in re.finditer(r"[.!?]+[\"“”»«]?\s+(?=[A-ZÄÖÜ\"„“«»(])|\n\s*\n", text):
        bounds.append((start, m.end()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


def sentence_of(bounds: list[tuple[int, int]], pos: int) -> int:
    lo, hi = 0, len(bounds) - 1
    while lo < hi:  # last sentence starting at or before pos
        mid = (lo + hi + 1) // 2
        if bounds[mid][0] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo


# The last text's candidates: the time stage tags a text twice (inferring the document date, then
# against it), and the candidates do not depend on the anchor.
_LAST: tuple[TemporalRules, str, list[_Candidate]] | None = None


def _candidates(text: str, rules: TemporalRules) -> list[_Candidate]:
    global _LAST
    if _LAST is not None and _LAST[0] is rules and _LAST[1] == text:
        return _LAST[2]
    found: list[_Candidate] = []
    for order, rule in enumerate(rules.rules):
        if rule.trigger is not None and rule.trigger.search(text) is None:
            continue
        for m in rule.pattern.finditer(text):
            key = "t" if m.groupdict().get("t") is not None else None
            key = key or next((k for k in ("t2",) if m.groupdict().get(k) is not None), None)
            start, end = m.span(key) if key else m.span()
            # Extents never begin or end with spaces or commas left over from a pattern.
            while start < end and text[start] in " \t\n,(":
                start += 1
            while end > start and text[end - 1] in " \t\n,":
                end -= 1
            if end > start:
                found.append(_Candidate(start, end, order, rule, m.groupdict()))
    _LAST = (rules, text, found)
    return found


class _Spans:
    """Disjoint spans, sorted: an overlap test and an insert in O(log n) each, so picking the
    non-overlapping candidates is not quadratic in their number."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, start: int, end: int) -> bool:
        # Among disjoint spans, the last one starting before ``end`` ends last of those: only it can overlap.
        k = bisect.bisect_left(self.starts, end) - 1
        return k < 0 or self.ends[k] <= start

    def add(self, start: int, end: int) -> None:
        k = bisect.bisect_left(self.starts, start)
        self.starts.insert(k, start)
        self.ends.insert(k, end)


def _env(rules: TemporalRules, anchor: Anchor, text: str, c: _Candidate) -> Env:
    return Env(
        lexicon=rules.lexicon,
        anchor=anchor,
        before=text[max(0, c.start - 40) : c.start],
        after=text[c.end : c.end + 40],
        year_cues=rules.year_cues,
        year_anticues=rules.year_anticues,
        year_follow=rules.year_follow,
        duration_anticues=rules.duration_anticues,
        year_follow_anti=rules.year_follow_anti,
    )


def tag_times(
    text: str, language: str, anchor: str | None, sentences: Sequence[Sentence] | None = None
) -> list[TimeExpression]:
    """Time expressions in ``text`` with values resolved against ``anchor`` (YYYY, YYYY-MM or YYYY-MM-DD).

    ``sentences`` (offsets into ``text``) set each expression's ``sentence`` index and the tense
    window for weekdays; without them a simple punctuation split is used. Languages other than
    German and English are tagged with the English rules.
    """
    rules = load_temporal_rules(language if language in LANGUAGES else "en")
    anc = Anchor.parse(anchor)
    accepted: list[tuple[_Candidate, Norm]] = []
    for c in _candidates(text, rules):
        norm = normalize(c.rule.kind, c.groups, _env(rules, anc, text, c))
        if norm is not None:
            accepted.append((c, norm))
    accepted.sort(key=lambda cn: (-(cn[0].end - cn[0].start), cn[0].order, cn[0].start))
    taken = _Spans()
    chosen: list[_Candidate] = []
    for c, _ in accepted:
        if taken.free(c.start, c.end):
            taken.add(c.start, c.end)
            chosen.append(c)
    chosen.sort(key=lambda c: c.start)

    bounds = sentence_bounds(text, sentences)
    result: list[TimeExpression] = []
    previous: Norm | None = None
    future: dict[int, bool] = {}  # per sentence, searched once however many expressions it holds
    for c in chosen:
        index = sentence_of(bounds, c.start)
        env = _env(rules, anc, text, c)
        if index not in future:
            s_start, s_end = bounds[index]
            future[index] = bool(rules.future.search(text[s_start:s_end]))
        env.future = future[index]
        env.previous = previous
        norm = normalize(c.rule.kind, c.groups, env)
        if norm is None:
            continue
        result.append(
            TimeExpression(
                start=c.start,
                end=c.end,
                text=text[c.start : c.end],
                type=norm.type,
                value=norm.value,
                anchor=norm.anchor,
                mod=norm.mod,
                vague=norm.vague,
                sentence=index,
            )
        )
        if norm.type in ("DATE", "TIME") and _CALENDAR.match(norm.value):
            previous = norm
    return result
