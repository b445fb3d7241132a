"""Export and timeline functions of the library API (``lagebild.api`` re-exports them)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from lagebild.config import Config, load_config
from lagebild.csv_safe import SafeDictWriter
from lagebild.errors import ConfigError, LagebildError
from lagebild.model import Article
from lagebild.store import open_store

if TYPE_CHECKING:
    from lagebild.events import TimelineEntry

__all__ = [
    "CSV_COLUMNS",
    "PARQUET_FORMATS",
    "QUOTE_COLUMNS",
    "TIMELINE_COLUMNS",
    "ExportFormat",
    "ParquetFormat",
    "export",
    "export_parquet",
    "export_string",
    "timeline",
]

ExportFormat = Literal["jsonl", "csv", "quotes-csv", "timeline-csv"]
# Parquet is binary, so it is written to a path (export_parquet), not to a text stream.
ParquetFormat = Literal["parquet", "quotes-parquet", "timeline-parquet"]
PARQUET_FORMATS: tuple[str, ...] = ("parquet", "quotes-parquet", "timeline-parquet")


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
    store = open_store(db, readonly=True)
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
    store = open_store(db, readonly=True)
    count = 0
    try:
        articles: Iterable[Article] = store.query()
        if fmt == "jsonl":
            for article in articles:
                out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
                count += 1
        elif fmt == "csv":
            writer = SafeDictWriter(out, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            for article in articles:
                writer.writerow(_csv_row(article))
                count += 1
        elif fmt == "quotes-csv":
            writer = SafeDictWriter(out, fieldnames=QUOTE_COLUMNS)
            writer.writeheader()
            for article in articles:
                for row in _quote_rows(article):
                    writer.writerow(row)
                    count += 1
        elif fmt == "timeline-csv":
            writer = SafeDictWriter(out, fieldnames=TIMELINE_COLUMNS)
            writer.writeheader()
            for row in _timeline_rows(_timeline(articles, None)):
                writer.writerow(row)
                count += 1
        elif fmt in PARQUET_FORMATS:
            raise LagebildError(f"{fmt} is binary: write it to a file with export_parquet(db, fmt, path)")
        else:
            raise LagebildError(f"unknown export format {fmt!r} (use jsonl, csv, quotes-csv or timeline-csv)")
    finally:
        store.close()
    return count


def export_string(db: str, fmt: ExportFormat) -> str:
    buf = io.StringIO()
    export(db, fmt, buf)
    return buf.getvalue()


# Counts and character offsets; every other column is a string, as in the CSV exports ("" for none).
_INT_COLUMNS = frozenset({"sentences", "removed_spans", "quotes", "message_start", "message_end"})
_PARQUET_BATCH = 1000


def export_parquet(db: str, fmt: ParquetFormat, path: str | Path) -> int:
    """Write every stored article to the Parquet file ``path``; return how many rows.

    The columns are those of the matching CSV export (``parquet`` = ``csv``, ``quotes-parquet`` =
    ``quotes-csv``, ``timeline-parquet`` = ``timeline-csv``); counts and offsets are int64, the rest
    strings. Needs the optional extra ``lagebild[parquet]`` (pyarrow).
    """
    if fmt not in PARQUET_FORMATS:
        raise LagebildError(
            f"unknown Parquet format {fmt!r} (use parquet, quotes-parquet or timeline-parquet)"
        )
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ConfigError("Parquet export needs pyarrow: pip install 'lagebild[parquet]'") from exc
    columns = {"parquet": CSV_COLUMNS, "quotes-parquet": QUOTE_COLUMNS}.get(fmt, TIMELINE_COLUMNS)
    schema = pa.schema([(c, pa.int64() if c in _INT_COLUMNS else pa.string()) for c in columns])
    store = open_store(db, readonly=True)
    count = 0
    # written beside the target and moved into place at the end: a failed export leaves no
    # half-written file and keeps an earlier export of the same name
    target = Path(path)
    part = target.with_name(target.name + ".part")
    try:
        articles: Iterable[Article] = store.query()
        rows: Iterable[dict[str, Any]]
        if fmt == "parquet":
            rows = (_csv_row(article) for article in articles)
        elif fmt == "quotes-parquet":
            rows = (row for article in articles for row in _quote_rows(article))
        else:
            rows = _timeline_rows(_timeline(articles, None))
        with pq.ParquetWriter(str(part), schema) as writer:
            batch: list[dict[str, Any]] = []
            for row in rows:
                batch.append(row)
                count += 1
                if len(batch) >= _PARQUET_BATCH:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    batch = []
            if batch:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
        part.replace(target)
    except OSError as exc:
        raise LagebildError(f"cannot write {path}: {exc}") from exc
    except pa.ArrowException as exc:  # a value that does not fit its column: convert at the boundary
        raise LagebildError(f"cannot write Parquet {path}: {exc}") from exc
    finally:
        part.unlink(missing_ok=True)
        store.close()
    return count
