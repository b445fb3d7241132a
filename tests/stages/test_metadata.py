from __future__ import annotations

BODY = (
    "Der chinesische Präsident Xi Jinping traf in Moskau ein. Er sprach mit Wladimir Putin über Energie "
    "und Sicherheit, wie beide Seiten mitteilten."
)


def test_markdown_title_subtitle_byline_date(run):
    a = run(
        f"# Xi in Moskau\n\n## Was Putin erwartet\n\nVon **Anna Berg** und Jan Roth.\n\n*Posted on 3. März 2023*\n\n{BODY}"
    )
    assert (a.title, a.subtitle) == ("Xi in Moskau", "Was Putin erwartet")
    assert a.authors == ["Anna Berg", "Jan Roth"]
    assert (a.published.value, a.published.precision, a.published.source) == ("2023-03-03", "day", "text")
    assert a.clean_text == BODY
    assert {r.reason for r in a.removed} == {
        "metadata:title",
        "metadata:subtitle",
        "metadata:authors",
        "metadata:date",
    }


def test_headline_like_first_line_and_repeated_headline(run):
    a = run(
        f"Putin empfängt Xi im Kreml\n\nErstellt: 21.03.2023, 14:05 Uhr\n\nPutin empfängt Xi im Kreml\n\n{BODY}"
    )
    assert a.title == "Putin empfängt Xi im Kreml"
    assert a.published.value == "2023-03-21"
    assert [r.reason for r in a.removed] == ["metadata:title", "metadata:date", "duplicate"]


def test_first_sentence_is_not_a_title(run):
    assert run(f"{BODY}\n\n{BODY}").title is None


def test_month_precision_and_inline_date_prefix(run):
    a = run(f" date 2017-07 {BODY}")
    assert (a.published.value, a.published.precision) == ("2017-07", "month")
    assert a.clean_text == BODY


def test_weekday_date_year_inferred(run):
    a = run(
        f"Titel der Meldung hier\n\nXi Jinping betonte am Mittwoch (15. Juni), dass man Moskau unterstütze. {BODY}"
    )
    assert (a.published.value, a.published.confidence) == ("2022-06-15", 0.7)
    assert a.published.note.startswith("year inferred")


def test_weekday_year_respects_years_named_in_text(run):
    # 15 June was a Wednesday in 2011, 2016 and 2022; the text names 2015, so 2016 is the first candidate.
    a = run(
        f"Titel der Meldung hier\n\nSeit 2015 wächst der Handel. Am Mittwoch (15. Juni) sprach Xi. {BODY}"
    )
    assert a.published.value == "2016-06-15"


def test_hints_win_over_text(run, config):
    from lagebild.model import Article, SourceHints, content_id
    from lagebild.pipeline import Pipeline

    text = f"Von: Jan Roth\n\n{BODY}"
    art = Article(
        id=content_id(text),
        source="x.jsonl#line 1",
        source_format="jsonl",
        raw_text=text,
        hints=SourceHints(
            title="Gegebener Titel",
            date="2023-03-10T08:00:00+01:00",
            date_source="jsonl",
            outlet="RT DE",
            url="https://de.rt.com/a",
        ),
    )
    a = Pipeline.from_config(config).run(art)
    assert (a.title, a.outlet, a.url) == ("Gegebener Titel", "RT DE", "https://de.rt.com/a")
    assert (a.published.value, a.published.source) == ("2023-03-10", "jsonl")
    assert a.authors == ["Jan Roth"]


def test_outlet_from_url_domain(run, config):
    from lagebild.model import Article, content_id
    from lagebild.pipeline import Pipeline

    art = Article(
        id=content_id(BODY),
        source="u",
        source_format="txt",
        raw_text=BODY,
        url="https://www.kenfm.de/artikel",
    )
    a = Pipeline.from_config(config).run(art)
    assert (a.outlet, a.outlet_evidence) == ("KenFM", "URL domain www.kenfm.de")


def test_outlet_from_masthead_and_footer_links(run):
    assert run(f"FOREIGN AFFAIRS\n\n# The Uneven Embrace\n\n{BODY}").outlet == "Foreign Affairs"
    footer = "+++\n\nApp: <https://kenfm.de/app/>\n\n+++\n\nNewsletter: <https://kenfm.de/newsletter/>"
    a = run(f"{BODY}\n\n{BODY} B\n\n{footer}")
    assert a.outlet == "KenFM" and "kenfm.de" in (a.outlet_evidence or "")


def test_provenance_notes(run):
    text = (
        f"# Die ungleiche Umarmung\n\n{BODY}\n\nAus dem Englischen von Thomas Riedl.\n\n"
        "Quelle: edition.cnn.com\n\n© Foreign Affairs\n\nDieser Artikel erschien zuerst am 3. März 2023 bei RT DE."
    )
    a = run(text)
    found = {(p.kind, p.name, p.date, p.language) for p in a.provenance}
    assert found == {
        ("translation", "Thomas Riedl", None, "en"),
        ("source", "edition.cnn.com", None, None),
        ("copyright", "Foreign Affairs", None, None),
        ("first_published", "RT DE", "2023-03-03", None),
    }
    assert a.clean_text == BODY  # short notes leave the text, with reason "provenance note"


def test_english_byline_and_date(run):
    a = run(
        "Xi and Putin meet in Moscow today\n\nBy Hannah Cole and Tom Reed\n\nPublished March 21, 2023\n\n"
        "The Chinese president arrived in Moscow on Monday for talks with Vladimir Putin. Both sides "
        "said they would discuss energy and security."
    )
    assert a.language == "en"
    assert a.authors == ["Hannah Cole", "Tom Reed"]
    assert a.published.value == "2023-03-21"
    assert a.title == "Xi and Putin meet in Moscow today"


def test_authors_named_in_a_sentence(run):
    a = run(f"{BODY} CNN-Autoren wie Peter Bergen und Jim Sciutto berichten seit Jahren darüber.")
    assert a.authors == ["Peter Bergen", "Jim Sciutto"]
    assert "CNN-Autoren wie Peter Bergen" in a.clean_text  # a sentence of the body stays


COPIED_PAGE = """Zum Inhalt springen
Startseite
Politik
Wirtschaft
Kultur
Suche
Politik
Regierung beschließt neue Regeln für den Wohnungsbau
Von Anna Berg | Veröffentlicht am 12.03.2024, 10:15 Uhr

Die Bundesregierung will den Bau neuer Wohnungen mit einfacheren Genehmigungen beschleunigen. Das Kabinett beschloss am Mittwoch einen Gesetzentwurf, der die Verfahren in den Ländern vereinheitlichen soll.

Nach Angaben des Bauministeriums sollen Anträge künftig innerhalb von drei Monaten entschieden werden. Kommunen erhalten dafür zusätzliche Mittel aus dem Bundeshaushalt, die in den kommenden Jahren steigen.

Kritik kam von den Umweltverbänden, die vor einer Aushöhlung der Beteiligungsrechte warnen. Die Opposition kündigte an, den Entwurf im Bundestag genau zu prüfen.

Teilen
Mehr zum Thema
Mieten steigen weiter – 01.02.2024
Impressum
Datenschutz
© 2025 Beispielverlag
"""


def test_copied_page_headline_and_date_line_above_the_body(run):
    """Issue #16: on a page copy the classifier removes the head lines; the headline and the
    date line are still found there, the date with a calibrated confidence."""
    a = run(COPIED_PAGE)
    assert a.title == "Regierung beschließt neue Regeln für den Wohnungsbau"
    assert (a.published.value, a.published.precision) == ("2024-03-12", "day")
    assert a.published.confidence >= 0.9
    assert a.clean_text.startswith("Die Bundesregierung will")
    assert "Impressum" not in a.clean_text and "Startseite" not in a.clean_text


def test_copied_page_without_a_date_line_gets_no_sidebar_date_as_a_sure_day(run):
    page = COPIED_PAGE.replace("Von Anna Berg | Veröffentlicht am 12.03.2024, 10:15 Uhr\n", "Von Anna Berg\n")
    a = run(page)
    # The only day-precise date left is a teaser's in the sidebar: never stated as a sure day.
    if a.published is not None and a.published.precision == "day":
        assert a.published.confidence < 0.9
