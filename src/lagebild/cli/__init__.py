"""The ``lagebild`` command (a Typer app over :mod:`lagebild.api`).

:mod:`lagebild.cli.commands` holds the core commands, :mod:`lagebild.cli.reuse` who copies whom,
:mod:`lagebild.cli.common` what they share. ``app`` and ``main`` (the console script) are here.
"""

from __future__ import annotations

from lagebild.cli.commands import app, main

__all__ = ["app", "main"]
