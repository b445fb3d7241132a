"""Feeds with hostile character references and prologs, read through read_paths."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lagebild.config import load_config
from lagebild.errors import InputError
from lagebild.model import Article
from lagebild.readers import read_paths

BODY = "Die Regierung in Peking kündigte am Dienstag neue Zölle auf Importe aus der Europäischen Union an."
ITEM = (
    "<item><title>{title}</title><link>https://w.example/{n}</link><description>{body}</description></item>"
)


def rss(*items: str, prolog: str = '<?xml version="1.0" encoding="UTF-8"?>\n') -> str:
    return f'{prolog}<rss version="2.0"><channel><title>Weltpresse</title>{"".join(items)}</channel></rss>'


def read(path: Path) -> list[Article | InputError]:
    return list(read_paths([str(path)], load_config()))


@pytest.mark.parametrize(
    "ref", ["&#xD800;", "&#xdfff;", "&#55296;", "&#xD800", "&#x110000;", "&#0;", "&#" + "9" * 5000 + ";"]
)
def test_bad_character_references_become_replacement_characters(tmp_path: Path, ref: str):
    feed = rss(
        ITEM.format(title=f"Eins {ref}", n=1, body=f"{BODY} {ref} Ende."),
        ITEM.format(title="Zwei", n=2, body=BODY + " Zwei."),
    )
    (tmp_path / "f.rss").write_text(feed, encoding="utf-8")
    one, two = read(tmp_path / "f.rss")
    assert isinstance(one, Article) and isinstance(two, Article)
    assert "\ufffd" in one.raw_text and one.hints.title is not None and "\ufffd" in one.hints.title
    one.raw_text.encode("utf-8")
    assert two.hints.title == "Zwei"


def test_valid_character_references_are_kept(tmp_path: Path):
    (tmp_path / "f.rss").write_text(
        rss(ITEM.format(title="&#x4E60; &#228;", n=1, body=BODY)), encoding="utf-8"
    )
    [article] = read(tmp_path / "f.rss")
    assert isinstance(article, Article) and article.hints.title == "习 ä"


@pytest.mark.parametrize(
    ("name", "prolog"),
    [
        ("feed.xml", '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!-- ' + "x" * 6000 + " -->\n]>\n"),
        ("feed", '<?xml version="1.0"?>\n<!-- ' + "licence text " * 600 + "-->\n"),
        ("feed.txt", '<?xml version="1.0"?><?xml-stylesheet href="s.xsl"?>' + " " * 5000 + "\n"),
        ("feed.dat", '<!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" "x.dtd">' + "\n" * 4100),
    ],
)
def test_long_prolog_before_the_root_is_still_a_feed(tmp_path: Path, name: str, prolog: str):
    (tmp_path / name).write_text(
        rss(ITEM.format(title="Eins", n=1, body=BODY), prolog=prolog), encoding="utf-8"
    )
    [article] = read(tmp_path / name)
    assert isinstance(article, Article) and article.source_format == "feed"
    assert article.hints.outlet == "Weltpresse"


def test_blank_lines_in_the_prolog_cost_linear_time(tmp_path: Path):
    # feedparser's prolog regex is quadratic in blank lines before the root: 20,000 took minutes.
    prolog = '<?xml version="1.0"?>' + "\n" * 20_000 + "<!-- c -->" + " \n" * 20_000
    (tmp_path / "f.rss").write_text(
        rss(ITEM.format(title="Eins", n=1, body=BODY), prolog=prolog), encoding="utf-8"
    )
    start = time.monotonic()
    [article] = read(tmp_path / "f.rss")
    assert isinstance(article, Article) and article.hints.title == "Eins"
    assert time.monotonic() - start < 5
