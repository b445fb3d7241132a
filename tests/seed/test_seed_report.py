"""Acceptance (P5, item 5): the report of the seed sample shows the provenance graph with the
KenFM ← RT DE ← RusStrat chain and profiles of those outlets (RT DE and RusStrat as sources only).

The seed sample is analysed with the default pipeline into a temporary database and the report is
written through the library entry point ``api.write_report``.
"""

from __future__ import annotations

import pytest

from lagebild import api
from lagebild.config import load_config
from lagebild.store import open_store
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = shared_path("seed-sample")
    out = tmp_path_factory.mktemp("seed-report")
    db = str(out / "seed.db")
    config = load_config(
        overrides=["metadata.reference_date=2026-11-23", f'stories.cache_dir="{out / "cache"}"']
    )
    api.analyze([str(folder)], db=db, config=config)
    store = open_store(db)
    try:
        api.write_report(store, str(out / "report.html"), config)
    finally:
        store.close()
    return (out / "report.html").read_text(encoding="utf-8")


def _section(html: str, name: str) -> str:
    start = html.index(f'id="{name}"')
    return html[start : html.index("</section>", start)]


def test_provenance_section_shows_the_kenfm_chain(report: str) -> None:
    part = _section(report, "provenance")
    assert "<svg" in part and 'class="pv-edge pv-first_published_by"' in part
    assert "KenFM ← RT DE (first published 2021-02-10) ← RusStrat (cited source)" in part
    assert "Dieser Beitrag erschien zuerst am 10. Februar 2021 auf RT-Deutsch" in part  # the evidence
    assert "RusStrat" in part and "cites as source" in part


def test_outlet_profiles_for_kenfm_rt_de_and_russtrat(report: str) -> None:
    part = _section(report, "outlets")
    profiles = {}
    for chunk in part.split('<strong class="outlet-name">')[1:]:
        profiles[chunk.split("<", 1)[0]] = chunk[: chunk.index("</details>")]
    assert {"KenFM", "RT DE", "RusStrat"} <= set(profiles)
    kenfm, rt, russtrat = profiles["KenFM"], profiles["RT DE"], profiles["RusStrat"]
    assert "1 article" in kenfm and "2021-02" in kenfm
    assert "first published by" in kenfm and "cites as source" in kenfm  # reuse out
    assert "0 articles" in rt and "state_controlled" in rt  # a source without articles, from the registry
    assert "first published by" in rt and "KenFM" in rt  # reuse in
    assert "cites as source" in russtrat and "KenFM" in russtrat
    assert "RusStrat" in profiles and "Registered as" in russtrat
