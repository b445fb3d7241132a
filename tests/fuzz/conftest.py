"""Hypothesis profiles of the fuzz suite.

``ci`` (the default) is bounded so that the whole folder runs in about a minute and a half on two
cores, and derandomized so that CI is reproducible; ``long`` explores (random, many more examples):
``LAGEBILD_FUZZ=long .venv/bin/pytest tests/fuzz``. ``bench/fuzz.py`` is the 10,000-file run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,  # the first read warms trafilatura up for seconds; time is bench/fuzz.py's job
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "database": None,
}
settings.register_profile("lagebild-fuzz-ci", max_examples=10, derandomize=True, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("lagebild-fuzz-long", max_examples=300, **_COMMON)  # type: ignore[arg-type]
PROFILE = f"lagebild-fuzz-{os.environ.get('LAGEBILD_FUZZ', 'ci')}"


def fuzz(scale: int = 1) -> settings:
    """Settings for one fuzz test: the profile's example count times ``scale`` (cheap tests)."""
    base = settings.get_profile(PROFILE)
    return settings(base, max_examples=base.max_examples * scale)
