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
