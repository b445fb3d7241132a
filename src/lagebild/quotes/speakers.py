"""Resolve a quote's source to a speaker: a linked mention, or the antecedent of a pronoun or description.

Order of evidence: (1) an entity mention inside the source span (from the ``entities``/``link``
stages, when they ran): its actor id and text; (2) a pronoun ("er", "sie", "he", "they"): the speaker
of the previous quote within a few sentences, else the nearest preceding person mention; (3) a
description ("der Experte", "das Institut", "der Kreml-Chef"): a person noun takes the previous
person speaker or mention, an institution noun the nearest preceding organisation or media mention.
"Laut CCTV soll Xi gesagt haben" keeps both: Xi speaks, CCTV reports (``reported_by``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lagebild.model import Mention, Quote

__all__ = ["resolve_speakers", "PRONOUNS"]

PRONOUNS = frozenset(
    ["er", "sie", "es", "man", "ihm", "ihr", "he", "she", "they", "it", "him", "her", "them"]
)
_PERSON_NOUNS = re.compile(
    r"(?i)(experte|expertin|sprecher|sprecherin|minister|ministerin|präsident|präsidentin|chef|chefin|"
    r"analyst|analystin|politiker|politikerin|diplomat|diplomatin|botschafter|botschafterin|kanzler|"
    r"kanzlerin|vorsitzende|direktor|direktorin|autor|autorin|spokesman|spokeswoman|minister|president|"
    r"expert|analyst|official|leader|chief)(in|innen|en|s|n)?$"
)
_INSTITUTION_NOUNS = re.compile(
    r"(?i)(institut|behörde|ministerium|regierung|zeitung|sender|agentur|partei|verband|gericht|"
    r"unternehmen|konzern|organisation|bündnis|rat|amt|portal|magazin|blatt|institute|agency|ministry|"
    r"government|newspaper|broadcaster|company|court|council|office)(e|en|s|es)?$"
)
_LABEL_RANK = {"PER": 0, "MEDIA": 1, "ORG": 2, "LOC": 3}
_PREVIOUS_WINDOW = 4  # sentences a pronoun may look back for the previous speaker


def _overlapping(mentions: Sequence[Mention], span: tuple[int, int]) -> list[Mention]:
    return [m for m in mentions if m.start < span[1] and m.end > span[0]]


def _preceding(mentions: Sequence[Mention], before: int, labels: set[str]) -> Mention | None:
    found = [m for m in mentions if m.end <= before and m.label in labels]
    return found[-1] if found else None


_REPORTER_CUES = frozenset(
    {"laut", "zufolge", "gemäß", "nach angaben", "nach angaben von", "according to", "so"}
)
_DETERMINERS = frozenset(["der", "die", "das", "dieser", "diese", "dieses", "jener", "the", "this", "that"])


def _nested_reporter(q: Quote, text: str, mentions: Sequence[Mention], inside: list[Mention]) -> None:
    """'Xis Wortlaut dem Sender CCTV zufolge' / 'Laut CCTV lobte Xi …': Xi speaks, CCTV reports."""
    if q.reported_by is not None or (q.cue or "").lower() not in _REPORTER_CUES | {"soll"}:
        return
    people = [m for m in inside if m.label == "PER"]
    media = [m for m in inside if m.label in {"MEDIA", "ORG"}]
    if people and media:
        q.reported_by, q.reported_by_actor = media[0].text, media[0].actor_id
        q.speaker_span = (people[0].start, people[0].end)
        q.speaker = text[people[0].start : people[0].end]
        return
    if media and not people and q.kind != "direct":
        from lagebild.quotes.rules import cues

        words = text[q.message[0] : q.message[1]].split()
        head = [m for m in mentions if m.label == "PER" and q.message[0] <= m.start < q.message[0] + 40]
        if words and words[0] in cues("de").verbs and head:
            q.reported_by, q.reported_by_actor = media[0].text, media[0].actor_id
            q.speaker_span = (head[0].start, head[0].end)
            q.speaker, q.cue = head[0].text, words[0]


def resolve_speakers(quotes: list[Quote], mentions: Sequence[Mention], text: str = "") -> None:
    """Fill ``speaker_name``, ``actor_id``, ``resolution`` and ``reported_by`` (nested) in place."""
    previous: Quote | None = None
    for q in sorted(quotes, key=lambda x: x.message[0]):
        if q.speaker is None or q.speaker_span is None:
            # A quote without its own attribution right after an attributed one continues it.
            if previous is not None and q.sentences[0] - previous.sentences[1] <= 2:
                q.speaker_name, q.actor_id = previous.speaker_name, previous.actor_id
                q.resolution = "previous"
            continue
        inside = _overlapping(mentions, q.speaker_span)
        if text:
            _nested_reporter(q, text, mentions, inside)
            inside = _overlapping(mentions, q.speaker_span)
        if q.reported_by is not None and q.reported_by_actor is None:
            hits = [m for m in mentions if m.text in q.reported_by and m.actor_id]
            if hits:
                best = min(hits, key=lambda m: abs(m.start - q.message[0]))
                q.reported_by, q.reported_by_actor = best.text, best.actor_id
        inside.sort(key=lambda m: _LABEL_RANK.get(m.label, 9))
        words = q.speaker.split()
        head = words[-1] if words else ""
        pronoun = q.speaker.lower() in PRONOUNS
        definite = len(words) >= 2 and words[0].lower() in _DETERMINERS
        speakers = [m for m in inside if m.label in {"PER", "ORG", "MEDIA"}] or inside
        # 'die Zeitung „Nesawissimaja Gaseta“': the name right after a description.
        after = [m for m in mentions if 0 <= m.start - q.speaker_span[1] <= 3 and m.label in {"MEDIA", "ORG"}]
        if speakers and not pronoun:
            best = speakers[0]
            q.speaker_name, q.actor_id, q.resolution = best.text, best.actor_id, "mention"
            ordered = sorted(speakers, key=lambda m: m.start)
            q.actor_ids = list(dict.fromkeys(m.actor_id for m in ordered if m.actor_id))
            if len(q.actor_ids) > 1:
                q.speaker_name = q.speaker
        elif after and definite and _INSTITUTION_NOUNS.search(head):
            q.speaker_name, q.actor_id, q.resolution = after[0].text, after[0].actor_id, "apposition"
        elif pronoun or (definite and (_PERSON_NOUNS.search(head) or _INSTITUTION_NOUNS.search(head))):
            person = pronoun or bool(_PERSON_NOUNS.search(head))
            kind = "pronoun" if pronoun else "description"
            near = previous is not None and q.sentences[0] - previous.sentences[1] <= _PREVIOUS_WINDOW
            if person and near and previous is not None and previous.speaker_name:
                q.speaker_name, q.actor_id, q.resolution = previous.speaker_name, previous.actor_id, kind
            else:
                ante = _preceding(mentions, q.speaker_span[0], {"PER"} if person else {"ORG", "MEDIA"})
                if ante is not None:
                    q.speaker_name, q.actor_id, q.resolution = ante.text, ante.actor_id, kind
        else:
            q.speaker_name, q.resolution = q.speaker, "text"
        if q.speaker_name:
            previous = q
