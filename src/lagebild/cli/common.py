"""What the ``lagebild`` command modules share: consoles, common options, the config loader."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from lagebild.config import Config, load_config

__all__ = ["err", "out", "DbOption", "ConfigOption", "SetOption", "cli_config", "add_row", "error"]

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


# Paths, reasons, titles and outlet names come from the data: as plain Text, Rich never reads
# "[/b]" or ":smile:" in them as markup (a stray closing tag would crash with MarkupError).
def add_row(table: Table, *cells: object) -> None:
    """Add a row whose cells are shown as written."""
    table.add_row(*(Text(str(c)) for c in cells))


def error(message: object) -> None:
    """Print ``error: message`` on stderr, the message as written."""
    err.print(Text.assemble(("error:", "red"), " ", str(message)))
