"""Property-based fuzzing of ``api.analyze`` end to end, into a temporary SQLite database.

Invariants, for any folder of hostile files: no exception escapes; every item is stored (added
or unchanged) or has a failure reason, counted per file and per format; the run row ends as
``ok``/``partial``/``failed``, never ``running``; a rerun adds nothing, fails the same items
and leaves the stored articles byte for byte as they were.
"""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import tempfile
from collections import Counter
from pathlib import Path
from typing import Literal

from hypothesis import given
from hypothesis import strategies as st

from lagebild import api
from lagebild.config import load_config
from lagebild.errors import printable
from tests.fuzz.conftest import fuzz
from tests.fuzz.hostile import FORMATS, HostileFile, generate

# The default pipeline minus the tagger-based quotes stage, whose model load would dominate the
# CI budget; bench/fuzz.py runs the full default pipeline.
STAGES = ["language", "clean", "metadata", "sentences", "time"]
CONFIG = load_config(
    overrides=[
        f"pipeline.stages={json.dumps(STAGES)}",
        "sentences.backend=regex",
        "store.batch_size=3",
        "reuse.enabled=false",
        "stories.enabled=false",
    ]
)
_ITEM = re.compile(r"#(?:line|entry|record) \d+$")
NAMES = [
    "plain",
    "[bold]markup[\\b]",
    "sp ace",
    "ümlaut",
    "bad-\udcff\udcfe",
]  # the last is not UTF-8 on disk


class Recorder(api.Progress):
    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def item(self, outcome: Literal["added", "unchanged", "failed"], source: str, detail: str) -> None:
        self.items.append((outcome, source))


def write(folder: Path, files: list[HostileFile], rng: random.Random) -> dict[str, HostileFile]:
    by_source = {}
    for number, hostile in enumerate(files):
        name = f"{number:02d}-{rng.choice(NAMES)}-{hostile.name}"
        path = os.path.join(os.fsencode(folder), os.fsencode(name))
        with open(path, "wb") as fh:
            fh.write(hostile.data)
        by_source[printable(os.fsdecode(path))] = hostile
    return by_source


def dump(db: Path) -> list[tuple[str, str]]:
    con = sqlite3.connect(db)
    try:
        return con.execute("select id, data from articles order by id").fetchall()
    finally:
        con.close()


def statuses(db: Path) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return [row[0] for row in con.execute("select status from runs order by id")]
    finally:
        con.close()


@fuzz()
@given(
    rng=st.randoms(use_true_random=False), formats=st.lists(st.sampled_from(FORMATS), min_size=1, max_size=6)
)
def test_analyze_accounts_for_every_item_and_reruns_change_nothing(
    rng: random.Random, formats: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder, db = Path(tmp) / "in", Path(tmp) / "fuzz.db"
        folder.mkdir()
        files = write(folder, [generate(rng, fmt) for fmt in formats], rng)
        first = Recorder()
        summary = api.analyze([str(folder)], db=str(db), config=CONFIG, progress=first)

        per_file = Counter(_ITEM.sub("", source) for _, source in first.items)
        assert set(per_file) == set(files), "an input file left no trace"
        for source, hostile in files.items():
            if hostile.items is not None:
                assert per_file[source] == hostile.items, (hostile.fmt, source)
        assert summary.added + summary.unchanged + summary.failed == len(first.items)
        assert all(reason and "\n" not in reason for _, reason in summary.failures)
        assert statuses(db) == [{0: "ok", 1: "partial", 2: "failed"}[summary.exit_code]]

        stored = dump(db)
        again = Recorder()
        rerun = api.analyze([str(folder)], db=str(db), config=CONFIG, progress=again)
        assert rerun.added == 0 and rerun.unchanged == summary.added + summary.unchanged
        assert sorted(rerun.failures) == sorted(summary.failures)
        assert dump(db) == stored
