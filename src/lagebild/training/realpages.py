"""The ``realpages`` data set (``../shared/data/realpages/``): real web pages with gold main-text
snippets and publication dates, and the project's fixed split of its sites.

Scoring follows trafilatura's evaluation: a snippet counts when its whitespace-normalised text is a
substring of the whitespace-normalised output.
"""

from __future__ import annotations

import gzip
import html as html_lib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from lagebild.errors import InputError

__all__ = [
    "Page",
    "SPLIT_FILE",
    "load_pages",
    "load_split",
    "snippet_counts",
    "prf",
    "reference_titles",
    "title_matches",
]

SPLIT_FILE = Path(__file__).resolve().parents[3] / "bench" / "data" / "realpages-split.json"
_WS = re.compile(r"\s+")


@dataclass
class Page:
    task: str  # "text" or "date"
    page: str
    site: str
    url: str | None
    root: Path
    with_: list[str] = field(default_factory=list)
    without: list[str] = field(default_factory=list)
    date: str | None = None

    @property
    def text(self) -> str:
        return (self.root / "text" / f"{self.page}.txt").read_text(encoding="utf-8", errors="replace")

    @property
    def html(self) -> str:
        data = gzip.decompress((self.root / "html" / f"{self.page}.html.gz").read_bytes())
        return data.decode("utf-8", errors="replace")


def load_split(path: Path = SPLIT_FILE) -> dict[str, str]:
    """Site -> "calibration" or "test"."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {site: part for part in ("calibration", "test") for site in data[part]}


def load_pages(root: Path, part: str | None = None, task: str | None = None) -> Iterator[Page]:
    """Pages of ``part`` ("calibration", "test" or None for all) and ``task``."""
    index = root / "pages.jsonl"
    if not index.is_file():
        raise InputError(str(index), "realpages data set not found")
    split = load_split()
    with index.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if part is not None and split.get(row["site"]) != part:
                continue
            if task is not None and row["task"] != task:
                continue
            url = row.get("url") or ""
            yield Page(
                task=row["task"],
                page=row["page"],
                site=row["site"],
                url=None if url.startswith("hard::") else url,
                root=root,
                with_=list(row.get("with") or []),
                without=list(row.get("without") or []),
                date=row.get("date"),
            )


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def snippet_counts(output: str, page: Page) -> tuple[int, int, int]:
    """(with found, without found, with total) for one page's output text."""
    out = _norm(output)
    found_with = sum(1 for s in page.with_ if _norm(s) in out)
    found_without = sum(1 for s in page.without if _norm(s) in out)
    return found_with, found_without, len(page.with_)


def prf(found_with: int, found_without: int, total_with: int) -> tuple[float, float, float]:
    p = found_with / (found_with + found_without) if found_with + found_without else 0.0
    r = found_with / total_with if total_with else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


_META_TITLE = re.compile(
    r"<meta[^>]+(?:property|name)=[\"'](?:og:title|twitter:title)[\"'][^>]*content=[\"']([^\"']+)", re.I
)
_META_TITLE_REV = re.compile(
    r"<meta[^>]+content=[\"']([^\"']+)[\"'][^>]*(?:property|name)=[\"'](?:og:title|twitter:title)[\"']", re.I
)
_TAG_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")
_SITE_SEP = re.compile(r"\s+[|–—:»·-]\s+|\s+::\s+")


def _clean_markup(text: str) -> str:
    return _norm(html_lib.unescape(_TAGS.sub(" ", text)))


def reference_titles(html: str) -> list[str]:
    """Headline candidates of a page: og:title / twitter:title, the first <h1>s, and <title> with
    and without the site name after a separator ("Headline | Site")."""
    refs: list[str] = []
    for pattern in (_META_TITLE, _META_TITLE_REV):
        refs += [_clean_markup(m) for m in pattern.findall(html)]
    refs += [_clean_markup(m) for m in _H1.findall(html)[:3]]
    for raw in _TAG_TITLE.findall(html)[:1]:
        title = _clean_markup(raw)
        refs.append(title)
        parts = [p for p in _SITE_SEP.split(title) if p]
        if len(parts) > 1:
            refs.append(max(parts, key=len))
    return [r for r in dict.fromkeys(refs) if len(r.split()) >= 2]


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def title_matches(found: str | None, refs: list[str], threshold: float = 0.85) -> bool:
    """The found title is the headline: equal to a reference after normalisation, or nearly so."""
    if not found:
        return False
    key = _key(found)
    for ref in refs:
        ref_key = _key(ref)
        if not ref_key:
            continue
        if key == ref_key or SequenceMatcher(None, key, ref_key).ratio() >= threshold:
            return True
    return False
