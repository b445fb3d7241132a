import pytest

from lagebild.model import Article, content_id
from lagebild.pipeline import Pipeline
from lagebild.stages.sentences import split_regex

TEXT = (
    "Am 14. Februar 2021 sagte Dr. Müller u.a. Folgendes: „Es wurden keine Vereinbarungen getroffen.“ "
    "Das bestätigte Verteidigungsminister Schoigu.\n\nZweiter Absatz mit S-400-Systemen. Ende!"
)
EXPECTED = [
    "Am 14. Februar 2021 sagte Dr. Müller u.a. Folgendes: „Es wurden keine Vereinbarungen getroffen.“",
    "Das bestätigte Verteidigungsminister Schoigu.",
    "Zweiter Absatz mit S-400-Systemen.",
    "Ende!",
]


@pytest.mark.parametrize("backend", ["somajo", "regex"])
def test_backends_split_german(config, backend):
    cfg = config.with_overrides([f"sentences.backend={backend}"])
    art = Article(id=content_id(TEXT), source="t", source_format="txt", raw_text=TEXT)
    a = Pipeline.from_config(cfg).run(art)
    assert a.sentence_texts() == EXPECTED
    for sent in a.sentences:
        assert all(sent.start <= s < e <= sent.end for s, e in sent.tokens)
    assert [a.clean_text[s:e] for s, e in a.sentences[2].tokens][:3] == ["Zweiter", "Absatz", "mit"]


def test_tokens_can_be_switched_off(config):
    cfg = config.with_overrides(["sentences.tokens=false"])
    a = Pipeline.from_config(cfg).run(Article(id="x", source="t", source_format="txt", raw_text=TEXT))
    assert a.sentences and all(s.tokens == [] for s in a.sentences)


def test_regex_keeps_ordinals_and_abbreviations():
    sents = split_regex("Er kam am 3. März an. Prof. Li sprach ca. 5 Min. lang. Dann ging er.")
    assert len(sents) == 3


def test_a_paragraph_somajo_cannot_align_is_split_by_the_regex_backend():
    # the full-pipeline fuzz: U+0F4D, which NFC expands to two characters, made SoMaJo assert
    from lagebild.config import load_config
    from lagebild.pipeline import Context, registered_stages

    text = "Erster Absatz. Er ist ganz normal.\n\nDer Text \u0f4d endet hier. Zweiter Satz."
    article = Article(id="t", source="t.txt", source_format="txt", raw_text=text)
    article.clean_text, article.language = text, "de"
    done = registered_stages()["sentences"].fn(article, Context(load_config()))
    assert [text[s.start : s.end] for s in done.sentences] == [
        "Erster Absatz.",
        "Er ist ganz normal.",
        "Der Text \u0f4d endet hier.",
        "Zweiter Satz.",
    ]
    assert all(text[a:b].strip() == text[a:b] for s in done.sentences for a, b in s.tokens)
    assert any("regex backend" in n for n in done.notes)
