"""Issue #16: "in der Nacht auf Samstag" when only the year of publication is known."""

from __future__ import annotations

import re

from lagebild.api import analyze_text
from lagebild.config import load_config


def test_night_before_a_weekday_with_a_year_only_anchor_does_not_crash_the_article() -> None:
    config = load_config(
        overrides=[
            'pipeline.stages=["language","clean","metadata","sentences","time"]',
            "sentences.backend=regex",
        ]
    )
    text = "Russland und China verhandeln. In der Nacht auf Samstag kam es zu Angriffen, hieß es."
    article = analyze_text(text, config, date="2019")
    assert article.published is not None and article.published.value == "2019"
    assert "time" in article.stages
    # No day can be named, so the night gets no day-precise value.
    for timex in article.time_expressions:
        assert not timex.value.startswith("2019-WXX-6T")
    dated = analyze_text(text, config, date="2019-03-13")
    # With a day to anchor on, the same night gets a full date (the Friday-to-Saturday night).
    nights = [t.value for t in dated.time_expressions if t.value.endswith("TNI")]
    assert len(nights) == 1 and re.fullmatch(r"2019-03-\d\dTNI", nights[0])
