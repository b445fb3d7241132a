"""``lagebild reuse``, ``provenance`` and ``stories``: who copies whom, a thin layer over the API.

The functions are registered as commands of the ``lagebild`` app in :mod:`lagebild.cli.commands`.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from lagebild import api
from lagebild.cli.common import ConfigOption, DbOption, SetOption, add_row, cli_config, error, out
from lagebild.errors import LagebildError

__all__ = ["reuse", "provenance", "stories"]


def reuse(
    db: DbOption = "lagebild.db",
    translations: Annotated[
        bool,
        typer.Option(
            "--translations/--no-translations",
            help="Also detect translations across languages (embeds every sentence: slow on large corpora).",
        ),
    ] = False,
    config: ConfigOption = None,
    set_: SetOption = None,
) -> None:
    """Find near-duplicates, reposts (and with --translations, translations) among stored articles.

    `analyze` already runs the near-duplicate step after adding articles; run this after changing
    the [reuse] settings or on a database from an older version. Edges are stored in the database.

    Examples:

      lagebild reuse --db russia-china.db

      lagebild reuse --db russia-china.db --translations
    """
    try:
        summary = api.find_reuse(db, cli_config(config, set_))
        counts = dict(summary.by_kind)
        if translations:
            counts["translates"] = len(api.find_translations(db))
    except LagebildError as exc:
        error(exc)
        raise typer.Exit(2) from None
    table = Table(title=f"reuse among {summary.articles} articles")
    table.add_column("edge kind")
    table.add_column("pairs", justify="right")
    for kind, n in sorted(counts.items()):
        add_row(table, kind, str(n))
    if not counts:
        add_row(table, "(no reuse found)", "0")
    out.print(table)


def provenance(
    article_id: Annotated[str, typer.Argument(help="Article id (see `lagebild export` or the web UI).")],
    db: DbOption = "lagebild.db",
) -> None:
    """Show where an article comes from: reposted or translated articles, first publisher, cited source.

    Example:

      lagebild provenance 3f2a9c1d0b7e4a5f6c8d --db russia-china.db
    """
    try:
        result = api.provenance(db, article_id)
    except LagebildError as exc:
        error(exc)
        raise typer.Exit(2) from None
    out.print(Text(result.text))
    table = Table(title="original-source chain")
    table.add_column("step")
    table.add_column("relation")
    table.add_column("date")
    table.add_column("confidence", justify="right")
    for link in result.chain:
        add_row(table, link.label, link.relation, link.date or "", f"{link.confidence:.2f}")
    out.print(table)


def stories(
    db: DbOption = "lagebild.db",
    recompute: Annotated[
        bool,
        typer.Option("--recompute", help="Cluster the stored articles again (after changing [stories])."),
    ] = False,
    members: Annotated[bool, typer.Option("--members", help="List each story's articles.")] = False,
    config: ConfigOption = None,
    set_: SetOption = None,
) -> None:
    """List the stories: articles about the same event or topic across outlets, languages and time.

    `analyze` clusters the database after adding articles; --recompute does it again (e.g. after
    --set stories.threshold=0.92).

    Examples:

      lagebild stories --db russia-china.db

      lagebild stories --db russia-china.db --recompute --members
    """
    try:
        found = api.find_stories(db, cli_config(config, set_)) if recompute else api.stories(db)
    except LagebildError as exc:
        error(exc)
        raise typer.Exit(2) from None
    table = Table(title=f"{len(found)} stories")
    for column in ("story", "label", "dates", "articles", "outlets", "languages"):
        table.add_column(column, overflow="fold")
    for story in found:
        span = story.start or "undated"
        if story.end and story.end != story.start:
            span += f" – {story.end}"
        add_row(
            table,
            story.id,
            story.label,
            span,
            str(len(story.members)),
            ", ".join(story.outlets),
            ", ".join(story.languages),
        )
        if members:
            for article_id in story.members:
                add_row(table, "", f"  {article_id}", "", "", "", "")
    if not found:
        add_row(table, "(no stories: fewer than two articles share one)", "", "", "", "", "")
    out.print(table)
