"""Turn small HTML fragments (feed entries) into paragraph text without a full page extractor."""

from __future__ import annotations

import re

import lxml.html
from lxml.etree import LxmlError, ParserError

__all__ = ["fragment_text"]

_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section"}


def fragment_text(fragment: str) -> str:
    if "<" not in fragment:
        return fragment.strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (LxmlError, ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment).strip()
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCKS:
            el.tail = "\n\n" + (el.tail or "")
    text = root.text_content()
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\s*\n\s*\n\s*", "\n\n", text).strip()
