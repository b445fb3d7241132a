from lagebild.quotes.marks import is_quote_token, quote_state


def test_german_english_and_guillemet_quotes_are_tracked():
    for opening, closing in [("„", "“"), ('"', '"'), ("»", "«"), ("«", "»"), ("“", "”"), ("‚", "‘")]:
        tokens = ["Er", "sagte", ":", opening, "Nein", "danke", closing, "."]
        assert quote_state(tokens) == [0, 0, 0, 1, 2, 2, 3, 0], opening


def test_single_quotes_inside_double_quotes_stay_text():
    tokens = ["„", "Ein", "‚", "Name", "‘", "hier", "“"]
    assert quote_state(tokens) == [1, 2, 2, 2, 2, 2, 3]


def test_unclosed_quote_does_not_swallow_the_article():
    tokens = ["„", "offen"] + ["Wort"] * 500
    assert set(quote_state(tokens)) == {0}


def test_a_straight_apostrophe_far_from_another_is_no_quote():
    tokens = ["'"] + ["x"] * 80 + ["'"]
    assert set(quote_state(tokens)) == {0}
    assert is_quote_token("„") and not is_quote_token("x")
