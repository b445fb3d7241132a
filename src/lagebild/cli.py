"""The ``lagebild`` command: a thin Typer layer over :mod:`lagebild.api`.

Exit status of ``analyze``: 0 every item was read, 1 some items failed (their reasons are in
the summary), 2 nothing usable was read or the run could not start.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Literal, cast

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from lagebild import api
from lagebild.config import Config, load_config
from lagebild.errors import LagebildError
from lagebild.pipeline import registered_stages

app = typer.Typer(
    name="lagebild",
    help="Turn a pile of news articles into a situation picture: a local database and an offline report.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
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


def _config(config: Path | None, overrides: list[str] | None) -> Config:
    return load_config(config, overrides or [])


class _RichProgress(api.Progress):
    def __init__(self, quiet: bool) -> None:
        self.bar = Progress(
            TextColumn("[bold]analyze"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files"),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
            console=err,
            disable=quiet,
            transient=False,
        )
        self.counts = {"added": 0, "unchanged": 0, "failed": 0}
        self.task = self.bar.add_task("analyze", total=0, counts="")

    def start(self, files: int) -> None:
        self.bar.update(self.task, total=files)
        self.bar.start()

    def file_done(self, path: str) -> None:
        self.bar.advance(self.task)

    def item(self, outcome: Literal["added", "unchanged", "failed"], source: str, detail: str) -> None:
        self.counts[outcome] += 1
        c = self.counts
        self.bar.update(
            self.task, counts=f"{c['added']} new · {c['unchanged']} unchanged · {c['failed']} failed"
        )

    def stop(self) -> None:
        self.bar.stop()


@app.command()
def analyze(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files, directories (read recursively), URLs with --fetch, or - for stdin."),
    ],
    db: DbOption = "lagebild.db",
    report: Annotated[
        str | None, typer.Option("--report", help="Write the offline HTML report here.")
    ] = None,
    fetch: Annotated[
        bool, typer.Option("--fetch", help="Allow fetching http(s) URLs given as paths.")
    ] = False,
    reprocess: Annotated[
        bool, typer.Option("--reprocess", help="Run the pipeline again on articles already stored.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    config: ConfigOption = None,
    set_: SetOption = None,
) -> None:
    """Read articles, clean them, find their metadata and store them; optionally write a report.

    Formats: .txt/.md, .html, .jsonl, .warc(.gz), RSS/Atom; other files are sniffed by content.
    Items already stored (same content hash) are skipped, so reruns are cheap and change nothing.

    Examples:

      lagebild analyze examples/corpus --report out/report.html

      lagebild analyze crawl.warc.gz exports/*.jsonl --db russia-china.db

      cat article.txt | lagebild analyze - --set language.fallback=en
    """
    try:
        cfg = _config(config, set_)
        if fetch:
            cfg = cfg.with_overrides(["input.fetch=true"])
        progress = _RichProgress(quiet)
        try:
            summary = api.analyze(
                paths, db=db, config=cfg, report=report, progress=progress, reprocess=reprocess
            )
        finally:
            progress.stop()
    except KeyboardInterrupt:
        err.print("[yellow]interrupted[/]: everything committed so far is kept; rerun to continue.")
        raise typer.Exit(130) from None
    except LagebildError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    table = Table(title="lagebild analyze", show_header=False)
    table.add_row("database", summary.db)
    table.add_row("new articles", str(summary.added))
    table.add_row("unchanged (already stored)", str(summary.unchanged))
    table.add_row("failed items", str(summary.failed))
    if summary.report:
        table.add_row("report", summary.report)
    err.print(table)
    if summary.failures:
        fails = Table(title="items that could not be read", show_lines=False)
        fails.add_column("item", overflow="fold")
        fails.add_column("reason", style="red", overflow="fold")
        for source, reason in summary.failures[:50]:
            fails.add_row(source, reason)
        if summary.failed > 50:
            fails.add_row("…", f"{summary.failed - 50} more (see `lagebild info`)")
        err.print(fails)
    raise typer.Exit(summary.exit_code)


@app.command()
def export(
    format_: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="jsonl (one nested object per article), csv (a row per article), "
            "quotes-csv (a row per quote: who said what) or timeline-csv (a row per event, "
            "merged across articles, by event time).",
        ),
    ] = "jsonl",
    db: DbOption = "lagebild.db",
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="Output file; stdout if omitted.")
    ] = None,
) -> None:
    """Export every stored article with everything the pipeline found.

    JSONL follows the schema in lagebild/schema/article.schema.json.

    Examples:

      lagebild export --format jsonl -o articles.jsonl

      lagebild export --format csv --db russia-china.db > articles.csv

      lagebild export --format quotes-csv -o who-said-what.csv

      lagebild export --format timeline-csv -o timeline.csv
    """
    if format_ not in ("jsonl", "csv", "quotes-csv", "timeline-csv"):
        err.print(f"[red]error:[/] --format must be jsonl, csv, quotes-csv or timeline-csv, not {format_!r}")
        raise typer.Exit(2)
    if not Path(db).exists():
        err.print(f"[red]error:[/] no database at {db} (run `lagebild analyze` first)")
        raise typer.Exit(2)
    fmt = cast(api.ExportFormat, format_)
    try:
        if output is None:
            count = api.export(db, fmt, sys.stdout)
        else:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                count = api.export(db, fmt, fh)
    except (LagebildError, OSError) as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    unit = {"quotes-csv": "quotes", "timeline-csv": "timeline entries"}.get(format_, "articles")
    err.print(f"exported {count} {unit}")


@app.command()
def info(
    db: DbOption = "lagebild.db",
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Show what a database holds: articles per outlet, language, format and month, and the last runs.

    Example:

      lagebild info --db russia-china.db
    """
    try:
        stats = api.info(db)
    except LagebildError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    if as_json:
        out.print_json(json.dumps(stats, ensure_ascii=False))
        return
    out.print(
        f"[bold]{db}[/]: {stats['articles']} articles from {stats['sources']} sources, {stats['runs']} runs"
    )
    for key, title in (
        ("by_outlet", "outlet"),
        ("by_language", "language"),
        ("by_format", "format"),
        ("by_month", "month"),
    ):
        table = Table(title=f"articles by {title}")
        table.add_column(title)
        table.add_column("articles", justify="right")
        for name, n in stats[key].items():
            table.add_row(name, str(n))
        out.print(table)
    if stats["last_failures"]:
        table = Table(title="failures in the last run")
        table.add_column("item", overflow="fold")
        table.add_column("reason", style="red", overflow="fold")
        for source, reason in stats["last_failures"]:
            table.add_row(source, reason)
        out.print(table)


@app.command()
def report(
    db: DbOption = "lagebild.db",
    output: Annotated[str, typer.Option("-o", "--output", help="HTML file to write.")] = "report.html",
    config: ConfigOption = None,
    set_: SetOption = None,
) -> None:
    """Write the offline HTML report for a database (analyze --report does this too).

    Example:

      lagebild report --db russia-china.db -o out/report.html
    """
    if not Path(db).exists():
        err.print(f"[red]error:[/] no database at {db} (run `lagebild analyze` first)")
        raise typer.Exit(2)
    try:
        from lagebild.store import open_store

        store = open_store(db)
        try:
            api.write_report(store, output, _config(config, set_))
        finally:
            store.close()
    except LagebildError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    err.print(f"report written to {output}")


@app.command()
def stages() -> None:
    """List the registered pipeline stages with what each needs and adds."""
    table = Table(title="pipeline stages")
    for column in ("stage", "needs", "adds", "what it does"):
        table.add_column(column, overflow="fold")
    for st in registered_stages().values():
        table.add_row(st.name, ", ".join(sorted(st.needs)), ", ".join(sorted(st.adds)), st.doc)
    out.print(table)


@app.command()
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
        summary = api.find_reuse(db, _config(config, set_))
        counts = dict(summary.by_kind)
        if translations:
            counts["translates"] = len(api.find_translations(db))
    except LagebildError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    table = Table(title=f"reuse among {summary.articles} articles")
    table.add_column("edge kind")
    table.add_column("pairs", justify="right")
    for kind, n in sorted(counts.items()):
        table.add_row(kind, str(n))
    if not counts:
        table.add_row("(no reuse found)", "0")
    out.print(table)


@app.command()
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
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    out.print(result.text)
    table = Table(title="original-source chain")
    table.add_column("step")
    table.add_column("relation")
    table.add_column("date")
    table.add_column("confidence", justify="right")
    for link in result.chain:
        table.add_row(link.label, link.relation, link.date or "", f"{link.confidence:.2f}")
    out.print(table)


@app.command()
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
        found = api.find_stories(db, _config(config, set_)) if recompute else api.stories(db)
    except LagebildError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    table = Table(title=f"{len(found)} stories")
    for column in ("story", "label", "dates", "articles", "outlets", "languages"):
        table.add_column(column, overflow="fold")
    for story in found:
        span = story.start or "undated"
        if story.end and story.end != story.start:
            span += f" – {story.end}"
        table.add_row(
            story.id,
            story.label,
            span,
            str(len(story.members)),
            ", ".join(story.outlets),
            ", ".join(story.languages),
        )
        if members:
            for article_id in story.members:
                table.add_row("", f"  {article_id}", "", "", "", "")
    if not found:
        table.add_row("(no stories: fewer than two articles share one)", "", "", "", "", "")
    out.print(table)


@app.command()
def serve(
    db: DbOption = "lagebild.db",
    host: Annotated[
        str, typer.Option("--host", help="Address to bind; anything but localhost needs --token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option("--token", envvar="LAGEBILD_TOKEN", help="Require this token on every request."),
    ] = None,
    config: ConfigOption = None,
    set_: SetOption = None,
) -> None:
    """Open the read-only web UI (and JSON API under /api) over a database. Needs the 'web' extra.

    Binds to 127.0.0.1. A team server on another address must set a token (--token or
    LAGEBILD_TOKEN); browsers then open http://HOST:PORT/?token=TOKEN once (a cookie keeps it).

    Examples:

      lagebild serve --db out/demo.db

      LAGEBILD_TOKEN=s3cret lagebild serve --db team.db --host 0.0.0.0 --port 8080
    """
    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        err.print(f"[red]error:[/] --host {host} exposes the database: set --token (or LAGEBILD_TOKEN)")
        raise typer.Exit(2)
    try:
        from lagebild.web import create_app

        web_app = create_app(_config(config, set_), db, token=token)
        import uvicorn
    except (LagebildError, ImportError) as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    err.print(f"lagebild serve: http://{'[' + host + ']' if ':' in host else host}:{port}/ (Ctrl+C stops)")
    uvicorn.run(web_app, host=host, port=port, log_level="warning")


def main() -> None:
    app()
