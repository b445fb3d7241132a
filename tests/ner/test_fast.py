"""The ``fast`` NER model: batched NumPy pieces against their one-sentence references, the export
against the PyTorch model it came from, and the shipped model on real sentences."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lagebild.errors import ConfigError
from lagebild.ner.fast import batch_lstm, batch_viterbi, gelu_tanh, quantize_rows
from lagebild.ner.head import _lstm, viterbi


def test_batch_viterbi_matches_single_sentence_viterbi():
    rng = np.random.default_rng(1)
    n = 9
    trans, start, end = rng.normal(size=(n, n)), rng.normal(size=n), rng.normal(size=n)
    lengths = np.array([5, 1, 7, 3])
    emissions = rng.normal(size=(4, 7, n)) * 2
    batched = batch_viterbi(emissions, lengths, trans, start, end)
    for row, length in enumerate(lengths):
        assert batched[row] == viterbi(emissions[row, :length], trans, start, end)


def test_batch_lstm_matches_single_sentence_lstm_both_directions():
    rng = np.random.default_rng(2)
    w_ih, w_hh, b = rng.normal(size=(16, 6)), rng.normal(size=(16, 4)), rng.normal(size=16)
    lengths = np.array([4, 2, 6])
    x = rng.normal(size=(3, 6, 6)).astype(np.float32)
    fw = batch_lstm(x, lengths, w_ih, w_hh, b, reverse=False)
    bw = batch_lstm(x, lengths, w_ih, w_hh, b, reverse=True)
    for row, length in enumerate(lengths):
        seq = x[row, :length]
        assert np.allclose(fw[row, :length], _lstm(seq, w_ih, w_hh, b), atol=1e-5)
        assert np.allclose(bw[row, :length], _lstm(seq[::-1], w_ih, w_hh, b)[::-1], atol=1e-5)


def test_quantize_rows_error_is_below_half_a_step():
    w = np.random.default_rng(3).normal(size=(8, 32)).astype(np.float32)
    q, scale = quantize_rows(w)
    assert q.dtype == np.int8 and scale.shape == (8,)
    assert np.all(np.abs(q.astype(np.float32) * scale[:, None] - w) <= scale[:, None] / 2 + 1e-7)


def test_gelu_tanh_matches_torch():
    torch = pytest.importorskip("torch", reason="PyTorch (the train extra) is not installed")
    x = np.linspace(-6, 6, 101).astype(np.float32)
    ref = torch.nn.functional.gelu(torch.from_numpy(x), approximate="tanh").numpy()
    assert np.allclose(gelu_tanh(x), ref, atol=1e-6)


def test_export_matches_torch(tmp_path: Path):
    """The NumPy FastNer reproduces the PyTorch encoder + head it was exported from."""
    torch = pytest.importorskip("torch", reason="PyTorch (the train extra) is not installed")
    from lagebild.ner.fast import FastNer
    from lagebild.nlp.e5weights import load_e5_weights
    from lagebild.training.ner.fast import _load_layers, _truncated_encoder, export_fast
    from lagebild.training.ner.frozen import CrfTagger

    torch.manual_seed(0)
    weights = load_e5_weights()
    encoder = _truncated_encoder(weights, 1)
    ids = torch.tensor([[0, 1353, 39734, 6, 5, 2]])
    encoder.prune_ffn([(ids, torch.ones(ids.shape))], 256)
    assert encoder.layers[0]["fi"].weight.shape == (256, 384)
    head = CrfTagger(2, lstm=16).eval()
    for p in head.parameters():
        p.data.normal_(0, 0.3)
    path = tmp_path / "f.npz"
    export_fast(encoder, head, path)
    tagger = FastNer(weights, path)
    words = ["Der", "Kreml-Chef", "Putin", "traf", "Lukaschenko", "in", "Minsk", "."]
    ids, first = tagger.tokenizer.encode_words(words)
    with torch.no_grad():
        states = torch.stack(encoder(torch.tensor([ids]), torch.ones(1, len(ids))), dim=2)
        feats = states[0, torch.tensor(first)][None]
        ref = head.emissions(feats, torch.tensor([len(words)]))[0]
        best = viterbi(ref.numpy(), head.trans.numpy(), head.start.numpy(), head.end.numpy())
    assert tagger.tag([words]) == [[tagger.labels[i] for i in best]]

    # continuing training starts from the exported (int8) weights, pruned shapes included
    again = _truncated_encoder(weights, 1)
    _load_layers(again, path)
    fi = again.layers[0]["fi"].weight.detach().numpy()
    assert fi.shape == (256, 384)
    assert np.allclose(fi, encoder.layers[0]["fi"].weight.detach().numpy(), atol=0.01)


@pytest.fixture(scope="module")
def fast():
    from lagebild.ner.tagger import load_tagger

    return load_tagger("fast")


def test_shipped_fast_model_tags_names(fast):
    tags = fast.tag(
        [
            ("Bundeskanzlerin", "Angela", "Merkel", "reiste", "am", "Montag", "nach", "Paris", "."),
            ("Die", "NATO", "und", "die", "Europäische", "Union", "kritisierten", "Russland", "."),
            (),
        ]
    )
    assert tags[0] == ["O", "B-PER", "I-PER", "O", "O", "O", "O", "B-LOC", "O"]
    assert tags[1][1] == "B-ORG" and tags[1][4:6] == ["B-ORG", "I-ORG"] and tags[1][7] == "B-LOC"
    assert tags[2] == []


def test_workers_tag_exactly_as_one_thread(fast):
    # Many sentences of different lengths: several encoder and head batches run in parallel.
    base = ["Wladimir", "Putin", "traf", "in", "Peking", "den", "Vorsitzenden", "Xi", "Jinping", "."]
    sentences = [tuple(base[: 3 + k % 8] + ["und", "die", "NATO"] * (k % 5)) for k in range(120)]
    serial = fast.tag(sentences, max_tokens=256, workers=1)
    assert fast.tag(sentences, max_tokens=256, workers=2) == serial
    assert any("B-PER" in tags for tags in serial)


def test_fast_model_is_selected_by_config():
    from lagebild.config import load_config
    from lagebild.model import Article, content_id
    from lagebild.ner.fast import FastNer
    from lagebild.pipeline import Pipeline

    stages = 'pipeline.stages=["language", "clean", "metadata", "sentences", "entities"]'
    pipeline = Pipeline.from_config(load_config(overrides=[stages, 'ner.model="fast"', "ner.workers=2"]))
    text = "Der russische Präsident Wladimir Putin empfing Chinas Staatschef Xi Jinping in Moskau."
    article = pipeline.run(Article(id=content_id(text), source="t", source_format="txt", raw_text=text))
    found = {(m.text, m.label) for m in article.mentions}
    assert ("Wladimir Putin", "PER") in found and ("Moskau", "LOC") in found
    tagger = pipeline.context.resource("ner:fast", lambda: None)
    assert isinstance(tagger, FastNer) and tagger.workers == 2


def test_bad_workers_setting_is_a_config_error():
    from lagebild.config import load_config
    from lagebild.model import Article
    from lagebild.pipeline import Pipeline

    stages = 'pipeline.stages=["language", "clean", "metadata", "sentences", "entities"]'
    with pytest.raises(ConfigError, match="workers"):  # the config loader checks the type
        load_config(overrides=['ner.workers="two"'])
    with pytest.raises(ConfigError, match="'ner.workers' must be between 1 and 64"):  # and the range
        load_config(overrides=["ner.workers=0"])
    config = load_config(overrides=[stages, 'ner.model="fast"'])
    config.data["ner"]["workers"] = 0  # a Config built in code skips the loader: the stage checks too
    pipeline = Pipeline.from_config(config)
    text = "Wladimir Putin empfing Xi Jinping in Moskau."
    with pytest.raises(ConfigError, match="ner.workers must be"):
        pipeline.run(Article(id="a", source="t", source_format="txt", raw_text=text))


def test_unknown_model_name_lists_shipped_models():
    from lagebild.ner.tagger import load_tagger

    with pytest.raises(ConfigError, match="accurate, fast"):
        load_tagger("tiny")
