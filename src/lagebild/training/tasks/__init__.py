"""The tasks of ``lagebild train``: one module per task, each with ``main(argv, prog) -> int``.

:mod:`lagebild.cli.train` lists the tasks (what each trains, on which data, how long) and imports a
task's module by name only when it runs, so the run-time package never imports training code. A task
parses its own options (``lagebild train TASK --help``) and raises :class:`~lagebild.errors.LagebildError`
for what the user can fix (missing data, options that do not go together, PyTorch not installed).

The defaults assume a source checkout: data in ``../shared/data/`` next to the repository, caches in
``out/cache/``, and the shipped model files written into ``src/lagebild/``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lagebild.errors import ConfigError, MissingExtraError

__all__ = ["PACKAGE", "ROOT", "SHARED", "CACHE", "task_parser", "require_torch", "need_path"]

PACKAGE = Path(__file__).resolve().parents[2]  # src/lagebild: where the shipped models are
ROOT = PACKAGE.parents[1]  # the checkout
SHARED = ROOT.parent / "shared" / "data"
CACHE = ROOT / "out" / "cache"


def task_parser(prog: str, doc: str | None) -> argparse.ArgumentParser:
    """The option parser of a task: ``prog`` in its messages, the module docstring as its help."""
    raw = argparse.RawDescriptionHelpFormatter
    return argparse.ArgumentParser(prog=prog, description=doc, formatter_class=raw)


def require_torch(prog: str) -> None:
    """Raise :class:`MissingExtraError` naming the ``train`` extra when PyTorch cannot be imported."""
    try:
        import torch  # noqa: F401
    except ImportError:
        raise MissingExtraError(prog, "PyTorch", "train") from None


def need_path(path: str | Path, what: str) -> Path:
    """``path`` if it exists, else a :class:`ConfigError` naming ``what`` and where it was looked for."""
    found = Path(path)
    if not found.exists():
        hint = "give its location, or put ../shared beside the checkout"
        raise ConfigError(f"{what} not found at {found} ({hint})")
    return found
