"""Parquet export (lagebild.api.exports.export_parquet): the CSV columns, typed, read back with pyarrow."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from lagebild import api
from lagebild.api.exports import CSV_COLUMNS, QUOTE_COLUMNS, TIMELINE_COLUMNS
from lagebild.errors import ConfigError, LagebildError
from lagebild.model import Event
from lagebild.store import open_store
from tests.events.helpers import article

QUOTED = (
    "Gespräch in Moskau\n\nDer chinesische Präsident Xi Jinping traf am Dienstag in Moskau ein. "
    "„Wir stärken die Zusammenarbeit weiter“, sagte Putin nach dem Treffen."
)
PLAIN = (
    "Titel der Meldung\n\nDer chinesische Präsident Xi Jinping traf am Dienstag in Moskau ein. "
    "Er sprach mit Wladimir Putin über Energie und Sicherheit, wie beide Seiten mitteilten."
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Two analysed articles (as in tests/test_api.py), one with a direct quote."""
    folder = tmp_path_factory.mktemp("in")
    (folder / "quoted.txt").write_text(QUOTED, encoding="utf-8")
    (folder / "plain.txt").write_text(PLAIN, encoding="utf-8")
    path = str(folder / "s.db")
    assert api.analyze([str(folder)], db=path).added == 2
    return path


def read(path: Path) -> Any:
    pq = pytest.importorskip("pyarrow.parquet")
    return pq.read_table(path)


def test_articles_parquet_has_the_csv_columns_and_types(db: str, tmp_path: Path):
    pa = pytest.importorskip("pyarrow")
    out = tmp_path / "a.parquet"
    assert api.export_parquet(db, "parquet", out) == 2
    table = read(out)
    assert table.num_rows == 2 and table.column_names == list(CSV_COLUMNS)
    assert table.schema.field("sentences").type == pa.int64()
    assert table.schema.field("title").type == pa.string()
    rows = {r["title"]: r for r in table.to_pylist()}
    assert set(rows) == {"Gespräch in Moskau", "Titel der Meldung"}
    quoted = rows["Gespräch in Moskau"]
    assert (quoted["sentences"], quoted["quotes"], quoted["speakers"]) == (2, 1, "Putin")
    assert "„Wir stärken die Zusammenarbeit weiter“" in quoted["clean_text"]
    assert rows["Titel der Meldung"]["quotes"] == 0 and rows["Titel der Meldung"]["published"] == ""


def test_parquet_rows_equal_the_csv_rows(db: str, tmp_path: Path):
    import csv
    import io

    out = tmp_path / "a.parquet"
    api.export_parquet(db, "parquet", out)
    from_csv = list(csv.DictReader(io.StringIO(api.export_string(db, "csv"))))
    from_parquet = [{k: str(v) for k, v in r.items()} for r in read(out).to_pylist()]
    assert from_parquet == from_csv


def test_quotes_parquet(db: str, tmp_path: Path):
    pa = pytest.importorskip("pyarrow")
    out = tmp_path / "q.parquet"
    assert api.export_parquet(db, "quotes-parquet", str(out)) == 1
    table = read(out)
    assert table.column_names == QUOTE_COLUMNS
    assert table.schema.field("message_start").type == pa.int64()
    [quote] = table.to_pylist()
    assert (quote["kind"], quote["speaker"], quote["cue"]) == ("direct", "Putin", "sagte")
    assert quote["text"] == "„Wir stärken die Zusammenarbeit weiter“"
    assert quote["message_end"] - quote["message_start"] == len(quote["text"])


def test_timeline_parquet(tmp_path: Path):
    pa = pytest.importorskip("pyarrow")
    db = str(tmp_path / "t.db")
    store = open_store(db)
    with store.transaction():
        for ident, outlet, published in [("a", "KenFM", "2021-02-14"), ("b", "RT", "2021-02-05")]:
            a = article(
                ["Russland und China berieten am 4. Februar 2021 über Zölle."],
                ident=ident,
                outlet=outlet,
                published=published,
            )
            a.events = [Event("CONSULT", 0, "Q159", "Q148", "2021-02-04")]
            store.put(a)
    store.close()
    out = tmp_path / "t.parquet"
    assert api.export_parquet(db, "timeline-parquet", out) == 1
    table = read(out)
    assert table.column_names == TIMELINE_COLUMNS
    assert all(field.type == pa.string() for field in table.schema)
    [entry] = table.to_pylist()
    assert (entry["time"], entry["action"], entry["first_reported"]) == (
        "2021-02-04",
        "CONSULT",
        "2021-02-05",
    )
    assert entry["outlets"] == "RT; KenFM" and entry["articles"] == "b; a"  # by first report
    assert "Zölle" in entry["evidence"]


def test_empty_database_writes_the_schema(tmp_path: Path):
    db = str(tmp_path / "e.db")
    open_store(db).close()
    out = tmp_path / "e.parquet"
    assert api.export_parquet(db, "quotes-parquet", out) == 0
    table = read(out)
    assert table.num_rows == 0 and table.column_names == QUOTE_COLUMNS


def test_missing_pyarrow_is_a_config_error(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # makes `import pyarrow` raise ImportError
    with pytest.raises(ConfigError, match=r"pip install 'lagebild\[parquet\]'"):
        api.export_parquet(db, "parquet", tmp_path / "a.parquet")


def test_unwritable_path_and_text_export_of_parquet_are_clear_errors(db: str, tmp_path: Path):
    pytest.importorskip("pyarrow")
    with pytest.raises(LagebildError, match="cannot write"):
        api.export_parquet(db, "parquet", tmp_path / "no" / "such" / "dir" / "a.parquet")
    with pytest.raises(LagebildError, match="binary"):
        api.export_string(db, "parquet")  # type: ignore[arg-type]


def test_a_failed_export_keeps_the_earlier_file_and_leaves_no_part(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    pytest.importorskip("pyarrow")
    from lagebild.api import exports as api_export

    out = tmp_path / "a.parquet"
    assert api.export_parquet(db, "parquet", out) == 2
    before = out.read_bytes()
    real, calls = api_export._csv_row, []

    def fail_on_second(article: Any) -> dict[str, Any]:
        calls.append(article)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(article)

    monkeypatch.setattr(api_export, "_csv_row", fail_on_second)
    with pytest.raises(LagebildError, match="disk full"):
        api.export_parquet(db, "parquet", out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.glob("a.parquet*")) == ["a.parquet"]


def test_a_value_arrow_cannot_store_is_a_lagebild_error(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    pytest.importorskip("pyarrow")
    from lagebild.api import exports as api_export

    out = tmp_path / "a.parquet"
    real = api_export._csv_row

    def bad_count(article: Any) -> dict[str, Any]:
        return {**real(article), "sentences": "many"}  # an int64 column

    monkeypatch.setattr(api_export, "_csv_row", bad_count)
    with pytest.raises(LagebildError, match="cannot write Parquet"):
        api.export_parquet(db, "parquet", out)
    assert not list(tmp_path.glob("a.parquet*"))
