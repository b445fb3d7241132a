"""Rule-based quote extraction for German and English (and the fallback for other languages).

Works on a text's sentences as token lists and returns :class:`~lagebild.quotes.spkatt.Group`
attributions with document token indices, the same shape as the trained tagger's output, so both
can be scored with one evaluator. Constructions: direct quotes in any quotation marks (also spanning
sentences, interrupted by the attribution, or introduced by a colon), speech verb + dass/ob/w-clause
or comma + Konjunktiv clause, "laut X", "X zufolge", "nach Angaben von X", "so X", "wie X
mitteilte", English "X said (that)", "according to X", and Konjunktiv continuation sentences that
keep the previous source. Cue words live in ``data/cues.toml``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from lagebild.quotes.marks import quote_state
from lagebild.quotes.spkatt import Group

__all__ = ["extract_rules", "Cues", "cues"]

_ENDINGS = ("", "e", "t", "te", "ten", "en", "et", "ete", "eten", "st", "end", "ten")
_PUNCT = frozenset(",.:;!?–-—()„“”\"»«‚‘’'…")
_STOP_SOURCE = frozenset({",", ".", ":", ";", "!", "?", "(", ")", "–", "—"})
_TIME_WORDS = frozenset(
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


_ADVERBS = frozenset(
    ["Dann", "Daher", "Deshalb", "Darum", "Außerdem", "Zudem", "Dabei", "Darüber", "Insbesondere", "So", "Auch", "Nun", "Jetzt", "Später", "Weiter", "Abschließend", "Zuletzt", "Zuvor", "Danach", "Anschließend", "Dazu", "Hier", "Dort", "Heute", "Gestern", "Then", "Later", "Also"]
)
_EMPHASIS = frozenset({"*", "**", "_", "__"})
_LEAD = frozenset({"Wie", "wie", "As", "as", "So", "so", "Und", "Aber", "Doch", "But", "And", "of", "von"})
_NP_GLUE = frozenset({"von", "der", "des", "vom", "den", "dem", "für", "und", "of", "the", "and", "a", "an"})
_NP_STOP = frozenset(
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
_GERMAN_FUNCTION = frozenset(
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
        verbs.update(stem + e for e in _ENDINGS)
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


def _is_verb_cue(words: Sequence[str], i: int, c: Cues, end: int) -> list[int] | None:
    """Token indices of the cue at ``i`` (verb, plus its particle for particle verbs), or None."""
    w = words[i]
    if w not in c.verbs and w.lower() not in c.verbs:
        return None
    if w[0].isupper() and i > 0 and words[i - 1] not in _PUNCT and w.lower() not in c.verbs:
        return None  # a capitalised noun ("Sagen") mid-sentence
    if w in c.needs_particle:
        for j in range(i + 1, min(end, i + 12)):
            if words[j] in c.particles and (j + 1 >= end or words[j + 1] in _PUNCT):
                return [i, j]
        return None
    return [i]


def _strip(words: Sequence[str], idx: list[int]) -> list[int]:
    """Drop punctuation and time adverbs at the edges of a source span."""
    while idx and (words[idx[0]] in _PUNCT or words[idx[0]] in _TIME_WORDS or words[idx[0]] in _LEAD):
        idx = idx[1:]
    while idx and (words[idx[-1]] in _PUNCT or words[idx[-1]] in _TIME_WORDS):
        idx = idx[:-1]
    return idx


def _np_after(words: Sequence[str], start: int, end: int, limit: int = 8, english: bool = False) -> list[int]:
    """A noun phrase starting at ``start``: up to punctuation, a preposition or verb, or ``limit`` words.

    German nouns are capitalised, so a lower-case German word other than an article or "von" ends
    the phrase; English phrases ("the Russian president") end at a preposition or a verb cue.
    """
    out: list[int] = []
    for j in range(start, min(end, start + limit)):
        w = words[j]
        if w in _STOP_SOURCE or w in _TIME_WORDS or w.lower() in _NP_STOP:
            break
        if out and w[:1].islower() and w not in _NP_GLUE and not (english and _english_word(w)):
            break
        out.append(j)
    return _strip(words, out)


def _english_word(w: str) -> bool:
    # Lower-case words inside English noun phrases (adjectives, nouns): ASCII, not a German article.
    return w.isascii() and w.isalpha() and w not in _GERMAN_FUNCTION


def _inner_speaker(words: Sequence[str], start: int, end: int, c: Cues) -> tuple[list[int], list[int]] | None:
    """After a 'laut X' phrase: a speech verb right away and its subject ('lobte Xi Jinping')."""
    k = start + 1 if start < end and words[start] == "," else start
    if k < end:
        verb = _is_verb_cue(words, k, c, end)
        if verb:
            speaker = _np_after(
                words, max(verb) + 1 if len(verb) == 1 else k + 1, end, limit=4, english=c.english
            )
            if speaker:
                return verb, speaker
    return None


@dataclass
class _Sent:
    start: int
    end: int


def _group(form: str, message: list[int], cue: list[int], source: list[int]) -> Group:
    return Group(form=form, roles={"Message": sorted(message), "Cue": sorted(cue), "Source": sorted(source)})


def _direct(words: Sequence[str], sents: list[_Sent], c: Cues, taken: set[int]) -> list[Group]:
    state = quote_state(words)
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        if state[i] == 1:
            j = i
            while j < len(words) and state[j] != 3:
                j += 1
            inner = j - i - 1
            # Short quoted runs are titles or scare quotes ("rote Linie"), not statements, unless
            # an attribution follows ('„Es wurden“, sagte er, „…“').
            k = j + 2 if j + 1 < len(words) and words[j + 1] == "," else j + 1
            attributed = (
                k < len(words)
                and ("," in (words[j - 1], words[j + 1] if j + 1 < len(words) else ""))
                and (
                    words[k] == "so"
                    or any(_is_verb_cue(words, t, c, len(words)) for t in range(k, min(len(words), k + 4)))
                )
            )
            if (
                inner >= 5
                or (inner >= 3 and words[j - 1] in {".", "!", "?", "…"})
                or (inner >= 1 and attributed)
            ):
                runs.append((i, j))
            i = j
        i += 1
    sent_of = [0] * len(words)
    for k, s in enumerate(sents):
        for t in range(s.start, s.end):
            sent_of[t] = k
    groups: list[Group] = []
    last_source: list[int] = []
    last_sentence = -10
    for a, b in runs:
        message = list(range(a, b + 1))
        cue: list[int] = []
        source: list[int] = []
        s_after = sents[sent_of[b]]
        # After the quote: '", sagte X.' / '", X said.' / '", sagte er zu Y.'
        k = b + 1
        while k < s_after.end and words[k] in _EMPHASIS:  # '*"…"*, schlussfolgert RusStrat'
            k += 1
        if k < s_after.end and words[k] == ",":
            k += 1
        if k < s_after.end and words[k] in {"so", "so,"}:
            cue, source = [k], _np_after(words, k + 1, s_after.end, english=c.english)
        for j in range(k, min(s_after.end, k + 6) if not cue else k):
            found = _is_verb_cue(words, j, c, s_after.end)
            if found:
                cue = found
                if j == k:
                    source = _np_after(words, j + 1, s_after.end, english=c.english)
                else:
                    source = _strip(words, list(range(k, j)))
                break
        if not cue:
            # Before the quote: 'X sagte: "…"' in the same sentence or the sentence before.
            s_before = sents[sent_of[a]]
            scope = range(s_before.start, a)
            if a == s_before.start and sent_of[a] > 0:
                prev = sents[sent_of[a] - 1]
                scope = range(prev.start, prev.end) if words[prev.end - 1] == ":" else range(0)
            elif not (a > 0 and words[a - 1] == ":"):
                scope = range(0)
            for j in scope:
                found = _is_verb_cue(words, j, c, scope.stop)
                if found:
                    cue = found
                    source = _strip(words, list(range(scope.start, j)))
                    if len(source) == 1 and words[source[0]] in _ADVERBS:
                        source = []  # 'Dann betont das Institut:' — the subject follows the verb
                    if not source:
                        source = _np_after(words, j + 1, scope.stop, english=c.english)
                    break
        if not cue and a > 0 and words[a - 1] == ":" and scope:
            # 'Er fuhr fort: "…"' — any clause ending in a colon introduces the quote.
            cue = [a - 2] if a >= 2 and words[a - 2][:1].islower() else []
            source = _np_after(words, scope.start, a - 1, limit=6)
        if not cue and last_source and sent_of[a] - last_sentence <= 2:
            source = last_source  # a quote right after an attributed statement continues it
        if cue or source:
            last_source, last_sentence = source, sent_of[b]
        taken.update(range(a, b + 1))
        taken.update(cue)
        taken.update(source)
        # '„Es wurden“, sagte er, „nicht …“': the attribution between two runs makes them one quote.
        between = groups and any(max(groups[-1].message) < t < a for t in groups[-1].roles["Cue"])
        if between and not cue and groups[-1].roles["Source"] == source and a - max(groups[-1].message) <= 12:
            groups[-1].roles["Message"].extend(message)
            continue
        groups.append(_group("Direct", message, cue, source))
    return groups


def _indirect(words: Sequence[str], sents: list[_Sent], c: Cues, taken: set[int]) -> list[Group]:
    groups: list[Group] = []
    chain: list[int] | None = None  # the source of a reported statement, for Konjunktiv continuation
    for s in sents:
        idx = [i for i in range(s.start, s.end) if i not in taken]
        if len(idx) < 3:
            chain = None
            continue
        body_end = s.end - 1 if words[s.end - 1] in {".", "!", "?"} else s.end
        found: Group | None = None
        for i in idx:
            w = words[i]
            cue = _is_verb_cue(words, i, c, s.end)
            if cue and i + 1 < s.end:
                # 'X sagte am Montag, dass …': the clause may follow a few words later.
                comma_comp = next(
                    (
                        t
                        for t in range(max(cue) + 1, min(body_end - 1, max(cue) + 8))
                        if words[t] == "," and words[t + 1].lower() in c.complementizers
                    ),
                    None,
                )
                if comma_comp is not None and i > s.start:
                    src = _strip(words, list(range(s.start, i)))
                    found = _group("Indirect", list(range(comma_comp + 1, body_end)), cue, src)
                    break
                nxt = words[i + 1] if words[i + 1] != "," else (words[i + 2] if i + 2 < s.end else "")
                comp = words[i + 1] == "," and (
                    nxt in c.complementizers
                    or any(words[t] in c.subjunctive for t in range(i + 2, min(body_end, i + 6)))
                )
                if comp or nxt in c.complementizers:
                    # 'X sagte, dass …' / 'X said that …' / 'X sagte, man erwäge …'
                    m_start = i + 2 if words[i + 1] == "," else i + 1
                    found = _group(
                        "Indirect",
                        list(range(m_start, body_end)),
                        cue,
                        _strip(words, list(range(s.start, i))),
                    )
                    break
                back = next((t for t in range(i - 1, max(s.start, i - 6), -1) if words[t] == ","), None)
                if c.english and back is not None and back > s.start + 2 and max(cue) + 1 >= body_end:
                    # 'The talks had failed, the minister said.'
                    src = _strip(words, list(range(back + 1, i)))
                    found = _group("Indirect", list(range(s.start, back)), cue, src)
                    break
                if i > s.start and words[i - 1] == "," and i - 1 > s.start + 2:
                    # '…, sagte X.' / '…, X said.' — the statement comes first.
                    src = _np_after(words, max(cue) + 1, body_end, english=c.english) or _strip(
                        words, list(range(i + 1, body_end))
                    )
                    found = _group("Indirect", list(range(s.start, i - 1)), cue, src)
                    break
            for prep in c.prepositions:
                if tuple(w.lower() for w in words[i : i + len(prep)]) == prep:
                    src = _np_after(words, i + len(prep), body_end, english=c.english)
                    if src:
                        cue_idx = list(range(i, i + len(prep)))
                        rest = [t for t in range(s.start, body_end) if t not in cue_idx and t not in src]
                        rest = [t for t in rest if not (t == max(src) + 1 and words[t] == ",")]
                        found = _group("Indirect", rest, cue_idx, src)
                        inner = _inner_speaker(words, max(src) + 1, body_end, c)
                        if inner is not None:
                            # 'Laut CCTV lobte Xi …': Xi speaks, CCTV reports.
                            verb, speaker = inner
                            message = [t for t in rest if t not in verb and t not in speaker]
                            found = _group("Reported", message, verb, speaker)
                            found.roles["Reporter"] = src
                    break
            if found:
                break
            if w in c.nouns and i + 1 < body_end and words[i + 1] in {"des", "der", "von", "vom", "of"}:
                # 'die Erklärung des Ministeriums, dass …' / 'the warning of X that …'
                src = _np_after(words, i + 1, body_end, english=c.english)
                after = max(src) + 1 if src else i + 1
                clause = next(
                    (
                        t
                        for t in range(after, min(body_end, after + 3))
                        if words[t].lower() in c.complementizers
                    ),
                    None,
                )
                if src and clause is not None:
                    # The clause ends at the next comma: the sentence goes on after it.
                    stop = next((t for t in range(clause + 1, body_end) if words[t] == ","), body_end)
                    found = _group("Indirect", list(range(clause, stop)), [i], src)
                    break
            if w in c.postpositions and i > s.start:
                j = i - 1
                while j > s.start and words[j - 1] not in _STOP_SOURCE and i - j < 6:
                    if words[j - 1][:1].islower() and words[j - 1] not in _NP_GLUE:
                        break
                    j -= 1
                src = _strip(words, list(range(j, i)))
                rest = [t for t in range(s.start, body_end) if t not in src and t != i]
                found = _group("Indirect", rest, [i], src)
                break
            if w.lower() == "nach" and i + 1 < s.end and words[i + 1] in c.according_nouns:
                k = i + 2
                if k < s.end and words[k] in {"von", "des", "der", "vom"}:
                    k += 1
                src = _np_after(words, k, body_end)
                cue_idx = list(range(i, k))
                rest = [t for t in range(s.start, body_end) if t not in cue_idx and t not in src]
                found = _group("Indirect", rest, cue_idx, src)
                break
        if found is None and words[s.start] in {"Wie", "As"}:
            # 'Wie X mitteilte, …' / 'As X said, …'
            comma = next((t for t in range(s.start + 1, body_end) if words[t] == ","), None)
            if comma is not None:
                at = next(
                    (t for t in range(s.start + 1, comma) if _is_verb_cue(words, t, c, comma + 1)), None
                )
                if at is not None:
                    src = _strip(words, list(range(s.start + 1, at)))
                    cue_idx = [s.start, *(_is_verb_cue(words, at, c, comma + 1) or [at])]
                    found = _group("Indirect", list(range(comma + 1, body_end)), cue_idx, src)
        if found is None and body_end - 2 > s.start and ", so" in " ".join(words[s.start : s.end]):
            pos = [t for t in range(s.start, body_end - 1) if words[t] == "," and words[t + 1] == "so"]
            if pos:
                src = _np_after(words, pos[-1] + 2, body_end, english=c.english)
                if src:
                    found = _group("Indirect", list(range(s.start, pos[-1])), [pos[-1] + 1], src)
        if found is not None:
            groups.append(found)
            chain = found.roles["Source"] or None
            continue
        subj = any(words[i] in c.subjunctive for i in idx[:8])
        if chain is not None and subj:
            groups.append(_group("IndirectFreeIndirect", list(range(s.start, s.end)), [], chain))
        else:
            chain = None
    return groups


def extract_rules(
    sentences: Sequence[Sequence[str]], language: str = "de", direct_only: bool = False
) -> list[Group]:
    """Attributions found by the rules, as document token indices (``direct_only``: quotation marks only)."""
    words = [w for s in sentences for w in s]
    sents, pos = [], 0
    for s in sentences:
        sents.append(_Sent(pos, pos + len(s)))
        pos += len(s)
    c = cues(language)
    taken: set[int] = set()
    groups = _direct(words, sents, c, taken)
    if not direct_only:
        groups += _indirect(words, sents, c, taken)
    return sorted(groups, key=lambda g: min(g.message) if g.message else 0)
