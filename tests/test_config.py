from pathlib import Path

import pytest

from lagebild.config import load_config, parse_override
from lagebild.errors import ConfigError


def test_defaults_ship_with_the_package():
    cfg = load_config()
    assert cfg["pipeline"]["stages"] == ["language", "clean", "metadata", "sentences", "time", "quotes"]
    assert cfg.get("input.max_bytes") == 50 * 1024 * 1024


def test_overrides_parse_toml_values():
    cfg = load_config(
        overrides=[
            "store.batch_size=7",
            "sentences.backend=regex",
            "input.fetch=true",
            'pipeline.stages=["language", "clean"]',
            "metadata.reference_date=2022-01-01",
        ]
    )
    assert cfg["store"]["batch_size"] == 7 and cfg["sentences"]["backend"] == "regex"
    assert cfg["input"]["fetch"] is True and cfg["pipeline"]["stages"] == ["language", "clean"]
    assert cfg["metadata"]["reference_date"] == "2022-01-01"
    assert cfg.with_overrides(["input.fetch_timeout=5"])["input"]["fetch_timeout"] == 5.0


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("nosection=1", "section and a key"),
        ("store.batchsize=3", "unknown config key"),
        ("store.batch_size=many", "expects int"),
        ("input.fetch=1", "expects bool"),
        ("store", "section.key=value"),
        ("store=1", "section and a key"),
    ],
)
def test_bad_overrides_are_clear(item, message):
    with pytest.raises(ConfigError, match=message):
        load_config(overrides=[item])


def test_user_file(tmp_path: Path):
    path = tmp_path / "my.toml"
    path.write_text("[store]\nbatch_size = 2\n[language]\nfallback = 'en'\n", encoding="utf-8")
    cfg = load_config(path, ["store.batch_size=9"])
    assert (cfg["store"]["batch_size"], cfg["language"]["fallback"]) == (9, "en")
    path.write_text("[store\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)


def test_parse_override_keeps_plain_strings():
    assert parse_override("report.title=Lage Russland China") == (["report", "title"], "Lage Russland China")
