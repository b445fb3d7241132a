"""Time bombs in the quotes stage: a huge token next to a quote must not make it quadratic.

The test runs under the pipeline's own time budget (``time_budget``), far above what the linear code
needs (milliseconds) and far below what the quadratic pattern took (minutes for 200 KB), so it fails
under the old behaviour without asserting any speed ratio.
"""

from __future__ import annotations

import pytest

from lagebild.config import load_config
from lagebild.model import Article, content_id
from lagebild.pipeline import Context, Pipeline, time_budget
from lagebild.stages.quotes import _REPORTER, find_quotes

BUDGET = 30.0


@pytest.mark.parametrize("word", ["A" * 200_000, "Ab" * 100_000])
def test_a_huge_word_after_a_quote_stays_within_the_budget(word: str) -> None:
    text = f"„Das ist eine gute Nachricht für alle Menschen hier“, sagte der Minister {word} am Montag."
    cfg = load_config(overrides=["sentences.backend=regex"])
    article = Pipeline(["language", "clean", "sentences"], Context(cfg)).run(
        Article(id=content_id(text), source="t.txt", source_format="txt", raw_text=text)
    )
    with time_budget(BUDGET, lambda: ("quotes", "t.txt")):
        quotes = find_quotes(article, "rules")
        found = list(_REPORTER.finditer(word + " zufolge"))
    assert quotes and quotes[0].kind == "direct" and quotes[0].reported_by is None
    assert len(found) == 1 and found[0].group("b") == word


def test_a_reporter_name_starts_at_a_word_start() -> None:
    names = [m.group("a") or m.group("b") for m in _REPORTER.finditer("dem Sender CCTV zufolge, laut TASS")]
    assert names == ["Sender CCTV", "TASS"]
    assert [m.group("b") for m in _REPORTER.finditer("Kreml-Chef Putin zufolge")] == ["Kreml-Chef Putin"]
    assert not list(_REPORTER.finditer("abcDef zufolge"))  # not a name from the middle of a word
