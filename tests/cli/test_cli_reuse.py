"""``lagebild reuse``, ``provenance`` and ``stories`` (lagebild.cli.reuse) through the CLI runner."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from lagebild.cli import app

runner = CliRunner()


def test_reuse_and_provenance(tmp_path: Path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    body = " ".join(
        f"Satz {i}: Die Regierung in Moskau und die Regierung in Peking verhandeln weiter." for i in range(12)
    )
    (corpus / "original.txt").write_text("Gespräche in Peking\n\n" + body, encoding="utf-8")
    (corpus / "repost.txt").write_text(
        "Gespräche in Peking\n\n" + body + "\n\nUnterstützen Sie unseren Blog!", encoding="utf-8"
    )
    db = str(tmp_path / "r.db")
    stages = 'pipeline.stages=["language","clean","metadata","sentences"]'
    assert runner.invoke(app, ["analyze", str(corpus), "--db", db, "-q", "--set", stages]).exit_code == 0
    result = runner.invoke(app, ["reuse", "--db", db])
    assert result.exit_code == 0, result.output
    assert "near_duplicate" in result.output or "reposts" in result.output
    from lagebild.store import open_store

    store = open_store(db)
    article_id = next(store.query()).id
    store.close()
    result = runner.invoke(app, ["provenance", article_id, "--db", db])
    assert result.exit_code == 0 and "original-source chain" in result.output
    result = runner.invoke(app, ["provenance", "no-such-id", "--db", db])
    assert result.exit_code == 2 and "no article" in result.output


def test_stories_lists_and_recomputes(tmp_path: Path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    quake = (
        "Das Erdbeben in Hatay erschütterte Antakya. Die Behörde AFAD meldete 120 Tote in Hatay und Antakya."
    )
    (corpus / "de.txt").write_text("Erdbeben in Hatay\n\n" + quake, encoding="utf-8")
    (corpus / "en.txt").write_text(
        "Earthquake in Hatay\n\nThe earthquake in Hatay shook Antakya. The agency AFAD reported 120 dead "
        "in Hatay and Antakya.",
        encoding="utf-8",
    )
    (corpus / "other.txt").write_text(
        "Bayern gewinnt\n\nDer FC Bayern schlug Dortmund mit 3:1, Müller traf zweimal.", encoding="utf-8"
    )
    db = str(tmp_path / "s.db")
    sets = ["--set", 'pipeline.stages=["language","clean","metadata","sentences"]']
    sets += ["--set", f'stories.cache_dir="{tmp_path / "cache"}"']
    assert runner.invoke(app, ["analyze", str(corpus), "--db", db, "-q", *sets]).exit_code == 0
    listed = runner.invoke(app, ["stories", "--db", db, "--members"])
    assert listed.exit_code == 0, listed.output
    assert "1 stories" in listed.output and "Hatay" in listed.output
    recomputed = runner.invoke(
        app, ["stories", "--db", db, "--recompute", *sets[2:], "--set", "stories.threshold=9.0"]
    )
    assert recomputed.exit_code == 0 and "0 stories" in recomputed.output
    missing = runner.invoke(app, ["stories", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 2 and "no database" in missing.output
