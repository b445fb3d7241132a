"""Cue words and phrase helpers shared by the rule-based quote extractors.

The lexicon itself is data (``data/cues.toml``); this module loads it and provides the small
token-level helpers the rules use: is a token a speech-verb cue, where does a source noun phrase end.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from lagebild.quotes.spkatt import Group

__all__ = [
    "Cues",
    "cues",
    "is_verb_cue",
    "strip_edges",
    "np_after",
    "inner_speaker",
    "Sent",
    "make_group",
    "PUNCT",
    "STOP_SOURCE",
    "EMPHASIS",
    "ADVERBS",
    "NP_GLUE",
]

ENDINGS = ("", "e", "t", "te", "ten", "en", "et", "ete", "eten", "st", "end", "ten")
PUNCT = frozenset(",.:;!?–-—()„“”\"»«‚‘’'…")
STOP_SOURCE = frozenset({",", ".", ":", ";", "!", "?", "(", ")", "–", "—"})
TIME_WORDS = frozenset(
    [
        "gestern",
        "heute",
        "kürzlich",
        "jüngst",
        "zuletzt",
        "am",
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
        "Sonntag",
        "bereits",
        "nun",
        "auch",
        "außerdem",
        "zudem",
        "dazu",
        "dabei",
        "jetzt",
        "erneut",
        "weiter",
        "ebenfalls",
        "yesterday",
        "today",
        "on",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "also",
        "later",
        "earlier",
    ]
)


ADVERBS = frozenset(
    [
        "Dann",
        "Daher",
        "Deshalb",
        "Darum",
        "Außerdem",
        "Zudem",
        "Dabei",
        "Darüber",
        "Insbesondere",
        "So",
        "Auch",
        "Nun",
        "Jetzt",
        "Später",
        "Weiter",
        "Abschließend",
        "Zuletzt",
        "Zuvor",
        "Danach",
        "Anschließend",
        "Dazu",
        "Hier",
        "Dort",
        "Heute",
        "Gestern",
        "Then",
        "Later",
        "Also",
    ]
)
EMPHASIS = frozenset({"*", "**", "_", "__"})
LEAD = frozenset({"Wie", "wie", "As", "as", "So", "so", "Und", "Aber", "Doch", "But", "And", "of", "von"})
NP_GLUE = frozenset({"von", "der", "des", "vom", "den", "dem", "für", "und", "of", "the", "and", "a", "an"})
NP_STOP = frozenset(
    [
        "on",
        "in",
        "at",
        "to",
        "from",
        "with",
        "about",
        "after",
        "before",
        "during",
        "at",
        "for",
        "by",
        "im",
        "am",
        "zu",
        "gegenüber",
        "bei",
        "nach",
        "vor",
        "mit",
        "über",
        "in",
        "auf",
        "während",
        "wegen",
        "that",
        "said",
        "says",
        "told",
        "warned",
        "added",
    ]
)
GERMAN_FUNCTION = frozenset(
    [
        "die",
        "das",
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
        "eines",
        "sich",
        "sei",
        "habe",
        "hat",
        "ist",
        "war",
        "wird",
        "wurde",
        "nicht",
        "auch",
        "noch",
        "sagte",
        "erklärte",
        "er",
        "sie",
        "es",
        "man",
        "wir",
        "ich",
    ]
)


@dataclass(frozen=True)
class Cues:
    verbs: frozenset[str]
    needs_particle: frozenset[str]
    particles: frozenset[str]
    complementizers: frozenset[str]
    prepositions: tuple[tuple[str, ...], ...]
    postpositions: frozenset[str]
    according_nouns: frozenset[str]
    subjunctive: frozenset[str]
    nouns: frozenset[str]
    english: bool


@lru_cache(maxsize=4)
def cues(language: str) -> Cues:
    data = tomllib.loads(resources.files("lagebild.quotes").joinpath("data/cues.toml").read_text("utf-8"))
    lang = data["en" if language == "en" else "de"]
    verbs = set(lang.get("irregular", [])) | set(lang.get("verbs", []))
    for stem in lang.get("verb_stems", []):
        verbs.update(stem + e for e in ENDINGS)
    return Cues(
        verbs=frozenset(verbs),
        needs_particle=frozenset(lang.get("needs_particle", [])),
        particles=frozenset(lang.get("particles", [])),
        complementizers=frozenset(lang.get("complementizers", [])),
        prepositions=tuple(tuple(p.split()) for p in lang.get("prepositions", [])),
        postpositions=frozenset(lang.get("postpositions", [])),
        according_nouns=frozenset(lang.get("according_nouns", [])),
        subjunctive=frozenset(lang.get("subjunctive_aux", [])),
        nouns=frozenset(lang.get("nouns", [])),
        english=language == "en",
    )


def is_verb_cue(words: Sequence[str], i: int, c: Cues, end: int) -> list[int] | None:
    """Token indices of the cue at ``i`` (verb, plus its particle for particle verbs), or None."""
    w = words[i]
    if w not in c.verbs and w.lower() not in c.verbs:
        return None
    if w[0].isupper() and i > 0 and words[i - 1] not in PUNCT and w.lower() not in c.verbs:
        return None  # a capitalised noun ("Sagen") mid-sentence
    if w in c.needs_particle:
        for j in range(i + 1, min(end, i + 12)):
            if words[j] in c.particles and (j + 1 >= end or words[j + 1] in PUNCT):
                return [i, j]
        return None
    return [i]


def strip_edges(words: Sequence[str], idx: list[int]) -> list[int]:
    """Drop punctuation and time adverbs at the edges of a source span."""
    while idx and (words[idx[0]] in PUNCT or words[idx[0]] in TIME_WORDS or words[idx[0]] in LEAD):
        idx = idx[1:]
    while idx and (words[idx[-1]] in PUNCT or words[idx[-1]] in TIME_WORDS):
        idx = idx[:-1]
    return idx


def np_after(words: Sequence[str], start: int, end: int, limit: int = 8, english: bool = False) -> list[int]:
    """A noun phrase starting at ``start``: up to punctuation, a preposition or verb, or ``limit`` words.

    German nouns are capitalised, so a lower-case German word other than an article or "von" ends
    the phrase; English phrases ("the Russian president") end at a preposition or a verb cue.
    """
    out: list[int] = []
    for j in range(start, min(end, start + limit)):
        w = words[j]
        if w in STOP_SOURCE or w in TIME_WORDS or w.lower() in NP_STOP:
            break
        if out and w[:1].islower() and w not in NP_GLUE and not (english and english_word(w)):
            break
        out.append(j)
    return strip_edges(words, out)


def english_word(w: str) -> bool:
    # Lower-case words inside English noun phrases (adjectives, nouns): ASCII, not a German article.
    return w.isascii() and w.isalpha() and w not in GERMAN_FUNCTION


def inner_speaker(words: Sequence[str], start: int, end: int, c: Cues) -> tuple[list[int], list[int]] | None:
    """After a 'laut X' phrase: a speech verb right away and its subject ('lobte Xi Jinping')."""
    k = start + 1 if start < end and words[start] == "," else start
    if k < end:
        verb = is_verb_cue(words, k, c, end)
        if verb:
            speaker = np_after(
                words, max(verb) + 1 if len(verb) == 1 else k + 1, end, limit=4, english=c.english
            )
            if speaker:
                return verb, speaker
    return None


@dataclass
class Sent:
    start: int
    end: int


def make_group(form: str, message: list[int], cue: list[int], source: list[int]) -> Group:
    return Group(form=form, roles={"Message": sorted(message), "Cue": sorted(cue), "Source": sorted(source)})


def cites(word: str) -> bool:
    """A form of "zitieren": the quote it introduces is someone else's, passed on ("X zitiert Y: …")."""
    return "zitier" in word.lower()
