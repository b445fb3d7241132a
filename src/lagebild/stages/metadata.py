"""Stage ``metadata``: title, publication date, authors, outlet and provenance from the text.

Runs after ``clean`` so that navigation and prompts are already out of the way when it looks
for the headline; it scans removed blocks too for provenance notes and outlet cues, which live
in page footers.
"""

from __future__ import annotations

import datetime as dt

from lagebild.errors import ConfigError
from lagebild.meta.extract import (
    Found,
    find_authors,
    find_copied_title,
    find_date,
    find_head_date,
    find_outlet,
    find_provenance,
    find_title,
    is_markdown_heading,
)
from lagebild.meta.titles import body_start
from lagebild.model import Article, RemovedSpan
from lagebild.pipeline import Context, stage
from lagebild.stages.clean import rules_for
from lagebild.text.blocks import Block, build_clean_text, merge_removed, split_blocks

__all__ = ["extract_metadata", "reference_date"]


def reference_date(ctx: Context) -> dt.date:
    """The date relative expressions and year-less dates resolve against (metadata.reference_date)."""
    value = str(ctx.config["metadata"]["reference_date"]).strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(f"metadata.reference_date must be YYYY-MM-DD, got {value!r}") from exc


def extract_metadata(article: Article, ctx: Context) -> Article:
    rules = rules_for(article, ctx)
    blocks = split_blocks(article.raw_text)
    removed = {(r.start, r.end) for r in article.removed}
    removed_blocks = {b.index for b in blocks if (b.start, b.end) in removed}
    kept = [b for b in blocks if b.index not in removed_blocks]
    found = Found()

    article.provenance = find_provenance(blocks, rules, found)
    head: list[Block] = []
    if any("classifier" in span.rule for span in article.removed) and kept and not article.hints.title:
        # A copied page: the headline and the date line sit above the body, among lines the
        # classifier removed, so both are looked for around the first body line.
        first = kept[0].index
        # The byline may sit under a headline the classifier kept: the head for it reaches up from
        # the body's first paragraph (the dates keep to the first kept line, which measured better:
        # calibration sites, exact day 0.697 against 0.689).
        body = body_start(blocks, [b.index not in removed_blocks for b in blocks])
        head = [b for b in blocks[max(0, body - 15) : body] if b.index in removed_blocks]
        by_rule = {span.start for span in article.removed if span.reason != "boilerplate"}
        ruled = {b.index for b in blocks if b.index in removed_blocks and b.start in by_rule}
        kept_ids = {b.index for b in kept}
        above = blocks[max(0, first - 15) : first]
        heading = next((i for i, b in enumerate(above) if is_markdown_heading(b.text)), None)
        if heading is not None:
            # Markdown headings say outright which line is the title and which the subtitle.
            article.title, article.subtitle = find_title(article, above[heading:] + kept, found)
        else:
            article.title, article.subtitle = find_copied_title(blocks, kept_ids, ruled, found), None
        article.published = find_date(
            article, above + kept, rules, reference_date(ctx), found, limit=len(above) + 12
        ) or find_head_date(*_nearest_first(blocks, first, found), rules=rules, found=found)
    else:
        article.title, article.subtitle = find_title(article, kept, found)
        article.published = find_date(article, kept, rules, reference_date(ctx), found)
    # On a page copy the byline stands with the headline, among the lines above the body.
    article.authors = find_authors(article, head + kept, rules, found)
    article.outlet, article.outlet_evidence = find_outlet(article, blocks, removed_blocks, rules)
    if not article.url:
        article.url = article.hints.url

    by_index = {b.index: b for b in blocks}
    spans: list[RemovedSpan] = []
    for index, reason in sorted(found.blocks.items()):
        block = by_index[index]
        if index in removed_blocks:
            # Already removed as clutter; a provenance note deserves the more telling reason.
            # A provenance note, or a headline/date/byline the classifier removed as mere
            # "boilerplate", deserves the more telling reason.
            for span in article.removed:
                if (span.start, span.end) != (block.start, block.end):
                    continue
                if reason == "provenance note":
                    span.reason, span.rule = reason, f"{span.rule}+provenance"
                elif span.reason == "boilerplate" and reason.startswith("metadata:"):
                    span.reason, span.rule = reason, f"metadata; {span.rule}"
            continue
        spans.append(RemovedSpan(block.start, block.end, block.text, reason, "metadata"))
    for start, end, reason in found.spans:
        spans.append(RemovedSpan(start, end, article.raw_text[start:end], reason, "metadata"))
    merge_removed(article, spans)
    article.clean_text = build_clean_text(article, blocks)
    return article


def _nearest_first(blocks: list[Block], first_body: int, found: Found) -> tuple[list[Block], int]:
    """All lines ordered by distance from the headline (or the first body line): the lines under
    the headline and the body's first three lines come first, then the rest by distance. Also
    returns how many of them are the headline's surroundings."""
    anchor = next((b.index for b in blocks if found.blocks.get(b.index) == "metadata:title"), first_body)
    near = [b for b in blocks if anchor < b.index <= first_body + 3]
    near_ids = {b.index for b in near}
    rest = sorted((b for b in blocks if b.index not in near_ids), key=lambda b: abs(b.index - anchor))
    return [*near, *rest], len(near)


@stage(
    "metadata",
    needs=("raw_text", "removed", "language"),
    adds=("title", "subtitle", "published", "authors", "outlet", "provenance", "clean_text"),
)
def metadata(article: Article, ctx: Context) -> Article:
    """Title, date (with precision and evidence), authors, outlet and provenance notes."""
    return extract_metadata(article, ctx)
