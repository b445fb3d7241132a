from __future__ import annotations

import random

import numpy as np
import pytest

from lagebild.errors import ConfigError
from lagebild.reuse.minhash import MinHasher, candidate_pairs, choose_bands, estimate_jaccard, near_pairs
from lagebild.reuse.shingles import Shingler, jaccard, shingle_set, words

from .helpers import text


def test_words_are_normalised_across_scripts_and_punctuation():
    assert words("„Putin SAGTE:“ Straße – 2024!") == ["putin", "sagte", "strasse", "2024"]
    assert words("Путин  сказал, что...") == ["путин", "сказал", "что"]
    assert (
        Shingler(3).hashes("„Putin sagte: nein.“").tolist() == Shingler(3).hashes("putin SAGTE nein").tolist()
    )


def test_shingle_hashes_match_the_shingle_sets():
    sh = Shingler(3)
    a, b = "eins zwei drei vier fünf", "zwei drei vier sechs"
    assert len(set(sh.hashes(a).tolist())) == len(shingle_set(a, 3)) == 3
    common = set(sh.hashes(a).tolist()) & set(sh.hashes(b).tolist())
    assert len(common) == len(shingle_set(a, 3) & shingle_set(b, 3)) == 1
    values, offsets = sh.batch([a, "", "kurz", b])
    assert offsets.tolist() == [0, 3, 3, 4, 6]  # a text shorter than k words has one shingle
    assert values[0:3].tolist() == sh.hashes(a).tolist()
    assert values[4:6].tolist() == sh.hashes(b).tolist()


def test_hashes_are_stable_across_instances():
    assert Shingler(5).hashes(text(1)).tolist() == Shingler(5).hashes(text(1)).tolist()
    with pytest.raises(ConfigError):
        Shingler(0)


def test_signature_estimates_jaccard_without_bias():
    rng = random.Random(0)
    base = text(3, paragraphs=10).split()
    errors = []
    for trial in range(60):
        other = list(base)
        for _ in range(rng.randint(5, 120)):
            other[rng.randrange(len(other))] = rng.choice(base)
        a, b = " ".join(base), " ".join(other)
        exact = jaccard(shingle_set(a, 5), shingle_set(b, 5))
        values, offsets = Shingler(5).batch([a, b])
        sig = MinHasher(128, seed=trial).signatures(values, offsets)
        est = estimate_jaccard(sig, np.array([0]), np.array([1]))[0]
        errors.append(est - exact)
    assert abs(float(np.mean(errors))) < 0.015
    assert float(np.std(errors)) < 0.05  # theory: sqrt(J(1-J)/128) <= 0.044


def test_empty_text_gets_the_empty_signature():
    values, offsets = Shingler(5).batch(["", text(1)])
    sig = MinHasher(16).signatures(values, offsets)
    assert (sig[0] == np.iinfo(np.uint32).max).all() and not (sig[1] == np.iinfo(np.uint32).max).all()


def test_choose_bands_keeps_recall_at_the_threshold():
    for threshold in (0.2, 0.3, 0.5, 0.8):
        params = choose_bands(threshold, 128)
        assert params.bands * params.rows <= 128
        assert params.probability(threshold) >= 0.99
    for threshold in (0.3, 0.5, 0.8):
        assert choose_bands(threshold, 128).probability(0.02) < 0.05
    assert choose_bands(0.3, 128).rows == 2
    with pytest.raises(ConfigError):
        choose_bands(1.5, 128)


def test_candidate_pairs_big_bucket_becomes_a_star():
    sig = np.zeros((300, 8), dtype=np.uint32)  # 300 identical signatures: one bucket per band
    codes = candidate_pairs(sig, choose_bands(0.5, 8))
    assert len(codes) == 299  # star on the first member instead of 44,850 pairs
    assert set((codes // 300).tolist()) == {0}


def test_near_pairs_finds_copies_and_skips_unrelated_and_short_texts():
    texts = [text(i) for i in range(50)]
    texts.append(texts[7] + "\n\nFolgen Sie uns auf Telegram.")
    texts += ["Der Volltext dieses Artikels steht nicht mehr zur Verfügung."] * 2  # stubs
    left, right, score = near_pairs(texts, 0.3)
    assert list(zip(left.tolist(), right.tolist(), strict=True)) == [(7, 50)]
    assert score[0] > 0.8
    left, _, _ = near_pairs(texts, 0.3, min_words=1)
    assert len(left) == 2  # with min_words=1 the stubs pair up
    assert near_pairs([], 0.3)[0].tolist() == []
