from lagebild.text.blocks import split_blocks


def test_blocks_keep_offsets_and_paragraph_breaks():
    raw = "  Titel \n\nErster Absatz\nZeile zwei\n\n\n  Dritter  "
    blocks = split_blocks(raw)
    assert [b.text for b in blocks] == ["Titel", "Erster Absatz", "Zeile zwei", "Dritter"]
    assert all(raw[b.start : b.end] == b.text for b in blocks)
    assert [b.blank_before for b in blocks] == [True, True, False, True]


def test_merge_removed_adds_exactly_the_spans_that_overlap_nothing_taken():
    """The bisection over taken intervals gives what checking every taken span gives."""
    import random

    from lagebild.model import Article, RemovedSpan
    from lagebild.text.blocks import merge_removed

    def naive(taken: list[tuple[int, int]], spans: list[RemovedSpan]) -> list[tuple[int, int]]:
        out = list(taken)
        for s in spans:
            if not any(a < s.end and s.start < b for a, b in out):
                out.append((s.start, s.end))
        return sorted(out)

    rng = random.Random(1)
    for _ in range(3000):

        def spans(n: int) -> list[RemovedSpan]:
            starts = [rng.randint(0, 30) for _ in range(n)]
            return [RemovedSpan(a, a + rng.choice([0, 1, 2, 3, 5, 8]), "x", "r", "") for a in starts]

        first, more = spans(rng.randint(0, 5)), spans(rng.randint(0, 8))
        article = Article(id="a", source="s", source_format="txt", raw_text="x" * 40, removed=list(first))
        merge_removed(article, more)
        assert sorted((r.start, r.end) for r in article.removed) == naive(
            [(r.start, r.end) for r in first], more
        )


def test_clean_text_cuts_removed_spans_inside_and_across_blocks():
    from lagebild.model import Article, RemovedSpan
    from lagebild.text.blocks import build_clean_text

    raw = "Erster Absatz [Anzeige] geht weiter.\n\nMenü\n\nZweiter Absatz."
    cut = raw.index("[Anzeige]")
    menu = raw.index("Menü")
    article = Article(
        id="a",
        source="s",
        source_format="txt",
        raw_text=raw,
        removed=[
            RemovedSpan(cut, cut + 9, "[Anzeige]", "ad", ""),
            RemovedSpan(menu, menu + 4, "Menü", "nav", ""),
        ],
    )
    assert build_clean_text(article) == "Erster Absatz geht weiter.\n\nZweiter Absatz."
