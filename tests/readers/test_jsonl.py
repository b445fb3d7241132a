"""JSONL files through read_paths: hostile records fail one line each, the rest is read."""

from __future__ import annotations

import gzip
import io
import json
import tracemalloc
from pathlib import Path

import pytest

from lagebild.config import load_config
from lagebild.errors import InputError
from lagebild.model import Article
from lagebild.readers import read_paths
from lagebild.readers.jsonl import bounded_lines

TEXT = "Der Außenminister reiste am Montag nach Peking, um über Handel und Sicherheit zu sprechen."


def read(path: Path, **overrides: object) -> list[Article | InputError]:
    cfg = load_config(overrides=[f"{k}={v}" for k, v in overrides.items()])
    return list(read_paths([str(path)], cfg))


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("value", [5, 1.5, True, None, [1, {"a": 2}], {"name": "x"}])
def test_wrong_typed_fields_never_stop_the_file(tmp_path: Path, value: object):
    keys = ["authors", "author", "title", "date", "outlet", "url"]
    lines = [json.dumps({"text": f"{TEXT} {k}", k: value}) for k in keys]
    lines += [json.dumps({"text": value}), json.dumps({"html": value}), json.dumps({"text": TEXT})]
    results = read(write_lines(tmp_path / "t.jsonl", lines))
    assert len(results) == len(lines)
    good = [r for r in results if isinstance(r, Article)]
    bad = [r for r in results if isinstance(r, InputError)]
    assert len(good) == len(keys) + 1 and len(bad) == 2
    assert [e.source.rsplit("#", 1)[1] for e in bad] == ["line 7", "line 8"]
    assert all("no 'text' or 'html' field" in e.reason for e in bad)
    assert all(a.hints.authors == [] and a.hints.title is None and a.url is None for a in good)
    if value is not None:  # null is just absent; other wrong types are noted on the article
        assert all(any(n.startswith("dropped") for n in a.notes) for a in good[:-1])


def test_good_fields_still_read(tmp_path: Path):
    line = {
        "text": TEXT,
        "authors": ["Anna Berg", 3],
        "title": "T",
        "date": "2024-01-02",
        "url": "https://a.example/1",
    }
    [article] = read(write_lines(tmp_path / "t.jsonl", [json.dumps(line)]))
    assert isinstance(article, Article)
    assert article.hints.authors == ["Anna Berg"] and article.hints.title == "T"
    assert article.hints.date == "2024-01-02" and article.hints.date_source == "jsonl"
    assert article.url == "https://a.example/1"
    assert "dropped 1 entry of 'authors' that are not strings" in article.notes


def test_deep_nesting_and_huge_integers_fail_one_line(tmp_path: Path):
    lines = [
        "[" * 100_000 + "]" * 100_000,
        '{"text": "' + TEXT + '", "n": ' + "9" * 5000 + "}",
        '{"a": ' * 50_000 + "1" + "}" * 50_000,
        json.dumps({"text": TEXT}),
    ]
    results = read(write_lines(tmp_path / "t.jsonl", lines))
    assert [type(r).__name__ for r in results] == ["InputError", "InputError", "InputError", "Article"]
    assert "nested too deeply" in results[0].reason  # type: ignore[union-attr]
    assert "4300 digits" in results[1].reason  # type: ignore[union-attr]


def test_lone_surrogates_become_replacement_characters(tmp_path: Path):
    line = '{"text": "' + TEXT + ' \\ud800 Ende", "title": "Titel \\udfff", "authors": ["A \\ud83d"]}'
    [article] = read(write_lines(tmp_path / "t.jsonl", [line]))
    assert isinstance(article, Article)
    assert article.raw_text.endswith(" \ufffd Ende") and article.hints.title == "Titel \ufffd"
    assert article.hints.authors == ["A \ufffd"]
    assert "replaced 3 lone surrogate(s) with U+FFFD" in article.notes
    article.raw_text.encode("utf-8")  # storable


def test_raw_surrogate_bytes_are_replaced_and_invalid_utf8_fails_the_line(tmp_path: Path):
    # json.loads decodes bytes with "surrogatepass": encoded surrogates arrive as lone surrogates.
    lines = [b'{"text": "a \xed\xa0\x80 b"}', b'{"text": "a \xff b"}', json.dumps({"text": TEXT}).encode()]
    (tmp_path / "t.jsonl").write_bytes(b"\n".join(lines))
    replaced, bad, good = read(tmp_path / "t.jsonl")
    assert isinstance(replaced, Article) and replaced.raw_text == "a \ufffd b"
    assert isinstance(bad, InputError) and "not UTF-8" in bad.reason and isinstance(good, Article)


@pytest.mark.parametrize(
    ("name", "content"),
    [("e.jsonl", b""), ("b.jsonl", b"\n  \n\t\n"), ("e.json", b""), ("b.ndjson", b"\r\n")],
)
def test_empty_or_blank_files_have_a_reason(tmp_path: Path, name: str, content: bytes):
    (tmp_path / name).write_bytes(content)
    [err] = read(tmp_path / name)
    assert isinstance(err, InputError) and err.reason == "empty JSONL file (no records)"
    assert err.source == str(tmp_path / name)


@pytest.mark.parametrize("content", [b"", b"\n\n \n"])
def test_empty_gzipped_jsonl_has_a_reason(tmp_path: Path, content: bytes):
    (tmp_path / "e.jsonl.gz").write_bytes(gzip.compress(content))
    [err] = read(tmp_path / "e.jsonl.gz")
    assert isinstance(err, InputError) and err.reason == "empty JSONL file (no records)"


def test_over_long_line_is_refused_while_streaming(tmp_path: Path):
    # 40 MB in one line, compressed to a few KB: the cap (1 MB) must apply while decompressing.
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb") as gz:
        gz.write(json.dumps({"text": TEXT}).encode() + b"\n")
        gz.write(b'{"text": "')
        for _ in range(40):
            gz.write(b"x" * 1_000_000)
        gz.write(b'"}\n')
        gz.write(json.dumps({"text": TEXT + " zwei"}).encode() + b"\n")
    assert path.stat().st_size < 200_000
    tracemalloc.start()
    try:
        results = read(path, **{"input.max_bytes": 1_000_000})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [type(r).__name__ for r in results] == ["Article", "InputError", "Article"]
    assert results[1].reason == "line too large (40,000,013 bytes > input.max_bytes)"  # type: ignore[union-attr]
    assert peak < 8_000_000


def test_bounded_lines_yields_lengths_of_long_lines():
    data = b"short\n" + b"y" * 25 + b"\nlast-no-newline"
    assert list(bounded_lines(io.BytesIO(data), 10)) == [b"short\n", 26, 15]
    assert list(bounded_lines(io.BytesIO(b"exactly10!\n"), 10)) == [b"exactly10!\n"]
