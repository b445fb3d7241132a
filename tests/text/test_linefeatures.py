"""lagebild.text.linefeatures: the per-line features computed for a whole page at once must equal
what a line-by-line computation gives (the shipped model was trained on those values)."""

from __future__ import annotations

import math
import random

import numpy as np

from lagebild.text.blocks import split_blocks
from lagebild.text.linefeatures import FEATURES, _sentence_end, char_class_counts, line_features

METHODS = (str.isalpha, str.isupper, str.isdigit, str.isalnum, str.isspace)


def test_character_classes_equal_pythons_string_methods() -> None:
    rng = random.Random(3)
    # ASCII, Latin, Greek, Cyrillic, CJK, full-width digits, a lone surrogate, astral letters and emoji
    pool = [
        chr(c) for c in [*range(0x20, 0x250), 0x3A3, 0x436, 0x4E2D, 0xFF11, 0xD800, 0x1D400, 0x20000, 0x1F600]
    ]
    for _ in range(300):
        texts = [
            "".join(rng.choice(pool) for _ in range(rng.randint(0, 40))) for _ in range(rng.randint(0, 6))
        ]
        assert char_class_counts(texts) == [[sum(map(m, t)) for m in METHODS] for t in texts]


def test_sentence_end_allows_closing_quotes_and_brackets() -> None:
    assert _sentence_end("Er kam.") and _sentence_end("„Er kam!“") and _sentence_end("(so weit…)")
    assert not _sentence_end("Mehr zum Thema") and not _sentence_end("Startseite »") and not _sentence_end("")


def test_window_features_are_the_means_of_three_lines_either_side() -> None:
    lines = [
        (
            "Kurz"
            if i % 3
            else "Ein langer Satz über die Lage, der weit über achtzig Zeichen hinausgeht, sicher."
        )
        for i in range(12)
    ]
    blocks = split_blocks("\n".join(lines))
    own = line_features(blocks, set())[:, : len(FEATURES)]
    chars = np.array([len(b.text) for b in blocks], dtype=np.float64)
    for i in range(len(blocks)):
        lo, hi = max(0, i - 3), min(len(blocks), i + 4)
        assert own[i, FEATURES.index("window_long")] == np.float32((chars[lo:hi] >= 80).mean())
        expected = math.log1p(chars[lo:hi].mean())
        assert abs(own[i, FEATURES.index("window_log_chars")] - expected) < 1e-5
