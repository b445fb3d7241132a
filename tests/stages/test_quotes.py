"""The quotes stage's model loading and quote text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lagebild.errors import ConfigError
from lagebild.stages.quotes import _skips, load_quote_model


@pytest.mark.parametrize("kind", ["missing", "text", "wrong arrays"])
def test_a_bad_quote_model_file_is_a_config_error(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "model.npz"
    if kind == "text":
        path.write_text("not a model", encoding="utf-8")
    elif kind == "wrong arrays":
        np.savez(path, something=np.zeros(3))
    with pytest.raises(ConfigError, match="is not a quote model file"):
        load_quote_model(str(path))


def test_only_a_long_gap_makes_a_message_text_come_in_pieces() -> None:
    assert not _skips([3, 4, 5, 9, 10])  # 'Der Unfall kostete, der Polizei zufolge, 40 Menschen …'
    assert _skips([3, 4, 5, 30, 31])  # a nested statement's sentence left out
