"""Weight averaging ("model soup") of fine-tuned NER models that share a starting point.

Distillation runs that start from the same model and differ only in their seed (order of the
batches, dropout) end near each other; the average of their weights is one model that scores like
their ensemble at the cost of one. Heads (layer mix, BiLSTM, CRF) are averaged entry by entry. The
adapters are averaged exactly: the mean of the low-rank products ``B_i @ A_i`` is the product of the
factors placed side by side, so the rank grows with the number of models (the run time merges the
adapters into the encoder weights, so speed does not change; the file grows by one model's adapters
per member).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from lagebild.errors import ConfigError

__all__ = ["average_models"]

_SHARED = ("labels", "layers")


def average_models(paths: Sequence[Path], out: Path) -> None:
    """Average the models in ``paths`` (same architecture, same labels) into ``out``."""
    if not paths:
        raise ConfigError("no models to average")
    models = []
    for path in paths:
        with np.load(path, allow_pickle=False) as data:
            models.append({key: data[key] for key in data.files})
    first = models[0]
    for path, model in zip(paths[1:], models[1:], strict=True):
        _check_compatible(paths[0], first, path, model)
    n = len(models)
    arrays: dict[str, np.ndarray] = {key: first[key] for key in _SHARED if key in first}
    for key, value in first.items():
        if key in _SHARED or key.startswith("lora."):
            continue
        mean = sum(m[key].astype(np.float32) for m in models) / n
        arrays[key] = np.asarray(mean).astype(value.dtype)
    for key in first:
        if key.startswith("lora.") and key.endswith(".b"):
            name = key[: -len(".b")]
            # mean of B_i @ A_i == [B_1/n, …, B_n/n] @ [A_1; …; A_n]
            b = np.concatenate([m[f"{name}.b"].astype(np.float32) / n for m in models], axis=1)
            a = np.concatenate([m[f"{name}.a"] for m in models], axis=0)
            arrays[f"{name}.b"] = b.astype(first[key].dtype)
            arrays[f"{name}.a"] = a
    part = out.with_name(out.name + ".part.npz")
    np.savez_compressed(part, **arrays)  # type: ignore[arg-type]
    part.replace(out)


def _check_compatible(path_a: Path, a: dict[str, np.ndarray], path_b: Path, b: dict[str, np.ndarray]) -> None:
    if set(a) != set(b):
        raise ConfigError(f"{path_b} does not have the arrays of {path_a}: not the same kind of model")
    for key, value in a.items():
        if key.startswith("lora.") and key.endswith(".a"):
            if value.shape[1:] != b[key].shape[1:]:
                raise ConfigError(f"{path_b}: adapter {key} does not fit {path_a}")
        elif key.startswith("lora."):
            if value.shape[0] != b[key].shape[0]:
                raise ConfigError(f"{path_b}: adapter {key} does not fit {path_a}")
        elif value.shape != b[key].shape:
            raise ConfigError(f"{path_b}: {key} has shape {b[key].shape}, {path_a} {value.shape}")
    if not np.array_equal(a.get("labels", np.array([])), b.get("labels", np.array([]))):
        raise ConfigError(f"{path_b} has other labels than {path_a}")
