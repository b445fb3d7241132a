"""Boosted trees for stage 2 of the boilerplate classifier: exported from scikit-learn to arrays that
NumPy evaluates (lagebild.text.boilerplate.Trees) with the same margins; damaged arrays are refused."""

from __future__ import annotations

import numpy as np
import pytest

from lagebild.errors import ConfigError
from lagebild.text.boilerplate import BoilerplateModel, Trees, load_model


def test_a_hand_made_tree_routes_rows_by_threshold() -> None:
    # node 0: x0 <= 0.5 ? node 1 : node 2; node 1: x1 <= 2 ? leaf 3 (-1) : leaf 4 (+1); node 2 leaf (+3)
    trees = Trees(
        feature=np.array([[0, 1, 0, 0, 0]]),
        threshold=np.array([[0.5, 2.0, 0, 0, 0]]),
        left=np.array([[1, 3, 0, 0, 0]]),
        right=np.array([[2, 4, 0, 0, 0]]),
        leaf=np.array([[False, False, True, True, True]]),
        value=np.array([[0, 0, 3.0, -1.0, 1.0]]),
        base=0.5,
    )
    x = np.array([[0.0, 1.0], [0.0, 5.0], [0.5, 9.0], [0.6, 0.0]])
    assert trees.margin(x).tolist() == [-0.5, 1.5, 1.5, 3.5]


def test_exported_trees_give_scikit_learns_margins() -> None:
    pytest.importorskip("sklearn", reason="scikit-learn (the train extra) is not installed")
    from sklearn.ensemble import HistGradientBoostingClassifier

    from lagebild.training.boilerplate import export_trees

    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 5))
    y = ((x[:, 0] * x[:, 1] > 0) ^ (x[:, 2] > 1)).astype(float)
    clf = HistGradientBoostingClassifier(max_iter=40, max_depth=4, random_state=0).fit(x, y)
    trees = export_trees(clf)
    test = rng.normal(size=(200, 5))
    assert np.allclose(trees.margin(test), clf.decision_function(test))


def test_the_shipped_model_has_trees_and_survives_a_round_trip() -> None:
    model = load_model()
    assert model.trees2 is not None and model.trees2.feature.shape[0] >= 100
    again = load_model(model.to_bytes())
    assert again.trees2 is not None and np.array_equal(again.trees2.value, model.trees2.value)


def test_trees_pointing_outside_themselves_are_a_damaged_file() -> None:
    model = load_model()
    assert model.trees2 is not None
    arrays = model.trees2.arrays("t_")
    arrays["t_left"] = arrays["t_left"] + 10_000
    with pytest.raises(ValueError, match="outside its tree"):
        Trees.from_arrays(arrays, "t_")
    broken = BoilerplateModel(
        **{**model.__dict__, "trees2": Trees.from_arrays(model.trees2.arrays("t_"), "t_")}
    )
    data = bytearray(broken.to_bytes())
    with pytest.raises(ConfigError):
        load_model(bytes(data[: len(data) // 2]))
