"""Silver data caches for distillation: the TSV round trip and (ensemble) teacher marginals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lagebild.errors import InputError
from lagebild.ner.germeval import Sentence
from lagebild.ner.silver import ensemble_marginals, read_tsv, silver_sources, teacher_marginals, write_tsv

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


def test_silver_sources_without_10kgnad_are_the_spkatt_parts(tmp_path: Path) -> None:
    assert silver_sources(tmp_path, 0) == ["spkatt-train", "spkatt-unlabelled"]


def test_cached_marginals_are_split_per_sentence_in_silver_order(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    for source in silver_sources(tmp_path, 0):
        _soft(cache / f"ner-silver-{source}.r8.soft.npy", 0.5)
    dists = teacher_marginals(tmp_path, cache, 0, Path("unused.npz"), "r8")
    assert [d.shape for d in dists] == [(4, 3), (2, 3), (4, 3), (2, 3)]


def test_ensemble_averages_the_teachers_word_by_word(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    for source in silver_sources(tmp_path, 0):
        _soft(cache / f"ner-silver-{source}.soft.npy", 0.25)
        _soft(cache / f"ner-silver-{source}.r8.soft.npy", 0.75)
    dists = ensemble_marginals(tmp_path, cache, 0, {"": Path("a.npz"), "r8": Path("b.npz")})
    assert len(dists) == 4
    assert np.allclose(dists[0], 0.5)


def test_a_cache_that_does_not_match_the_sentences_is_an_input_error(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    for source in silver_sources(tmp_path, 0):
        np.save(cache / f"ner-silver-{source}.soft.npy", np.zeros((5, 3), dtype=np.float16))
    with pytest.raises(InputError, match="delete it"):
        teacher_marginals(tmp_path, cache, 0, Path("unused.npz"))
