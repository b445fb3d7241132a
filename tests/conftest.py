from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lagebild.config import Config, load_config
from lagebild.model import Article, content_id
from lagebild.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
CORPUS = ROOT / "examples" / "corpus"


@pytest.fixture
def config() -> Config:
    # A fixed reference date keeps year inference independent of the day the tests run.
    return load_config(overrides=["metadata.reference_date=2026-11-23"])


@pytest.fixture
def run(config: Config):
    pipeline = Pipeline.from_config(config)

    def _run(text: str, source: str = "test.txt") -> Article:
        return pipeline.run(Article(id=content_id(text), source=source, source_format="txt", raw_text=text))

    return _run


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared data not available ({path} is missing); shared-data tests skipped")
    return path


def fresh_python(code: str, timeout: float = 300) -> list[str]:
    """Run ``code`` in a new interpreter (nothing imported yet) in the checkout; the lines it printed."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=timeout
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.splitlines()
