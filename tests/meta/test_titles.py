"""The headline ranker for page copies."""

from __future__ import annotations

import numpy as np
import pytest

from lagebild.meta.titles import FEATURES, headline_like, load_weights, rank_titles, title_candidates
from lagebild.text.blocks import split_blocks

PAGE = """Startseite
Politik
Regierung beschließt neue Regeln für den Wohnungsbau
Von Anna Berg | 12.03.2024
Die Bundesregierung will den Bau neuer Wohnungen beschleunigen, wie die Regierung mitteilte.
Nach Angaben des Bauministeriums sollen Anträge schneller entschieden werden."""


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Regierung beschließt neue Regeln für den Wohnungsbau", True),
        ("Von Anna Berg | 12.03.2024", False),
        ("Die Regierung beschloss am Mittwoch neue Regeln.", False),
        ("Startseite", False),
        ("© 2025 Beispielverlag GmbH", False),
    ],
)
def test_headline_like(line: str, expected: bool) -> None:
    assert headline_like(line) is expected


def test_candidates_and_features() -> None:
    blocks = split_blocks(PAGE)
    kept = [False, False, False, False, True, True]
    cands = title_candidates(blocks, kept, [False] * 6)
    assert [c.index for c in cands] == [0, 1, 2, 3, 4, 5]
    head = cands[2].features
    assert head.shape == (len(FEATURES),)
    assert head[FEATURES.index("above_2")] == 1.0
    assert head[FEATURES.index("byline_below")] == 1.0 or head[FEATURES.index("date_below")] == 1.0
    assert head[FEATURES.index("lead_overlap")] > 0.3  # "Regierung", "Wohnungsbau"-like words recur
    assert title_candidates([], [], []) == []


def test_the_shipped_ranker_picks_the_headline() -> None:
    blocks = split_blocks(PAGE)
    best = rank_titles(title_candidates(blocks, [False, False, False, False, True, True], [False] * 6))
    assert best is not None and best.text == "Regierung beschließt neue Regeln für den Wohnungsbau"
    assert load_weights().shape == (len(FEATURES),)


def test_given_weights_are_used() -> None:
    blocks = split_blocks(PAGE)
    cands = title_candidates(blocks, [False, False, False, False, True, True], [False] * 6)
    w = np.zeros(len(FEATURES))
    w[FEATURES.index("log_index")] = -1.0  # prefer the earliest line
    best = rank_titles(cands, w)
    assert best is not None and best.index == 0
    assert rank_titles([], w) is None


def test_the_body_starts_at_its_first_paragraph_not_at_a_kept_headline() -> None:
    from lagebild.meta.titles import body_start
    from lagebild.text.blocks import split_blocks

    para = "Der Außenminister reiste am Montag nach Peking, wo er mit seinem Amtskollegen über den Handel sprach."
    blocks = split_blocks(f"Menü\n\nGipfel in Peking\n\nVon Anna Berg\n\n{para}\n\n{para}")
    assert body_start(blocks, [False, True, False, True, True]) == 3  # the kept headline is head
    assert body_start(blocks, [False, True, False, False, False]) == 1  # no paragraph kept: first kept
    assert body_start(blocks, [False] * 5) == 4  # nothing kept: the last line
