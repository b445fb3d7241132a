from pathlib import Path

import pytest

from lagebild.config import load_config, parse_override
from lagebild.errors import ConfigError


def test_defaults_ship_with_the_package():
    cfg = load_config()
    # the whole picture by default (issue 20)
    assert cfg["pipeline"]["stages"] == [
        "language",
        "clean",
        "metadata",
        "sentences",
        "time",
        "encode",
        "entities",
        "link",
        "quotes",
        "events",
    ]
    assert cfg.get("input.max_bytes") == 50 * 1024 * 1024
    assert cfg["analysis"]["profile"] == "accurate" and cfg["ner"]["model"] == "accurate"


def test_a_profile_sets_its_models_unless_the_user_set_them():
    fast = load_config(overrides=["analysis.profile=fast"])
    assert (fast["ner"]["model"], fast["quotes"]["model"], fast["encoder"]["shared"]) == (
        "fast",
        "fast",
        "fast",
    )
    mixed = load_config(overrides=["analysis.profile=fast", "ner.model=accurate"])
    assert (mixed["ner"]["model"], mixed["quotes"]["model"]) == ("accurate", "fast")
    # switching the profile later replaces the profile's keys, not the user's
    back = mixed.with_overrides(["analysis.profile=accurate"])
    assert (back["ner"]["model"], back["quotes"]["model"], back["encoder"]["shared"]) == (
        "accurate",
        "accurate",
        "none",
    )


def test_a_profile_from_a_config_file_and_an_unknown_profile(tmp_path: Path):
    path = tmp_path / "c.toml"
    path.write_text('[analysis]\nprofile = "fast"\n[ner]\nmodel = "accurate"\n', encoding="utf-8")
    cfg = load_config(path)
    assert (cfg["ner"]["model"], cfg["quotes"]["model"]) == ("accurate", "fast")
    with pytest.raises(ConfigError, match="analysis.profile.*accurate.*fast"):
        load_config(overrides=["analysis.profile=quick"])
    with pytest.raises(ConfigError, match="quotes.model"):
        load_config(overrides=["quotes.model=tiny"])


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


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (
            "reuse.threshold=1.5",
            "'reuse.threshold' must be a Jaccard similarity between 0.01 and 0.99, got 1.5",
        ),
        ("reuse.num_perm=0", "between 1 and 4,096 permutations"),
        ("reuse.shingle_size=9", "between 1 and 8 words"),
        ("store.batch_size=0", "1 or more articles"),
        ("stories.time_scale_days=0", "a positive number of days"),
        ("ner.workers=-1", "between 1 and 64"),
    ],
)
def test_values_out_of_range_are_refused_with_the_allowed_range(item, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        load_config(overrides=[item])
    assert load_config(overrides=["reuse.threshold=0.5"])["reuse"]["threshold"] == 0.5


def test_a_user_file_out_of_range_is_refused(tmp_path: Path):
    path = tmp_path / "my.toml"
    path.write_text("[reuse]\nshingle_size = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="reuse.shingle_size"):
        load_config(path)


def test_every_range_names_a_shipped_numeric_setting():
    from lagebild.config import _RANGES
    from lagebild.reuse.shingles import MAX_K

    defaults = load_config()
    for dotted, (low, high, _) in _RANGES.items():
        value = defaults.get(dotted)
        assert isinstance(value, (int, float)) and not isinstance(value, bool)
        assert (low is None or low <= value) and (high is None or value <= high), dotted
    assert _RANGES["reuse.shingle_size"][1] == MAX_K


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
