"""Split raw text into blocks (non-empty lines) that keep their offsets into the raw text."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate

from lagebild.model import Article, RemovedSpan
from lagebild.text.markdown import markdown_to_text

__all__ = ["Block", "split_blocks", "removed_ranges", "build_clean_text", "normalize_for_compare"]

_LINE = re.compile(r"[^\n]+")
_END_OF_SENTENCE = re.compile(r"[.!?…:;\"“”»«)\]*_]\s*$")


@dataclass(frozen=True)
class Block:
    index: int
    start: int  # offset of the first non-space character in raw text
    end: int  # offset after the last non-space character
    text: str  # raw text of the block, stripped
    blank_before: bool  # an empty line precedes it (a paragraph break, not a wrapped line)

    @cached_property
    def plain(self) -> str:
        return markdown_to_text(self.text)


def split_blocks(raw: str) -> list[Block]:
    blocks: list[Block] = []
    prev_end = 0
    for match in _LINE.finditer(raw):
        line = match.group()
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        start = match.start() + lead
        gap = raw[prev_end : match.start()]
        blocks.append(
            Block(len(blocks), start, start + len(stripped), stripped, gap.count("\n") >= 2 or not blocks)
        )
        prev_end = match.end()
    return blocks


def removed_ranges(article: Article) -> list[tuple[int, int]]:
    return sorted((r.start, r.end) for r in article.removed)


def _cut(raw: str, start: int, end: int, ranges: list[tuple[int, int]], ends: list[int]) -> str:
    """raw[start:end] without the removed ranges that fall inside it.

    ``ranges`` is sorted by start and ``ends`` is the running maximum of their ends, so the ranges
    before the first that can reach ``start`` are skipped by bisection rather than scanned."""
    out, pos = [], start
    for a, b in ranges[bisect_right(ends, start) :]:
        if a >= end:
            break
        if b <= pos:
            continue
        if a > pos:
            out.append(raw[pos:a])
        pos = max(pos, b)
    if pos < end:
        out.append(raw[pos:end])
    return " ".join(part.strip() for part in out if part.strip())


def build_clean_text(article: Article, blocks: list[Block] | None = None) -> str:
    """Clean text = raw blocks minus removed spans, Markdown turned into text, one paragraph per block.

    A block that ends mid-sentence and a following block that starts in lower case are one
    paragraph broken by the copy-and-paste (seen in real reposts), so they are joined.
    """
    blocks = blocks if blocks is not None else split_blocks(article.raw_text)
    ranges = removed_ranges(article)
    ends = list(accumulate((b for _, b in ranges), max))
    paragraphs: list[str] = []
    for block in blocks:
        text = _cut(article.raw_text, block.start, block.end, ranges, ends)
        if not text:
            continue
        plain = markdown_to_text(text)
        if not plain:
            continue
        if paragraphs and plain[0].islower() and not _END_OF_SENTENCE.search(paragraphs[-1]):
            paragraphs[-1] = f"{paragraphs[-1]} {plain}"
        else:
            paragraphs.append(plain)
    return "\n\n".join(paragraphs)


_NORM = re.compile(r"[\W_]+", re.UNICODE)


def normalize_for_compare(text: str) -> str:
    """Lower-case letters and digits only, single-spaced: for spotting passages printed twice."""
    return _NORM.sub(" ", markdown_to_text(text).casefold()).strip()


def merge_removed(article: Article, spans: list[RemovedSpan]) -> None:
    """Add spans that do not overlap a span already removed (``a < end and start < b``)."""
    # What is taken, as sorted disjoint intervals (their union): a span overlaps a taken span exactly
    # when it overlaps one of these, and only the two next to its place can. Empty spans are kept
    # apart (they overlap only what strictly contains them).
    taken: list[list[int]] = []
    points: list[int] = []
    for a, b in removed_ranges(article):
        if a == b:
            points.append(a)
        elif taken and a < taken[-1][1]:
            taken[-1][1] = max(taken[-1][1], b)
        else:
            taken.append([a, b])
    starts = [a for a, _ in taken]
    for span in spans:
        s, e = span.start, span.end
        at = bisect_right(starts, s)
        if at and taken[at - 1][0] < e and s < taken[at - 1][1]:
            continue
        if at < len(taken) and taken[at][0] < e:
            continue
        if any(s < p < e for p in points):
            continue
        article.removed.append(span)
        if s == e:
            points.append(s)
        else:
            taken.insert(at, [s, e])
            starts.insert(at, s)
    article.removed.sort(key=lambda r: r.start)
