"""The JSONL record schema: wrong types are dropped with a note or fail the one record."""

from __future__ import annotations

import pytest

from lagebild.errors import InputError
from lagebild.readers.record import parse_record

WRONG = [5, 2.5, True, False, ["a", "list"], {"an": "object"}]


@pytest.mark.parametrize("value", WRONG)
@pytest.mark.parametrize("key", ["title", "date", "outlet", "url", "headline", "source"])
def test_wrong_typed_metadata_is_dropped_with_a_note(key: str, value: object):
    record = parse_record({"text": "Ein Text.", key: value}, "x#line 1")
    assert record.text == "Ein Text."
    assert (record.title, record.date, record.outlet, record.url) == (None, None, None, None)
    [note] = record.notes
    assert note.startswith(f"dropped field {key!r}: expected a string, got ")


@pytest.mark.parametrize("key", ["authors", "author"])
@pytest.mark.parametrize("value", [5, 2.5, True, {"name": "Anna"}])
def test_wrong_typed_authors_are_dropped(key: str, value: object):
    record = parse_record({"text": "Ein Text.", key: value}, "x#line 1")
    assert record.authors == []
    assert record.notes == [
        f"dropped field {key!r}: expected a string or a list of strings, got {_kind(value)}"
    ]


def _kind(value: object) -> str:
    return {int: "a number", float: "a number", bool: "true/false", dict: "an object"}[type(value)]


def test_author_lists_keep_only_strings():
    record = parse_record({"text": "T", "authors": ["Anna Berg", 7, None, ["x"], " ", "Li Wei "]}, "x")
    assert record.authors == ["Anna Berg", "Li Wei"]
    assert record.notes == ["dropped 3 entries of 'authors' that are not strings"]


def test_wrong_authors_fall_back_to_author():
    record = parse_record({"text": "T", "authors": 3, "author": "Anna Berg"}, "x")
    assert record.authors == ["Anna Berg"] and len(record.notes) == 1


def test_null_fields_are_absent_without_notes():
    record = parse_record(
        {"text": "T", "title": None, "date": None, "authors": None, "url": None, "html": None}, "x"
    )
    assert record.title is None and record.authors == [] and record.notes == []


def test_first_usable_alias_wins_and_wrong_ones_are_noted():
    record = parse_record({"title": 5, "headline": "Schlagzeile", "text": ["no"], "body": "Der Text"}, "x")
    assert (record.title, record.text) == ("Schlagzeile", "Der Text")
    assert len(record.notes) == 2


@pytest.mark.parametrize("value", [*WRONG, None, "", "   "])
def test_record_without_usable_text_fails_with_the_reason(value: object):
    with pytest.raises(InputError) as info:
        parse_record({"text": value, "html": value, "title": "T"}, "f.jsonl#line 4")
    assert info.value.source == "f.jsonl#line 4"
    assert "no 'text' or 'html' field" in info.value.reason
    if value not in (None, "", "   "):
        assert "dropped field 'text': expected a string" in info.value.reason


@pytest.mark.parametrize(
    ("value", "kind"), [([1], "a list"), (3, "a number"), ("s", "a string"), (None, "null")]
)
def test_non_objects_fail(value: object, kind: str):
    with pytest.raises(InputError, match=f"expected a JSON object, got {kind}"):
        parse_record(value, "x")
