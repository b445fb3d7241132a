"""Acceptance item 3 of issue P4 on the seed sample: analysing ../shared/data/seed-sample with the full stage
list yields a timeline in which the 2021-02-04 Lavrov–Wang Yi phone call (CONSULT) and Russia's arms
deliveries to China (AID, military) appear with their evidence sentences.

Runs the real pipeline (time, entities, link, quotes, events) through ``api.analyze`` into a database and
reads the timeline back with ``api.timeline``; skipped when ../shared is not available.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild import api
from lagebild.config import load_config
from lagebild.events import TimelineEntry
from tests.conftest import shared_path

STAGES = '["language","clean","metadata","sentences","time","entities","link","quotes","events"]'


@pytest.fixture(scope="module")
def timeline(tmp_path_factory: pytest.TempPathFactory) -> list[TimelineEntry]:
    folder = shared_path("seed-sample")
    db = str(tmp_path_factory.mktemp("seed") / "seed.db")
    config = load_config(overrides=["metadata.reference_date=2026-11-23", f"pipeline.stages={STAGES}"])
    summary = api.analyze([str(folder)], db=db, config=config)
    assert summary.added == 3
    return api.timeline(db, config)


def test_lavrov_wang_yi_phone_call_of_2021_02_04(timeline: list[TimelineEntry]) -> None:
    calls = [e for e in timeline if e.action == "CONSULT" and e.time == "2021-02-04"]
    assert calls, [(e.time, e.action, e.actor, e.target) for e in timeline]
    call = calls[0]
    assert {call.actor, call.target} == {"lb:lavrov-sergey", "lb:wang-yi"}
    assert call.mode == "phone"
    assert any("Telefongespräch zwischen den Außenministern Russlands und Chinas" in s for s in call.evidence)
    assert call.reports[0].reported and call.reports[0].reported_by == "RusStrat"
    assert call.first_reported == "2021-02-14"


def test_russian_arms_deliveries_to_china(timeline: list[TimelineEntry]) -> None:
    aid = [e for e in timeline if e.action == "AID" and e.mode == "military" and e.actor == "Q159"]
    assert aid, [(e.time, e.action, e.actor, e.target) for e in timeline]
    to_china = [e for e in aid if e.target == "Q148"]
    assert to_china
    evidence = " ".join(s for e in to_china for s in e.evidence)
    assert "Waffen nach China" in evidence  # Shoigu: deliveries worth more than three billion dollars
    dated = {e.time for e in to_china}
    assert "2016" in dated  # "im vorigen Jahr" in an article of 2017-07


def test_timeline_is_ordered_by_event_time(timeline: list[TimelineEntry]) -> None:
    times = [e.time for e in timeline if e.time]
    assert times == sorted(times)
    assert all(e.time for e in timeline[: len(times)])  # undated entries come last
    assert times.index("2016") < times.index("2021-02-04")


def test_report_shows_the_timeline(timeline: list[TimelineEntry], tmp_path: Path) -> None:
    from lagebild.report.timeline import timeline_view

    view = timeline_view(timeline, {})
    assert view["marks"] and any(r.entry.time == "2021-02-04" for r in view["rows"])
