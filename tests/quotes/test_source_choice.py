import json

import pytest

from lagebild.errors import ConfigError
from lagebild.quotes.source_choice import SourceChooser, candidates, choose_sources, examples, features, fit
from lagebild.quotes.spkatt import Doc, Group


def _doc(*sentences: str) -> tuple[list[str], list[int]]:
    words, sent = [], []
    for k, s in enumerate(sentences):
        for w in s.split():
            words.append(w)
            sent.append(k)
    return words, sent


def _tags(words: list[str], source: list[tuple[int, int]], addr: list[tuple[int, int]] = ()) -> dict:  # type: ignore[assignment]
    out = {}
    for head, spans in (("Source", source), ("Addr", addr)):
        t = ["O"] * len(words)
        for s, e in spans:
            t[s] = "B"
            for i in range(s + 1, e):
                t[i] = "I"
        out[head] = t
    return out


def _quote(words: list[str], first: str = "„", last: str = "“") -> list[int]:
    return list(range(words.index(first), words.index(last) + 1))


def test_candidates_skip_quotes_cue_and_later_sentences():
    words, sent = _doc(
        "Der Minister kam .",
        "Er sagte : „ Wir bleiben . “",
        "Danach sprach sie .",
    )
    cue = [words.index("sagte")]
    msg = _quote(words)
    spans = candidates(words, sent, cue, msg, [(0, 2), (9, 10)], set(msg))
    assert (0, 2) in spans  # a tagged span one sentence before
    assert (4, 5) in spans  # the pronoun "Er" next to the cue
    assert all(not set(range(s, e)) & set(msg) for s, e in spans)  # "Wir" is inside the quote
    assert (13, 14) not in spans  # "sie" in a sentence after the message


def test_features_mark_position_around_the_cue():
    words, sent = _doc("Der Zeitung sagte Filep Karma : „ Ja . “")
    cue, msg = [2], _quote(words)
    before = features(words, sent, cue, msg, "Direct", (0, 2), set())
    after = features(words, sent, cue, msg, "Direct", (3, 5), set())
    assert before["adjacent_before"] == 1.0 and before["article_before_cue"] == 1.0
    assert after["adjacent_after"] == 1.0 and after["between_cue_and_message"] == 1.0
    assert features(words, sent, cue, msg, "Direct", (0, 2), {(0, 2)})["addressee"] == 1.0


def test_shipped_ranker_takes_the_speaker_after_the_verb_over_the_fronted_addressee():
    words, sent = _doc("Der englischsprachigen Zeitung sagte Filep Karma : „ Ich bleibe im Gefängnis . “")
    msg = _quote(words)
    g = Group("Direct", {"Message": msg, "Cue": [3], "Source": [0, 1, 2], "Addr": []})
    choose_sources([g], _tags(words, [(0, 3), (4, 6)]), words, sent)
    assert [words[i] for i in g.roles["Source"]] == ["Filep", "Karma"]


def test_shipped_ranker_prefers_the_pronoun_in_the_cues_sentence_to_an_earlier_name():
    words, sent = _doc(
        "Für den Chef stellt sich nach Ansicht von Beobachtern die Frage .",
        "Die Aktionärsvereinigung schlug in die gleiche Kerbe , indem sie den Aufsichtsrat zum Handeln"
        " aufforderte : „ Jetzt ist der Aufsichtsrat gefordert . “",
    )
    msg = _quote(words)
    g = Group(
        "Direct", {"Message": msg, "Cue": [words.index("aufforderte")], "Source": [6, 7, 8], "Addr": []}
    )
    choose_sources([g], _tags(words, [(6, 9)]), words, sent)
    assert [words[i] for i in g.roles["Source"]] == ["sie"]


def test_quotes_without_cue_or_source_are_left_alone():
    words, sent = _doc("Peter sagte : „ Ja . “", "„ Nein . “")
    first = Group("Direct", {"Message": _quote(words), "Cue": [], "Source": [0], "Addr": []})
    second = Group("Direct", {"Message": [7, 8, 9, 10], "Cue": [1], "Source": [], "Addr": []})
    choose_sources([first, second], _tags(words, [(0, 1)]), words, sent)
    assert first.roles["Source"] == [0] and second.roles["Source"] == []


def test_fit_learns_a_separable_choice_and_refuses_no_data():
    data = [([{"near": 1.0}, {"far": 1.0}], 0), ([{"far": 1.0}, {"near": 1.0}], 1)] * 5
    w = fit(data, epochs=50)
    assert w["near"] > 0 > w["far"]
    assert SourceChooser(w).best([{"far": 1.0}, {"near": 1.0}]) == 1
    with pytest.raises(ConfigError):
        fit([])


def test_load_reports_a_bad_weight_file(tmp_path):
    bad = tmp_path / "w.json"
    bad.write_text(json.dumps({"no": "weights"}))
    with pytest.raises(ConfigError, match="source-choice"):
        SourceChooser.load(bad)
    bad.write_text("not json")
    with pytest.raises(ConfigError):
        SourceChooser.load(bad)


def test_examples_take_the_gold_source_among_the_tagged_candidates():
    words, _ = _doc("Der Zeitung sagte Filep Karma : „ Ja . “", "Er ging .")
    gold = Group("Direct", {"Message": [6, 7, 8, 9], "Cue": [2], "Source": [3, 4], "Addr": [0, 1]})
    nested = Group("Direct", {"Message": [7], "Cue": [2], "Source": [0], "Addr": []}, nested=True)
    doc = Doc("1 - x (2005-01-01)", [words[:10], words[10:]], [gold, nested])
    tags = _tags(words, [(0, 2), (3, 5)])
    found = examples([doc], [tags])
    assert len(found) == 1  # the nested annotation teaches nothing
    feats, right = found[0]
    assert len(feats) == 2 and feats[right]["adjacent_after"] == 1.0
    # a gold source the tagger did not tag is no example
    assert examples([doc], [_tags(words, [(0, 2)])]) == []
