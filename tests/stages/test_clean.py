from __future__ import annotations

from lagebild.model import Article, content_id
from lagebild.rules import load_rules
from lagebild.stages.clean import clean_article

BODY = (
    "Der chinesische Präsident Xi Jinping traf am Dienstag in Moskau ein. Er sprach mit Wladimir Putin über "
    "Energie und Sicherheit, wie beide Seiten mitteilten."
)
BODY2 = (
    "Beobachter in Berlin und Washington verfolgen den Besuch genau. Sie fürchten, dass China Russland "
    "mit Gütern beliefert, die auch militärisch genutzt werden können."
)


def cleaned(text: str, lang: str = "de") -> Article:
    article = Article(id=content_id(text), source="t.txt", source_format="txt", raw_text=text, language=lang)
    return clean_article(article, load_rules(lang), short_block=300)


def test_every_body_paragraph_survives_and_spans_point_into_raw_text():
    text = f"zum Inhalt\n\n{BODY}\n\nLesen Sie auch: Scholz telefoniert mit Xi\n\n{BODY2}\n\nKommentare\n"
    a = cleaned(text)
    assert a.clean_text == f"{BODY}\n\n{BODY2}"
    for span in a.removed:
        assert text[span.start : span.end] == span.text
    assert {r.text: r.reason for r in a.removed} == {
        "zum Inhalt": "navigation",
        "Lesen Sie auch: Scholz telefoniert mit Xi": "related links",
        "Kommentare": "comment prompt",
    }


def test_teaser_after_read_also_goes_but_a_body_sentence_stays():
    teaser = cleaned(f"{BODY}\n\nMehr zum Thema\n\nPutin empfängt Xi im Kreml\n\n{BODY2}")
    assert [r.reason for r in teaser.removed] == ["related links", "related links"]
    body = cleaned(f"{BODY}\n\nAuch interessant\n\nDas ist ein kurzer Satz des Artikels.\n\n{BODY2}")
    assert "Das ist ein kurzer Satz des Artikels." in body.clean_text


def test_pull_quote_printed_twice_is_removed_once():
    quote = "„Wir werden Moskau nicht fallen lassen“, sagte der Sprecher."
    a = cleaned(f"{BODY} {quote} Weitere Sätze folgen hier.\n\n{quote}\n\n{BODY2}")
    assert a.clean_text.count("Wir werden Moskau nicht fallen lassen") == 1
    assert [r.reason for r in a.removed] == ["duplicate"]


def test_caption_printed_twice_with_credit():
    caption = "Xi Jinping und Wladimir Putin beim Treffen im Kreml."
    a = cleaned(f"{BODY}\n\n{caption}\n{caption} © Max Muster/dpa\n\n{BODY2}")
    assert caption not in a.clean_text
    assert [r.reason for r in a.removed] == ["image caption", "image caption"]
    assert a.removed[0].rule == "repeat of block 3"


def test_footer_zone_after_separators():
    footer = (
        "+++\n\nVielen Dank fürs Lesen.\n\n+++\n\nUnser Kanal bei Telegram: @beispiel\n\n+++\n\nImpressum"
    )
    a = cleaned(f"{BODY}\n\n{BODY2}\n\n{footer}")
    assert a.clean_text == f"{BODY}\n\n{BODY2}"
    assert {r.reason for r in a.removed} == {"separator", "footer"}


def test_news_ticker_separators_inside_body_do_not_eat_long_paragraphs():
    long = BODY * 3
    a = cleaned(f"+++ Eilmeldung +++\n\n{long}\n\n+++\n\n{BODY2 * 3}")
    assert a.clean_text == f"+++ Eilmeldung +++\n\n{long}\n\n{BODY2 * 3}"


def test_appeals_and_crypto_addresses():
    text = (
        f"{BODY}\n\nAbonnieren Sie unseren Newsletter!\n\nJetzt die App für Android und iOS herunterladen.\n\n"
        "Unterstützen Sie unsere Arbeit mit einer Spende: IBAN: DE12 3456\n\n"
        "**Bitcoin-Adresse:** 1BoatSLRHtKNngkdXEeobR76b53LETtpyT\n\nBildquelle: Max Muster / shutterstock"
    )
    a = cleaned(text)
    assert a.clean_text == BODY
    assert [r.reason for r in a.removed] == [
        "newsletter appeal",
        "app appeal",
        "donation appeal",
        "donation appeal",
        "image credit",
    ]


def test_english_rules():
    text = f"Skip to content\n\nWORLD | ASIA\n\n{BODY}\n\nRead more: Xi arrives in Moscow\n\nSign up for our newsletter.\n\nShare this article"
    a = cleaned(text, "en")
    assert a.clean_text == BODY
    assert [r.reason for r in a.removed] == [
        "navigation",
        "section label",
        "related links",
        "newsletter appeal",
        "social media appeal",
    ]


def test_markdown_becomes_text():
    a = cleaned(
        "Nach einer [Analyse \\(hier\\)](#) von **RusStrat** sagte *Lawrow*: <https://x.example/a>\n\nEnde des Textes hier."
    )
    assert a.clean_text.startswith("Nach einer Analyse (hier) von RusStrat sagte Lawrow: https://x.example/a")


def test_paragraph_broken_mid_sentence_is_joined():
    a = cleaned(f"{BODY} Angesichts dessen sei\n\ndieses Thema seit 2016 diskutiert worden.\n\nNeuer Absatz.")
    assert (
        a.clean_text
        == f"{BODY} Angesichts dessen sei dieses Thema seit 2016 diskutiert worden.\n\nNeuer Absatz."
    )


def test_read_also_with_its_teaser_leaves_the_next_subheading():
    """Issue #16: "Lesen Sie auch: <teaser>" carries its teaser; the subheading after it is body."""
    text = f"{BODY}\n\nLesen Sie auch: Putin empfängt Xi im Kreml\n\nDie Energiefrage\n\n{BODY2}"
    a = cleaned(text)
    assert "Die Energiefrage" in a.clean_text
    assert [r.text for r in a.removed] == ["Lesen Sie auch: Putin empfängt Xi im Kreml"]


def test_body_sentences_that_mention_cookies_consent_or_donations_stay():
    """Issue #16: only appeals and banners go, not sentences that merely contain the words."""
    de = [
        "Viele Bürger spenden seit Wochen für die Opfer der Flut im Ahrtal.",
        "Die Datenschutzbehörde prüft, ob die Firma ohne Consent Cookies gesetzt hat.",
        "Der Konzern meldete, die PayPal-Aktie sei am Dienstag deutlich gefallen.",
    ]
    a = cleaned("\n\n".join([BODY, *de, BODY2]))
    assert a.removed == []
    en = [
        "Several countries pledged to donate vaccines to the region.",
        "Regulators asked whether users gave consent before cookies were stored.",
    ]
    b = cleaned("\n\n".join([BODY, *en, BODY2]), "en")
    assert b.removed == []
    banners = cleaned(
        f"{BODY}\n\nWir verwenden Cookies, um Ihnen das beste Nutzererlebnis zu bieten.\n\n"
        f"Jetzt spenden\n\nAlle Cookies akzeptieren\n\n{BODY2}"
    )
    assert [r.reason for r in banners.removed] == ["cookie notice", "donation appeal", "cookie notice"]


def test_short_passage_repeated_inside_a_longer_block_is_found():
    a = cleaned(
        f"{BODY}\n\nBundesverfassungsgericht Karlsruhe\n\nDas Bundesverfassungsgericht Karlsruhe urteilte am Dienstag.\n\n{BODY2}"
    )
    assert [r.text for r in a.removed] == ["Bundesverfassungsgericht Karlsruhe"]
    assert a.removed[0].rule == "passage contained in another (block 3)"


def test_duplicate_pass_looks_up_repeats_instead_of_scanning_the_page(monkeypatch):
    """Issue #17 (time bombs): the repeat search compares a block only with blocks that share its
    rarest n-gram, so a page of 3,000 distinct lines makes a few thousand comparisons, not 9 million."""
    import lagebild.stages.clean as clean_module

    calls = 0
    real = clean_module._repeats

    def counting(norm: str, other: str, earlier: bool) -> bool:
        nonlocal calls
        calls += 1
        return real(norm, other, earlier)

    monkeypatch.setattr(clean_module, "_repeats", counting)
    lines = [f"Zeile {i} berichtet über Ereignis {i} in der Stadt {i % 97}." for i in range(3000)]
    article = cleaned("\n\n".join(lines))
    assert article.removed == []
    assert calls < 3 * 3000


def test_a_huge_page_finds_the_same_repeats_through_its_index(monkeypatch):
    """Pages of ordinary size find repeats by scanning the page once per block; above
    _SCAN_LIMIT the n-gram index takes over (linear time). Both must agree."""
    import lagebild.stages.clean as clean_module

    text = (
        f"{BODY}\n\nBundesverfassungsgericht Karlsruhe\n\n"
        "Das Bundesverfassungsgericht Karlsruhe urteilte am Dienstag.\n\n"
        f"{BODY2}\n\n{BODY}\n\nKarlsruhe urteilte am Dienstag über die Klage der Länder."
    )
    scanned = [(r.text, r.rule) for r in cleaned(text).removed]
    monkeypatch.setattr(clean_module, "_SCAN_LIMIT", 0)
    indexed = [(r.text, r.rule) for r in cleaned(text).removed]
    assert scanned == indexed
    assert ("Bundesverfassungsgericht Karlsruhe", "passage contained in another (block 3)") in scanned
    assert (BODY, "repeated passage (block 1)") in scanned
