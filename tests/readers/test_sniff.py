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


LONG_COMMENT = b"<!-- " + b"Lizenz " * 1000 + b"-->\n"


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("f.xml", b'<?xml version="1.0"?>\n' + LONG_COMMENT + b'<rss version="2.0">', "feed"),
        ("f", b'<?xml version="1.0"?><!DOCTYPE rss [' + b"<!ENTITY a 'b'>" * 400 + b"]><rss>", "feed"),
        ("f", b"<?xml version='1.0'?>\n<!DOCTYPE feed>\n" + b" " * 5000 + b"<feed xmlns='x'>", "feed"),
        ("f.txt", LONG_COMMENT + b"<rdf:RDF xmlns:rdf='x'>", "feed"),
        ("page", b"<!DOCTYPE html>\n" + LONG_COMMENT + b"<html><body><p>Hallo</p>", "html"),
        ("page", b"<!-- <rss> in a comment -->\n<html><body>", "html"),
        ("notes", b"<?xml version='1.0'?><!-- never closed " + b"x" * 70_000, "text"),
        ("notes", b"<!DOCTYPE [" + b"]" * 70_000, "text"),
    ],
)
def test_prolog_of_any_length_is_skipped(name: str, head: bytes, kind: str):
    assert sniff_kind(name, head[:65536]) == kind
