"""The schema of one JSONL record, checked field by field before anything else touches it.

Exports from crawlers and scrapers disagree on types (an author as a number, a title as a list,
``null`` for missing fields). Every field is checked here: a missing or ``null`` field is absent,
a metadata field of the wrong type is dropped with a note, and a record whose text fields are all
unusable is one failed item. Nothing after this point sees a value of an unexpected type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lagebild.errors import InputError

__all__ = ["Record", "parse_record", "TEXT_KEYS"]

TEXT_KEYS = ("text", "content", "body", "maintext")
# Each field and the keys it is read from, first usable one wins.
_STRING_FIELDS: dict[str, tuple[str, ...]] = {
    "text": TEXT_KEYS,
    "html": ("html",),
    "url": ("url", "link"),
    "title": ("title", "headline"),
    "date": ("date", "published", "date_publish"),
    "outlet": ("outlet", "source", "source_domain", "sitename"),
}
_AUTHOR_KEYS = ("authors", "author")


@dataclass(frozen=True)
class Record:
    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):
        return "a string"
    return "null" if value is None else type(value).__name__


def _string(record: dict[str, Any], keys: tuple[str, ...], notes: list[str]) -> str | None:
    found = None
    for key in keys:
        value = record.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            notes.append(f"dropped field {key!r}: expected a string, got {_kind(value)}")
            continue
        if found is None and value.strip():
            found = value.strip()
    return found


def _authors(record: dict[str, Any], notes: list[str]) -> list[str]:
    for key in _AUTHOR_KEYS:
        value = record.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            return [value.strip()] if value.strip() else []
        if not isinstance(value, list):
            notes.append(f"dropped field {key!r}: expected a string or a list of strings, got {_kind(value)}")
            continue
        names = [v.strip() for v in value if isinstance(v, str) and v.strip()]
        wrong = [v for v in value if not isinstance(v, str)]
        if wrong:
            entries = "entry" if len(wrong) == 1 else "entries"
            notes.append(f"dropped {len(wrong)} {entries} of {key!r} that are not strings")
        if names:
            return names
    return []


def parse_record(record: object, where: str) -> Record:
    """Check one decoded JSON value; raise InputError when it cannot be an article."""
    if not isinstance(record, dict):
        raise InputError(where, f"expected a JSON object, got {_kind(record)}")
    notes: list[str] = []
    values = {name: _string(record, keys, notes) for name, keys in _STRING_FIELDS.items()}
    authors = _authors(record, notes)
    if values["text"] is None and values["html"] is None:
        wrong = [n for n in notes if any(f"{k!r}" in n for k in (*TEXT_KEYS, "html"))]
        detail = f" ({'; '.join(wrong)})" if wrong else ""
        raise InputError(where, f"no 'text' or 'html' field{detail}")
    return Record(
        text=values["text"],
        html=values["html"],
        url=values["url"],
        title=values["title"],
        date=values["date"],
        outlet=values["outlet"],
        authors=authors,
        notes=notes,
    )
