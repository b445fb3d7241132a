"""Choose the speaker of a direct quote among the tagger's candidate spans with a learned ranker.

The tagger's source head marks source-like spans with near certainty but says nothing about which
quote each belongs to; :func:`lagebild.quotes.tagger.group_spans` then takes the span nearest the
cue. That fails where two candidates sit at the same distance ("Der Zeitung sagte Filep Karma:
„…“": the fronted addressee and the speaker after the verb) or where the tagger missed the local
pronoun and the nearest tagged span lies in an earlier sentence ("…, indem sie den Aufsichtsrat
zum Handeln aufforderte: „…“").

Here every candidate (tagged source and addressee spans, subject pronouns) of a quote with a cue
gets a feature vector (signed distance to the cue, sentence, position relative to the message,
pronoun, preposition before it, tagged as addressee, …) and a conditional-logit model picks one:
``score = w · features``, softmax over the quote's candidates. The weights are fitted on
SpkAtt-2023 **train** (``lagebild train quote-speakers``: gold cue and message, the shipped
tagger's spans as candidates, the gold source as the answer) and shipped as a small JSON file;
dev was used only to measure the result (BENCHMARKS.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from lagebild.errors import ConfigError
from lagebild.quotes.labels import decode_spans
from lagebild.quotes.spkatt import Doc, Group

__all__ = [
    "SourceChooser",
    "candidates",
    "features",
    "choose_sources",
    "examples",
    "fit",
    "Example",
    "WEIGHTS_FILE",
]

WEIGHTS_FILE = Path(__file__).with_name("data") / "source_choice.json"
SUBJECT_PRONOUNS = frozenset({"er", "sie", "ich", "wir"})
PREPOSITIONS = frozenset(
    {"laut", "nach", "von", "gegenüber", "mit", "bei", "an", "für", "aus", "vor", "in", "durch", "über"}
)
SENTENCES_BEFORE = 3  # how many sentences before the cue's a candidate may stand in

Span = tuple[int, int]  # start, end (exclusive) document token indices
Features = dict[str, float]
Example = tuple[list[Features], int]  # one quote's candidate features and the index of the right one


def _bucket(x: int, edges: Sequence[int]) -> int:
    return next((k for k, e in enumerate(edges) if x <= e), len(edges))


def candidates(
    words: Sequence[str],
    sent: Sequence[int],
    cue: Sequence[int],
    message: Sequence[int],
    spans: Iterable[Span],
    quoted: set[int],
) -> list[Span]:
    """Candidate source spans of one quote: ``spans`` (tagged sources and addressees) and subject
    pronouns in the cue's sentence or the one before, within ``SENTENCES_BEFORE`` sentences before
    a cue's sentence, outside the cue and every direct quote (SpkAtt train: no gold source lies in
    a quote), and not from a sentence after the message unless in a cue's sentence."""
    cue_sent = {sent[i] for i in cue}
    out = set(spans) | {
        (i, i + 1)
        for i, w in enumerate(words)
        if w.lower() in SUBJECT_PRONOUNS and (sent[i] in cue_sent or sent[i] + 1 in cue_sent)
    }
    last = sent[max(message)]
    return sorted(
        (s, e)
        for s, e in out
        if any(0 <= k - sent[s] <= SENTENCES_BEFORE for k in cue_sent)
        and not set(range(s, e)) & (set(cue) | quoted)
        and (sent[s] in cue_sent or sent[s] <= last)
    )


def features(
    words: Sequence[str],
    sent: Sequence[int],
    cue: Sequence[int],
    message: Sequence[int],
    form: str,
    span: Span,
    addressees: set[Span],
) -> Features:
    s, e = span
    c0, c1 = min(cue), max(cue)
    d = -(c0 - (e - 1)) if e - 1 < c0 else (s - c1 if s > c1 else 0)
    cue_sent = {sent[i] for i in cue}
    msg = set(message)
    m0, m1 = min(message), max(message)
    pronoun = e - s == 1 and words[s].lower() in SUBJECT_PRONOUNS
    before = words[s - 1].lower() if s > 0 else ""
    f: Features = {
        f"distance={_bucket(d, [-16, -8, -4, -2, -1, 0, 1, 3, 7, 15])}": 1.0,
        f"sentences_before={_bucket(min(cue_sent) - sent[s], [-2, -1, 0, 1, 2])}": 1.0,
        f"length={_bucket(e - s, [1, 3, 7])}": 1.0,
        "same_sentence": float(sent[s] in cue_sent),
        "after_message": float(s > m1),
        "before_message": float(e - 1 < m0),
        "in_message": float(any(i in msg for i in range(s, e))),
        "between_cue_and_message": float(min(c1, m1) < s and e - 1 < max(c0, m0)),
        "pronoun": float(pronoun),
        "pronoun_far": float(pronoun and abs(d) > 3),
        "capitalised": float(words[s][:1].isupper()),
        "after_preposition": float(before in PREPOSITIONS),
        "preposition_cue": float(before in PREPOSITIONS and s - 1 in cue),
        "zufolge": float(e < len(words) and words[e].lower() == "zufolge"),
        "addressee": float(span in addressees),
        "adjacent_after": float(d == 1),
        "adjacent_before": float(d == -1),
        "direct_before": float(form == "Direct" and d < 0),
        "direct_after": float(form == "Direct" and d > 0),
        "article_before_cue": float(words[s].lower() in ("der", "dem", "den") and d < 0),
    }
    return f


def examples(docs: Sequence[Doc], tags: Sequence[Mapping[str, Sequence[str]]]) -> list[Example]:
    """Training examples: per non-nested gold Direct or Indirect attribution with a cue and a source,
    the features of its candidates (``tags``: each document's tagger Source and Addr tags) and the
    index of the gold source; attributions whose gold source is not exactly one of 2+ candidates
    teach nothing and are left out."""
    out: list[Example] = []
    for d, t in zip(docs, tags, strict=True):
        sent = [k for k, s in enumerate(d.sentences) for _ in s]
        gold = [g for g in d.groups if not g.nested]
        options = _Options(d.tokens, sent, t, gold)
        for g in gold:
            source = set(g.roles.get("Source", []))
            if g.form not in ("Direct", "Indirect") or not g.roles.get("Cue") or not source or not g.message:
                continue
            spans, feats = options.of(g)
            right = [k for k, (s, e) in enumerate(spans) if set(range(s, e)) == source]
            if len(right) == 1 and len(spans) > 1:
                out.append((feats, right[0]))
    return out


class _Options:
    """Candidates and their features for the attributions of one document, built the same way for
    training (gold attributions) and at run time (the tagger's)."""

    def __init__(
        self,
        words: Sequence[str],
        sent: Sequence[int],
        tags: Mapping[str, Sequence[str]],
        groups: Sequence[Group],
    ):
        self.words, self.sent = words, sent
        self.addressees = {(s, e) for s, e, _ in decode_spans(tags["Addr"])}
        self.spans = [(s, e) for s, e, _ in decode_spans(tags["Source"])] + sorted(self.addressees)
        self.quoted = set().union(*(set(g.message) for g in groups if g.form == "Direct"))

    def of(self, g: Group) -> tuple[list[Span], list[Features]]:
        cue = g.roles.get("Cue", [])
        spans = candidates(self.words, self.sent, cue, g.message, self.spans, self.quoted)
        feats = [
            features(self.words, self.sent, cue, g.message, g.form or "", sp, self.addressees) for sp in spans
        ]
        return spans, feats


def fit(
    examples: Sequence[Example], epochs: int = 200, lr: float = 0.5, l2: float = 1e-3
) -> dict[str, float]:
    """Conditional-logit weights (full-batch gradient descent on the mean negative log likelihood)."""
    if not examples:
        raise ConfigError("source_choice", "no training examples")
    names = sorted({k for fs, _ in examples for f in fs for k in f})
    mats = [(np.array([[f.get(n, 0.0) for n in names] for f in fs]), y) for fs, y in examples]
    w = np.zeros(len(names))
    for _ in range(epochs):
        grad = np.zeros_like(w)
        for m, y in mats:
            z = m @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            grad += m.T @ p - m[y]
        w -= lr * (grad / len(mats) + l2 * w)
    return {n: round(float(v), 4) for n, v in zip(names, w, strict=True)}


class SourceChooser:
    def __init__(self, weights: Mapping[str, float]):
        self.weights = dict(weights)

    @classmethod
    def load(cls, path: str | Path = WEIGHTS_FILE) -> SourceChooser:
        try:
            return cls(json.loads(Path(path).read_text(encoding="utf-8"))["weights"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(str(path), f"not a source-choice weight file ({exc})") from exc

    def score(self, f: Features) -> float:
        return sum(self.weights.get(k, 0.0) * v for k, v in f.items())

    def best(self, options: Sequence[Features]) -> int:
        scores = [self.score(f) for f in options]
        return scores.index(max(scores))


@lru_cache(maxsize=1)
def _shipped() -> SourceChooser:
    return SourceChooser.load()


def choose_sources(
    groups: Sequence[Group],
    tags: Mapping[str, Sequence[str]],
    words: Sequence[str],
    sent: Sequence[int],
    chooser: SourceChooser | None = None,
) -> list[Group]:
    """Give each direct quote that has a cue and a source the candidate the ranker scores highest.
    (Quotes without a source keep none: filling one in gained nothing on dev, 2026-12-07.)"""
    chooser = chooser or _shipped()
    options = _Options(words, sent, tags, groups)
    for g in groups:
        if g.form != "Direct" or not g.roles.get("Cue") or not g.roles.get("Source") or not g.message:
            continue
        spans, feats = options.of(g)
        if spans:
            s, e = spans[chooser.best(feats)]
            g.roles["Source"] = list(range(s, e))
    return list(groups)
