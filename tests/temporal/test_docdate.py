"""Inferring the document date from the text (lagebild.temporal.docdate)."""

from __future__ import annotations

import re

from lagebild.api import analyze_text
from lagebild.config import load_config


def test_a_season_inferred_as_the_document_date_becomes_its_year() -> None:
    """Issue #16: seasons and quarters ended up as `published` values the export schema rejects."""
    config = load_config(
        overrides=[
            'pipeline.stages=["language","clean","metadata","sentences","time"]',
            "sentences.backend=regex",
        ]
    )
    article = analyze_text("Im Sommer 1994 trafen sich die Delegationen in Peking zu Gesprächen.", config)
    pub = article.published
    assert pub is not None and pub.source == "inferred"
    assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", pub.value)
    assert (pub.value, pub.precision) == ("1994", "year")
