"""The HTML reader converts what its parsers raise on hostile pages into InputError."""

from __future__ import annotations

import pytest

from lagebild.errors import InputError
from lagebild.readers import html as html_reader


@pytest.mark.parametrize(
    "error", [RecursionError("too deep"), UnicodeDecodeError("utf-8", b"\xff", 0, 1, "bad")]
)
def test_parser_errors_become_input_errors(monkeypatch: pytest.MonkeyPatch, error: Exception):
    def explode(*args: object, **kwargs: object) -> None:
        raise error

    import trafilatura  # the reader imports it when it reads a page

    monkeypatch.setattr(trafilatura, "bare_extraction", explode)
    with pytest.raises(InputError, match=f"unparseable HTML: {type(error).__name__}"):
        html_reader.html_article("<html><body><p>Text</p></body></html>", "p.html", [])


def test_deep_nesting_is_one_failed_item():
    page = "<html><body>" + "<div>" * 100_000 + "<p>Ein Satz.</p>" + "</div>" * 100_000 + "</body></html>"
    with pytest.raises(InputError):
        html_reader.html_article(page, "p.html", [])
