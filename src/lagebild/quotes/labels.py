"""Tag sets of the quote tagger and the conversion between attributions and token tags.

The tagger predicts four tag sequences over a document's words: the message, with the attribution
form in its tag (``B-Direct``, ``I-Indirect`` …), and BIO tags for cue, source and addressee.
"""

from __future__ import annotations

from collections.abc import Sequence

from lagebild.quotes.marks import quote_state
from lagebild.quotes.spkatt import Group

__all__ = ["FORMS", "HEADS", "LABELS", "encode", "decode_spans", "extra_features", "N_EXTRA"]

FORMS = ("Direct", "Indirect", "FreeIndirect", "IndirectFreeIndirect", "Reported")
HEADS = ("Message", "Cue", "Source", "Addr")
LABELS: dict[str, list[str]] = {
    "Message": ["O"] + [f"{p}-{f}" for f in FORMS for p in ("B", "I")],
    "Cue": ["O", "B", "I"],
    "Source": ["O", "B", "I"],
    "Addr": ["O", "B", "I"],
}
N_EXTRA = 12


def _runs(indices: Sequence[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in sorted(indices):
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def encode(n_words: int, groups: Sequence[Group]) -> dict[str, list[int]]:
    """Tag ids per head for the non-nested ``groups``; a token keeps the first tag it gets."""
    tags = {head: [0] * n_words for head in HEADS}
    for g in groups:
        if g.nested:
            continue
        for head in HEADS:
            suffix = f"-{g.form}" if head == "Message" else ""
            if head == "Message" and g.form not in FORMS:
                continue
            labels = LABELS[head]
            # A message is one span even when interrupted ("…", sagte er, "…"): B only at its start.
            runs = [g.roles.get(head, [])] if head == "Message" else _runs(g.roles.get(head, []))
            for run in runs:
                for k, i in enumerate(run):
                    if i < n_words and tags[head][i] == 0:
                        tags[head][i] = labels.index(("B" if k == 0 else "I") + suffix)
    return tags


def decode_spans(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end exclusive, form or '') for every B/I run; an I without B starts a span."""
    spans: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, label in enumerate([*labels, "O"]):
        prefix, _, rest = label.partition("-")
        if start >= 0 and (prefix != "I" or rest != kind):
            spans.append((start, i, kind))
            start = -1
        if prefix == "B" or (prefix == "I" and start < 0):
            start, kind = i, rest
    return spans


def extra_features(sentences: Sequence[Sequence[str]]) -> list[list[float]]:
    """Per word: quote state (4 one-hot), sentence start, colon before, and lexicon flags.

    The flags come from the rule lexicon (data/cues.toml): speech verb, Konjunktiv auxiliary,
    complementizer, "laut"/"zufolge"-type cue, pronoun, capitalised word. Cue words are few and
    lexical, so the flags help the tagger find cues that the encoder features alone miss.
    """
    from lagebild.quotes.rules import cues

    c = cues("de")
    words = [w for s in sentences for w in s]
    state = quote_state(words)
    starts = set()
    pos = 0
    for s in sentences:
        starts.add(pos)
        pos += len(s)
    out = []
    for i, (w, st) in enumerate(zip(words, state, strict=True)):
        row = [0.0] * N_EXTRA
        row[st] = 1.0
        row[4] = 1.0 if i in starts else 0.0
        row[5] = 1.0 if i > 0 and words[i - 1] == ":" else 0.0
        low = w.lower()
        row[6] = 1.0 if w in c.verbs or low in c.verbs else 0.0
        row[7] = 1.0 if w in c.subjunctive else 0.0
        row[8] = 1.0 if low in c.complementizers else 0.0
        row[9] = 1.0 if low in _PREP_CUES or w in c.according_nouns or w in c.nouns else 0.0
        row[10] = 1.0 if low in _PRONOUNS else 0.0
        row[11] = 1.0 if w[:1].isupper() and i not in starts else 0.0
        out.append(row)
    return out


_PREP_CUES = frozenset({"laut", "zufolge", "gemäß", "so", "nach", "angaben"})
_PRONOUNS = frozenset({"er", "sie", "es", "man", "wir", "ich", "ihr"})
