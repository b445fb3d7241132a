"""Time bombs: the temporal tagger stays near-linear on long sentences full of expressions.

Each test runs under the pipeline's own time budget (``time_budget``), set far above what the
linear code needs (≈ 1–3 s) and far below what the quadratic code took (minutes), so it fails
under the old behaviour without asserting any speed ratio.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from lagebild.model import Sentence
from lagebild.pipeline import time_budget
from lagebild.temporal.docdate import infer_document_date
from lagebild.temporal.tagger import load_temporal_rules, tag_times

BUDGET = 40.0  # seconds; the quadratic code needed minutes for these inputs


def _one_sentence(unit: str, chars: int) -> tuple[str, list[Sentence]]:
    text = "Am Montag sagte er: " + unit * (chars // len(unit)) + "Ende."
    return text, [Sentence(start=0, end=len(text))]


@pytest.mark.parametrize(
    "unit",
    [
        "seit 2019 und ",  # thousands of expressions in one sentence: the overlap test was quadratic
        "am Montag, dem 3. Mai 2019, vor zwei Jahren um 12 Uhr ",  # relative next to explicit dates
    ],
)
def test_a_long_sentence_full_of_expressions_stays_within_the_budget(unit: str) -> None:
    text, sentences = _one_sentence(unit, 80_000)
    with time_budget(BUDGET, lambda: ("time", "test")):
        found = tag_times(text, "de", "2021-02-16", sentences)
        infer_document_date(text, "de", dt.date(2021, 2, 16), sentences)
    assert len(found) > 3_000


class _Counting:
    """A pattern that counts its searches."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern, self.calls = pattern, 0

    def search(self, *args: Any) -> re.Match[str] | None:
        self.calls += 1
        return self.pattern.search(*args)


def test_the_tense_of_a_sentence_is_looked_up_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # It was searched over the whole sentence once per expression in it: quadratic in its length.
    rules = load_temporal_rules("de")
    counting = _Counting(rules.future)
    monkeypatch.setattr(rules, "future", counting)
    text, sentences = _one_sentence("am 3. Mai 2019 und ", 20_000)
    found = tag_times(text, "de", "2021-02-16", sentences)
    infer_document_date(text, "de", dt.date(2021, 2, 16), sentences)
    assert len(found) > 500 and counting.calls <= 3  # two taggings and the document date


def test_the_future_cue_looks_a_bounded_way_ahead() -> None:
    # Many auxiliaries and no infinitive at the end of a long sentence: each auxiliary scanned to the end.
    future = load_temporal_rules("de").future
    with time_budget(BUDGET, lambda: ("time", "test")):
        assert future.search("Er wird ja " * 30_000 + "Ende") is None
    assert future.search("Die Regierung wird am Montag in Berlin über die Sanktionen beraten.")
