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
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from lagebild import api
from lagebild.cli import reuse as reuse_commands
from lagebild.cli.common import ConfigOption, DbOption, SetOption, add_row, cli_config, err, error, out
from lagebild.cli.train import train_app
from lagebild.errors import LagebildError
from lagebild.pipeline import registered_stages

app = typer.Typer(
    name="lagebild",
    help="Turn a pile of news articles into a situation picture: a local database and an offline report.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


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
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            help="Models to use: 'accurate' (default, best quality) or 'fast' (smaller models, several "
            "times the speed); the figures of both are in BENCHMARKS.md.",
        ),
    ] = None,
    stages: Annotated[
        str | None,
        typer.Option(
            "--stages",
            help="Run only these stages, comma-separated, e.g. language,clean,metadata,sentences "
            "(default: the whole picture; `lagebild stages` lists them).",
        ),
    ] = None,
    config: ConfigOption = None,
    set_: SetOption = None,
) -> None:
    """Read articles and build the situation picture in a database; optionally write a report.

    Every article is cleaned and dated, split into sentences, and searched for time expressions,
    named entities linked to known actors, quotes with their speakers, and dated events (the stages
    of `lagebild stages`). At the end, reposts, translations and stories are found across the database.

    Formats: .txt/.md, .html, .jsonl, .warc(.gz), RSS/Atom; other files are sniffed by content.
    Items already stored (same content hash) are skipped, so reruns are cheap and change nothing.

    Examples:

      lagebild analyze examples/corpus --report out/report.html

      lagebild analyze crawl.warc.gz exports/*.jsonl --db russia-china.db

      cat article.txt | lagebild analyze - --set language.fallback=en
    """
    try:
        cfg = cli_config(config, set_)
        if fetch:
            cfg = cfg.with_overrides(["input.fetch=true"])
        if profile is not None:
            cfg = cfg.with_overrides([f"analysis.profile={profile}"])
        if stages is not None:
            names = [n.strip() for n in stages.split(",") if n.strip()]
            cfg = cfg.with_overrides([f"pipeline.stages={json.dumps(names)}"])
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
        error(exc)
        raise typer.Exit(2) from None
    table = Table(title="lagebild analyze", show_header=False)
    add_row(table, "database", summary.db)
    add_row(table, "new articles", str(summary.added))
    add_row(table, "unchanged (already stored)", str(summary.unchanged))
    add_row(table, "failed items", str(summary.failed))
    if summary.report:
        add_row(table, "report", summary.report)
    err.print(table)
    if summary.failures:
        fails = Table(title="items that could not be read", show_lines=False)
        fails.add_column("item", overflow="fold")
        fails.add_column("reason", style="red", overflow="fold")
        for source, reason in summary.failures[:50]:
            add_row(fails, source, reason)
        if summary.failed > 50:
            add_row(fails, "…", f"{summary.failed - 50} more (see `lagebild info`)")
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
            "quotes-csv (a row per quote: who said what), timeline-csv (a row per event, "
            "merged across articles, by event time), or parquet, quotes-parquet, timeline-parquet "
            "(the CSV columns as a Parquet file; needs -o and pip install 'lagebild\\[parquet]').",
        ),
    ] = "jsonl",
    db: DbOption = "lagebild.db",
    output: Annotated[
        str | None,
        typer.Option("-o", "--output", help="Output file; stdout if omitted (not for Parquet)."),
    ] = None,
) -> None:
    """Export every stored article with everything the pipeline found.

    JSONL follows the schema in lagebild/schema/article.schema.json.

    Examples:

      lagebild export --format jsonl -o articles.jsonl

      lagebild export --format csv --db russia-china.db > articles.csv

      lagebild export --format quotes-csv -o who-said-what.csv

      lagebild export --format timeline-csv -o timeline.csv

      lagebild export --format parquet -o articles.parquet

      lagebild export --format quotes-parquet -o who-said-what.parquet
    """
    formats = ("jsonl", "csv", "quotes-csv", "timeline-csv", *api.PARQUET_FORMATS)
    if format_ not in formats:
        error(f"--format must be one of {', '.join(formats)}, not {format_!r}")
        raise typer.Exit(2)
    parquet = format_ in api.PARQUET_FORMATS
    if parquet and output is None:
        error(f"--format {format_} writes a binary file: give it with -o FILE")
        raise typer.Exit(2)
    if not Path(db).exists():
        error(f"no database at {db} (run `lagebild analyze` first)")
        raise typer.Exit(2)
    try:
        if parquet and output is not None:
            count = api.export_parquet(db, cast(api.ParquetFormat, format_), output)
        elif output is None:
            count = api.export(db, cast(api.ExportFormat, format_), sys.stdout)
        else:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                count = api.export(db, cast(api.ExportFormat, format_), fh)
    except (LagebildError, OSError) as exc:
        error(exc)
        raise typer.Exit(2) from None
    units = {"quotes": "quotes", "timeline": "timeline entries"}
    unit = units.get(format_.split("-")[0], "articles")
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
        error(exc)
        raise typer.Exit(2) from None
    if as_json:
        out.print_json(json.dumps(stats, ensure_ascii=False))
        return
    out.print(
        Text.assemble(
            (db, "bold"),
            f": {stats['articles']} articles from {stats['sources']} sources, {stats['runs']} runs",
        )
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
            add_row(table, name, str(n))
        out.print(table)
    if stats["last_failures"]:
        table = Table(title="failures in the last run")
        table.add_column("item", overflow="fold")
        table.add_column("reason", style="red", overflow="fold")
        for source, reason in stats["last_failures"]:
            add_row(table, source, reason)
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
        error(f"no database at {db} (run `lagebild analyze` first)")
        raise typer.Exit(2)
    try:
        from lagebild.store import open_store

        store = open_store(db, readonly=True)
        try:
            api.write_report(store, output, cli_config(config, set_))
        finally:
            store.close()
    except LagebildError as exc:
        error(exc)
        raise typer.Exit(2) from None
    err.print(Text(f"report written to {output}"))


@app.command()
def stages() -> None:
    """List the registered pipeline stages with what each needs and adds."""
    table = Table(title="pipeline stages")
    for column in ("stage", "needs", "adds", "what it does"):
        table.add_column(column, overflow="fold")
    for st in registered_stages().values():
        add_row(table, st.name, ", ".join(sorted(st.needs)), ", ".join(sorted(st.adds)), st.doc)
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
        error(f"--host {host} exposes the database: set --token (or LAGEBILD_TOKEN)")
        raise typer.Exit(2)
    try:
        from lagebild.web import create_app

        web_app = create_app(cli_config(config, set_), db, token=token)
        import uvicorn
    except (LagebildError, ImportError) as exc:
        error(exc)
        raise typer.Exit(2) from None
    err.print(
        Text(f"lagebild serve: http://{'[' + host + ']' if ':' in host else host}:{port}/ (Ctrl+C stops)")
    )
    uvicorn.run(web_app, host=host, port=port, log_level="warning")


# who copies whom (lagebild.cli.reuse), listed after the core commands
app.command()(reuse_commands.reuse)
app.command()(reuse_commands.provenance)
app.command()(reuse_commands.stories)
# training the shipped models again (lagebild.cli.train; the training code loads only when a task runs)
app.add_typer(train_app)


def main() -> None:
    app()
