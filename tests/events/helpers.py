"""Hand-built articles for the event tests: sentences, linked mentions and time expressions by string."""

from __future__ import annotations

from lagebild.model import Article, DateInfo, Mention, Quote, Sentence, TimeExpression


def article(
    sentences: list[str],
    mentions: list[tuple[str, str, str | None]] = (),  # type: ignore[assignment]
    timex: list[tuple[str, str]] = (),  # type: ignore[assignment]
    *,
    language: str = "de",
    published: str | None = "2021-02-14",
    outlet: str | None = "Outlet A",
    title: str | None = None,
    ident: str = "a1",
    quotes: list[tuple[str, str, str | None]] = (),  # type: ignore[assignment]
) -> Article:
    """``mentions``: (surface, label, actor id) found left to right; a surface may carry ``#2`` for its
    second occurrence. ``timex``: (surface, value). ``quotes``: (message, speaker, actor id)."""
    text = " ".join(sentences)
    spans, pos = [], 0
    for s in sentences:
        start = text.index(s, pos)
        spans.append(Sentence(start, start + len(s)))
        pos = start + len(s)

    def find(surface: str) -> int:
        surface, _, nth = surface.partition("#")
        at = -1
        for _ in range(int(nth or 1)):
            at = text.index(surface, at + 1)
        return at

    a = Article(id=ident, source=f"{ident}.txt", source_format="txt", raw_text=text, clean_text=text)
    a.sentences = spans
    a.language = language
    a.outlet = outlet
    a.title = title
    a.published = DateInfo(published, "day", published, "test") if published else None
    for surface, label, actor in mentions:
        start = find(surface)
        plain = surface.partition("#")[0]
        a.mentions.append(Mention(start, start + len(plain), plain, label, actor))
    a.mentions.sort(key=lambda m: m.start)
    for surface, value in timex:
        start = find(surface)
        plain = surface.partition("#")[0]
        a.time_expressions.append(TimeExpression(start, start + len(plain), plain, "DATE", value))
    for message, speaker, actor in quotes:
        start = find(message)
        a.quotes.append(
            Quote("indirect", (start, start + len(message)), message, speaker=speaker, actor_id=actor)
        )
    return a
