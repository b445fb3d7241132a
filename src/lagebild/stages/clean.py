"""Stage ``clean``: remove page clutter and passages printed twice, keep every body paragraph.

Three passes over the raw text's blocks (lines):
1. pattern rules from the language's rule files (navigation, prompts, appeals, captions …);
2. the footer zone: after a separator line (``+++``), a run of short blocks to the end of the
   text is a page footer, even where no single rule names it;
3. duplicates: a block whose text is contained in another block (pull quotes, captions printed
   twice) is removed, keeping the longer or earlier copy.
Each removal is recorded as a :class:`RemovedSpan` with reason and rule, so nothing is lost.
"""

from __future__ import annotations

from lagebild.model import Article, RemovedSpan
from lagebild.pipeline import Context, stage
from lagebild.rules import Rule, RuleSet, load_rules
from lagebild.text.blocks import Block, build_clean_text, merge_removed, normalize_for_compare, split_blocks

__all__ = ["clean_article", "rules_for"]

_SEPARATOR = "separator"
_DUP_MIN = 20  # normalised characters; shorter repeats ("Kommentare") are left to the rules


def rules_for(article: Article, ctx: Context) -> RuleSet:
    extra = tuple(ctx.config["clean"]["extra_rule_files"])
    lang = article.language
    rules: RuleSet = ctx.resource(f"rules:{lang}:{extra}", lambda: load_rules(lang, extra))
    return rules


def _matches(rule: Rule, text: str, short_block: int) -> bool:
    if len(text) > (rule.max_len or short_block):
        return False
    return bool(rule.pattern.fullmatch(text) if rule.whole else rule.pattern.search(text))


def _span(block: Block, reason: str, rule: str) -> RemovedSpan:
    return RemovedSpan(block.start, block.end, block.text, reason, rule)


def _first_rule(block: Block, rules: RuleSet, short_block: int) -> Rule | None:
    plain = block.plain
    return next(
        (
            r
            for r in rules.clutter
            if (not r.first_only or block.index == 0) and _matches(r, plain, short_block)
        ),
        None,
    )


def _rule_pass(blocks: list[Block], rules: RuleSet, short_block: int) -> dict[int, RemovedSpan]:
    matched = {b.index: _first_rule(b, rules, short_block) for b in blocks}
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
        for nxt in follow[: rule.next]:
            teaser = len(nxt.plain) <= 160 and not nxt.plain.rstrip("\"“”»«' ").endswith((".", "!", "?", ":"))
            if teaser and matched[nxt.index] is None:
                removed[nxt.index] = _span(nxt, rule.reason, f"{rule.name}:next")
    return removed


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


def _duplicate_pass(blocks: list[Block], removed: dict[int, RemovedSpan]) -> None:
    """Remove kept blocks printed twice. A block that repeats a removed one (a caption printed
    once bare and once with its credit) takes that block's reason."""
    norms = [normalize_for_compare(b.text) for b in blocks]
    for block in blocks:
        norm = norms[block.index]
        if block.index in removed or len(norm) < _DUP_MIN or len(norm) > 600:
            continue
        for other in blocks:
            other_norm = norms[other.index]
            if other.index == block.index:
                continue
            equal_earlier = other_norm == norm and other.index < block.index
            if not (equal_earlier or (len(other_norm) > len(norm) and norm in other_norm)):
                continue
            if other.index in removed:
                reason = removed[other.index].reason
                removed[block.index] = _span(block, reason, f"repeat of block {other.index + 1}")
                break
            what = "repeated passage" if other_norm == norm else "passage contained in another"
            removed[block.index] = _span(block, "duplicate", f"{what} (block {other.index + 1})")
            break


def clean_article(article: Article, rules: RuleSet, short_block: int) -> Article:
    blocks = split_blocks(article.raw_text)
    removed = _rule_pass(blocks, rules, short_block)
    _footer_pass(blocks, removed, short_block)
    _duplicate_pass(blocks, removed)
    merge_removed(article, list(removed.values()))
    article.clean_text = build_clean_text(article, blocks)
    return article


@stage("clean", needs=("raw_text", "language"), adds=("clean_text", "removed"))
def clean(article: Article, ctx: Context) -> Article:
    """Remove navigation, prompts, appeals, captions, footers and duplicates; build clean_text."""
    return clean_article(article, rules_for(article, ctx), int(ctx.config["clean"]["short_block"]))
