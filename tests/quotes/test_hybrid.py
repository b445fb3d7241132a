"""Combining the tagger's attributions with the rules' direct quotes, and dropping scare quotes."""

from __future__ import annotations

from lagebild.quotes.hybrid import drop_scare_quotes, merge_direct
from lagebild.quotes.spkatt import Group

# „ Wir liefern nicht “ , sagte er . Russland nennt das den „ Alarmzustand “ .
WORDS = ["„", "Wir", "liefern", "nicht", "“", ",", "sagte", "er", ".", "Russland", "nennt", "das", "den"]
WORDS += ["„", "Alarmzustand", "“", "."]


def test_a_rule_quote_absorbs_the_tagger_pieces_it_overlaps() -> None:
    tagged = [Group("Direct", {"Message": [1, 2], "Cue": [6], "Source": [7], "Addr": []})]
    rule = [Group("Direct", {"Message": [0, 1, 2, 3, 4], "Cue": [6], "Source": [7]})]
    merged = merge_direct(tagged, rule)
    assert len(merged) == 1
    assert merged[0].message == [0, 1, 2, 3, 4]
    assert merged[0].roles["Cue"] == [6] and merged[0].roles["Source"] == [7]


def test_a_single_quoted_word_without_a_cue_is_dropped_even_with_a_source() -> None:
    statement = Group("Direct", {"Message": [0, 1, 2, 3, 4], "Cue": [6], "Source": [7], "Addr": []})
    scare = Group("Direct", {"Message": [13, 14, 15], "Cue": [], "Source": [9], "Addr": []})
    assert drop_scare_quotes([statement, scare], WORDS) == [statement]


def test_a_single_quoted_word_with_a_cue_stays() -> None:
    # 'bezeichnete die Erweiterung als „maßvoll“': a one-word quote that is a statement
    named = Group("Direct", {"Message": [13, 14, 15], "Cue": [10], "Source": [9], "Addr": []})
    short_indirect = Group("Indirect", {"Message": [14], "Cue": [], "Source": [], "Addr": []})
    assert drop_scare_quotes([named, short_indirect], WORDS) == [named, short_indirect]


def test_a_message_of_quotation_marks_alone_is_dropped_even_with_a_cue() -> None:
    # a lone „ left when merge_direct split a quote off a tagger statement (SpkAtt dev 52532)
    stray = Group("Direct", {"Message": [13], "Cue": [10], "Source": [9], "Addr": []})
    named = Group("Direct", {"Message": [13, 14, 15], "Cue": [10], "Source": [9], "Addr": []})
    assert drop_scare_quotes([stray, named], WORDS) == [named]
