"""Generators of hostile input files of every format, driven by a ``random.Random``.

Shared by the property-based suite (hypothesis passes a recorded ``Random``, so failures shrink
and replay) and by ``bench/fuzz.py`` (a seeded ``Random``, thousands of files). Each generated
file says how many items lagebild must account for (stored or failed with a reason) when that
is known from its structure, and ``None`` when only "at least one" is (mutated bytes, sniffing).
"""

from __future__ import annotations

import gzip
import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

__all__ = ["HostileFile", "FORMATS", "generate", "mutate", "real_files", "expected_jsonl_items"]

ROOT = Path(__file__).resolve().parents[2]

SENTENCES = [
    "Der chinesische Präsident Xi Jinping ist zu einem Staatsbesuch in Moskau eingetroffen.",
    "„Wir werden die Zusammenarbeit vertiefen“, sagte Außenminister Wang Yi am Dienstag.",
    "Laut der Nachrichtenagentur Tass soll Putin erklärt haben, der Westen sei gescheitert.",
    "The talks in Beijing on 14 February 2021 focused on energy, trade and security.",
    "Am Mittwoch (15. Juni) traf die Delegation in Peking ein; Gespräche dauerten drei Tage.",
    "Переговоры прошли в Пекине. 中俄两国领导人举行会谈。",
]
NASTY = [
    "[/b]",
    "[bold red]x[/]",
    '=HYPERLINK("http://x")',
    "+1+1",
    "-cmd|' /C calc'!A0",
    "@SUM(A1)",
    "\x00",
    "\x07\x08\x1b[31m",
    "\u202e\u2066",
    "\ufeff",
    "\u200b\u200d",
    "e\u0301" * 40,
    "🇩🇪👩‍👩‍👧",
    "\u2028\u2029",
    "\r",
    "\r\n",
    "\t" * 30,
    "&amp;&lt;&#0;",
    "<script>alert(1)</script>",
    "]]>",
    "<!--",
    "„" * 50,
    "“" * 50,
    "sagte er: „",
    "9" * 400,
    "1e999",
    "NaN",
    "%s%n%x",
    "../../etc/passwd",
    "ﷺ" * 20,
    "Ⅻ",
    "İı",
    "ß" * 30,
    "\U0010ffff",
    "\ue000",
    " " * 200,
]
FORMATS = (
    "txt", "md", "html", "jsonl", "json", "jsonl.gz", "rss", "atom", "warc", "warc.gz",
    "txt.gz", "html.gz", "sniff", "mutated",
)  # fmt: skip


@dataclass
class HostileFile:
    name: str
    data: bytes
    fmt: str
    items: int | None  # items lagebild must account for, when known


def hostile_text(rng: random.Random, scale: int = 1) -> str:
    """Mostly prose with hostile pieces: markup, controls, odd Unicode, long words, bidi."""
    parts: list[str] = []
    for _ in range(rng.randint(0, 12)):
        roll = rng.random()
        if roll < 0.45:
            parts.append(rng.choice(SENTENCES))
        elif roll < 0.8:
            parts.append(rng.choice(NASTY))
        elif roll < 0.9:
            parts.append(rng.choice("xä„<&") * rng.choice([50, 500, 2000]) * scale)
        else:
            parts.append("".join(chr(rng.randint(1, 0x2FFFF)) for _ in range(rng.randint(1, 40))))
        parts.append(rng.choice([" ", "\n", "\n\n", ""]))
    return "".join(parts)


def _encode(rng: random.Random, text: str) -> bytes:
    enc = rng.choice(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "surrogates", "bytes"])
    if enc == "surrogates":  # UTF-8 with an encoded lone surrogate and a stray invalid byte
        return text.encode("utf-8", "replace") + b"\xed\xa0\x80 \xff\xfe"
    if enc == "bytes":
        return rng.randbytes(rng.randint(0, 400)) + text.encode("utf-8", "replace")
    return text.encode(enc, "replace")


def _text(rng: random.Random, ext: str) -> HostileFile:
    body = hostile_text(rng)
    if ext == "md":
        body = f"# {hostile_text(rng)}\n\n*{body}* [link](http://x/{hostile_text(rng)[:20]}) `code`"
    return HostileFile(f"t.{ext}", _encode(rng, body), ext, 1)


def hostile_html(rng: random.Random, scale: int = 1) -> str:
    depth = rng.choice([1, 5, 50, 300 * scale])
    body = "<div>" * depth + f"<p>{escape(hostile_text(rng))}</p>" + "</div>" * rng.randint(0, depth)
    extra = rng.choice(
        [
            "",
            "<p>x</p>" * rng.choice([10, 200 * scale]),
            f"<meta charset='{rng.choice(['utf-8', 'bogus', 'utf-16', 'x' * 300])}'>",
            f"<title>{hostile_text(rng)}</title><meta name='author' content='{hostile_text(rng)[:200]}'>",
            "<script>" + "x" * 1000,
            "<!-- unclosed comment",
            f"<time datetime='{rng.choice(['99999-01-01', '2023-02-30', '0000-00-00', 'x'])}'>",
            '<a href="javascript:alert(1)">' * 20,
        ]
    )
    doctype = rng.choice(
        ["<!DOCTYPE html>", "", "<?xml version='1.0'?>", "<!DOCTYPE html [<!ENTITY x 'y'>]>"]
    )
    return f"{doctype}<html><head>{extra}</head><body><article>{body}<p>{escape(hostile_text(rng))}</p></article></body></html>"


def _html(rng: random.Random) -> HostileFile:
    return HostileFile("p.html", _encode(rng, hostile_html(rng)), "html", 1)


def _json_value(rng: random.Random, depth: int = 0) -> str:
    """One JSON value as text (raw, so that huge integers and deep nesting can be written)."""
    roll = rng.random()
    if roll < 0.35:
        text = hostile_text(rng) + rng.choice(["", "\ud800", "\udfff x", "\ud83d"])
        return json.dumps(text, ensure_ascii=rng.random() < 0.7)
    if roll < 0.45:
        return rng.choice(["0", "-1", "1.5", "1e999", "NaN", "-Infinity", "9" * rng.choice([20, 5000])])
    if roll < 0.55:
        return rng.choice(["true", "false", "null"])
    if roll < 0.65:
        n = rng.choice([2, 100, 3000, 20_000])
        return "[" * n + "1" + "]" * n
    if depth > 2:
        return '"leaf"'
    if roll < 0.8:
        return "[" + ", ".join(_json_value(rng, depth + 1) for _ in range(rng.randint(0, 4))) + "]"
    pairs = [f'"k{i}": {_json_value(rng, depth + 1)}' for i in range(rng.randint(0, 3))]
    return "{" + ", ".join(pairs) + "}"


KEYS = ["text", "html", "content", "body", "maintext", "url", "link", "title", "headline", "date",
        "published", "outlet", "source", "sitename", "authors", "author", "id"]  # fmt: skip
GARBAGE = [b"{not json", b"[1, 2]", b'"just a string"', b"42", b"null", b"\xff\xfe\x00{", b"{}", b'{"a":}']


def _jsonl_line(rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.15:
        return rng.choice(GARBAGE)
    if roll < 0.2:
        return rng.choice([b"", b"   ", b"\r", b"\t"])
    fields = {k: _json_value(rng) for k in rng.sample(KEYS, rng.randint(0, 6))}
    if rng.random() < 0.6:
        fields["text"] = json.dumps(hostile_text(rng) + rng.choice(["", "\ud800"]))
    if rng.random() < 0.15:
        fields["html"] = json.dumps(hostile_html(rng))
    line = "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in fields.items()) + "}"
    return line.encode("utf-8", "surrogatepass")


def expected_jsonl_items(data: bytes) -> int:
    """Non-blank lines; an empty file is one item (its failure)."""
    return max(1, sum(1 for line in data.split(b"\n") if line.strip()))


def _jsonl(rng: random.Random, ext: str) -> HostileFile:
    lines = [_jsonl_line(rng) for _ in range(rng.choice([0, 1, 3, 8]))]
    data = rng.choice([b"\n", b"\r\n"]).join(lines) + rng.choice([b"", b"\n"])
    if ext == "jsonl.gz":
        return HostileFile("x.jsonl.gz", gzip.compress(data), ext, expected_jsonl_items(data))
    return HostileFile(f"x.{ext}", data, ext, expected_jsonl_items(data))


CHARREFS = [
    "&#xD800;",
    "&#xdfff;",
    "&#55296;",
    "&#0;",
    "&#x110000;",
    "&#" + "9" * 30 + ";",
    "&foo;",
    "&nbsp;",
]
PROLOGS = [
    "",
    "<!DOCTYPE rss [<!-- " + "x" * 5000 + " -->]>",
    "<!-- " + "licence " * 700 + "-->",
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>',
    '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    "<?xml-stylesheet href='s.xsl'?>" + "\n" * 5000,
]


def _feed_text(rng: random.Random) -> str:
    text = escape(hostile_text(rng))
    if rng.random() < 0.4:
        text += rng.choice(CHARREFS) + rng.choice(["", "&lol2;", "&xxe;"])
    return text


def _feed(rng: random.Random, kind: str) -> HostileFile:
    n = rng.choice([0, 1, 2, 5])
    date = rng.choice(
        ["Thu, 15 Sep 2022 18:10:00 +0200", "Fri, 31 Feb 99999 25:61:00 XYZ", "", "2024-05-16T19:45:00Z"]
    )
    head = f'<?xml version="1.0" encoding="{rng.choice(["UTF-8", "iso-8859-1", "bogus"])}"?>'
    head += rng.choice(PROLOGS)
    if kind == "rss":
        items = "".join(
            f"<item><title>{_feed_text(rng)}</title><link>http://w.example/{i}</link>"
            f"<pubDate>{date}</pubDate><description>{_feed_text(rng)}</description></item>"
            for i in range(n)
        )
        doc = f'{head}<rss version="2.0"><channel><title>{_feed_text(rng)}</title>{items}</channel></rss>'
    else:
        items = "".join(
            f"<entry><title>{_feed_text(rng)}</title><updated>{date}</updated><author><name>"
            f"{_feed_text(rng)}</name></author><content type='html'>{_feed_text(rng)}</content></entry>"
            for _ in range(n)
        )
        doc = (
            f'{head}<feed xmlns="http://www.w3.org/2005/Atom"><title>{_feed_text(rng)}</title>{items}</feed>'
        )
    return HostileFile(f"f.{kind}", doc.encode("utf-8", "replace"), kind, None)


def _warc(rng: random.Random, ext: str) -> HostileFile:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=ext == "warc.gz")
    html_records = 0
    for i in range(rng.choice([0, 1, 3])):
        ctype = rng.choice(["text/html; charset=utf-8", "text/html; charset=bogus", "image/png", "text/html"])
        body = _encode(rng, hostile_html(rng)) if "html" in ctype else rng.randbytes(50)
        rec_type = rng.choice(["response", "response", "response", "request", "metadata"])
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"http://w.example/{i}",
            rec_type,
            payload=io.BytesIO(body),
            http_headers=headers if rec_type in ("response", "request") else None,
        )
        writer.write_record(record)
        html_records += rec_type == "response" and "html" in ctype
    return HostileFile(f"c.{ext}", buf.getvalue(), ext, max(1, html_records))


def _gz(rng: random.Random, ext: str) -> HostileFile:
    inner = _text(rng, "txt") if ext == "txt.gz" else _html(rng)
    return HostileFile(inner.name + ".gz", gzip.compress(inner.data), ext, 1)


def _sniff(rng: random.Random) -> HostileFile:
    inner = generate(rng, rng.choice(["txt", "html", "jsonl", "rss", "atom", "warc", "warc.gz", "jsonl.gz"]))
    return HostileFile(rng.choice(["noext", "x.dat", "x.xml", "x.txt", "x.json"]), inner.data, "sniff", None)


def mutate(rng: random.Random, data: bytes) -> bytes:
    """Byte flips, truncation, insertions and duplicated chunks."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.choice(["flip", "truncate", "insert", "duplicate", "delete"])
        pos = rng.randint(0, len(out))
        if op == "flip" and out:
            out[min(pos, len(out) - 1)] ^= 1 << rng.randint(0, 7)
        elif op == "truncate":
            del out[pos:]
        elif op == "insert":
            out[pos:pos] = rng.choice(
                [b"\x00", b"\xff", b"<", b"\n", b"{", b"]]>", b"&#xD800;", rng.randbytes(8)]
            )
        elif op == "duplicate":
            out[pos:pos] = out[pos : pos + rng.randint(1, 2000)]
        elif op == "delete":
            del out[pos : pos + rng.randint(1, 100)]
    return bytes(out)


def real_files() -> list[tuple[str, bytes]]:
    """The demo corpus, the shared seed sample when present, and a WARC of the demo pages."""
    roots = [ROOT / "examples" / "corpus", ROOT.parent / "shared" / "data" / "seed-sample"]
    files = [
        (p.name, p.read_bytes()) for r in roots if r.is_dir() for p in sorted(r.rglob("*")) if p.is_file()
    ]
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for name, data in files:
        if name.endswith(".html"):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    f"http://x/{name}", "response", payload=io.BytesIO(data), http_headers=headers
                )
            )
    files.append(("corpus.warc.gz", buf.getvalue()))
    files.append(("corpus.jsonl.gz", gzip.compress(b"".join(d for n, d in files if n.endswith(".jsonl")))))
    return files


_REAL: list[tuple[str, bytes]] = []


def _mutated(rng: random.Random) -> HostileFile:
    if not _REAL:
        _REAL.extend(real_files())
    name, data = rng.choice(_REAL)
    return HostileFile(name, mutate(rng, data), "mutated", None)


_MAKERS: dict[str, Callable[[random.Random], HostileFile]] = {
    "txt": lambda r: _text(r, "txt"),
    "md": lambda r: _text(r, "md"),
    "html": _html,
    "jsonl": lambda r: _jsonl(r, "jsonl"),
    "json": lambda r: _jsonl(r, "json"),
    "jsonl.gz": lambda r: _jsonl(r, "jsonl.gz"),
    "rss": lambda r: _feed(r, "rss"),
    "atom": lambda r: _feed(r, "atom"),
    "warc": lambda r: _warc(r, "warc"),
    "warc.gz": lambda r: _warc(r, "warc.gz"),
    "txt.gz": lambda r: _gz(r, "txt.gz"),
    "html.gz": lambda r: _gz(r, "html.gz"),
    "sniff": _sniff,
    "mutated": _mutated,
}


def generate(rng: random.Random, fmt: str) -> HostileFile:
    return _MAKERS[fmt](rng)
