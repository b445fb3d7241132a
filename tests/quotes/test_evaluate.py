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


def test_system_attributions_flagged_nested_are_left_out_as_by_the_official_scorer():
    gold = [g("Direct", range(0, 10), [11], [12]), g("Direct", range(20, 30), [31], [32], nested=True)]
    system = [g("Direct", range(0, 10), [11], [12]), g("Direct", range(20, 30), [31], [33], nested=True)]
    s = score([(system, gold)])
    assert s.groups == {"gold": 1, "system": 1, "paired": 1}
    assert s.overall.prf(["Cue", "Source", "Message"]) == (1.0, 1.0, 1.0)
    unflagged = [system[0], g("Direct", range(20, 30), [31], [33])]
    assert score([(unflagged, gold)]).overall.fp["Message"] == 10


def test_source_errors_sort_each_attribution_by_outcome():
    from lagebild.quotes.evaluate import source_errors
    from lagebild.quotes.spkatt import Doc

    gold = [
        g("Direct", range(0, 5), [6], [7, 8]),  # system: exact
        g("Direct", range(10, 15), [16], [17, 18]),  # system: another span
        g("Direct", range(20, 25), [], []),  # gold has no source, system has one
        g("Direct", range(30, 35), [36], [37]),  # no system message here
        g("Direct", range(40, 45), [], [], nested=True),  # "X zitiert Y: …" (nested only)
    ]
    system = [
        g("Direct", range(0, 5), [6], [7, 8]),
        g("Direct", range(10, 15), [16], [19]),
        g("Direct", range(20, 25), [], [26]),
        g("Direct", range(40, 45), [], [46, 47]),
        g("Direct", range(50, 55), [], [56]),  # a quote gold does not annotate
    ]
    doc = Doc("d", [["w"] * 60], gold)
    assert source_errors([system], [doc], "Direct") == {
        "exact": [1, 0, 0],
        "wrong": [1, 1, 2],
        "gold has none": [1, 1, 0],
        "gold unpaired": [1, 0, 1],
        "system unpaired, nested gold": [1, 2, 0],
        "system unpaired": [1, 1, 0],
    }
    assert source_errors([system], [doc], "Indirect") == {}
