"""Every construction of the rule-based extractor, in German and English, through the real pipeline."""

from __future__ import annotations

import pytest

from lagebild import api
from lagebild.config import load_config
from lagebild.model import Quote

STAGES = 'pipeline.stages=["language","clean","metadata","sentences","quotes"]'


def quotes(text: str) -> list[Quote]:
    config = load_config(overrides=[STAGES, 'quotes.method="rules"'])
    return api.analyze_text(text, config).quotes


def one(text: str) -> Quote:
    found = quotes(text)
    assert len(found) == 1, [(q.form, q.text) for q in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "„Wir liefern keine Waffen an Taiwan“, sagte der Sprecher am Montag.",
            "„Wir liefern keine Waffen an Taiwan“",
        ),
        (
            '"Wir liefern keine Waffen an Taiwan", sagte der Sprecher am Montag.',
            '"Wir liefern keine Waffen an Taiwan"',
        ),
        (
            "»Wir liefern keine Waffen an Taiwan«, sagte der Sprecher am Montag.",
            "»Wir liefern keine Waffen an Taiwan«",
        ),
        (
            "«Wir liefern keine Waffen an Taiwan», sagte der Sprecher am Montag.",
            "«Wir liefern keine Waffen an Taiwan»",
        ),
        (
            "‚Wir liefern keine Waffen an Taiwan‘, sagte der Sprecher am Montag.",
            "‚Wir liefern keine Waffen an Taiwan‘",
        ),
        (
            "'We deliver no weapons to Taiwan,' the spokesman said on Monday.",
            "'We deliver no weapons to Taiwan,'",
        ),
        (
            "“We deliver no weapons to Taiwan,” the spokesman said on Monday.",
            "“We deliver no weapons to Taiwan,”",
        ),
    ],
)
def test_direct_quote_in_every_kind_of_mark(text: str, message: str):
    q = one(text)
    assert (q.kind, q.form, q.text) == ("direct", "Direct", message)
    assert q.speaker in {"der Sprecher", "the spokesman"}
    assert q.cue in {"sagte", "said"}


def test_quote_spanning_sentences_and_paragraphs_after_a_colon():
    text = (
        "Wassili Kaschin vom russischen Institut für Orientalistik sagte:\n\n"
        "„Es wurden keine wichtigen Vereinbarungen getroffen. Ich denke, es fand ein Meinungsaustausch statt.“"
    )
    q = one(text)
    assert q.form == "Direct"
    assert q.text.startswith("„Es wurden") and q.text.endswith("statt.“")
    assert q.speaker == "Wassili Kaschin vom russischen Institut für Orientalistik"
    assert q.sentences[1] > q.sentences[0]


def test_english_block_quote_after_colon():
    q = one('The minister told reporters: "This is a disaster for everyone involved."')
    assert (q.form, q.speaker, q.cue) == ("Direct", "The minister", "told")


def test_quote_interrupted_by_its_attribution():
    q = one("„Es wurden“, sagte er, „nicht unbedingt wichtige Vereinbarungen getroffen.“")
    assert q.text == "„Es wurden“ … „nicht unbedingt wichtige Vereinbarungen getroffen.“"
    assert (q.speaker, q.cue) == ("er", "sagte")
    q = one('"We will not," he said, "give in to pressure from anyone."')
    assert q.text == '"We will not," … "give in to pressure from anyone."'
    assert (q.speaker, q.cue) == ("he", "said")


def test_quote_after_an_attribution_that_ends_its_sentence_is_a_statement_of_its_own():
    found = quotes("„Wir bleiben hart“, so der Sprecher. „Das ist unsere letzte Antwort an Moskau.“")
    assert [q.text for q in found] == ["„Wir bleiben hart“", "„Das ist unsere letzte Antwort an Moskau.“"]
    assert [q.speaker for q in found] == ["der Sprecher", "der Sprecher"]


def test_passive_attribution_ends_the_speaker_at_the_auxiliary():
    q = one(
        "Der GdP-Vorsitzende Konrad Freiberg wird in einer Presseerklärung mit den Worten zitiert: „Was wir brauchen, ist mehr Personal.“"
    )
    assert (q.speaker, q.cue) == ("Der GdP-Vorsitzende Konrad Freiberg", "zitiert")


@pytest.mark.parametrize("method", ["rules", "tagger"])
def test_a_cited_quote_is_the_cited_persons_passed_on_by_the_one_citing(method):
    config = load_config(overrides=[STAGES, f'quotes.method="{method}"'])
    text = "Die Frankfurter Rundschau zitiert einen Augenzeugen mit den Worten: „Der Mann hat einen Fußgänger angefahren.“"
    (q,) = api.analyze_text(text, config).quotes
    assert (q.speaker, q.reported_by) == ("einen Augenzeugen", "Die Frankfurter Rundschau")


def test_quote_inside_markdown_emphasis():
    q = one("*„Wir liefern keine Waffen an Taiwan“*, sagte der Sprecher.")
    assert q.text == "„Wir liefern keine Waffen an Taiwan“"
    assert q.speaker == "der Sprecher"


def test_short_quoted_titles_are_not_statements():
    assert quotes("Die Zeitung „Nesawissimaja Gaseta“ berichtete über die „rote Linie“ nicht.") == []


@pytest.mark.parametrize(
    ("text", "message", "speaker", "cue"),
    [
        (
            "Der Minister sagte am Montag, dass Russland Waffen geliefert habe.",
            "dass Russland Waffen geliefert habe",
            "Der Minister",
            "sagte",
        ),
        (
            "Die Ministerin fragte, ob Russland Waffen geliefert habe.",
            "ob Russland Waffen geliefert habe",
            "Die Ministerin",
            "fragte",
        ),
        (
            "Der Botschafter erklärte, warum die Gespräche gescheitert seien.",
            "warum die Gespräche gescheitert seien",
            "Der Botschafter",
            "erklärte",
        ),
        (
            "Der Sprecher sagte, Russland habe keine Waffen geliefert.",
            "Russland habe keine Waffen geliefert",
            "Der Sprecher",
            "sagte",
        ),
        (
            "Auf diesem Gebiet sei der Trend offensichtlich, sagte Experte Kaschin.",
            "Auf diesem Gebiet sei der Trend offensichtlich",
            "Experte Kaschin",
            "sagte",
        ),
        ("The minister said that the talks had failed.", "that the talks had failed", "The minister", "said"),
        ("The talks had failed, the minister said.", "The talks had failed", "the minister", "said"),
    ],
)
def test_speech_verb_with_clause(text: str, message: str, speaker: str, cue: str):
    q = one(text)
    assert (q.kind, q.text, q.speaker, q.cue) == ("indirect", message, speaker, cue)


@pytest.mark.parametrize(
    ("text", "message", "speaker", "cue"),
    [
        (
            "Laut Experten hängt die Wirtschaft von den USA ab.",
            "hängt die Wirtschaft von den USA ab",
            "Experten",
            "Laut",
        ),
        (
            "Der Unfall kostete der Polizei zufolge 40 Menschen das Leben.",
            "Der Unfall kostete der Polizei zufolge 40 Menschen das Leben",
            "der Polizei",
            "zufolge",
        ),
        (
            "Nach Angaben von TASS wurden zwei Abkommen unterzeichnet.",
            "wurden zwei Abkommen unterzeichnet",
            "TASS",
            "Nach Angaben von",
        ),
        (
            "Russland habe die Lieferungen bestätigt, so Experte Kaschin.",
            "Russland habe die Lieferungen bestätigt",
            "Experte Kaschin",
            "so",
        ),
        (
            "Wie das Ministerium mitteilte, seien weitere Treffen geplant.",
            "seien weitere Treffen geplant",
            "das Ministerium",
            "mitteilte",
        ),
        ("According to Reuters, the talks failed.", "the talks failed", "Reuters", "According to"),
        (
            "Die Erklärung des Außenministeriums, dass keine Waffen geliefert würden, überraschte.",
            "dass keine Waffen geliefert würden",
            "des Außenministeriums",
            "Erklärung",
        ),
        (
            "The warning of the ministry that sanctions would follow was ignored.",
            "that sanctions would follow was ignored",
            "the ministry",
            "warning",
        ),
    ],
)
def test_reported_speech_phrases_and_verbal_nouns(text: str, message: str, speaker: str, cue: str):
    q = one(text)
    assert (q.text, q.speaker, q.cue) == (message, speaker, cue)


def test_konjunktiv_continues_the_previous_source():
    found = quotes(
        "Der Minister sagte am Montag, dass Russland Waffen geliefert habe. "
        "Das sei ein großer Erfolg gewesen. Die Börse schloss fester."
    )
    assert [q.form for q in found] == ["Indirect", "IndirectFreeIndirect"]
    assert found[1].text == "Das sei ein großer Erfolg gewesen."
    assert found[1].speaker == "Der Minister"


def test_joint_speakers_and_nested_reporter():
    q = one("Xi und Putin erklärten, dass sie die Zusammenarbeit ausbauen wollen.")
    assert q.speaker == "Xi und Putin"
    q = one("Laut CCTV lobte Xi Jinping die gute Entwicklungsdynamik der Beziehungen.")
    assert (q.speaker, q.reported_by, q.cue) == ("Xi Jinping", "CCTV", "lobte")


def test_an_empty_pair_of_quotation_marks_is_no_quote():
    config = load_config(overrides=[STAGES])  # the tagger path (German default)
    assert api.analyze_text("„“ sagte er. Dann ging er.", config).quotes == []
