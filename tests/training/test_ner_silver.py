"""Silver data caches for distillation: the TSV round trip and (ensemble) teacher marginals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lagebild.errors import ConfigError, InputError
from lagebild.ner.germeval import Sentence
from lagebild.training.ner.silver import (
    ensemble_marginals,
    read_tsv,
    silver_sources,
    teacher_key,
    teacher_marginals,
    write_tsv,
)

SENTS = [
    Sentence(("Putin", "reist", "nach", "Peking"), ("B-PER", "O", "O", "B-LOC")),
    Sentence(("Ja", "."), ("O", "O")),
]


def _cache(tmp_path: Path) -> Path:
    """A cache for the two SpkAtt sources (no 10kGNAD: ``gnad_articles=0`` reads no shared data)."""
    for source in silver_sources(tmp_path, 0):
        write_tsv(tmp_path / f"ner-silver-{source}.tsv", SENTS)
    return tmp_path


def _soft(path: Path, value: float) -> None:
    flat = np.full((6, 3), value, dtype=np.float16)  # 6 words over the two sentences, 3 labels
    np.save(path, flat)


def test_tsv_round_trip(tmp_path: Path) -> None:
    write_tsv(tmp_path / "x.tsv", SENTS)
    assert read_tsv(tmp_path / "x.tsv") == SENTS
    assert [p.name for p in tmp_path.iterdir()] == ["x.tsv"]  # written beside it, then moved


def test_an_ensemble_without_teachers_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="at least one model"):
        ensemble_marginals(tmp_path, _cache(tmp_path), 0, [])


def test_silver_sources_without_10kgnad_are_the_spkatt_parts(tmp_path: Path) -> None:
    assert silver_sources(tmp_path, 0) == ["spkatt-train", "spkatt-unlabelled"]


def _model(tmp_path: Path, content: bytes) -> Path:
    """A stand-in model file: only its content (the cache key) matters while the cache is complete."""
    path = tmp_path / f"model-{content.decode()}.npz"
    path.write_bytes(content)
    return path


def test_the_cache_key_follows_the_model_content(tmp_path: Path) -> None:
    a, b = _model(tmp_path, b"a"), _model(tmp_path, b"b")
    assert teacher_key(a) != teacher_key(b)
    (tmp_path / "copy").mkdir()
    assert teacher_key(a) == teacher_key(_model(tmp_path / "copy", b"a"))  # same content, other file


def test_cached_marginals_are_split_per_sentence_in_silver_order(tmp_path: Path) -> None:
    cache, model = _cache(tmp_path), _model(tmp_path, b"r8")
    for source in silver_sources(tmp_path, 0):
        _soft(cache / f"ner-silver-{source}.{teacher_key(model)}.soft.npy", 0.5)
    dists = teacher_marginals(tmp_path, cache, 0, model)
    assert [d.shape for d in dists] == [(4, 3), (2, 3), (4, 3), (2, 3)]


def test_ensemble_averages_the_teachers_word_by_word(tmp_path: Path) -> None:
    cache, a, b = _cache(tmp_path), _model(tmp_path, b"a"), _model(tmp_path, b"b")
    for source in silver_sources(tmp_path, 0):
        _soft(cache / f"ner-silver-{source}.{teacher_key(a)}.soft.npy", 0.25)
        _soft(cache / f"ner-silver-{source}.{teacher_key(b)}.soft.npy", 0.75)
    dists = ensemble_marginals(tmp_path, cache, 0, [a, b])
    assert len(dists) == 4
    assert np.allclose(dists[0], 0.5)


def test_a_cache_that_does_not_match_the_sentences_is_an_input_error(tmp_path: Path) -> None:
    cache, model = _cache(tmp_path), _model(tmp_path, b"a")
    for source in silver_sources(tmp_path, 0):
        np.save(
            cache / f"ner-silver-{source}.{teacher_key(model)}.soft.npy", np.zeros((5, 3), dtype=np.float16)
        )
    with pytest.raises(InputError, match="delete it"):
        teacher_marginals(tmp_path, cache, 0, model)
