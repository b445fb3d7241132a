"""Word lists and patterns of the event extractor (data only; the logic is in ``events/extract.py``)."""

from __future__ import annotations

import re

WORD = re.compile(r"\w[\w-]*|[^\w\s]")
NOT_ACTORS = {"WEAPON", "TREATY", "EVENT", "INFRASTRUCTURE", "MEDIA"}
PREPOSITIONS = frozenset(
    [
        "an",
        "nach",
        "gegen",
        "gegenüber",
        "auf",
        "mit",
        "von",
        "vom",
        "durch",
        "für",
        "zwischen",
        "in",
        "im",
        "bei",
        "beim",
        "aus",
        "über",
        "zu",
        "zum",
        "zur",
        "laut",
        "seitens",
        "vonseiten",
        "to",
        "against",
        "with",
        "on",
        "from",
        "by",
        "between",
        "at",
        "for",
        "into",
        "of",
        "towards",
        "toward",
        "so",
    ]
)
TARGET_PREPS = {
    "AID": {"an", "nach", "to", "für", "for"},
    "CONSULT": {"mit", "with", "in", "nach", "to"},
    "REQUEST": {"von", "vom", "an", "from", "on", "of"},
    "SANCTION": {"gegen", "against", "on", "für", "auf"},
    "ASSAULT": {"auf", "gegen", "on", "against", "in", "im", "into"},
    "THREATEN": {"gegen", "against", "mit"},
    "RETREAT": {"aus", "from", "von", "vom"},
}
DEFAULT_TARGET_PREPS = {"an", "gegen", "gegenüber", "mit", "auf", "to", "against", "with", "on"}
PLACE_PREPS = {"in", "im", "at"}
PASSIVE = re.compile(r"\b(wurde|wurden|worden|wird .{0,40}ge\w+t|was|were|been|being)\b", re.I)
AGENT_PREPS = {"von", "vom", "durch", "by", "seitens"}
SYMMETRIC = {"CONSULT", "COOPERATE"}
NEGATION = {
    "nicht",
    "kein",
    "keine",
    "keinen",
    "keinem",
    "keiner",
    "keines",
    "nie",
    "niemals",
    "not",
    "no",
    "never",
}
HYPOTHETICAL = re.compile(
    r"\b(würde|würden|würdest|könnte|könnten|wäre|wären|ließe|ließen|käme|falls|would|could|might|if)\b", re.I
)
HEARSAY = re.compile(r"\b(soll|sollen|habe|hätten|seien|sei|allegedly|reportedly)\b", re.I)
REPORTER = re.compile(
    r"\b(?:[Ll]aut|[Gg]emäß|[Nn]ach Angaben (?:von |des |der )?|according to|[Ss]o)\s+"
    r"(?:de[rnms] |dem |the )?"
    r"(?P<a>(?:[A-ZÄÖÜ][\w-]+ ){0,3}[A-ZÄÖÜ][\w-]+)"
    r"|(?P<b>(?:[A-ZÄÖÜ][\w-]+ ){0,2}[A-ZÄÖÜ][\w-]+) zufolge"
)
FUTURE = re.compile(
    r"\b(wird|werden|will|wollen|wollte|plant|planen|plante|geplant|bald|künftig|kommend\w*|nächst\w*|"
    r"bevorstehend\w*|voraussichtlich|shall|plans?|planned|going to|set to|upcoming|next|soon)\b",
    re.I,
)
CLAUSE = re.compile(r"[,;:()–—]|\b(?:dass|that|wobei|weil|obwohl|which|because|while)\b")
TODAY = re.compile(r"\b(heute|heutigen|today)\b", re.I)
ISO = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?")
ADJ_ENDING = re.compile(r"(?<=isch|lich)(e|en|er|es|em)$")
FORCES = re.compile(r"(truppe|soldat|armee|streitkräfte|einheit|kampfflugzeug|marine|troops|forces|army)")
FORCE_ACTIONS = {"RETREAT", "ASSAULT", "MOBILIZE", "AID"}
AND = re.compile(r"^\s*(?:,|und|sowie|and|&)\s*(?:(?:der|die|das|den|dem|des|the)\s+)?$", re.I)
