"""The boilerplate line classifier on synthetic copied pages (German and English)."""

from __future__ import annotations

import numpy as np
import pytest

from lagebild.config import load_config
from lagebild.errors import ConfigError
from lagebild.model import Article, content_id
from lagebild.rules import load_rules
from lagebild.stages.clean import clean_article, rule_matches, uses_classifier
from lagebild.text.blocks import split_blocks
from lagebild.text.boilerplate import context_features, load_model, word_features, word_ids
from lagebild.text.linefeatures import CONTEXT, FEATURES, line_features

GERMAN_PAGE = """Zum Inhalt springen
Startseite
Politik
Wirtschaft
Sport
Kultur
Anmelden

Regierung plant neue Regeln für den Wohnungsbau

Die Bundesregierung will den Bau neuer Wohnungen mit einfacheren Genehmigungen beschleunigen. Das Kabinett beschloss am Mittwoch einen Gesetzentwurf, der die Verfahren in den Ländern vereinheitlichen soll.

Nach Angaben des Bauministeriums sollen Anträge künftig innerhalb von drei Monaten entschieden werden. Kommunen erhalten dafür zusätzliche Mittel aus dem Bundeshaushalt, die in den kommenden Jahren schrittweise steigen.

Kritik kam von den Umweltverbänden, die vor einer Aushöhlung der Beteiligungsrechte warnen. Die Opposition kündigte an, den Entwurf im Bundestag genau zu prüfen und Änderungen einzubringen.

Teilen
Twitter
Facebook
WhatsApp
Mehr zum Thema
Mieten steigen weiter
Newsletter abonnieren
Impressum
Datenschutz
Kontakt
"""

ENGLISH_PAGE = """Skip to content
Home
World
Business
Sign in

Ministers agree on a new plan for rail freight

Transport ministers agreed on Tuesday to spend more on rail freight over the next decade, aiming to move a larger share of goods off the roads and onto trains across the region.

The plan sets out new terminals, longer sidings and common timetables, and it asks operators to report their punctuality every quarter so that the progress can be checked in public.

Industry groups welcomed the decision but said the money would only help if the approval of new lines became faster than it has been in recent years.

Share this article
Facebook
Twitter
Related stories
Privacy policy
Terms of use
Contact us
"""

BODY_DE = "Die Bundesregierung will den Bau neuer Wohnungen"
BODY_EN = "Transport ministers agreed on Tuesday"


def _cleaned(text: str, lang: str) -> Article:
    article = Article(id=content_id(text), source="page.txt", source_format="txt", raw_text=text)
    article.language = lang
    return clean_article(article, load_rules(lang), 300, load_model())


@pytest.mark.parametrize(
    ("page", "lang", "body", "clutter"),
    [
        (
            GERMAN_PAGE,
            "de",
            BODY_DE,
            ["Startseite", "Teilen", "Impressum", "Datenschutz", "Newsletter abonnieren"],
        ),
        (
            ENGLISH_PAGE,
            "en",
            BODY_EN,
            ["Skip to content", "Share this article", "Privacy policy", "Contact us"],
        ),
    ],
)
def test_classifier_keeps_the_body_and_drops_menus(
    page: str, lang: str, body: str, clutter: list[str]
) -> None:
    article = _cleaned(page, lang)
    assert body in article.clean_text
    assert article.clean_text.count("\n\n") >= 2  # all three body paragraphs
    for line in clutter:
        assert line not in article.clean_text.splitlines(), line


def test_removed_lines_record_the_classifier_or_the_rule() -> None:
    article = _cleaned(GERMAN_PAGE, "de")
    by_text = {span.text: span for span in article.removed}
    assert by_text["Impressum"].reason in ("boilerplate", "page furniture")
    assert "classifier, p=" in by_text["Impressum"].rule
    # A line a clutter rule names keeps that rule's reason and name beside the classifier's.
    skip = by_text["Zum Inhalt springen"]
    assert skip.reason == "navigation"
    assert skip.rule.startswith("skip-link; classifier, p=")
    p = float(skip.rule.rsplit("p=", 1)[1])
    assert 0.5 < p <= 1.0


def test_body_probability_is_high_on_prose_and_low_on_menu_lines() -> None:
    blocks = split_blocks(ENGLISH_PAGE)
    rules = load_rules("en")
    prob = load_model().body_probability(blocks, set(rule_matches(blocks, rules, 300)))
    assert prob.shape == (len(blocks),)
    texts = [b.text for b in blocks]
    assert prob[[i for i, t in enumerate(texts) if t.startswith("Transport ministers")][0]] > 0.8
    assert prob[texts.index("Privacy policy")] < 0.2


def test_features_have_the_declared_width_and_neighbours() -> None:
    blocks = split_blocks("Erste Zeile\n\nZweite Zeile mit mehr Worten, als man denkt.\nDritte")
    x = line_features(blocks, ruled={0})
    assert x.shape == (3, len(FEATURES) * (1 + len(CONTEXT)))
    assert x[0, FEATURES.index("rule")] == 1.0 and x[1, FEATURES.index("rule")] == 0.0
    # The second line's "previous line" copy is the first line's own features.
    prev = CONTEXT.index(-1) + 1
    np.testing.assert_array_equal(
        x[1, prev * len(FEATURES) : (prev + 1) * len(FEATURES)], x[0, : len(FEATURES)]
    )
    assert line_features([], set()).shape[0] == 0


def test_word_and_context_features() -> None:
    blocks = split_blocks("Impressum\n\nDie Regierung hat heute beschlossen.")
    table = np.zeros(1 << 14)
    table[word_ids(blocks[0])[0]] = -3.0
    words = word_features([word_ids(b) for b in blocks], table)
    assert words[0, 0] == -3.0 and words[1, 0] == 0.0
    ctx = context_features(np.array([0.1, 0.9, 0.9, 0.1]), np.array([10.0, 200.0, 200.0, 10.0]))
    inside = ctx[:, 4]
    assert inside.tolist() == [0.0, 1.0, 1.0, 0.0]  # the main body run is lines 2-3


def test_classifier_setting() -> None:
    article = Article(id="x", source="a.html", source_format="html", raw_text="x")
    assert not uses_classifier(article, "auto")
    assert uses_classifier(article, "always")
    article.source_format = "txt"
    assert uses_classifier(article, "auto") and not uses_classifier(article, "never")
    with pytest.raises(ConfigError, match="clean.classifier"):
        load_config(overrides=["clean.classifier=sometimes"])


def test_a_damaged_model_file_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        load_model(b"not a model")
    model = load_model()
    again = load_model(model.to_bytes())
    assert again.threshold == model.threshold
    np.testing.assert_allclose(again.w2, model.w2)
