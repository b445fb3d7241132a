"""What the ``lagebild`` command modules share: consoles, common options, the config loader."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from lagebild.config import Config, load_config

__all__ = ["err", "out", "DbOption", "ConfigOption", "SetOption", "cli_config"]

err = Console(stderr=True)
out = Console()

DbOption = Annotated[str, typer.Option("--db", help="SQLite database file.", show_default=True)]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="TOML file overriding the shipped defaults.", exists=True)
]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override one setting: section.key=value (repeatable).", metavar="KEY=VALUE"),
]


def cli_config(config: Path | None, overrides: list[str] | None) -> Config:
    return load_config(config, overrides or [])
