"""The NumPy head reproduces the PyTorch model it was exported from (skipped without PyTorch)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lagebild.ner.head import NerEnsemble, NerHead, combine, viterbi


def test_viterbi_follows_transitions():
    emissions = np.array([[2.0, 0.0], [0.0, 0.1], [0.0, 0.1]])
    trans = np.array([[0.0, -5.0], [0.0, 0.0]])
    assert viterbi(emissions, trans, np.zeros(2), np.zeros(2)) == [0, 0, 0]
    assert viterbi(emissions, np.zeros((2, 2)), np.zeros(2), np.zeros(2)) == [0, 1, 1]


def test_numpy_head_matches_torch(tmp_path: Path):
    torch = pytest.importorskip("torch", reason="PyTorch (the train extra) is not installed")
    from lagebild.training.ner.frozen import CrfTagger, export

    torch.manual_seed(0)
    model = CrfTagger(n_layers=3, hidden=384, lstm=16).eval()
    for p in model.parameters():
        p.data.normal_(0, 0.3)
    feats = np.random.default_rng(0).normal(size=(7, 3, 384)).astype(np.float16)
    path = tmp_path / "h.npz"
    export(model, [0, 1, 2], path)
    head = NerHead.load(path)
    with torch.no_grad():
        ref = model.emissions(torch.from_numpy(feats.astype(np.float32))[None], torch.tensor([7]))[0].numpy()
    assert np.allclose(head.emissions(feats), ref, atol=0.05)  # fp16 storage of the weights
    combine([path, path], tmp_path / "e.npz")
    ensemble = NerEnsemble.load(tmp_path / "e.npz")
    assert len(ensemble.members) == 2 and ensemble.predict(feats) == head.predict(feats)


def test_crf_marginals_match_brute_force_enumeration():
    import itertools

    from lagebild.ner.head import crf_marginals

    rng = np.random.default_rng(5)
    em, trans = rng.normal(size=(4, 3)), rng.normal(size=(3, 3))
    start, end = rng.normal(size=3), rng.normal(size=3)
    paths = list(itertools.product(range(3), repeat=4))
    scores = np.array(
        [
            start[p[0]]
            + sum(em[t, p[t]] for t in range(4))
            + sum(trans[p[t - 1], p[t]] for t in range(1, 4))
            + end[p[-1]]
            for p in paths
        ]
    )
    prob = np.exp(scores - scores.max())
    prob /= prob.sum()
    expected = np.zeros((4, 3))
    for p, w in zip(paths, prob, strict=True):
        for t, label in enumerate(p):
            expected[t, label] += w
    got = crf_marginals(em, trans, start, end)
    assert np.allclose(got, expected)
    assert np.allclose(got.sum(1), 1.0)
    assert [int(i) for i in got.argmax(1)] == [int(i) for i in expected.argmax(1)]
