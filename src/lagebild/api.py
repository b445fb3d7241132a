"""The library API. The CLI and the web app are thin layers over these functions."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from lagebild.config import Config, load_config
from lagebild.errors import InputError, LagebildError, StageError
from lagebild.model import Article
from lagebild.pipeline import Pipeline
from lagebild.readers import expand_paths, read_paths
from lagebild.store import Store, open_store

if TYPE_CHECKING:
    from lagebild.events import TimelineEntry
    from lagebild.reuse import ReuseEdge
    from lagebild.store import Story

__all__ = ["RunSummary", "analyze", "analyze_text", "export", "info", "timeline", "write_report", "Progress"]

ExportFormat = Literal["jsonl", "csv", "quotes-csv", "timeline-csv"]


@dataclass
class RunSummary:
    run_id: int
    db: str
    added: int = 0
    unchanged: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    report: str | None = None
    interrupted: bool = False
    reuse: ReuseSummary | None = None  # near-duplicates and reposts, when [reuse] enabled
    stories: list[Story] | None = None  # stories of at least two articles, when [stories] enabled

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def exit_code(self) -> int:
        """0: every item was read; 1: some items failed; 2: nothing usable was read."""
        if self.added + self.unchanged == 0:
            return 2
        return 1 if self.failures else 0


class Progress:
    """Callbacks for long runs. The CLI draws a progress bar from them; the default does nothing."""

    def start(self, files: int) -> None:
        """Called once with the number of input files (after expanding directories)."""

    def file_done(self, path: str) -> None:
        """Called after each input file."""

    def item(self, outcome: Literal["added", "unchanged", "failed"], source: str, detail: str) -> None:
        """Called per article or failed item."""

    def reuse(self, done: int, total: int) -> None:
        """Called while near-duplicates are searched: articles hashed so far, of ``total``."""


def analyze(
    paths: Sequence[str],
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
    run_id = store.start_run(list(paths))
    summary = RunSummary(run_id=run_id, db=db_path)
    pending = 0
    try:
        with store.transaction():
            for path in files:
                for result in read_paths([path], config):
                    if isinstance(result, InputError):
                        _fail(store, summary, progress, result.source, result.reason)
                        continue
                    pending += _process(result, pipeline, store, summary, progress, reprocess)
                    if pending >= batch:
                        store.commit()
                        pending = 0
                progress.file_done(path)
    except KeyboardInterrupt:
        summary.interrupted = True
        store.finish_run(run_id, "interrupted", summary.added, summary.unchanged, summary.failed)
        store.close()
        raise
    except LagebildError:
        # Committed batches stay; the open batch was rolled back. Leave the database closed cleanly.
        store.finish_run(run_id, "failed", summary.added, summary.unchanged, summary.failed)
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
    return Pipeline.from_config(config).run(article)


def _fail(store: Store, summary: RunSummary, progress: Progress, source: str, reason: str) -> None:
    store.add_failure(summary.run_id, source, reason)
    summary.failures.append((source, reason))
    progress.item("failed", source, reason)


def _process(
    article: Article,
    pipeline: Pipeline,
    store: Store,
    summary: RunSummary,
    progress: Progress,
    reprocess: bool,
) -> int:
    if store.has(article.id) and not reprocess:
        store.add_source(article.source, article.id, summary.run_id)
        summary.unchanged += 1
        progress.item("unchanged", article.source, "")
        return 0
    try:
        article = pipeline.run(article)
    except StageError as err:
        _fail(store, summary, progress, err.source, f"stage {err.stage!r} failed: {err.reason}")
        return 0
    store.put(article, replace=reprocess)
    store.add_source(article.source, article.id, summary.run_id)
    summary.added += 1
    progress.item("added", article.source, article.title or "")
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


CSV_COLUMNS = (
    "id",
    "title",
    "outlet",
    "language",
    "published",
    "published_precision",
    "authors",
    "url",
    "source",
    "source_format",
    "provenance",
    "sentences",
    "removed_spans",
    "quotes",
    "speakers",
    "clean_text",
)


def _csv_row(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title or "",
        "outlet": article.outlet or "",
        "language": article.language or "",
        "published": article.published.value if article.published else "",
        "published_precision": article.published.precision if article.published else "",
        "authors": "; ".join(article.authors),
        "url": article.url or "",
        "source": article.source,
        "source_format": article.source_format,
        "provenance": "; ".join(f"{p.kind}: {p.name}" for p in article.provenance),
        "sentences": len(article.sentences),
        "removed_spans": len(article.removed),
        "quotes": len(article.quotes),
        "speakers": "; ".join(
            dict.fromkeys(q.speaker_name or q.speaker or "" for q in article.quotes if q.speaker)
        ),
        "clean_text": article.clean_text,
    }


QUOTE_COLUMNS = [
    "article_id",
    "published",
    "outlet",
    "kind",
    "form",
    "speaker",
    "speaker_name",
    "actor_id",
    "resolution",
    "cue",
    "addressee",
    "reported_by",
    "reported_by_actor",
    "message_start",
    "message_end",
    "text",
]


def _quote_rows(article: Article) -> Iterable[dict[str, Any]]:
    for q in article.quotes:
        yield {
            "article_id": article.id,
            "published": article.published.value if article.published else "",
            "outlet": article.outlet or "",
            "kind": q.kind,
            "form": q.form,
            "speaker": q.speaker or "",
            "speaker_name": q.speaker_name or "",
            "actor_id": q.actor_id or "",
            "resolution": q.resolution or "",
            "cue": q.cue or "",
            "addressee": q.addressee or "",
            "reported_by": q.reported_by or "",
            "reported_by_actor": q.reported_by_actor or "",
            "message_start": q.message[0],
            "message_end": q.message[1],
            "text": q.text,
        }


TIMELINE_COLUMNS = [
    "time",
    "action",
    "mode",
    "actor",
    "target",
    "place",
    "status",
    "first_reported",
    "outlets",
    "articles",
    "reported_by",
    "evidence",
]


def timeline(db: str, config: Config | None = None) -> list[TimelineEntry]:
    """The cross-outlet timeline of every stored article's events (see lagebild.events.timeline).

    Events come from the ``events`` stage; articles analysed without it contribute nothing.
    """
    if not Path(db).exists():
        raise LagebildError(f"no database at {db} (run `lagebild analyze` first)")
    store = open_store(db)
    try:
        return _timeline(store.query(), config)
    finally:
        store.close()


def _timeline(articles: Iterable[Article], config: Config | None) -> list[TimelineEntry]:
    from lagebild.events import build_timeline
    from lagebild.kb import load_kb

    config = config or load_config()
    return build_timeline(articles, load_kb(tuple(config["kb"]["extra_dirs"])))


def _timeline_rows(entries: list[TimelineEntry]) -> Iterable[dict[str, Any]]:
    for e in entries:
        yield {
            "time": e.time or "",
            "action": e.action,
            "mode": e.mode or "",
            "actor": e.actor or "",
            "target": e.target or "",
            "place": e.place or "",
            "status": e.status,
            "first_reported": e.first_reported or "",
            "outlets": "; ".join(e.outlets),
            "articles": "; ".join(e.articles),
            "reported_by": "; ".join(dict.fromkeys(r.reported_by for r in e.reports if r.reported_by)),
            "evidence": " | ".join(e.evidence),
        }


def export(db: str, fmt: ExportFormat, out: IO[str]) -> int:
    """Write every stored article to ``out``; return how many rows. JSONL follows schema/article.schema.json.

    ``quotes-csv`` writes one row per quote (who said what) instead of one per article;
    ``timeline-csv`` one row per timeline entry (events merged across articles, by event time).
    """
    store = open_store(db)
    count = 0
    try:
        articles: Iterable[Article] = store.query()
        if fmt == "jsonl":
            for article in articles:
                out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
                count += 1
        elif fmt == "csv":
            writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            for article in articles:
                writer.writerow(_csv_row(article))
                count += 1
        elif fmt == "quotes-csv":
            writer = csv.DictWriter(out, fieldnames=QUOTE_COLUMNS)
            writer.writeheader()
            for article in articles:
                for row in _quote_rows(article):
                    writer.writerow(row)
                    count += 1
        elif fmt == "timeline-csv":
            writer = csv.DictWriter(out, fieldnames=TIMELINE_COLUMNS)
            writer.writeheader()
            for row in _timeline_rows(_timeline(articles, None)):
                writer.writerow(row)
                count += 1
        else:
            raise LagebildError(f"unknown export format {fmt!r} (use jsonl, csv, quotes-csv or timeline-csv)")
    finally:
        store.close()
    return count


def info(db: str) -> dict[str, Any]:
    """Counts per outlet, language, format and month, plus the last runs and their failures."""
    if not Path(db).exists():
        raise LagebildError(f"no database at {db} (run `lagebild analyze` first)")
    store = open_store(db)
    try:
        stats = store.stats()
        stats["last_runs"] = [r.__dict__ for r in store.runs()[-5:]]
        stats["last_failures"] = store.failures()
    finally:
        store.close()
    return stats


def export_string(db: str, fmt: ExportFormat) -> str:
    buf = io.StringIO()
    export(db, fmt, buf)
    return buf.getvalue()


# -- reuse between articles (near-duplicates, reposts) -----------------------------------------------
__all__ += ["ReuseSummary", "find_reuse"]


@dataclass
class ReuseSummary:
    db: str
    articles: int  # articles compared
    edges: list[ReuseEdge] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def by_kind(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for edge in self.edges:
            counts[edge.kind] = counts.get(edge.kind, 0) + 1
        return counts


def find_reuse(db: str, config: Config | None = None, progress: Progress | None = None) -> ReuseSummary:
    """Find near-duplicates and reposts among all stored articles and store them as edges.

    Settings come from ``[reuse]`` (threshold, num_perm, shingle_size, min_words). The edges of
    the previous run of the detector (method "minhash") are replaced, so a rerun changes nothing;
    edges of other methods (translations …) stay. ``analyze`` calls this after a run that added
    articles when ``reuse.enabled`` is true.
    """
    if not Path(db).exists():
        raise LagebildError(f"no database at {db} (run `lagebild analyze` first)")
    config = config or load_config()
    store = open_store(db)
    try:
        return _find_reuse(store, db, config, progress or Progress())
    finally:
        store.close()


def _find_reuse(store: Store, db: str, config: Config, progress: Progress) -> ReuseSummary:
    import time

    from lagebild.reuse import METHOD, find_near_duplicates

    settings = config["reuse"]
    started = time.perf_counter()
    articles = list(store.query())
    edges = find_near_duplicates(
        articles,
        float(settings["threshold"]),
        num_perm=int(settings["num_perm"]),
        shingle_size=int(settings["shingle_size"]),
        min_words=int(settings["min_words"]),
        progress=progress.reuse,
    )
    with store.transaction():
        store.put_edges([e.to_edge() for e in edges], method=METHOD)
    return ReuseSummary(db, len(articles), edges, time.perf_counter() - started)


# -- provenance and translations (P5) -----------------------------------------------------------------
if TYPE_CHECKING:
    from lagebild.reuse.provenance import ProvenanceResult
    from lagebild.store import Edge

__all__ += ["provenance", "find_translations"]


def provenance(db: str, article_id: str) -> ProvenanceResult:
    """The provenance of one stored article: its original-source chain and the graph around it.

    ``result.chain`` lists the article (named by its outlet), the articles it reposts or translates
    (stored edges), the outlet that first published it (provenance notes) and the source it cites;
    ``result.text`` reads "KenFM ← RT DE (first published 2021-02-10) ← RusStrat (cited source)".
    """
    from lagebild.reuse.provenance import provenance_from_store

    if not Path(db).exists():
        raise LagebildError(f"no database at {db} (run `lagebild analyze` first)")
    store = open_store(db)
    try:
        return provenance_from_store(store, article_id)
    finally:
        store.close()


def find_translations(db: str, cache_dir: str | None = "out/cache/e5-sentences") -> list[Edge]:
    """Detect translations among the stored articles and store them as "translates" edges.

    Sentence embeddings are cached per article content under ``cache_dir`` (None: no cache).
    Replaces the previous run's edges of the method ("e5-align").
    """
    from lagebild.reuse.sentembed import SentenceEmbedder
    from lagebild.reuse.translation import METHOD
    from lagebild.reuse.translation import find_translations as _find

    if not Path(db).exists():
        raise LagebildError(f"no database at {db} (run `lagebild analyze` first)")
    store = open_store(db)
    try:
        edges = _find(list(store.query()), embedder=SentenceEmbedder(Path(cache_dir) if cache_dir else None))
        with store.transaction():
            store.put_edges(edges, method=METHOD)
    finally:
        store.close()
    return edges


# -- stories (P5) ---------------------------------------------------------------------------------------
__all__ += ["find_stories", "stories", "story"]


def find_stories(db: str, config: Config | None = None) -> list[Story]:
    """Cluster all stored articles into stories and store them (replacing the previous stories).

    Settings come from ``[stories]``; ``analyze`` calls this after a run that added articles when
    ``stories.enabled`` is true. Returns the stored stories (clusters of at least ``min_members``).
    """
    if not Path(db).exists():
        raise LagebildError(f"no database at {db} (run `lagebild analyze` first)")
    config = config or load_config()
    store = open_store(db)
    try:
        return _find_stories(store, config)
    finally:
        store.close()


def _find_stories(store: Store, config: Config) -> list[Story]:
    from lagebild.reuse.sentembed import SentenceEmbedder
    from lagebild.reuse.stories import StoryConfig
    from lagebild.reuse.stories import find_stories as _find

    articles = list(store.query())
    cache = str(config["stories"]["cache_dir"])
    names = _actor_labels(articles, config)
    found = _find(
        articles, StoryConfig.from_config(config), SentenceEmbedder(Path(cache) if cache else None), names
    )
    with store.transaction():
        store.put_stories(found)
    return found


def _actor_labels(articles: Sequence[Article], config: Config) -> dict[str, str]:
    """Knowledge-base names of the actors the articles' mentions were linked to (empty when none)."""
    ids = {m.actor_id for a in articles for m in a.mentions if m.actor_id}
    ids = {i for i in ids if not i.startswith("doc:")}
    if not ids:
        return {}
    from lagebild.kb import load_kb

    kb = load_kb(tuple(config["kb"]["extra_dirs"]))
    return {i: kb.actors[i].name for i in ids if i in kb.actors}


def stories(db: str, article_id: str | None = None) -> list[Story]:
    """The stored stories (largest first); with ``article_id`` only the story that holds it."""
    if not Path(db).exists():
        raise LagebildError(f"no database at {db} (run `lagebild analyze` first)")
    store = open_store(db)
    try:
        return store.stories(article_id)
    finally:
        store.close()


def story(db: str, story_id: str) -> tuple[Story, list[Article]]:
    """One stored story and its member articles (in the story's order)."""
    store = open_store(db) if Path(db).exists() else None
    if store is None:
        raise LagebildError(f"no database at {db} (run `lagebild analyze` first)")
    try:
        found = next((s for s in store.stories() if s.id == story_id), None)
        if found is None:
            raise LagebildError(f"no story {story_id!r} in the database")
        members = [a for a in (store.get(i) for i in found.members) if a is not None]
    finally:
        store.close()
    return found, members
