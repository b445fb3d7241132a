"""Data that looks like Rich markup or like a spreadsheet formula (issue #17, defects 5 and 13)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lagebild import api
from lagebild.cli import app
from lagebild.csv_safe import FORMULA_START, SafeDictWriter, safe_cell
from lagebild.model import Article, DateInfo, Event, Quote, Sentence
from lagebild.store import open_store

runner = CliRunner()
MARKUP = "[/b]Evil[bold] :smile: [/]"
FORMULAS = [
    '=HYPERLINK("http://evil.example","klick")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\tX",
    "\rY",
]


def hostile_article(n: int = 1) -> Article:
    text = "-1+1 sagte der Sprecher am Montag. =2+2 ist die Antwort."
    return Article(
        id=f"{n:020x}",
        source=f"{MARKUP}/{n}.txt",
        source_format="txt",
        raw_text=text,
        clean_text=text,
        title=FORMULAS[0],
        outlet=MARKUP,
        language="de",
        url="=cmd",
        authors=["@Autor", FORMULAS[1]],
        published=DateInfo("2023-03-20", "day", "2023-03-20", "text"),
        sentences=[Sentence(0, 34), Sentence(35, len(text))],
        quotes=[
            Quote(
                "direct",
                (0, 4),
                "-1+1",
                "Direct",
                "@Sprecher",
                None,
                "+Sprecher",
                None,
                [],
                "mention",
                "=sagte",
            )
        ],
        events=[Event("CONSULT", 1, "=Akteur", "@Ziel", "2023-03-20", place="-Ort", trigger="ist")],
    )


def hostile_db(tmp_path: Path) -> Path:
    db = tmp_path / "hostile.db"
    store = open_store(str(db))
    run = store.start_run([MARKUP])
    with store.transaction():
        store.put(hostile_article())
        store.add_failure(run, f"in/x{MARKUP}.bin", f"binary file [/red] {MARKUP}")
    store.finish_run(run, "partial", 1, 0, 1)
    store.close()
    return db


def test_info_shows_markup_characters_as_written(tmp_path: Path) -> None:
    db = hostile_db(tmp_path)
    result = runner.invoke(app, ["info", "--db", str(db)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert MARKUP in result.output and f"in/x{MARKUP}.bin" in result.output
    assert f"binary file [/red] {MARKUP}" in result.output
    as_json = runner.invoke(app, ["info", "--db", str(db), "--json"])
    assert json.loads(as_json.output)["by_outlet"] == {MARKUP: 1}


def test_errors_show_markup_characters_as_written(tmp_path: Path) -> None:
    missing = str(tmp_path / "x[" / "b]missing.db")
    for command in (["info"], ["report", "-o", str(tmp_path / "r.html")], ["export", "-f", "csv"]):
        result = runner.invoke(app, [*command, "--db", missing], env={"COLUMNS": "500"})
        assert result.exit_code == 2 and "b]missing.db" in result.output, result.output


def test_analyze_summary_shows_a_path_with_markup_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = Path("in") / "x["
    folder.mkdir(parents=True)
    (folder / "b]empty.txt").write_bytes(b"")
    (folder / "b]binary.txt").write_bytes(bytes(range(256)) * 4)
    (Path("in") / "good.txt").write_text(
        "Titel\n\nDer Präsident traf in Moskau ein. Er sprach über Energie.", encoding="utf-8"
    )
    result = runner.invoke(
        app,
        ["analyze", "in", "--db", "s.db", "-q", "--set", 'pipeline.stages=["language","clean","metadata"]'],
        env={"COLUMNS": "300"},
    )
    assert result.exit_code == 1, result.output
    assert "in/x[/b]empty.txt" in result.output and "in/x[/b]binary.txt" in result.output


def test_safe_cell_follows_the_owasp_rule() -> None:
    for value in FORMULAS:
        assert safe_cell(value) == "'" + value
    for value in ("Putin", "", "'=already quoted", " =x", "3", "2023-03-20"):
        assert safe_cell(value) == value
    assert safe_cell(-3) == -3 and safe_cell(None) is None
    buf = io.StringIO()
    writer = SafeDictWriter(buf, ["a", "b"])
    writer.writeheader()
    writer.writerow({"a": "=1+1", "b": 7})
    assert buf.getvalue().splitlines() == ["a,b", "'=1+1,7"]


def assert_no_formula(text: str) -> int:
    """Every cell of the CSV ``text`` is safe; returns how many cells were neutralised."""
    neutralised = 0
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(FORMULA_START), cell
            neutralised += cell.startswith("'") and cell[1:].startswith(FORMULA_START)
    return neutralised


@pytest.mark.parametrize("fmt", ["csv", "quotes-csv", "timeline-csv"])
def test_csv_exports_neutralise_formulas(tmp_path: Path, fmt: str) -> None:
    db = hostile_db(tmp_path)
    text = api.export_string(str(db), fmt)  # type: ignore[arg-type]
    assert assert_no_formula(text) >= 3, text
    result = runner.invoke(app, ["export", "--db", str(db), "--format", fmt])
    assert result.exit_code == 0 and assert_no_formula(result.stdout) >= 3
