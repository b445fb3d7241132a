"""Analysis, the report and ``info`` in the library API (``lagebild.api`` re-exports them)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lagebild.api.reuse import _find_reuse, _find_stories
from lagebild.api.types import Progress, RunSummary
from lagebild.config import Config, load_config
from lagebild.errors import InputError, LagebildError, printable
from lagebild.model import Article
from lagebild.parallel import ArticleRunner, Failure, worker_count
from lagebild.pipeline import Pipeline
from lagebild.readers import PathArg, expand_paths, read_paths
from lagebild.store import Store, open_store

__all__ = ["analyze", "analyze_text", "write_report", "info"]


def analyze(
    paths: Sequence[PathArg],
    db: str | None = None,
    config: Config | None = None,
    report: str | None = None,
    progress: Progress | None = None,
    reprocess: bool = False,
) -> RunSummary:
    """Read ``paths``, run the pipeline on every new article and store it in ``db``.

    Items whose content hash is already stored are skipped (``unchanged``), so a rerun changes
    nothing and adding files adds only what is new; ``reprocess=True`` runs them again. Each
    failed item is recorded with a one-line reason; the run always goes on. Work is committed
    every ``store.batch_size`` articles and when the run is interrupted.
    """
    config = config or load_config()
    progress = progress or Progress()
    db_path = db or str(config["store"]["path"])
    pipeline = Pipeline.from_config(config)
    batch = max(1, int(config["store"]["batch_size"]))
    store = open_store(db_path)
    files = list(expand_paths(paths))
    progress.start(len(files))
    run_id = store.start_run([printable(os.fsdecode(p)) for p in paths])
    summary = RunSummary(run_id=run_id, db=db_path)
    pending = 0
    runner: ArticleRunner[_Item] = ArticleRunner(
        pipeline, worker_count(config), int(config["pipeline"]["pool_after"])
    )

    def wanted(item: _Item) -> Article | None:
        # New articles go to the stages; stored ones are counted as unchanged when their turn comes.
        if isinstance(item, Article) and (reprocess or not store.has(item.id)):
            return item
        return None

    try:
        with store.transaction(), pipeline.blas_threads():
            for item, outcome in runner.run(_items(files, config), wanted):
                if isinstance(item, _FileDone):
                    progress.file_done(printable(item.path))
                elif isinstance(item, InputError):
                    _fail(store, summary, progress, item.source, item.reason)
                else:
                    pending += _store(item, outcome, store, summary, progress, reprocess)
                    if pending >= batch:
                        store.commit()
                        pending = 0
    except BaseException as exc:
        # Whatever ends the run early (Ctrl-C, a database error), committed batches stay, the open
        # one was rolled back, and the run row must not stay 'running'.
        summary.interrupted = isinstance(exc, KeyboardInterrupt)
        status = "interrupted" if summary.interrupted else "failed"
        store.finish_run(run_id, status, summary.added, summary.unchanged, summary.failed)
        store.close()
        raise
    status = "ok" if summary.exit_code == 0 else ("partial" if summary.exit_code == 1 else "failed")
    store.finish_run(run_id, status, summary.added, summary.unchanged, summary.failed)
    if config["reuse"]["enabled"] and (summary.added or reprocess):
        try:
            summary.reuse = _find_reuse(store, db_path, config, progress)
        except LagebildError:
            store.close()
            raise
    if config["stories"]["enabled"] and (summary.added or reprocess):
        try:
            summary.stories = _find_stories(store, config)
        except LagebildError:
            store.close()
            raise
    if report:
        write_report(store, report, config)
        summary.report = report
    store.close()
    return summary


def analyze_text(
    text: str,
    config: Config | None = None,
    *,
    source: str = "<text>",
    title: str | None = None,
    date: str | None = None,
    outlet: str | None = None,
) -> Article:
    """Run the configured pipeline on one text and return the article (nothing is stored).

    ``date`` (ISO) and ``outlet`` are passed as metadata hints, as a JSONL record would.
    """
    from lagebild.model import SourceHints, content_id

    config = config or load_config()
    hints = SourceHints(title=title, date=date, date_source="api" if date else None, outlet=outlet)
    article = Article(id=content_id(text), source=source, source_format="txt", raw_text=text, hints=hints)
    pipeline = Pipeline.from_config(config)
    with pipeline.blas_threads():
        return pipeline.run(article)


def _fail(store: Store, summary: RunSummary, progress: Progress, source: str, reason: str) -> None:
    store.add_failure(summary.run_id, source, reason)
    summary.failures.append((source, reason))
    progress.item("failed", source, reason)


@dataclass(frozen=True)
class _FileDone:
    path: str


_Item = Article | InputError | _FileDone


def _items(files: list[str], config: Config) -> Iterator[_Item]:
    for path in files:
        yield from read_paths([path], config)
        yield _FileDone(path)


def _store(
    article: Article,
    outcome: Article | Failure | None,
    store: Store,
    summary: RunSummary,
    progress: Progress,
    reprocess: bool,
) -> int:
    """Store one item's outcome; returns 1 when an article was added. An item already stored (by
    an earlier run, or earlier in this one when the same text came twice) is unchanged."""
    if isinstance(outcome, Failure):
        _fail(store, summary, progress, outcome.source, outcome.message())
        return 0
    if outcome is None or (not reprocess and store.has(outcome.id)):
        store.add_source(article.source, article.id, summary.run_id)
        summary.unchanged += 1
        progress.item("unchanged", article.source, "")
        return 0
    store.put(outcome, replace=reprocess)
    store.add_source(outcome.source, outcome.id, summary.run_id)
    summary.added += 1
    progress.item("added", outcome.source, outcome.title or "")
    return 1


def write_report(store: Store, path: str, config: Config | None = None) -> None:
    from lagebild.report import render_report

    config = config or load_config()
    html = render_report(
        store,
        max_articles=int(config["report"]["max_articles"]),
        label_files=[str(p) for p in config["report"]["reliability_labels"]],
    )
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise LagebildError(f"cannot write report {path}: {exc.strerror}") from exc


def info(db: str) -> dict[str, Any]:
    """Counts per outlet, language, format and month, plus the last runs and their failures."""
    if not Path(db).exists():
        raise LagebildError(f"no database at {db} (run `lagebild analyze` first)")
    store = open_store(db, readonly=True)
    try:
        stats = store.stats()
        stats["last_runs"] = [r.__dict__ for r in store.runs()[-5:]]
        stats["last_failures"] = store.failures()
    finally:
        store.close()
    return stats
