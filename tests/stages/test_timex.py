"""Stage ``time``: expressions on the article, sentence indices, and document-date inference."""

from __future__ import annotations

import datetime as dt

import pytest

from lagebild.config import load_config
from lagebild.model import Article, DateInfo, content_id
from lagebild.pipeline import Context, Pipeline
from lagebild.stages.timex import find_times
from lagebild.temporal.docdate import infer_document_date
from tests.conftest import shared_path

STAGES = '["language","clean","metadata","sentences","time"]'
REFERENCE = dt.date(2026, 11, 23)


@pytest.fixture
def pipeline() -> Pipeline:
    cfg = load_config(overrides=["metadata.reference_date=2026-11-23", f"pipeline.stages={STAGES}"])
    return Pipeline.from_config(cfg)


def _article(text: str, source: str = "test.txt") -> Article:
    return Article(id=content_id(text), source=source, source_format="txt", raw_text=text)


def test_time_is_in_the_default_pipeline_after_sentences():
    stages = load_config()["pipeline"]["stages"]
    assert stages.index("time") == stages.index("sentences") + 1


def test_stage_resolves_against_the_metadata_date(pipeline):
    text = (
        "Posted on 14. Februar 2021\n\nDer russische Außenminister telefonierte am 4. Februar 2021 mit "
        "seinem chinesischen Amtskollegen. Im vergangenen Jahr war der Handel gewachsen. Bald soll es "
        "ein neues Abkommen geben."
    )
    a = pipeline.run(_article(text))
    assert a.published is not None and a.published.value == "2021-02-14"
    got = [(e.text, e.value, e.sentence) for e in a.time_expressions]
    assert got == [
        ("4. Februar 2021", "2021-02-04", 0),
        ("vergangenen Jahr", "2020", 1),
        ("Bald", "FUTURE_REF", 2),
    ]
    for e in a.time_expressions:
        assert a.clean_text[e.start : e.end] == e.text
        s = a.sentences[e.sentence or 0]
        assert s.start <= e.start < s.end
    assert "time" in a.stages


def test_missing_date_is_inferred_from_weekday_and_day_month(pipeline):
    a = pipeline.run(_article("Xi Jinping betonte am Mittwoch (15. Juni), man unterstütze Moskau."))
    a.published = None  # as if metadata had found nothing
    cfg = load_config(overrides=["metadata.reference_date=2026-11-23"])
    a = find_times(a, Context(cfg))
    assert a.published is not None
    assert (a.published.value, a.published.precision, a.published.source) == ("2022-06-15", "day", "inferred")
    assert a.published.confidence < 1 and a.published.note
    assert [(e.text, e.value) for e in a.time_expressions] == [("Mittwoch (15. Juni)", "2022-06-15")]


def test_inference_can_be_switched_off(pipeline):
    a = pipeline.run(_article("Xi Jinping betonte am Mittwoch (15. Juni), man unterstütze Moskau."))
    a.published = None
    cfg = load_config(overrides=["metadata.reference_date=2026-11-23", "time.infer_date=false"])
    assert find_times(a, Context(cfg)).published is None


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("Karadžić wurde am gestrigen Montag, dem 21. Juli 2008, gefasst.", "2008-07-22", "day"),
        ("Das Gespräch fand im vergangenen Monat, am 4. Februar 2021, statt.", "2021-03", "month"),
        (
            "Die Analyse vom 9. Februar 2021 zeigt, dass am 4. Februar 2021 telefoniert wurde.",
            "2021-02-09",
            "day",
        ),
        ("The call of 4 February 2021 was reported on 9 February 2021.", "2021-02-09", "day"),
    ],
)
def test_document_date_inference(text, value, precision):
    language = "en" if text.startswith("The") else "de"
    info = infer_document_date(text, language, REFERENCE)
    assert isinstance(info, DateInfo)
    assert (info.value, info.precision, info.source) == (value, precision, "inferred")
    assert 0 < info.confidence < 1


def test_no_inference_from_future_or_relative_only_text():
    assert infer_document_date("Bis 2030 soll alles anders werden.", "de", REFERENCE) is None
    assert infer_document_date("Im vorigen Jahr wuchs der Handel.", "de", REFERENCE) is None


def _seed(pipeline: Pipeline, name: str) -> Article:
    path = shared_path("seed-sample", name)
    return pipeline.run(_article(path.read_text(encoding="utf-8"), str(path)))


def test_seed_2021_article(pipeline):
    a = _seed(pipeline, "ru-cn-2021-02.txt")
    values = {(e.text, e.value) for e in a.time_expressions}
    assert ("4. Februar 2021", "2021-02-04") in values  # the Lavrov–Wang Yi call
    assert ("9. Februar 2021", "2021-02-09") in values  # the RusStrat analysis
    assert ("2016", "2016") in values  # "seit 2016": the preposition stays outside
    late = [e for e in a.time_expressions if e.text == "spätestens im Jahr 2022"]
    assert late and (late[0].value, late[0].mod) == ("2022", "ON_OR_BEFORE")


def test_seed_2021_article_without_metadata_date(pipeline):
    a = _seed(pipeline, "ru-cn-2021-02.txt")
    a.published = None
    a = find_times(a, Context(load_config(overrides=["metadata.reference_date=2026-11-23"])))
    assert a.published is not None and a.published.source == "inferred"
    assert a.published.value.startswith("2021-02")


def test_seed_2017_article(pipeline):
    a = _seed(pipeline, "ru-cn-2017-07.txt")
    assert a.published is not None and a.published.value == "2017-07"
    values = {(e.text, e.value) for e in a.time_expressions}
    assert ("vorigen Jahr", "2016") in values
    assert ("Freitag", "2017-WXX-5") in values


def test_seed_2022_article(pipeline):
    a = _seed(pipeline, "ru-cn-2022-06.txt")
    values = {(e.text, e.value) for e in a.time_expressions}
    assert ("Mittwoch (15. Juni)", "2022-06-15") in values
    assert ("kommenden Herbst", "2022-FA") in values
