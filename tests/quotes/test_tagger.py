"""From tag sequences to attributions, and the shipped tagger on real features."""

from importlib import resources

import numpy as np
import pytest

from lagebild.quotes.labels import LABELS, N_EXTRA, decode_spans, encode
from lagebild.quotes.spkatt import Group
from lagebild.quotes.tagger import QuoteTagger, group_spans


def test_decode_spans_splits_on_form_change_and_b():
    labels = ["O", "B-Direct", "I-Direct", "B-Direct", "I-Indirect", "O"]
    assert decode_spans(labels) == [(1, 3, "Direct"), (3, 4, "Direct"), (4, 5, "Indirect")]


def test_encode_then_group_round_trips_an_interrupted_quote():
    words = ["„", "Es", "wurden", "“", ",", "sagte", "er", ",", "„", "nichts", "getroffen", ".", "“"]
    gold = Group("Direct", {"Message": [0, 1, 2, 3, 8, 9, 10, 11, 12], "Cue": [5], "Source": [6], "Addr": []})
    ids = encode(len(words), [gold])
    tags = {h: [LABELS[h][i] for i in ids[h]] for h in ids}
    (found,) = group_spans(tags, words)
    assert found.form == "Direct"
    assert found.roles["Message"] == gold.roles["Message"]
    assert (found.roles["Cue"], found.roles["Source"]) == ([5], [6])


def test_a_source_serves_a_following_free_indirect_statement():
    words = ["Der", "Minister", "sagte", ",", "man", "erwäge", "Schritte", ".", "Das", "sei", "nötig", "."]
    tags = {
        "Message": [
            "O",
            "O",
            "O",
            "O",
            "B-Indirect",
            "I-Indirect",
            "I-Indirect",
            "O",
            "B-IndirectFreeIndirect",
            "I-IndirectFreeIndirect",
            "I-IndirectFreeIndirect",
            "I-IndirectFreeIndirect",
        ],
        "Cue": ["O", "O", "B"] + ["O"] * 9,
        "Source": ["B", "I"] + ["O"] * 10,
        "Addr": ["O"] * 12,
    }
    first, second = group_spans(tags, words)
    assert (first.roles["Cue"], first.roles["Source"]) == ([2], [0, 1])
    assert (second.roles["Cue"], second.roles["Source"]) == ([], [0, 1])


def test_shipped_tagger_predicts_every_head():
    path = resources.files("lagebild").joinpath("quotes/models/tagger.npz")
    if not path.is_file():
        pytest.skip("quote tagger model not trained yet (scripts/train_quotes.py)")
    tagger = QuoteTagger.load(str(path))
    words = 12
    rng = np.random.default_rng(0)
    feats = rng.normal(size=(words, 13, 384)).astype(np.float16)
    out = tagger.predict(feats, np.zeros((words, N_EXTRA), dtype=np.float32))
    assert set(out) == {"Message", "Cue", "Source", "Addr"}
    assert all(len(v) == words for v in out.values())
    assert all(t in LABELS["Message"] for t in out["Message"])
