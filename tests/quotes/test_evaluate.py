"""The SpkAtt-style scorer on hand-made attributions (token indices)."""

from lagebild.quotes.evaluate import format_scores, pair, score
from lagebild.quotes.spkatt import Group


def g(form: str, msg: range, cue: list[int], src: list[int], nested: bool = False) -> Group:
    return Group(form=form, roles={"Message": list(msg), "Cue": cue, "Source": src}, nested=nested)


def test_perfect_prediction_scores_one():
    gold = [g("Direct", range(0, 10), [11], [12, 13]), g("Indirect", range(20, 30), [18], [15, 16])]
    s = score([(gold, gold)])
    assert s.overall.prf(["Cue", "Source", "Message"]) == (1.0, 1.0, 1.0)
    assert set(s.by_form) == {"Direct", "Indirect"}


def test_token_counts_after_pairing_by_message_overlap():
    gold = [g("Direct", range(0, 10), [11], [12, 13])]
    system = [g("Direct", range(2, 10), [11], [13]), g("Indirect", range(40, 45), [39], [38])]
    s = score([(system, gold)])
    o = s.overall
    # Message: 8 shared, 2 missed, 5 spurious (the unpaired system attribution); Source: 1 shared, 1 missed.
    assert (o.tp["Message"], o.fn["Message"], o.fp["Message"]) == (8, 2, 5)
    assert (o.tp["Source"], o.fn["Source"], o.fp["Source"]) == (1, 1, 1)
    assert (o.tp["Cue"], o.fp["Cue"]) == (1, 1)
    # The unpaired system attribution counts under its own form.
    assert s.by_form["Indirect"].fp["Message"] == 5 and s.by_form["Indirect"].tp["Message"] == 0
    assert "all micro" in format_scores(s)


def test_nested_gold_is_left_out_and_pairing_is_one_to_one():
    gold = [g("Direct", range(0, 10), [], []), g("Direct", range(3, 6), [], [], nested=True)]
    system = [g("Direct", range(0, 10), [], []), g("Direct", range(0, 9), [], [])]
    assert pair(system, [gold[0]]) == [(0, 0)]
    s = score([(system, gold)])
    assert s.groups == {"gold": 1, "system": 2, "paired": 1}
    assert s.overall.fp["Message"] == 9
