"""Stage ``sentences``: sentence and token boundaries in the clean text.

Two backends, chosen by ``sentences.backend``: SoMaJo (default; rule-based tokenizer built for
German and English web text, handles abbreviations, ordinals in dates and quotes) and a fast
regex splitter for very large runs. ``bench/sentences.py`` measures both on SpkAtt-2023 dev;
figures in BENCHMARKS.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lagebild.errors import ConfigError
from lagebild.model import Article, Sentence
from lagebild.pipeline import Context, stage

__all__ = ["split_somajo", "split_regex", "paragraph_spans"]

Splitter = Callable[[str], list[Sentence]]


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text)]


def _somajo(language: str | None) -> Any:
    from somajo import SoMaJo

    model = "de_CMC" if language == "de" else "en_PTB"
    return SoMaJo(model, character_offsets=True)


def split_somajo(text: str, tokenizer: Any, notes: list[str] | None = None) -> list[Sentence]:
    """SoMaJo's sentences; a paragraph SoMaJo cannot align goes to :func:`split_regex` (with a note)."""
    sentences: list[Sentence] = []
    fallbacks = 0
    for p_start, p_end in paragraph_spans(text):
        try:
            found = list(tokenizer.tokenize_text([text[p_start:p_end]]))
        except AssertionError:
            # SoMaJo checks its character offsets against the NFC form of each character and fails on a
            # character that NFC expands (Tibetan U+0F4D → U+0F4C U+0FB7; the full-pipeline fuzz found it)
            fallbacks += 1
            sentences += split_regex(text[p_start:p_end], p_start)
            continue
        for sent in found:
            offsets = [(p_start + t.character_offset[0], p_start + t.character_offset[1]) for t in sent]
            if offsets:
                sentences.append(Sentence(offsets[0][0], offsets[-1][1], offsets))
    if fallbacks and notes is not None:
        notes.append(
            f"sentences: {fallbacks} paragraph(s) split by the regex backend (SoMaJo cannot align "
            "characters that Unicode normalisation expands)"
        )
    return sentences


_ABBREV = re.compile(
    r"(?:\b(?:Dr|Prof|Nr|St|Mio|Mrd|bzw|ca|vgl|z\.B|u\.a|d\.h|usw|etc|Hr|Fr|Abs|Art|Jan|Feb|Mär|Apr|Jun|"
    r"Jul|Aug|Sep|Sept|Okt|Nov|Dez|Mr|Mrs|Ms|Gen|Sen|Rep|Inc|Ltd|Co|Corp|No|vs|Jr|Sr|U\.S|S\.o)|\b[A-Z]|\d{1,2})\.$"
)
_BOUNDARY = re.compile(r"[.!?…]+[\"“”»«'’)\]]*(?=\s+[\"„“»«'‚(\[]?[A-ZÄÖÜ0-9])")
_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]")


def split_regex(text: str, offset: int = 0) -> list[Sentence]:
    """Sentences of ``text`` by rule; ``offset`` is added to every position (a paragraph of a text)."""
    sentences: list[Sentence] = []
    for p_start, p_end in paragraph_spans(text):
        para, p_start = text[p_start:p_end], p_start + offset
        start = 0
        for match in _BOUNDARY.finditer(para):
            if _ABBREV.search(para[max(0, match.end() - 12) : match.end()]) and para[match.end() - 1] == ".":
                continue
            sentences.append(_sentence(para, start, match.end(), p_start))
            start = match.end()
        if para[start:].strip():
            sentences.append(_sentence(para, start, len(para), p_start))
    return sentences


def _sentence(para: str, start: int, end: int, offset: int) -> Sentence:
    while start < end and para[start].isspace():
        start += 1
    tokens = [(offset + m.start(), offset + m.end()) for m in _TOKEN.finditer(para, start, end)]
    return Sentence(offset + start, offset + end, tokens)


@stage("sentences", needs=("clean_text", "language"), adds=("sentences",))
def sentences(article: Article, ctx: Context) -> Article:
    """Split clean_text into sentences with token offsets (SoMaJo or regex backend)."""
    backend = ctx.config["sentences"]["backend"]
    if backend == "somajo":
        lang = "de" if article.language == "de" else "en"
        tok = ctx.resource(f"somajo:{lang}", lambda: _somajo(lang))
        result = split_somajo(article.clean_text, tok, article.notes)
    elif backend == "regex":
        result = split_regex(article.clean_text)
    else:
        raise ConfigError(f"sentences.backend must be 'somajo' or 'regex', not {backend!r}")
    if not ctx.config["sentences"]["tokens"]:
        for sent in result:
            sent.tokens = []
    article.sentences = result
    return article
