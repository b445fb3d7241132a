import pytest

from lagebild.text.markdown import markdown_to_text


@pytest.mark.parametrize(
    ("md", "text"),
    [
        ("# RUSSTRAT: CHINA", "RUSSTRAT: CHINA"),
        ("*Posted on 14. Februar 2021*", "Posted on 14. Februar 2021"),
        ("Von **Rainer Rupp**.", "Von Rainer Rupp."),
        ("Nach einer [Analyse \\(hier auf Russisch\\)](#) vom", "Nach einer Analyse (hier auf Russisch) vom"),
        ("Link: <https://kenfm.de/app/>", "Link: https://kenfm.de/app/"),
        ('Länder *"sehr ähnliche Ziele"* sei', 'Länder "sehr ähnliche Ziele" sei'),
        ("> Zitat im Block", "Zitat im Block"),
        ("- Punkt eins", "Punkt eins"),
        ("3 * 4 = 12", "3 * 4 = 12"),
        ("snake_case_name bleibt", "snake_case_name bleibt"),
        ("![Bild](x.png) Text", "Bild Text"),
        # A gender star is not an emphasis mark (issue #16): plain text that is not Markdown.
        ("Rechte für inter* Personen stärken", "Rechte für inter* Personen stärken"),
        ("Lehrer*innen und Schüler*innen", "Lehrer*innen und Schüler*innen"),
        ("Ende einer Hervorhebung.*", "Ende einer Hervorhebung."),
    ],
)
def test_markdown_to_text(md, text):
    assert markdown_to_text(md) == text


def test_lines_without_markup_take_the_short_way_to_the_same_text() -> None:
    import random
    import re

    from lagebild.text.markdown import _SUBS

    def full(text: str) -> str:
        for pattern, repl in _SUBS:
            text = pattern.sub(repl, text)
        return re.sub(r"[ \t]+", " ", text).strip()

    rng = random.Random(5)
    pool = list("abcXYZäöü 0123.,;:!?()„“\"'-–/|·\t") + ["  ", " - "]
    for _ in range(2000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
        assert markdown_to_text(text) == full(text), text
