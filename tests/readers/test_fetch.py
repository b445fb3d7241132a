"""Fetching URLs is opt-in; with --fetch a page served on localhost is read like a file."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from lagebild.config import load_config
from lagebild.errors import InputError
from lagebild.model import Article
from lagebild.readers import read_paths

PAGE = (
    "<html><head><title>Xi in Moskau</title><meta property='og:site_name' content='Tagesblatt'></head><body>"
    "<article><h1>Xi in Moskau</h1><p>Der chinesische Präsident Xi Jinping ist zu einem Staatsbesuch in Moskau "
    "eingetroffen. Die beiden Staatschefs wollen über Energie, Handel und Sicherheit sprechen.</p>"
    "<p>Beobachter erwarten neue Vereinbarungen zur Gaspipeline Power of Siberia 2 und zu Rüstungsgeschäften.</p>"
    "</article></body></html>"
).encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path == "/missing":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_fetch_reads_html_when_allowed(server: str):
    [article] = list(read_paths([f"{server}/politik/xi"], load_config(overrides=["input.fetch=true"])))
    assert isinstance(article, Article)
    assert article.source_format == "html" and article.url == f"{server}/politik/xi"
    assert "Staatsbesuch in Moskau" in article.raw_text and article.hints.outlet == "Tagesblatt"


def test_fetch_errors_are_items(server: str):
    [err] = list(read_paths([f"{server}/missing"], load_config(overrides=["input.fetch=true"])))
    assert isinstance(err, InputError) and "fetch failed" in err.reason


def test_no_fetch_without_opt_in(server: str):
    [err] = list(read_paths([f"{server}/politik/xi"], load_config()))
    assert isinstance(err, InputError) and "--fetch" in err.reason
