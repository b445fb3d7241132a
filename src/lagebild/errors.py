"""One exception hierarchy for lagebild.

Third-party exceptions are converted to these at the boundary where they occur, so callers
(the CLI, the web app, user code) only need to catch :class:`LagebildError`.
"""

from __future__ import annotations

import re

__all__ = [
    "printable",
    "LagebildError",
    "ConfigError",
    "InputError",
    "UnsupportedInputError",
    "DecodeError",
    "StageError",
    "PipelineError",
    "StoreError",
    "MissingExtraError",
]


_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    # U+DC80..U+DCFF are undecodable bytes of a file name (surrogateescape): show the byte.
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` as one line that can be encoded: lone surrogates escaped, line breaks as spaces.

    File names that are not UTF-8 reach Python as surrogate escapes, which SQLite, JSON and the
    terminal refuse; names and reasons go through this before they are stored or shown.
    """
    if not text.isascii():
        text = _SURROGATE.sub(_escape, text)
    return " ".join(text.splitlines())


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
        source, reason = printable(source), printable(reason)
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
        source, reason = printable(source), printable(reason)
        super().__init__(f"{source}: stage {stage!r} failed: {reason}")
        self.stage = stage
        self.source = source
        self.reason = reason


class PipelineError(LagebildError):
    """The pipeline itself is misconfigured (unknown stage, unmet requirement)."""


class StoreError(LagebildError):
    """The database could not be opened, read or written."""


class MissingExtraError(LagebildError):
    """An optional part of lagebild is needed but its extra is not installed (e.g. PyTorch for training)."""

    def __init__(self, what: str, needs: str, extra: str) -> None:
        super().__init__(f"{what} needs {needs}, which is not installed: pip install -e '.[{extra}]'")
        self.extra = extra
