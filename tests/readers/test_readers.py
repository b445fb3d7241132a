"""Each reader, through the public entry point read_paths, and each bad-input case."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from lagebild.config import load_config
from lagebild.errors import InputError
from lagebild.model import Article
from lagebild.readers import read_bytes, read_paths

BODY = (
    "Der chinesische Präsident Xi Jinping ist zu einem Staatsbesuch in Moskau eingetroffen. "
    "Die beiden Staatschefs wollen über Energie, Handel und Sicherheit sprechen. "
    "Beobachter erwarten neue Vereinbarungen zur Gaspipeline Power of Siberia 2."
)
PAGE = f"""<!DOCTYPE html><html><head><title>Xi in Moskau | Tagesblatt</title>
<meta property="og:site_name" content="Tagesblatt"><meta name="author" content="Anna Berg">
<meta property="article:published_time" content="2023-03-21T10:00:00+01:00"></head>
<body><nav><a href="/">Start</a> <a href="/politik">Politik</a></nav>
<article><h1>Xi in Moskau</h1><p>{BODY}</p><p>{BODY} Zweiter Absatz.</p></article>
<footer>Newsletter abonnieren</footer></body></html>"""


def read(paths: list[str], **overrides: object) -> list[Article | InputError]:
    cfg = load_config(overrides=[f"{k}={v}" for k, v in overrides.items()])
    return list(read_paths(paths, cfg))


def ok(results: list[Article | InputError]) -> list[Article]:
    return [r for r in results if isinstance(r, Article)]


def errors(results: list[Article | InputError]) -> list[InputError]:
    return [r for r in results if isinstance(r, InputError)]


def test_text_file(tmp_path: Path):
    (tmp_path / "a.txt").write_text(BODY + "\r\n", encoding="utf-8")
    [article] = read([str(tmp_path / "a.txt")])
    assert isinstance(article, Article)
    assert article.source_format == "txt" and article.raw_text == BODY + "\n" and len(article.id) == 20


def test_markdown_file(tmp_path: Path):
    (tmp_path / "a.md").write_text("# Titel\n\n" + BODY, encoding="utf-8")
    [article] = read([str(tmp_path / "a.md")])
    assert isinstance(article, Article) and article.source_format == "markdown"


def test_html_file_main_text_and_metadata(tmp_path: Path):
    (tmp_path / "p.html").write_text(PAGE, encoding="utf-8")
    [article] = read([str(tmp_path / "p.html")])
    assert isinstance(article, Article)
    assert "Staatsbesuch in Moskau" in article.raw_text
    assert "Newsletter abonnieren" not in article.raw_text  # page furniture left out by trafilatura
    assert article.hints.title == "Xi in Moskau"
    assert article.hints.outlet == "Tagesblatt"
    assert article.hints.authors == ["Anna Berg"]
    assert article.hints.date == "2023-03-21" and article.hints.date_source == "htmldate"


def test_html_mislabelled_cp1252(tmp_path: Path):
    page = PAGE.replace("<head>", '<head><meta charset="utf-8">').replace("Präsident", "Präsident „Xi“ – ")
    (tmp_path / "p.html").write_bytes(page.encode("cp1252"))
    [article] = read([str(tmp_path / "p.html")])
    assert isinstance(article, Article)
    assert "Präsident „Xi“" in article.raw_text
    assert any("decoded as" in n for n in article.notes)


def test_jsonl_text_html_and_bad_lines(tmp_path: Path):
    lines = [
        json.dumps(
            {
                "text": BODY,
                "url": "https://de.rt.com/x",
                "title": "T1",
                "date": "2023-03-10",
                "outlet": "RT DE",
            }
        ),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no text"}),
        "",
        json.dumps({"html": PAGE, "url": "https://tagesblatt.example/a"}),
    ]
    (tmp_path / "e.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = read([str(tmp_path / "e.jsonl")])
    good, bad = ok(results), errors(results)
    assert [a.source for a in good] == [f"{tmp_path}/e.jsonl#line 1", f"{tmp_path}/e.jsonl#line 6"]
    assert (
        good[0].hints.outlet == "RT DE"
        and good[0].hints.date == "2023-03-10"
        and good[0].url == "https://de.rt.com/x"
    )
    assert good[1].source_format == "jsonl" and good[1].hints.outlet == "Tagesblatt"
    reasons = {e.source.rsplit("#", 1)[1]: e.reason for e in bad}
    assert "invalid JSON" in reasons["line 2"]
    assert "expected a JSON object" in reasons["line 3"]
    assert "no 'text' or 'html'" in reasons["line 4"]


def test_jsonl_gzipped_and_truncated(tmp_path: Path):
    noise = [hashlib.sha256(str(i).encode()).hexdigest() * 8 for i in range(500)]
    data = "\n".join(json.dumps({"text": f"{BODY} Nummer {n}."}) for n in noise).encode()
    (tmp_path / "ok.jsonl.gz").write_bytes(gzip.compress(data))
    assert len(ok(read([str(tmp_path / "ok.jsonl.gz")]))) == 500
    packed = gzip.compress(data)
    truncated = packed[: len(packed) // 2]
    (tmp_path / "cut.jsonl.gz").write_bytes(truncated)
    results = read([str(tmp_path / "cut.jsonl.gz")])
    assert len(ok(results)) > 0  # what could be read is kept
    assert "truncated" in errors(results)[-1].reason


def _warc(records: list[tuple[str, str, bytes]], gz: bool) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for url, ctype, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
        )
    return buf.getvalue()


@pytest.mark.parametrize("gz", [False, True])
def test_warc_html_responses_only(tmp_path: Path, gz: bool):
    data = _warc(
        [
            ("https://tagesblatt.example/a", "text/html; charset=utf-8", PAGE.encode()),
            ("https://tagesblatt.example/logo.png", "image/png", b"\x89PNG...."),
            (
                "https://tagesblatt.example/b",
                "text/html; charset=windows-1252",
                PAGE.replace("Xi", "Putin").encode("cp1252"),
            ),
        ],
        gz,
    )
    path = tmp_path / ("c.warc.gz" if gz else "c.warc")
    path.write_bytes(data)
    results = read([str(path)])
    good = ok(results)
    assert [a.url for a in good] == ["https://tagesblatt.example/a", "https://tagesblatt.example/b"]
    assert all(a.source_format == "html" for a in good) and not errors(results)


def test_truncated_warc_keeps_earlier_records(tmp_path: Path):
    one = _warc([("https://t.example/a", "text/html", PAGE.encode())], True)
    two = _warc([("https://t.example/b", "text/html", PAGE.replace("Xi", "Li").encode())], True)
    (tmp_path / "cut.warc.gz").write_bytes(one + two[: len(two) // 2])
    results = read([str(tmp_path / "cut.warc.gz")])
    assert [a.url for a in ok(results)] == ["https://t.example/a"]
    [err] = errors(results)
    assert "truncated" in err.reason


def test_truncated_plain_warc_record(tmp_path: Path):
    one = _warc([("https://t.example/a", "text/html", PAGE.encode())], False)
    two = _warc([("https://t.example/b", "text/html", PAGE.replace("Xi", "Li").encode())], False)
    (tmp_path / "cut.warc").write_bytes(one + two[: len(two) // 2])
    results = read([str(tmp_path / "cut.warc")])
    assert [a.url for a in ok(results)] == ["https://t.example/a"]
    assert "truncated" in errors(results)[0].reason


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Weltpresse</title>
<item><title>Eins</title><link>https://w.example/1</link><pubDate>Thu, 15 Sep 2022 18:10:00 +0200</pubDate>
<description>Kurz</description><content:encoded><![CDATA[<p>{body}</p><p>Zweiter Absatz.</p>]]></content:encoded></item>
<item><title>Zwei</title><link>https://w.example/2</link><description>{body}</description></item>
<item><title>Leer</title><link>https://w.example/3</link></item>
</channel></rss>""".replace("{body}", BODY)

ATOM = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atomblatt</title>
<entry><title>A</title><link href="https://a.example/1"/><updated>2024-05-16T19:45:00Z</updated>
<author><name>Anna Sommerfeld</name></author><content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content></entry></feed>"""


def test_rss_feed(tmp_path: Path):
    (tmp_path / "w.rss").write_text(RSS, encoding="utf-8")
    results = read([str(tmp_path / "w.rss")])
    good = ok(results)
    assert [a.hints.title for a in good] == ["Eins", "Zwei"]
    assert good[0].raw_text.startswith("Der chinesische") and "Zweiter Absatz." in good[0].raw_text
    assert good[0].hints.date == "2022-09-15" and good[0].hints.outlet == "Weltpresse"
    assert "no content" in errors(results)[0].reason


def test_atom_feed_sniffed_from_xml(tmp_path: Path):
    (tmp_path / "feed.xml").write_text(ATOM, encoding="utf-8")
    [article] = read([str(tmp_path / "feed.xml")])
    assert isinstance(article, Article)
    assert article.source_format == "feed" and article.hints.authors == ["Anna Sommerfeld"]
    assert article.hints.date == "2024-05-16"


def test_malformed_feed(tmp_path: Path):
    (tmp_path / "bad.rss").write_text("<rss><channel><item><title>x</ti", encoding="utf-8")
    (tmp_path / "junk.rss").write_text("this is { not a feed ] at all", encoding="utf-8")
    cut, junk = read([str(tmp_path / "bad.rss"), str(tmp_path / "junk.rss")])
    assert isinstance(cut, InputError) and "malformed feed" in cut.reason
    assert isinstance(junk, InputError) and ("malformed feed" in junk.reason or "no entries" in junk.reason)


def test_directory_is_read_recursively_skipping_hidden(tmp_path: Path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "sub" / "deeper" / "b.txt").write_text(BODY + " B", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(BODY + " C", encoding="utf-8")
    sources = [a.source for a in ok(read([str(tmp_path)]))]
    assert sources == [str(tmp_path / "a.txt"), str(tmp_path / "sub" / "deeper" / "b.txt")]


def test_stdin(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(BODY.encode())))
    [article] = read(["-"])
    assert isinstance(article, Article) and article.source == "<stdin>" and article.source_format == "txt"


def test_read_bytes_sniffs_html():
    [article] = list(read_bytes(PAGE.encode(), "<stdin>", "stdin", 10_000_000))
    assert isinstance(article, Article) and article.source_format == "html"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"\n\n   \n", "blank"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
        ("random.bin", bytes(range(256)) * 40, "binary"),
        ("bad.gz", b"\x1f\x8b\x08\x00garbage", "gzip"),
    ],
)
def test_bad_files_give_one_line_reasons(tmp_path: Path, name: str, content: bytes, reason: str):
    (tmp_path / name).write_bytes(content)
    [err] = read([str(tmp_path / name)])
    assert isinstance(err, InputError)
    assert reason in err.reason and "\n" not in err.reason


def test_huge_file_is_refused_without_reading_it(tmp_path: Path):
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:
        fh.truncate(60 * 1024 * 1024)  # sparse: costs no disk, and it must not be read
    [err] = read([str(big)])
    assert isinstance(err, InputError) and "too large" in err.reason and "input.max_bytes" in err.reason


def test_limit_is_configurable(tmp_path: Path):
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    [err] = read([str(tmp_path / "a.txt")], **{"input.max_bytes": 100})
    assert isinstance(err, InputError) and "too large" in err.reason


def test_unreadable_paths(tmp_path: Path):
    os.symlink(tmp_path / "nowhere", tmp_path / "dangling.txt")
    results = read([str(tmp_path / "missing.txt"), str(tmp_path / "dangling.txt")])
    assert [e.reason for e in errors(results)] == ["no such file or directory"] * 2


def test_url_needs_opt_in():
    [err] = read(["https://example.org/article"])
    assert isinstance(err, InputError) and "--fetch" in err.reason


def test_file_names_that_are_not_utf8(tmp_path: Path):
    raw = os.fsencode(tmp_path) + b"/caf\xe9-\xff.txt"
    with open(raw, "wb") as fh:
        fh.write(BODY.encode())
    by_dir, by_bytes, by_str = read([str(tmp_path)]), read([raw]), read([os.fsdecode(raw)])  # type: ignore[list-item]
    for results in (by_dir, by_bytes, by_str):
        [article] = results
        assert isinstance(article, Article) and article.source == f"{tmp_path}/caf\\xe9-\\xff.txt"
    [err] = read([os.fsencode(tmp_path) + b"/missing-\xff.txt"])  # type: ignore[list-item]
    assert isinstance(err, InputError) and err.source == f"{tmp_path}/missing-\\xff.txt"


def test_path_with_nul_byte():
    [err] = read(["bad\x00name.txt"])
    assert isinstance(err, InputError) and "not a valid path" in err.reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root can list any directory")
def test_unlistable_directory(tmp_path: Path):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "locked").chmod(0)
    try:
        [err] = read([str(tmp_path)])
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert isinstance(err, InputError) and err.reason.startswith("cannot list directory")


def test_gzipped_text_is_decompressed_with_the_cap(tmp_path: Path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(BODY.encode()))
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"x" * 5_000_000))
    good, bomb = read(
        [str(tmp_path / "a.txt.gz"), str(tmp_path / "bomb.txt.gz")], **{"input.max_bytes": 1_000_000}
    )
    assert isinstance(good, Article) and good.raw_text == BODY
    assert isinstance(bomb, InputError) and "larger than input.max_bytes" in bomb.reason


def test_gzip_magic_in_a_plain_jsonl_file_is_read_as_jsonl(tmp_path: Path):
    # hypothesis found it: a .jsonl whose first line starts with the bytes 1f 8b was one
    # "truncated gzip" failure, and the good line after it was lost
    data = b'\x1f\x8b not json\n{"text": "Ein Satz \\u00fcber China und Russland."}\n'
    results = list(read_bytes(data, "x.jsonl", "x.jsonl", 1_000_000))
    assert len(results) == 2 and isinstance(results[0], InputError) and isinstance(results[1], Article)
    (tmp_path / "x.jsonl").write_bytes(data)
    assert [type(r) for r in read_paths([tmp_path / "x.jsonl"], load_config())] == [InputError, Article]
    # a file named .gz stays gzip: its truncation is the item's reason
    (tmp_path / "y.jsonl.gz").write_bytes(gzip.compress(data)[:-12])
    *_, failed = read_paths([tmp_path / "y.jsonl.gz"], load_config())
    assert isinstance(failed, InputError) and "truncated" in failed.reason
