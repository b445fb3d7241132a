"""Stage ``clean``: remove page clutter and passages printed twice, keep every body paragraph.

Passes over the raw text's blocks (lines):
1. pattern rules from the language's rule files (navigation, prompts, appeals, captions …);
   for text copied from a web page (``clean.classifier``), the learned boilerplate classifier
   (``lagebild.text.boilerplate``) decides instead, with the rules' matches among its features: a
   removed line names the rule that matched it, or the classifier and its confidence;
2. the footer zone: after a separator line (``+++``), a run of short blocks to the end of the
   text is a page footer, even where no single rule names it;
3. duplicates: a block whose text is contained in another block (pull quotes, captions printed
   twice) is removed, keeping the longer or earlier copy.
Each removal is recorded as a :class:`RemovedSpan` with reason and rule, so nothing is lost.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from itertools import accumulate

from lagebild.model import Article, RemovedSpan
from lagebild.pipeline import Context, stage
from lagebild.rules import Rule, RuleSet, load_rules
from lagebild.text.blocks import Block, build_clean_text, merge_removed, normalize_for_compare, split_blocks
from lagebild.text.boilerplate import BoilerplateModel, load_model

__all__ = ["clean_article", "rules_for", "rule_matches", "uses_classifier"]

# Inputs that are copied page text; HTML, WARC and feeds arrive as trafilatura's main text already.
_COPIED_FORMATS = ("txt", "markdown")
# The classifier weighs a line against the page around it; a text of a few paragraphs is no page
# copy and keeps to the rules.
_MIN_PAGE_LINES = 8
_OVERRULE = 0.9  # body probability at which the classifier keeps a line a clutter rule names

_SEPARATOR = "separator"
_DUP_MIN = 20  # normalised characters; shorter repeats ("Kommentare") are left to the rules
_GRAM = 3  # words per n-gram in the repeat index of a huge page
_SCAN_LIMIT = 200_000  # characters of normalised page text up to which each block is found by a scan


def rules_for(article: Article, ctx: Context) -> RuleSet:
    extra = tuple(ctx.config["clean"]["extra_rule_files"])
    lang = article.language
    rules: RuleSet = ctx.resource(f"rules:{lang}:{extra}", lambda: load_rules(lang, extra))
    return rules


_Test = tuple[Rule, int, Callable[[str], "re.Match[str] | None"]]


def _rule_tests(rules: RuleSet, short_block: int) -> list[_Test]:
    """Each clutter rule with the longest block it applies to and its bound match method, so the
    per-line loop (the hot loop of cleaning) makes one call per rule."""
    return [
        (r, r.max_len or short_block, r.pattern.fullmatch if r.whole else r.pattern.search)
        for r in rules.clutter
    ]


def _span(block: Block, reason: str, rule: str) -> RemovedSpan:
    return RemovedSpan(block.start, block.end, block.text, reason, rule)


def _first_rule(block: Block, tests: list[_Test]) -> Rule | None:
    plain = block.plain
    size = len(plain)
    first = block.index == 0
    for rule, limit, test in tests:
        if size <= limit and (first or not rule.first_only) and test(plain) is not None:
            return rule
    return None


def rule_matches(blocks: list[Block], rules: RuleSet, short_block: int) -> dict[int, RemovedSpan]:
    """The blocks the clutter rules remove (and the short teasers after them), by block index."""
    return _rule_pass(blocks, rules, short_block)


def _classifier_pass(
    blocks: list[Block], ruled: dict[int, RemovedSpan], model: BoilerplateModel
) -> dict[int, RemovedSpan]:
    prob = model.body_probability(blocks, set(ruled))
    removed: dict[int, RemovedSpan] = {}
    for block, p_body in zip(blocks, prob, strict=True):
        rule = ruled.get(block.index)
        # A line a clutter rule names goes unless the classifier is sure it is body.
        if p_body >= (_OVERRULE if rule is not None else model.threshold):
            continue
        how = f"classifier, p={1.0 - float(p_body):.2f}"
        if rule is not None:
            removed[block.index] = _span(block, rule.reason, f"{rule.rule}; {how}")
        else:
            removed[block.index] = _span(block, "boilerplate", how)
    return removed


def _rule_pass(blocks: list[Block], rules: RuleSet, short_block: int) -> dict[int, RemovedSpan]:
    tests = _rule_tests(rules, short_block)
    matched = {b.index: _first_rule(b, tests) for b in blocks}
    removed: dict[int, RemovedSpan] = {
        i: _span(blocks[i], rule.reason, rule.name) for i, rule in matched.items() if rule is not None
    }
    # Blocks that follow a rule's match ("Lesen Sie auch" + the teaser headline) and match no
    # rule of their own take the rule's reason.
    for block in blocks:
        rule = matched[block.index]
        if rule is None:
            continue
        follow = blocks[block.index + 1 :]
        if rule.then is not None:
            for nxt in follow:
                if (
                    matched[nxt.index] is not None
                    and nxt.index in removed
                    and removed[nxt.index].rule != rule.name
                ):
                    break
                if not rule.then.search(nxt.plain) or len(nxt.plain) > (rule.max_len or short_block):
                    break
                removed[nxt.index] = _span(nxt, rule.reason, rule.name)
        # A prompt that carries its teaser ("Lesen Sie auch: Mieten steigen") owns no next line;
        # only a bare prompt ("Lesen Sie auch:") is followed by its teaser headline.
        for nxt in follow[: rule.next if _bare_prompt(rule, block.plain) else 0]:
            teaser = len(nxt.plain) <= 160 and not nxt.plain.rstrip("\"“”»«' ").endswith((".", "!", "?", ":"))
            if teaser and matched[nxt.index] is None:
                removed[nxt.index] = _span(nxt, rule.reason, f"{rule.name}:next")
    return removed


def _bare_prompt(rule: Rule, text: str) -> bool:
    match = rule.pattern.search(text)
    return match is not None and not text[match.end() :].strip(" :–-»>")


def _footer_pass(blocks: list[Block], removed: dict[int, RemovedSpan], short_block: int) -> None:
    separators = [b.index for b in blocks if b.index in removed and removed[b.index].reason == _SEPARATOR]
    for sep in separators:
        zone = blocks[sep:]
        kept = [b for b in zone if b.index not in removed]
        seps_in_zone = sum(1 for s in separators if s >= sep)
        if seps_in_zone >= 2 and all(len(b.plain) < short_block for b in kept):
            for b in kept:
                removed[b.index] = _span(b, "footer", "footer-zone")
            return


def _repeats(norm: str, other_norm: str, other_is_earlier: bool) -> bool:
    """``norm`` repeats ``other_norm``: printed the same earlier, or contained in a longer block."""
    if other_norm == norm:
        return other_is_earlier
    return len(other_norm) > len(norm) and norm in other_norm


def _containing(norm: str, page: str, offsets: list[int]) -> Iterator[int]:
    """Indices (ascending) of the blocks whose words contain ``norm``'s words as a run.

    ``page`` is every block's normalised text padded with spaces, one per line, and ``offsets``
    where each starts: one scan in C per block, the fastest way on a page of ordinary size."""
    needle = f" {norm} "
    at = page.find(needle)
    while at >= 0:
        yield bisect_right(offsets, at) - 1
        at = page.find(needle, at + 1)


class _GramIndex:
    """Candidate blocks by the rarest of a block's word n-grams: on a huge page, where one scan per
    block would make the pass quadratic, finding where a passage repeats costs a look-up."""

    def __init__(self, words: list[list[str]]) -> None:
        self.index = _gram_index(words)

    def candidates(self, ws: list[str]) -> list[int]:
        n = min(_GRAM, len(ws))
        keys = (
            [tuple(ws[j : j + n]) for j in range(len(ws) - n + 1)] if len(ws) >= _GRAM else [(w,) for w in ws]
        )
        # Any block that contains this one contains each of its n-grams: look in the rarest list.
        return min((self.index.get(k, []) for k in keys), key=len, default=[])


def _gram_index(words: list[list[str]]) -> dict[tuple[str, ...], list[int]]:
    """Block indices (ascending) by the word n-grams (n = _GRAM) and the single words they contain,
    so that finding where a passage repeats costs a look-up, not a scan of the page."""
    index: dict[tuple[str, ...], list[int]] = {}
    for i, ws in enumerate(words):
        n = min(_GRAM, len(ws))
        grams = {tuple(ws[j : j + n]) for j in range(len(ws) - n + 1)} if n else set()
        grams |= {(w,) for w in ws}  # single words, for blocks shorter than an n-gram
        for gram in grams:
            index.setdefault(gram, []).append(i)
    return index


def _duplicate_pass(blocks: list[Block], removed: dict[int, RemovedSpan]) -> None:
    """Remove kept blocks printed twice. A block that repeats a removed one (a caption printed
    once bare and once with its credit) takes that block's reason."""
    norms = [normalize_for_compare(b.text) for b in blocks]
    offsets = list(accumulate((len(n) + 3 for n in norms[:-1]), initial=0))
    page = "".join(f" {n} \n" for n in norms)
    grams = _GramIndex([n.split() for n in norms]) if len(page) > _SCAN_LIMIT else None
    for block in blocks:
        norm = norms[block.index]
        if block.index in removed or len(norm) < _DUP_MIN or len(norm) > 600:
            continue
        found = grams.candidates(norm.split()) if grams else _containing(norm, page, offsets)
        for other_index in found:
            other_norm = norms[other_index]
            if other_index == block.index or not _repeats(norm, other_norm, other_index < block.index):
                continue
            if other_index in removed:
                reason = removed[other_index].reason
                removed[block.index] = _span(block, reason, f"repeat of block {other_index + 1}")
                break
            what = "repeated passage" if other_norm == norm else "passage contained in another"
            removed[block.index] = _span(block, "duplicate", f"{what} (block {other_index + 1})")
            break


def clean_article(
    article: Article, rules: RuleSet, short_block: int, model: BoilerplateModel | None = None
) -> Article:
    """Clean ``article``; with ``model``, the classifier decides which lines are clutter."""
    blocks = split_blocks(article.raw_text)
    removed = _rule_pass(blocks, rules, short_block)
    if model is not None and len(blocks) >= _MIN_PAGE_LINES:
        decided = _classifier_pass(blocks, removed, model)
        # A page the classifier finds no body in (a list, a table, a poem) keeps the rules' cut
        # rather than losing every line.
        if len(decided) < len(blocks):
            removed = decided
    _footer_pass(blocks, removed, short_block)
    _duplicate_pass(blocks, removed)
    merge_removed(article, list(removed.values()))
    article.clean_text = build_clean_text(article, blocks)
    return article


@stage("clean", needs=("raw_text", "language"), adds=("clean_text", "removed"))
def clean(article: Article, ctx: Context) -> Article:
    """Remove navigation, prompts, appeals, captions, footers and duplicates; build clean_text."""
    cfg = ctx.config["clean"]
    copied = uses_classifier(article, str(cfg["classifier"]))
    model = ctx.resource("boilerplate-model", load_model) if copied else None
    return clean_article(article, rules_for(article, ctx), int(cfg["short_block"]), model)


def uses_classifier(article: Article, setting: str) -> bool:
    """``clean.classifier`` (checked when the config loads): "auto" (copied page text: .txt and
    Markdown), "always" or "never"."""
    if setting == "auto":
        return article.source_format in _COPIED_FORMATS
    return setting == "always"
