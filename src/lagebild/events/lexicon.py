"""Event trigger lexicons: verbs and nouns per PLOVER category, read from ``events/data/<lang>.toml``.

A term is matched against the lower-cased tokens of a sentence:

* ``liefer`` — a stem: the token starts with it (liefern, lieferte);
* ``*lieferung`` — a compound head: the stem occurs anywhere in the token (Waffenlieferungen);
* ``an=`` — exact: the token equals the term;
* ``griff an=`` — several parts, each matched like a term by itself, anywhere in the sentence; the
  trigger is the token matched by the first part (separable verbs: "griff … an").
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from lagebild.errors import ConfigError

__all__ = ["Entry", "Lexicon", "load_lexicon", "PLOVER"]

PLOVER = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)


@dataclass(frozen=True)
class Part:
    stem: str
    kind: str  # prefix, infix, exact

    def matches(self, token: str) -> bool:
        if self.kind == "exact":
            return token == self.stem
        if self.kind == "infix":
            return self.stem in token
        return token.startswith(self.stem)


@dataclass(frozen=True)
class Term:
    text: str
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class Entry:
    action: str
    mode: str | None
    terms: tuple[Term, ...]
    if_words: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    recipient: bool = False
    military_if: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    language: str
    entries: tuple[Entry, ...]
    exclude: tuple[str, ...]
    demonyms: tuple[tuple[str, str], ...] = ()  # adjective base -> actor id, beyond the KB's demonyms

    def excluded(self, token: str) -> bool:
        return any(token.startswith(x) for x in self.exclude)


def _part(raw: str) -> Part:
    if raw.endswith("="):
        return Part(raw[:-1], "exact")
    if raw.startswith("*"):
        return Part(raw[1:], "infix")
    return Part(raw, "prefix")


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{where}: expected a list of non-empty strings")
    return tuple(v.lower() for v in value)


def parse_lexicon(text: str, language: str, origin: str = "<string>") -> Lexicon:
    """A lexicon from TOML text; malformed entries raise :class:`ConfigError` naming ``origin``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: {exc}") from exc
    entries = []
    for n, raw in enumerate(data.get("entry", []), 1):
        where = f"{origin}: entry {n}"
        action = raw.get("action")
        if action not in PLOVER:
            raise ConfigError(f"{where}: action {action!r} is not a PLOVER category")
        terms = tuple(Term(t, tuple(_part(p) for p in t.split())) for t in _strings(raw.get("terms"), where))
        entries.append(
            Entry(
                action=action,
                mode=raw.get("mode") or None,
                terms=terms,
                if_words=_strings(raw.get("if_words", []), where),
                unless=_strings(raw.get("unless", []), where),
                recipient=bool(raw.get("recipient", False)),
                military_if=_strings(raw.get("military_if", []), where),
            )
        )
    demonyms = data.get("demonyms", {})
    if not isinstance(demonyms, dict) or not all(isinstance(v, str) for v in demonyms.values()):
        raise ConfigError(f"{origin}: [demonyms] must map adjectives to actor ids")
    return Lexicon(
        language,
        tuple(entries),
        _strings(data.get("exclude", []), f"{origin}: exclude"),
        tuple((k.lower(), v) for k, v in demonyms.items()),
    )


@lru_cache(maxsize=8)
def load_lexicon(language: str) -> Lexicon:
    """The shipped lexicon for ``language`` (``de`` or ``en``; other languages use ``en``)."""
    lang = language if language in ("de", "en") else "en"
    path = resources.files("lagebild").joinpath(f"events/data/{lang}.toml")
    return parse_lexicon(path.read_text(encoding="utf-8"), lang, f"events/data/{lang}.toml")
