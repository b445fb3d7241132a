import pytest

from lagebild.readers.sniff import sniff_kind


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("a.txt", b"Hallo Welt", "text"),
        ("a.md", b"# Titel", "markdown"),
        ("a.html", b"whatever", "html"),
        ("a.jsonl", b"{}", "jsonl"),
        ("a.warc.gz", b"WARC/1.0\r\n", "warc"),
        ("crawl.bin", b"WARC/1.1\r\n", "warc"),
        ("feed.xml", b'<?xml version="1.0"?><rss version="2.0">', "feed"),
        ("atom", b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        ("page", b"<!DOCTYPE html><html><body>", "html"),
        ("export.dat", b'{"text": "x"}\n', "jsonl"),
        ("notes", b"Just some words", "text"),
    ],
)
def test_sniff(name: str, head: bytes, kind: str):
    assert sniff_kind(name, head) == kind
