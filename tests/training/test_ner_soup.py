"""Weight averaging of NER models: heads averaged, adapter products averaged exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lagebild.errors import ConfigError
from lagebild.ner.head import load_lora
from lagebild.training.ner.soup import average_models

LABELS = np.array(["O", "B-PER", "I-PER"])


def _model(path: Path, seed: int, rank: int = 2) -> Path:
    rng = np.random.default_rng(seed)
    np.savez(
        path,
        labels=LABELS,
        layers=np.arange(3),
        mix=rng.normal(size=3).astype(np.float16),
        trans=rng.normal(size=(3, 3)).astype(np.float32),
        **{"lora.l0.q.b": rng.normal(size=(4, rank)).astype(np.float16)},
        **{"lora.l0.q.a": rng.normal(size=(rank, 5)).astype(np.float16)},
    )
    return path


def _product(path: Path) -> np.ndarray:
    b, a = load_lora(path)["l0.q"]
    return b.astype(np.float32) @ a.astype(np.float32)


def test_average_of_two_models(tmp_path: Path) -> None:
    one, two = _model(tmp_path / "one.npz", 1), _model(tmp_path / "two.npz", 2)
    out = tmp_path / "soup.npz"
    average_models([one, two], out)
    with np.load(out) as soup, np.load(one) as a, np.load(two) as b:
        assert list(soup["labels"]) == list(LABELS)
        assert np.allclose(soup["trans"], (a["trans"] + b["trans"]) / 2)
        assert soup["mix"].dtype == np.float16
        assert soup["lora.l0.q.a"].shape == (4, 5)  # rank 2 + 2
    expected = (_product(one) + _product(two)) / 2
    assert np.allclose(_product(out), expected, atol=1e-2)
    assert not (tmp_path / "soup.npz.part.npz").exists()


def test_a_model_averaged_with_itself_is_unchanged(tmp_path: Path) -> None:
    one = _model(tmp_path / "one.npz", 1)
    average_models([one, one], tmp_path / "soup.npz")
    assert np.allclose(_product(tmp_path / "soup.npz"), _product(one), atol=1e-3)


def test_models_that_do_not_fit_are_refused(tmp_path: Path) -> None:
    one = _model(tmp_path / "one.npz", 1)
    other_rank = _model(tmp_path / "r4.npz", 2, rank=4)
    average_models([one, other_rank], tmp_path / "ok.npz")  # ranks may differ: factors are stacked
    np.savez(tmp_path / "frozen.npz", labels=LABELS, layers=np.arange(3), mix=np.zeros(3))
    with pytest.raises(ConfigError, match="not the same kind"):
        average_models([one, tmp_path / "frozen.npz"], tmp_path / "bad.npz")
    np.savez(
        tmp_path / "wide.npz",
        **{k: v for k, v in np.load(one).items() if k != "trans"},
        trans=np.zeros((4, 4), dtype=np.float32),
    )
    with pytest.raises(ConfigError, match="shape"):
        average_models([one, tmp_path / "wide.npz"], tmp_path / "bad.npz")
    with pytest.raises(ConfigError, match="no models"):
        average_models([], tmp_path / "bad.npz")
