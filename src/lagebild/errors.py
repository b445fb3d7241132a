"""One exception hierarchy for lagebild.

Third-party exceptions are converted to these at the boundary where they occur, so callers
(the CLI, the web app, user code) only need to catch :class:`LagebildError`.
"""

from __future__ import annotations

__all__ = [
    "LagebildError",
    "ConfigError",
    "InputError",
    "UnsupportedInputError",
    "DecodeError",
    "StageError",
    "PipelineError",
    "StoreError",
]


class LagebildError(Exception):
    """Base class of every error lagebild raises on purpose."""


class ConfigError(LagebildError):
    """A configuration file or ``--set`` override is invalid."""


class InputError(LagebildError):
    """One input item (file, line, record, feed entry) could not be read.

    ``source`` names the item (path, ``path#line 3``, ``path#record 2`` …); the message is a
    one-line reason meant for the run summary.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class UnsupportedInputError(InputError):
    """The item is readable but not of a kind lagebild understands (binary, image …)."""


class DecodeError(InputError):
    """The bytes of an item could not be decoded to text."""


class StageError(LagebildError):
    """A pipeline stage failed on one article; the run goes on with the next article."""

    def __init__(self, stage: str, source: str, reason: str) -> None:
        super().__init__(f"{source}: stage {stage!r} failed: {reason}")
        self.stage = stage
        self.source = source
        self.reason = reason


class PipelineError(LagebildError):
    """The pipeline itself is misconfigured (unknown stage, unmet requirement)."""


class StoreError(LagebildError):
    """The database could not be opened, read or written."""
