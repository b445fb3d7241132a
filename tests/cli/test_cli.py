from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from lagebild.cli import app
from tests.conftest import CORPUS, ROOT

runner = CliRunner()
PARA = "Der chinesische Präsident Xi Jinping traf in Moskau ein. Er sprach mit Putin über Energie und Handel."


@pytest.mark.parametrize(
    "command", ["analyze", "export", "info", "report", "stages", "reuse", "provenance", "stories"]
)
def test_help_explains_each_command(command: str):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    if command != "stages":
        assert "Example" in result.output


def test_analyze_info_export_report(tmp_path: Path):
    db = str(tmp_path / "demo.db")
    result = runner.invoke(
        app, ["analyze", str(CORPUS), "--db", db, "--report", str(tmp_path / "r.html"), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert "new articles" in result.output and "17" in result.output
    info = runner.invoke(app, ["info", "--db", db, "--json"])
    assert json.loads(info.output)["articles"] == 17
    out = tmp_path / "a.jsonl"
    exported = runner.invoke(app, ["export", "--db", db, "--format", "jsonl", "-o", str(out)])
    assert exported.exit_code == 0 and len(out.read_text(encoding="utf-8").splitlines()) == 17
    assert "exported 17 articles" in exported.output
    timeline = runner.invoke(
        app, ["export", "--db", db, "--format", "timeline-csv", "-o", str(tmp_path / "t.csv")]
    )
    assert timeline.exit_code == 0 and "timeline entries" in timeline.output
    csv_out = runner.invoke(app, ["export", "--db", db, "--format", "csv"])
    assert csv_out.output.startswith("id,title")
    rep = runner.invoke(app, ["report", "--db", db, "-o", str(tmp_path / "again.html")])
    assert rep.exit_code == 0 and (tmp_path / "again.html").stat().st_size > 10_000


def test_exit_codes_and_failure_table(tmp_path: Path):
    (tmp_path / "good.txt").write_text(PARA, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    db = str(tmp_path / "s.db")
    partial = runner.invoke(app, ["analyze", str(tmp_path), "--db", db, "-q"])
    assert partial.exit_code == 1 and "empty file" in partial.output
    nothing = runner.invoke(app, ["analyze", str(tmp_path / "empty.txt"), "--db", db, "-q"])
    assert nothing.exit_code == 2
    rerun = runner.invoke(app, ["analyze", str(tmp_path / "good.txt"), "--db", db, "-q"])
    assert rerun.exit_code == 0 and "unchanged" in rerun.output


def test_bad_set_is_a_clear_error(tmp_path: Path):
    result = runner.invoke(
        app, ["analyze", str(CORPUS), "--db", str(tmp_path / "s.db"), "--set", "store.nope=1"]
    )
    assert result.exit_code == 2 and "unknown config key" in result.output
    db = tmp_path / "r.db"
    out_of_range = runner.invoke(
        app, ["analyze", str(CORPUS), "--db", str(db), "--set", "reuse.threshold=1.5"]
    )
    assert (
        out_of_range.exit_code == 2
        and "'reuse.threshold' must be a Jaccard similarity" in out_of_range.output
    )
    assert "Traceback" not in out_of_range.output and not db.exists()  # refused before any work


def test_export_without_database(tmp_path: Path):
    result = runner.invoke(app, ["export", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "no database" in result.output


def test_export_parquet(tmp_path: Path):
    pq = pytest.importorskip("pyarrow.parquet")
    (tmp_path / "in.txt").write_text(PARA, encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert runner.invoke(app, ["analyze", str(tmp_path / "in.txt"), "--db", db, "-q"]).exit_code == 0
    out = tmp_path / "a.parquet"
    result = runner.invoke(app, ["export", "--db", db, "--format", "parquet", "-o", str(out)])
    assert result.exit_code == 0 and "exported 1 articles" in result.output
    [row] = pq.read_table(out).to_pylist()
    assert row["clean_text"] == PARA and row["sentences"] == 2
    quotes = runner.invoke(
        app, ["export", "--db", db, "--format", "quotes-parquet", "-o", str(tmp_path / "q.parquet")]
    )
    assert quotes.exit_code == 0 and "quotes" in quotes.output
    timeline = runner.invoke(
        app, ["export", "--db", db, "--format", "timeline-parquet", "-o", str(tmp_path / "t.parquet")]
    )
    assert timeline.exit_code == 0 and "exported 1 timeline entries" in timeline.output  # the visit


def test_export_parquet_needs_an_output_file(tmp_path: Path):
    (tmp_path / "in.txt").write_text(PARA, encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert runner.invoke(app, ["analyze", str(tmp_path / "in.txt"), "--db", db, "-q"]).exit_code == 0
    result = runner.invoke(app, ["export", "--db", db, "--format", "parquet"])
    assert result.exit_code == 2 and "error:" in result.output and "-o FILE" in result.output
    bad = runner.invoke(app, ["export", "--db", db, "--format", "xlsx"])
    assert bad.exit_code == 2 and "timeline-parquet" in bad.output


def test_export_parquet_without_pyarrow_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "in.txt").write_text(PARA, encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert runner.invoke(app, ["analyze", str(tmp_path / "in.txt"), "--db", db, "-q"]).exit_code == 0
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # makes `import pyarrow` raise ImportError
    result = runner.invoke(app, ["export", "--db", db, "--format", "parquet", "-o", str(tmp_path / "a.pq")])
    assert result.exit_code == 2 and "pip install 'lagebild[parquet]'" in result.output


def test_stdin_and_module_entry_point(tmp_path: Path):
    db = str(tmp_path / "s.db")
    proc = subprocess.run(
        [sys.executable, "-m", "lagebild", "analyze", "-", "--db", db, "-q"],
        input=PARA.encode(),
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert "new articles" in proc.stderr.decode()


def test_profile_and_stages_options(tmp_path: Path):
    (tmp_path / "a.txt").write_text(PARA, encoding="utf-8")
    db = str(tmp_path / "p.db")
    few = runner.invoke(
        app, ["analyze", str(tmp_path / "a.txt"), "--db", db, "-q", "--stages", "language, clean,metadata"]
    )
    assert few.exit_code == 0, few.output
    out = tmp_path / "a.jsonl"

    def exported() -> dict[str, Any]:
        assert runner.invoke(app, ["export", "--db", db, "--format", "jsonl", "-o", str(out)]).exit_code == 0
        row: dict[str, Any] = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
        return row

    assert exported()["stages"] == ["language", "clean", "metadata"]
    fast = runner.invoke(
        app, ["analyze", str(tmp_path / "a.txt"), "--db", db, "-q", "--profile", "fast", "--reprocess"]
    )
    assert fast.exit_code == 0, fast.output
    article = exported()
    assert "encode" in article["stages"] and {m["text"] for m in article["mentions"]} >= {
        "Xi Jinping",
        "Putin",
    }
    assert "token_states" not in article  # run-time only
    bad = runner.invoke(app, ["analyze", str(tmp_path / "a.txt"), "--db", db, "-q", "--profile", "quick"])
    assert bad.exit_code == 2 and "analysis.profile" in bad.output
    unknown = runner.invoke(app, ["analyze", str(tmp_path / "a.txt"), "--db", db, "-q", "--stages", "nope"])
    assert unknown.exit_code == 2 and "unknown stage" in unknown.output
    empty = runner.invoke(app, ["analyze", str(tmp_path / "a.txt"), "--db", db, "-q", "--stages", " , "])
    output = " ".join(empty.output.split())  # Rich wraps long lines
    assert empty.exit_code == 2 and "names no stage" in output and "Traceback" not in output
