"""Property-based fuzzing of every reader: no exception escapes, every item is accounted for.

Invariants, for any input: reading yields only Articles and InputErrors; at least one result per
file, exactly one per item when the structure says how many (JSONL lines, feed entries, WARC HTML
responses); every Article can be stored (all strings encode as UTF-8); every reason is one line.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lagebild.config import load_config
from lagebild.errors import InputError, printable
from lagebild.model import Article
from lagebild.readers import read_bytes, read_paths
from lagebild.readers.decode import decode_bytes
from lagebild.readers.fragments import fragment_text
from lagebild.readers.jsonl import bounded_lines
from lagebild.readers.record import parse_record
from lagebild.readers.sniff import KINDS, sniff_kind
from tests.fuzz.conftest import fuzz
from tests.fuzz.hostile import FORMATS, expected_jsonl_items, generate

CONFIG = load_config()
# Every code point, lone surrogates included (JSON escapes and file names can carry them).
ANY_TEXT = st.lists(
    st.text(st.characters(codec=None), max_size=40)
    | st.sampled_from(["\ud800", "\udfff", "\x00", "\r\n", "\u2028", "[/b]", "\u202e", "&#xD800;", "<rss>"]),
    max_size=8,
).map("".join)
JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(ANY_TEXT, kids, max_size=4),
    max_leaves=12,
)
RECORD_KEYS = st.sampled_from(["text", "html", "title", "date", "outlet", "url", "authors", "author", "body"])
RECORDS = st.dictionaries(RECORD_KEYS | ANY_TEXT, JSON_VALUES, max_size=6)


def check(results: list[Article | InputError], items: int | None) -> None:
    assert results, "an item vanished without a trace"
    if items is not None:
        assert len(results) == items
    for result in results:
        if isinstance(result, InputError):
            assert result.reason and "\n" not in result.reason
            str(result).encode("utf-8")
            continue
        assert isinstance(result, Article) and len(result.id) == 20
        hints = result.hints
        strings = [result.source, result.raw_text, result.url or "", *result.notes, *hints.authors]
        strings += [hints.title or "", hints.date or "", hints.outlet or "", hints.url or ""]
        for text in strings:
            assert isinstance(text, str)
            text.encode("utf-8")  # storable: no lone surrogates
        assert result.raw_text.strip()


@pytest.mark.parametrize("fmt", FORMATS)
@fuzz()
@given(rng=st.randoms(use_true_random=False))
def test_every_format(fmt: str, rng: random.Random) -> None:
    hostile = generate(rng, fmt)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / hostile.name
        path.write_bytes(hostile.data)
        results = list(read_paths([str(path)], CONFIG))
    check(results, hostile.items)


@fuzz(2)
@given(lines=st.lists(st.one_of(RECORDS.map(lambda r: json.dumps(r).encode()), st.binary(max_size=80))))
def test_jsonl_lines(lines: list[bytes]) -> None:
    data = b"\n".join(line.replace(b"\n", b" ") for line in lines)
    for packed, name in ((data, "x.jsonl"), (gzip.compress(data), "x.jsonl.gz")):
        check(list(read_bytes(packed, name, name, 1_000_000)), expected_jsonl_items(data))


@fuzz(8)
@given(record=RECORDS | JSON_VALUES)
def test_record_schema(record: object) -> None:
    try:
        parsed = parse_record(record, "x#line 1")
    except InputError as err:
        assert "\n" not in err.reason
        return
    assert parsed.text is not None or parsed.html is not None
    for value in (parsed.text, parsed.html, parsed.url, parsed.title, parsed.date, parsed.outlet):
        assert value is None or (isinstance(value, str) and value.strip() == value and value)
    assert all(isinstance(a, str) and a for a in parsed.authors)


@fuzz(8)
@given(name=ANY_TEXT, head=st.binary(max_size=600))
def test_sniff_any_bytes(name: str, head: bytes) -> None:
    assert sniff_kind(name, head) in KINDS


@fuzz(20)
@given(
    prolog=st.lists(
        st.sampled_from([b"<?xml version='1.0'?>", b"<!-- c -->", b"<!DOCTYPE rss>", b"\n", b" "])
    ),
    root=st.sampled_from([b"<rss version='2.0'>", b"<feed xmlns='x'>", b"<rdf:RDF>"]),
)
def test_sniff_feed_after_any_prolog(prolog: list[bytes], root: bytes) -> None:
    assert sniff_kind("noext", b"".join(prolog) + root) == "feed"


@fuzz(10)
@given(data=st.binary(max_size=2000))
def test_decode_any_bytes(data: bytes) -> None:
    try:
        text, notes = decode_bytes(data, "x")
    except InputError:
        return
    assert text.strip() and all(isinstance(n, str) for n in notes)


@fuzz(10)
@given(fragment=ANY_TEXT | st.sampled_from(["<p>", "<div><p>x", "<script>", "</p></p>", "<![CDATA[x"]))
def test_fragment_text_any_markup(fragment: str) -> None:
    assert isinstance(fragment_text(fragment), str)


@fuzz(10)
@given(data=st.binary(max_size=300), limit=st.integers(1, 40))
def test_bounded_lines_account_for_every_byte(data: bytes, limit: int) -> None:
    parts = list(bounded_lines(io.BytesIO(data), limit))
    assert sum(p if isinstance(p, int) else len(p) for p in parts) == len(data)
    assert all(isinstance(p, int) or len(p) <= limit or p.endswith(b"\n") for p in parts)


@fuzz(10)
@given(
    data=st.binary(max_size=3000), cut=st.integers(0, 3000), name=st.sampled_from(["x.txt.gz", "x.jsonl.gz"])
)
def test_gzip_truncated_anywhere(data: bytes, cut: int, name: str) -> None:
    packed = gzip.compress(data)[:cut]
    check(list(read_bytes(packed, name, name, 1_000_000)), None)


@fuzz(8)
@given(text=ANY_TEXT)
def test_printable_is_encodable_and_one_line(text: str) -> None:
    shown = printable(text)
    shown.encode("utf-8")
    assert "\n" not in shown and "\r" not in shown
