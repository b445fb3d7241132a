"""From tag sequences to attributions, and the shipped tagger on real features."""

from importlib import resources

import numpy as np
import pytest

from lagebild.quotes.labels import LABELS, N_EXTRA, decode_spans, encode
from lagebild.quotes.spkatt import Group
from lagebild.quotes.tagger import QuoteTagger, _mark_cited, _without_leading_object, group_spans, with_rules


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


def _tags(words: list[str], message: dict[int, str], cue: set[int], source: list[tuple[int, int]]) -> dict:
    out = {"Message": ["O"] * len(words), "Cue": ["O"] * len(words), "Source": ["O"] * len(words)}
    out["Addr"] = ["O"] * len(words)
    for i, label in message.items():
        out["Message"][i] = label
    for i in cue:
        out["Cue"][i] = "B"
    for s, e in source:
        out["Source"][s:e] = ["B"] + ["I"] * (e - s - 1)
    return out


def test_a_continuation_takes_the_speaker_before_it_not_the_next_one():
    # Merkel sagte , es reiche . Das sei klar . Scholz betonte , man warte .
    words = ["Merkel", "sagte", ",", "es", "reiche", ".", "Das", "sei", "klar", "."]
    words += ["Scholz", "betonte", ",", "man", "warte", "."]
    message = {3: "B-Indirect", 4: "I-Indirect", 6: "B-IndirectFreeIndirect"}
    message |= {7: "I-IndirectFreeIndirect", 8: "I-IndirectFreeIndirect", 13: "B-Indirect", 14: "I-Indirect"}
    tags = _tags(words, message, {1, 11}, [(0, 1), (10, 11)])
    sentence_of = [0] * 6 + [1] * 4 + [2] * 6
    first, chain, last = group_spans(tags, words, sentence_of)
    assert chain.form == "IndirectFreeIndirect" and chain.roles["Cue"] == []
    assert chain.roles["Source"] == [0]  # Merkel, 4 words back; not Scholz, 2 words ahead
    assert (first.roles["Source"], last.roles["Source"]) == ([0], [10])


def test_a_reported_statement_keeps_the_source_inside_it():
    # Der Senat tagte . Müntefering sprach von einem Erfolg .
    words = ["Der", "Senat", "tagte", ".", "Müntefering", "sprach", "von", "einem", "Erfolg", "."]
    message = {4: "B-Reported"} | {i: "I-Reported" for i in range(5, 10)}
    tags = _tags(words, message, set(), [(0, 2), (4, 5)])
    (reported,) = group_spans(tags, words, [0] * 4 + [1] * 6)
    assert reported.roles["Source"] == [4]


def test_an_indirect_statement_takes_the_source_of_its_nearest_cue():
    # Laut Reuters hat Lawrow gesagt , man liefere . -> two cues on one message; "gesagt" is nearest
    words = ["Laut", "Reuters", "hat", "Lawrow", "gesagt", ",", "man", "liefere", "."]
    message = {6: "B-Indirect", 7: "I-Indirect"}
    tags = _tags(words, message, {0, 4}, [(1, 2), (3, 4)])
    (found,) = group_spans(tags, words, [0] * len(words))
    assert found.roles["Cue"] == [0, 4]
    assert found.roles["Source"] == [3]


def test_a_source_in_the_cues_sentence_beats_a_nearer_one_outside_it():
    # Gemeldet hat es die Polizei . Erklärt hat am Abend der Sprecher , dass es ruhig sei .
    words = ["Gemeldet", "hat", "es", "die", "Polizei", ".", "Erklärt", "hat", "am", "Abend", "der"]
    words += ["Sprecher", ",", "dass", "es", "ruhig", "sei", "."]
    message = {13: "B-Indirect", 14: "I-Indirect", 15: "I-Indirect", 16: "I-Indirect"}
    tags = _tags(words, message, {6}, [(3, 5), (10, 12)])
    (found,) = group_spans(tags, words, [0] * 6 + [1] * 12)
    assert found.roles["Source"] == [10, 11]  # not "die Polizei", 2 words nearer the cue


def test_a_cued_statement_takes_no_source_from_a_sentence_after_it():
    # Die Stellungnahme kam spät . Darin steht : „ Wir sind betroffen . “ Celebi nennt es Skandal .
    words = ["Die", "Stellungnahme", "kam", "spät", ".", "Darin", "steht", ":", "„", "Wir", "sind"]
    words += ["betroffen", ".", "“", "Celebi", "nennt", "es", "Skandal", "."]
    message = {9: "B-Direct", 10: "I-Direct", 11: "I-Direct", 12: "I-Direct"}
    sentence_of = [0] * 5 + [1] * 9 + [2] * 5
    (found,) = group_spans(_tags(words, message, {6}, [(0, 2), (14, 15)]), words, sentence_of)
    assert found.roles["Source"] == [0, 1]  # not Celebi, one word after the quote
    (alone,) = group_spans(_tags(words, message, {6}, [(14, 15)]), words, sentence_of)
    assert alone.roles["Source"] == []


def test_a_cue_inside_a_reported_chain_opens_a_nested_statement():
    # RusStrat schreibt . Das sei alt . Putin habe erklärt , er stimme zu .  (chain tagged over both)
    words = ["RusStrat", "schreibt", ".", "Das", "sei", "alt", ".", "Putin", "habe", "erklärt", ","]
    words += ["er", "stimme", "zu", "."]
    message = {3: "B-IndirectFreeIndirect"} | {i: "I-IndirectFreeIndirect" for i in range(4, 15)}
    tags = _tags(words, message, {9}, [(0, 1), (7, 8)])
    outer, inner = group_spans(tags, words, [0] * 3 + [1] * 4 + [2] * 8)
    assert (outer.form, outer.roles["Message"], outer.roles["Source"]) == (
        "IndirectFreeIndirect",
        [3, 4, 5, 6],
        [0],
    )
    assert (inner.form, inner.roles["Message"]) == ("Indirect", [11, 12, 13, 14])
    assert (inner.roles["Cue"], inner.roles["Source"]) == ([9], [7])


def test_a_pronoun_next_to_the_cue_beats_a_name_in_an_earlier_sentence():
    # Kline sagte , es sei kein Unfall . Er fuhr fort : „ Das war ein Verbrechen . “  ("Er" untagged)
    words = ["Kline", "sagte", ",", "es", "sei", "kein", "Unfall", ".", "Er", "fuhr", "fort", ":"]
    words += ["„", "Das", "war", "ein", "Verbrechen", ".", "“"]
    message = {3: "B-Indirect", 4: "I-Indirect", 5: "I-Indirect", 6: "I-Indirect"}
    message |= {12: "B-Direct"} | {i: "I-Direct" for i in range(13, 19)}
    tags = _tags(words, message, {1, 9, 10}, [(0, 1)])
    first, quote = group_spans(tags, words, [0] * 8 + [1] * 11)
    assert first.roles["Source"] == [0]
    assert (quote.roles["Cue"], quote.roles["Source"]) == ([9, 10], [8])


def test_a_pronoun_far_from_the_cue_or_inside_the_message_is_not_taken():
    # Kline sagte , es sei kein Unfall . Danach fuhr der Abgeordnete fort : „ Sie lügen . “
    words = ["Kline", "sagte", ",", "es", "sei", "kein", "Unfall", ".", "Danach", "fuhr", "der"]
    words += ["Abgeordnete", "fort", ":", "„", "Sie", "lügen", ".", "“"]
    message = {3: "B-Indirect", 4: "I-Indirect", 5: "I-Indirect", 6: "I-Indirect"}
    message |= {14: "B-Direct"} | {i: "I-Direct" for i in range(15, 19)}
    tags = _tags(words, message, {1, 9, 12}, [(0, 1)])
    _, quote = group_spans(tags, words, [0] * 8 + [1] * 11)
    assert quote.roles["Source"] == [0]  # "Sie" is the quote's own word


def test_a_cue_from_the_rules_lets_the_pronoun_next_to_it_be_the_source():
    # The tagger found the quote and an earlier name but no cue; the rules know "fuhr fort :".
    sentences = [
        ["Kline", "sagte", ",", "es", "sei", "kein", "Unfall", "."],
        ["Er", "fuhr", "fort", ":", "„", "Das", "war", "ein", "Verbrechen", ".", "“"],
    ]
    tagged = [Group("Direct", {"Message": list(range(12, 19)), "Cue": [], "Source": [0], "Addr": []})]
    (quote,) = with_rules(tagged, sentences)
    assert quote.roles["Message"] == list(range(12, 19))
    assert 10 in quote.roles["Cue"] and quote.roles["Source"] == [8]


def test_a_word_of_one_quote_is_not_the_speaker_of_the_next():
    # Kempf sagte : „ Da gibt es zwei “ , und fügt hinzu : „ Wir denken . “  ("Da" tagged as a source)
    words = ["Kempf", "sagte", ":", "„", "Da", "gibt", "es", "zwei", "“", ",", "und", "fügt", "hinzu"]
    words += [":", "„", "Wir", "denken", ".", "“"]
    message = {3: "B-Direct"} | {i: "I-Direct" for i in range(4, 9)}
    message |= {14: "B-Direct"} | {i: "I-Direct" for i in range(15, 19)}
    tags = _tags(words, message, {1, 11, 12}, [(0, 1), (4, 5)])
    first, second = group_spans(tags, words, [0] * len(words))
    assert first.roles["Source"] == [0]
    assert second.roles["Source"] == [0]  # not the nearer "Da", a word of the first quote


def test_statements_split_by_their_attribution_join_only_within_a_sentence():
    # Merkel sagte , es reiche . Sie betonte , man warte .  (two statements, one speaker each time)
    words = ["Merkel", "sagte", ",", "es", "reiche", ".", "Sie", "betonte", ",", "man", "warte", "."]
    message = {3: "B-Indirect", 4: "I-Indirect", 5: "I-Indirect", 9: "B-Indirect", 10: "I-Indirect"}
    message |= {11: "I-Indirect"}
    tags = _tags(words, message, {1, 7}, [(0, 1), (6, 7)])
    first, second = group_spans(tags, words, [0] * 6 + [1] * 6)
    assert (first.roles["Message"], first.roles["Cue"], first.roles["Source"]) == ([3, 4, 5], [1], [0])
    assert (second.roles["Message"], second.roles["Cue"], second.roles["Source"]) == ([9, 10, 11], [7], [6])
    (joined,) = group_spans(tags, words)  # without sentences: one statement interrupted by "Sie betonte ,"
    assert joined.roles["Message"] == [3, 4, 5, 9, 10, 11]


def test_a_source_span_drops_a_leading_object_pronoun():
    # „ … “ , so charakterisierte ihn der Gewerkschafter Aubin .
    words = ["„", "Hart", "“", ",", "so", "charakterisierte", "ihn", "der", "Gewerkschafter", "Aubin", "."]
    long = Group("Direct", {"Message": [0, 1, 2], "Cue": [5], "Source": [6, 7, 8, 9], "Addr": []})
    alone = Group("Direct", {"Message": [0, 1, 2], "Cue": [5], "Source": [6], "Addr": []})
    _without_leading_object([long, alone], words)
    assert long.roles["Source"] == [7, 8, 9]
    assert alone.roles["Source"] == [6]  # nothing else to keep: left as it is


def test_a_cited_direct_quote_is_flagged_nested_and_kept():
    # Die Zeitung zitiert einen Augenzeugen mit den Worten : „ Er rannte . “ Er sagte : „ Ja . “
    words = [
        "Die",
        "Zeitung",
        "zitiert",
        "einen",
        "Augenzeugen",
        "mit",
        "den",
        "Worten",
        ":",
        "„",
        "Er",
        "rannte",
        ".",
        "“",
        "Er",
        "sagte",
        ":",
        "„",
        "Ja",
        ".",
        "“",
    ]
    cited = Group(
        "Direct", {"Message": list(range(9, 14)), "Cue": [2, 5, 6, 7], "Source": [3, 4], "Addr": []}
    )
    said = Group("Direct", {"Message": list(range(17, 21)), "Cue": [15], "Source": [14], "Addr": []})
    source_tags = ["B", "I", "O", "B", "I"] + ["O"] * 9 + ["B"] + ["O"] * 6
    assert _mark_cited([cited, said], words, source_tags) == [cited, said]
    assert cited.nested and not said.nested
    # the one cited speaks, the one citing passes it on
    assert cited.roles["Source"] == [3, 4] and cited.roles["Reporter"] == [0, 1]
    cited.roles["Source"] = [0, 1]
    _mark_cited([cited], words, source_tags)
    assert cited.roles["Source"] == [3, 4]


def test_shipped_tagger_predicts_every_head():
    path = resources.files("lagebild").joinpath("quotes/models/tagger.npz")
    if not path.is_file():
        pytest.skip("quote tagger model not trained yet (lagebild train quotes)")
    tagger = QuoteTagger.load(str(path))
    words = 12
    rng = np.random.default_rng(0)
    feats = rng.normal(size=(words, 13, 384)).astype(np.float16)
    out = tagger.predict(feats, np.zeros((words, N_EXTRA), dtype=np.float32))
    assert set(out) == {"Message", "Cue", "Source", "Addr"}
    assert all(len(v) == words for v in out.values())
    assert all(t in LABELS["Message"] for t in out["Message"])
