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

from collections.abc import Sequence

from lagebild.quotes.lexicon import (
    ADVERBS,
    EMPHASIS,
    NP_GLUE,
    STOP_SOURCE,
    Cues,
    Sent,
    cites,
    cues,
    inner_speaker,
    is_verb_cue,
    make_group,
    np_after,
    strip_edges,
)
from lagebild.quotes.marks import quote_state
from lagebild.quotes.spkatt import Group

__all__ = ["extract_rules", "cues"]

_FINAL = frozenset({".", "!", "?"})
_PASSIVE_AUX = frozenset({"wird", "wurde", "werden", "wurden"})


def _direct(words: Sequence[str], sents: list[Sent], c: Cues, taken: set[int]) -> list[Group]:
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
                    or any(is_verb_cue(words, t, c, len(words)) for t in range(k, min(len(words), k + 4)))
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
        reporter: list[int] = []
        s_after = sents[sent_of[b]]
        # After the quote: '", sagte X.' / '", X said.' / '", sagte er zu Y.'
        k = b + 1
        while k < s_after.end and words[k] in EMPHASIS:  # '*"…"*, schlussfolgert RusStrat'
            k += 1
        if k < s_after.end and words[k] == ",":
            k += 1
        if k < s_after.end and words[k] in {"so", "so,"}:
            cue, source = [k], np_after(words, k + 1, s_after.end, english=c.english)
        for j in range(k, min(s_after.end, k + 6) if not cue else k):
            found = is_verb_cue(words, j, c, s_after.end)
            if found:
                cue = found
                if j == k:
                    source = np_after(words, j + 1, s_after.end, english=c.english)
                else:
                    source = strip_edges(words, list(range(k, j)))
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
                found = is_verb_cue(words, j, c, scope.stop)
                if found:
                    cue = found
                    source = strip_edges(words, list(range(scope.start, j)))
                    # 'X wird in einer Erklärung mit den Worten zitiert:' — the subject ends at the auxiliary
                    aux = [t for t in source if words[t].lower() in _PASSIVE_AUX]
                    if aux:
                        source = strip_edges(words, [t for t in source if t < aux[0]])
                    if len(source) == 1 and words[source[0]] in ADVERBS:
                        source = []  # 'Dann betont das Institut:' — the subject follows the verb
                    cited = np_after(words, j + 1, scope.stop) if cites(words[j]) else []
                    if cited and source:
                        # 'Die Zeitung zitiert einen Augenzeugen mit den Worten:' — the one cited speaks
                        reporter, source = source, cited
                    if not source:
                        source = np_after(words, j + 1, scope.stop, english=c.english)
                    break
        if not cue and a > 0 and words[a - 1] == ":" and scope:
            # 'Er fuhr fort: "…"' — any clause ending in a colon introduces the quote.
            cue = [a - 2] if a >= 2 and words[a - 2][:1].islower() else []
            source = np_after(words, scope.start, a - 1, limit=6)
        if not cue and last_source and sent_of[a] - last_sentence <= 2:
            source = last_source  # a quote right after an attributed statement continues it
        if cue or source:
            last_source, last_sentence = source, sent_of[b]
        taken.update(range(a, b + 1))
        taken.update(cue)
        taken.update(source)
        # '„Es wurden“, sagte er, „nicht …“': the attribution between two runs makes them one quote,
        # but not one that ends its sentence ('„…“, so X. „…“'; SpkAtt train: 7 of 7 such runs that
        # these rules joined are two gold attributions).
        end = max(groups[-1].message) if groups else -1
        between = groups and any(end < t < a for t in groups[-1].roles["Cue"])
        one_sentence = (
            groups and sent_of[a] == sent_of[end] and not any(words[t] in _FINAL for t in range(end, a))
        )
        if between and one_sentence and not cue and groups[-1].roles["Source"] == source and a - end <= 12:
            groups[-1].roles["Message"].extend(message)
            continue
        groups.append(make_group("Direct", message, cue, source))
        if reporter:
            groups[-1].roles["Reporter"] = reporter
    return groups


def _indirect(words: Sequence[str], sents: list[Sent], c: Cues, taken: set[int]) -> list[Group]:
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
            cue = is_verb_cue(words, i, c, s.end)
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
                    src = strip_edges(words, list(range(s.start, i)))
                    found = make_group("Indirect", list(range(comma_comp + 1, body_end)), cue, src)
                    break
                nxt = words[i + 1] if words[i + 1] != "," else (words[i + 2] if i + 2 < s.end else "")
                comp = words[i + 1] == "," and (
                    nxt in c.complementizers
                    or any(words[t] in c.subjunctive for t in range(i + 2, min(body_end, i + 6)))
                )
                if comp or nxt in c.complementizers:
                    # 'X sagte, dass …' / 'X said that …' / 'X sagte, man erwäge …'
                    m_start = i + 2 if words[i + 1] == "," else i + 1
                    found = make_group(
                        "Indirect",
                        list(range(m_start, body_end)),
                        cue,
                        strip_edges(words, list(range(s.start, i))),
                    )
                    break
                back = next((t for t in range(i - 1, max(s.start, i - 6), -1) if words[t] == ","), None)
                if c.english and back is not None and back > s.start + 2 and max(cue) + 1 >= body_end:
                    # 'The talks had failed, the minister said.'
                    src = strip_edges(words, list(range(back + 1, i)))
                    found = make_group("Indirect", list(range(s.start, back)), cue, src)
                    break
                if i > s.start and words[i - 1] == "," and i - 1 > s.start + 2:
                    # '…, sagte X.' / '…, X said.' — the statement comes first.
                    src = np_after(words, max(cue) + 1, body_end, english=c.english) or strip_edges(
                        words, list(range(i + 1, body_end))
                    )
                    found = make_group("Indirect", list(range(s.start, i - 1)), cue, src)
                    break
            for prep in c.prepositions:
                if tuple(w.lower() for w in words[i : i + len(prep)]) == prep:
                    src = np_after(words, i + len(prep), body_end, english=c.english)
                    if src:
                        cue_idx = list(range(i, i + len(prep)))
                        rest = [t for t in range(s.start, body_end) if t not in cue_idx and t not in src]
                        rest = [t for t in rest if not (t == max(src) + 1 and words[t] == ",")]
                        found = make_group("Indirect", rest, cue_idx, src)
                        inner = inner_speaker(words, max(src) + 1, body_end, c)
                        if inner is not None:
                            # 'Laut CCTV lobte Xi …': Xi speaks, CCTV reports.
                            verb, speaker = inner
                            message = [t for t in rest if t not in verb and t not in speaker]
                            found = make_group("Reported", message, verb, speaker)
                            found.roles["Reporter"] = src
                    break
            if found:
                break
            if w in c.nouns and i + 1 < body_end and words[i + 1] in {"des", "der", "von", "vom", "of"}:
                # 'die Erklärung des Ministeriums, dass …' / 'the warning of X that …'
                src = np_after(words, i + 1, body_end, english=c.english)
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
                    found = make_group("Indirect", list(range(clause, stop)), [i], src)
                    break
            if w in c.postpositions and i > s.start:
                j = i - 1
                while j > s.start and words[j - 1] not in STOP_SOURCE and i - j < 6:
                    if words[j - 1][:1].islower() and words[j - 1] not in NP_GLUE:
                        break
                    j -= 1
                src = strip_edges(words, list(range(j, i)))
                rest = [t for t in range(s.start, body_end) if t not in src and t != i]
                found = make_group("Indirect", rest, [i], src)
                break
            if w.lower() == "nach" and i + 1 < s.end and words[i + 1] in c.according_nouns:
                k = i + 2
                if k < s.end and words[k] in {"von", "des", "der", "vom"}:
                    k += 1
                src = np_after(words, k, body_end)
                cue_idx = list(range(i, k))
                rest = [t for t in range(s.start, body_end) if t not in cue_idx and t not in src]
                found = make_group("Indirect", rest, cue_idx, src)
                break
        if found is None and words[s.start] in {"Wie", "As"}:
            # 'Wie X mitteilte, …' / 'As X said, …'
            comma = next((t for t in range(s.start + 1, body_end) if words[t] == ","), None)
            if comma is not None:
                at = next((t for t in range(s.start + 1, comma) if is_verb_cue(words, t, c, comma + 1)), None)
                if at is not None:
                    src = strip_edges(words, list(range(s.start + 1, at)))
                    cue_idx = [s.start, *(is_verb_cue(words, at, c, comma + 1) or [at])]
                    found = make_group("Indirect", list(range(comma + 1, body_end)), cue_idx, src)
        if found is None and body_end - 2 > s.start and ", so" in " ".join(words[s.start : s.end]):
            pos = [t for t in range(s.start, body_end - 1) if words[t] == "," and words[t + 1] == "so"]
            if pos:
                src = np_after(words, pos[-1] + 2, body_end, english=c.english)
                if src:
                    found = make_group("Indirect", list(range(s.start, pos[-1])), [pos[-1] + 1], src)
        if found is not None:
            groups.append(found)
            chain = found.roles["Source"] or None
            continue
        subj = any(words[i] in c.subjunctive for i in idx[:8])
        if chain is not None and subj:
            groups.append(make_group("IndirectFreeIndirect", list(range(s.start, s.end)), [], chain))
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
        sents.append(Sent(pos, pos + len(s)))
        pos += len(s)
    c = cues(language)
    taken: set[int] = set()
    groups = _direct(words, sents, c, taken)
    if not direct_only:
        groups += _indirect(words, sents, c, taken)
    return sorted(groups, key=lambda g: min(g.message) if g.message else 0)
