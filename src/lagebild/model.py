"""The typed records that flow through the pipeline.

One :class:`Article` per input item. Readers fill the source fields and ``raw_text``; stages
fill the rest. Offsets in ``removed`` refer to ``raw_text``; offsets in ``sentences`` (and the
slots later stages fill) refer to ``clean_text``.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

__all__ = [
    "Article",
    "DateInfo",
    "Provenance",
    "RemovedSpan",
    "Sentence",
    "TokenStates",
    "Mention",
    "Quote",
    "TimeExpression",
    "Event",
    "SourceHints",
    "content_id",
]

Precision = Literal["year", "month", "day"]
_QUOTE_SPANS = ("message", "speaker_span", "cue_span", "sentences")


def content_id(content: str) -> str:
    """Stable article id: the first 20 hex digits of the SHA-256 of the item's content."""
    return hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()[:20]


@dataclass
class RemovedSpan:
    """A span of ``raw_text`` that is not part of the clean text, and why."""

    start: int
    end: int
    text: str
    reason: str  # e.g. "navigation", "newsletter", "duplicate", "metadata:date"
    rule: str  # the name of the rule that matched, for debugging the rule files


@dataclass
class DateInfo:
    value: str  # ISO: YYYY, YYYY-MM or YYYY-MM-DD
    precision: Precision
    evidence: str  # the text the date was read from
    source: str  # "text", "html-metadata", "htmldate", "feed", "jsonl"
    confidence: float = 1.0
    note: str = ""  # e.g. "year inferred from weekday"


@dataclass
class Provenance:
    """A statement about where the text comes from, as printed in the article."""

    kind: str  # first_published, source, translation, copyright, based_on, permission, image_credit
    name: str  # outlet, author or holder named, as written
    evidence: str
    date: str | None = None
    url: str | None = None
    language: str | None = None  # for translations: the original language


@dataclass
class Sentence:
    start: int
    end: int
    tokens: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Mention:
    start: int
    end: int
    text: str
    label: str  # PER, LOC, ORG, OTH; WEAPON, TREATY, MEDIA, EVENT, INFRASTRUCTURE from the knowledge base
    actor_id: str | None = None  # knowledge-base id, doc:<slug> for unknown persons, None if unlinked
    link_rule: str | None = None  # which linking rule decided (see lagebild.link)
    candidates: list[str] = field(default_factory=list)  # for unresolved ambiguous mentions
    metonym: bool = False  # a capital or seat of government standing for the state


@dataclass
class Quote:
    """A statement attributed to a speaker. Spans are (start, end) character offsets in clean_text."""

    kind: str  # direct (in quotation marks), indirect (reported speech), reported (a stance or act)
    message: tuple[int, int]  # from the first to the last character of the message
    text: str = ""  # the message as printed; the parts of an interrupted quote joined by " … "
    form: str = ""  # SpkAtt form: Direct, Indirect, FreeIndirect, IndirectFreeIndirect, Reported
    speaker: str | None = None  # the source as written: "Experte Kaschin", "er", "laut CCTV" -> "CCTV"
    speaker_span: tuple[int, int] | None = None
    speaker_name: str | None = None  # who the source refers to (antecedent of "er", "der Experte")
    actor_id: str | None = None  # knowledge-base or doc: id of the speaker, when linked
    actor_ids: list[str] = field(default_factory=list)  # every linked speaker ("Xi und Putin")
    resolution: str | None = None  # how the speaker was found: mention, pronoun, description, previous
    cue: str | None = None  # "sagte", "laut", "zufolge", "führte … aus"
    cue_span: tuple[int, int] | None = None
    addressee: str | None = None
    reported_by: str | None = None  # nested attribution: "laut CCTV soll Xi gesagt haben" -> CCTV
    reported_by_actor: str | None = None
    sentences: tuple[int, int] = (0, 0)  # first and last sentence index (inclusive)
    method: str = ""  # tagger or rules


@dataclass
class TimeExpression:
    """A time expression; offsets into ``clean_text``. See lagebild.temporal for the conventions."""

    start: int
    end: int
    text: str
    type: str  # DATE, DURATION, SET, TIME
    value: str  # TIMEX3-like: 2021-02-14, 2021-02, 2021, 199, 2006-W21, PAST_REF, P3Y, XXXX-XX-XXT07:30 …
    anchor: str | None = None  # the date the value was resolved against; None for absolute values
    mod: str | None = None  # TIMEX3 mod: START, MID, END, ON_OR_BEFORE, LESS_THAN, EQUAL_OR_LESS …
    vague: bool = False  # PAST_REF/FUTURE_REF and unspecified quantities ("viele Jahre")
    sentence: int | None = None  # index into Article.sentences


@dataclass
class Event:
    """A sentence-level event (PLOVER); see lagebild.events for how the fields are filled."""

    action: str  # PLOVER category: AGREE, CONSULT, SUPPORT, … ASSAULT
    sentence: int  # index into Article.sentences (the evidence sentence)
    actor: str | None = None  # knowledge-base or doc: id (a capital resolved to its state), else the text
    target: str | None = None
    time: str | None = None  # event date, ISO at the precision the text gives (YYYY, YYYY-MM, YYYY-MM-DD)
    mode: str | None = None  # CONSULT: phone, visit, meeting; others: military, economic, diplomatic, …
    place: str | None = None  # the place as written ("Peking")
    trigger: str | None = None  # the verb or noun that expresses the event, as written
    reported: bool = False  # presented as coming from a source rather than asserted by the outlet
    source: str | None = None  # who it is reported from ("RusStrat", "CCTV"), when named
    quote: int | None = None  # index into Article.quotes when the event lies inside a quote's message
    status: str = "factual"  # factual or planned (announced, intended, scheduled)


@dataclass
class SourceHints:
    """Metadata that came with the item (HTML meta tags, feed fields, JSONL keys)."""

    title: str | None = None
    date: str | None = None
    date_source: str | None = None
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    url: str | None = None


@dataclass
class TokenStates:
    """The shared encoder's output for an article (stage ``encode``): per sentence of
    ``Article.sentences`` an array (words, layers + 1, hidden) at each word's first sub-word, empty for
    a sentence without tokens. Heads on that encoder (NER, quotes) read it instead of encoding again.
    Held for the stage run only: never stored or exported."""

    encoder: str  # the model whose encoder produced it (config ``encoder.shared``)
    sentences: list[Any]


@dataclass
class Article:
    id: str
    source: str  # path, path#line N, URL …
    source_format: str  # txt, markdown, html, jsonl, warc, feed, stdin
    raw_text: str
    hints: SourceHints = field(default_factory=SourceHints)
    url: str | None = None
    clean_text: str = ""
    removed: list[RemovedSpan] = field(default_factory=list)
    title: str | None = None
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    published: DateInfo | None = None
    outlet: str | None = None
    outlet_evidence: str | None = None
    language: str | None = None
    language_score: float | None = None
    provenance: list[Provenance] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    time_expressions: list[TimeExpression] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # processing notes: encodings, fallbacks …
    stages: list[str] = field(default_factory=list)  # stages that ran, in order
    token_states: TokenStates | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        # dataclasses.asdict deep-copies every token tuple; sentences are built by hand (10x faster).
        sentences, states = self.sentences, self.token_states
        self.sentences, self.token_states = [], None
        try:
            data = asdict(self)
        finally:
            self.sentences, self.token_states = sentences, states
        del data["token_states"]  # run-time only (see TokenStates)
        data["sentences"] = [
            {"start": s.start, "end": s.end, "tokens": [list(t) for t in s.tokens]} for s in sentences
        ]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        values["hints"] = SourceHints(**values.get("hints") or {})
        values["removed"] = [RemovedSpan(**r) for r in values.get("removed", [])]
        pub = values.get("published")
        values["published"] = DateInfo(**pub) if pub else None
        values["provenance"] = [Provenance(**p) for p in values.get("provenance", [])]
        values["sentences"] = [
            Sentence(s["start"], s["end"], [(a, b) for a, b in s.get("tokens", [])])
            for s in values.get("sentences", [])
        ]
        values["mentions"] = [Mention(**m) for m in values.get("mentions", [])]
        values["quotes"] = [
            Quote(**{**q, **{k: tuple(q[k]) for k in _QUOTE_SPANS if q.get(k) is not None}})
            for q in values.get("quotes", [])
        ]
        values["time_expressions"] = [TimeExpression(**t) for t in values.get("time_expressions", [])]
        values["events"] = [Event(**e) for e in values.get("events", [])]
        return cls(**values)

    def sentence_texts(self) -> list[str]:
        return [self.clean_text[s.start : s.end] for s in self.sentences]
