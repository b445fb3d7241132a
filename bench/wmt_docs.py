"""Read the WMT21 news test sets (``newstest2021.{de-fr,fr-de}.all.xml``) into lagebild articles.

Structure (standard library ``xml.etree``): ``<dataset>`` → ``<doc origlang=.. id=..>`` → one
``<src lang=..>``, one ``<ref lang=.. translator=A>`` and one ``<hyp system=.. lang=..>`` per MT
system, each of ``<p>`` paragraphs of ``<seg id=..>`` sentences. Each version becomes one
:class:`~lagebild.model.Article` whose ``clean_text`` is the segments (one space between them,
a blank line between paragraphs) and whose ``sentences`` are the segments' offsets.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from lagebild.model import Article, Sentence

__all__ = ["WmtDoc", "load_wmt", "to_article"]

FILES = ("newstest2021.de-fr.all.xml", "newstest2021.fr-de.all.xml")


@dataclass
class WmtDoc:
    doc_id: str
    origlang: str
    version: str  # "src", "ref" or the MT system's name
    lang: str
    paragraphs: list[list[str]]

    @property
    def key(self) -> str:
        return f"{self.doc_id}|{self.version}"


def load_wmt(folder: Path) -> list[WmtDoc]:
    docs: list[WmtDoc] = []
    for name in FILES:
        root = ET.parse(folder / name).getroot()
        for doc in root.iter("doc"):
            doc_id, origlang = doc.get("id", ""), doc.get("origlang", "")
            for part in doc:
                if part.tag not in ("src", "ref", "hyp"):
                    continue
                version = part.tag if part.tag != "hyp" else part.get("system", "hyp")
                paragraphs = [
                    [" ".join((seg.text or "").split()) for seg in p.iter("seg")] for p in part.iter("p")
                ]
                paragraphs = [[s for s in p if s] for p in paragraphs]
                docs.append(
                    WmtDoc(doc_id, origlang, version, part.get("lang", ""), [p for p in paragraphs if p])
                )
    return docs


def to_article(doc: WmtDoc) -> Article:
    parts: list[str] = []
    sentences: list[Sentence] = []
    pos = 0
    for i, paragraph in enumerate(doc.paragraphs):
        if i:
            parts.append("\n\n")
            pos += 2
        for j, seg in enumerate(paragraph):
            if j:
                parts.append(" ")
                pos += 1
            sentences.append(Sentence(pos, pos + len(seg)))
            parts.append(seg)
            pos += len(seg)
    text = "".join(parts)
    return Article(
        id=doc.key,
        source=f"wmt21:{doc.key}",
        source_format="txt",
        raw_text=text,
        clean_text=text,
        language=doc.lang,
        sentences=sentences,
        outlet=doc.doc_id.rsplit(".", 1)[0],
    )
