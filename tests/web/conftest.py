"""A small hand-made database for the web tests: articles written through the Store, no NLP run.

Four articles: two on Putin and Xi (German and English, with linked mentions, quotes, a time
expression, an event, removed clutter and a provenance note), one older German article, and a
hostile one whose title, text, outlet, speaker and URL carry script payloads.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from lagebild.model import (  # noqa: E402
    Article,
    DateInfo,
    Event,
    Mention,
    Provenance,
    Quote,
    RemovedSpan,
    Sentence,
    TimeExpression,
)
from lagebild.store import Edge, Story, open_store  # noqa: E402
from lagebild.web import create_app  # noqa: E402

PUTIN, XI, CHINA, RUSSIA = "Q7747", "Q15031", "Q148", "Q159"

# Each payload sets window.__xss (and the title to PWNED) if it ever runs.
XSS = "<script>window.__xss=1;document.title='PWNED'</script>"
XSS_IMG = '<img src=x onerror="window.__xss=1">'
XSS_LINK = '<a href="javascript:window.__xss=1">klick</a>'
EVIL_ACTOR = "javascript:window.__xss=1"
HOSTILE_TITLE = f"Böse {XSS}{XSS_IMG}"
HOSTILE_OUTLET = f"Evil{XSS_IMG} News"
HOSTILE_TEXT = (
    f"Putin sagte {XSS} am Montag in Berlin. {XSS_LINK} Der Sprecher {XSS_IMG} meinte: "
    f"„Alles ist gut{XSS}“.\n\njavascript:alert(1) und <svg onload=alert(1)> bleiben Text."
)


def _span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def _sentences(text: str) -> list[Sentence]:
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in ".!?" and (i + 1 == len(text) or text[i + 1] in " \n"):
            out.append(Sentence(start, i + 1))
            start = i + 2
    return out


def make(
    n: int,
    title: str,
    text: str,
    outlet: str,
    language: str,
    date: str | None,
    mentions: list[tuple[str, str, str | None, int]] = (),  # type: ignore[assignment]
    quotes: list[tuple[str, str, str | None, str]] = (),  # type: ignore[assignment]
    url: str | None = None,
) -> Article:
    raw = f"Startseite > Politik\n\n{text}\n\nNewsletter abonnieren!"
    article = Article(
        id=f"{n:020x}",
        source=f"test/{n}.txt",
        source_format="txt",
        raw_text=raw,
        clean_text=text,
        title=title,
        outlet=outlet,
        language=language,
        url=url,
        published=DateInfo(date, "day", date, "text") if date else None,
        removed=[
            RemovedSpan(0, 20, "Startseite > Politik", "navigation", "crumbs"),
            RemovedSpan(len(raw) - 22, len(raw), "Newsletter abonnieren!", "newsletter", "newsletter"),
        ],
        sentences=_sentences(text),
    )
    for surface, label, actor, nth in mentions:
        s, e = _span(text, surface, nth)
        article.mentions.append(Mention(s, e, surface, label, actor))
    for message, speaker, actor, kind in quotes:
        s, e = _span(text, message)
        sp = _span(text, speaker) if speaker in text else None
        article.quotes.append(
            Quote(
                kind,
                (s, e),
                message,
                "Direct",
                speaker,
                sp,
                speaker,
                actor,
                [actor] if actor else [],
                "mention",
                "sagte",
            )
        )
    return article


def articles() -> list[Article]:
    t1 = (
        "Der russische Präsident Putin hat am Dienstag Xi Jinping in Moskau empfangen. "
        "„Wir sind strategische Partner“, sagte Putin. China und Russland wollen enger zusammenarbeiten.\n\n"
        "Die Gespräche über Energie dauerten zwei Tage."
    )
    a1 = make(
        1,
        "Putin empfängt Xi in Moskau",
        t1,
        "Abendpost",
        "de",
        "2023-03-21",
        mentions=[
            ("Putin", "PER", PUTIN, 0),
            ("Xi Jinping", "PER", XI, 0),
            ("Putin", "PER", PUTIN, 1),
            ("China", "LOC", CHINA, 0),
            ("Russland", "LOC", RUSSIA, 0),
        ],
        quotes=[("„Wir sind strategische Partner“", "Putin", PUTIN, "direct")],
    )
    a1.time_expressions.append(TimeExpression(*_span(t1, "am Dienstag"), "am Dienstag", "DATE", "2023-03-21"))
    a1.events.append(Event("CONSULT", 0, PUTIN, XI, "2023-03-21", mode="visit", trigger="empfangen"))
    a1.provenance.append(Provenance("first_published", "RT DE", "Dieser Beitrag erschien zuerst auf RT DE"))
    t2 = (
        "Xi Jinping and Vladimir Putin signed agreements in Moscow. Xi said the partnership opens "
        "a new era. An analyst, Jones, said the deal favours China."
    )
    a2 = make(
        2,
        "Xi and Putin sign energy agreements",
        t2,
        "Pacific Observer",
        "en",
        "2023-03-22",
        mentions=[
            ("Xi Jinping", "PER", XI, 0),
            ("Vladimir Putin", "PER", PUTIN, 0),
            ("China", "LOC", CHINA, 0),
        ],
        quotes=[
            ("the partnership opens a new era", "Xi", XI, "indirect"),
            ("the deal favours China", "Jones", None, "indirect"),
        ],
    )
    a2.events.append(Event("CONSULT", 0, XI, PUTIN, "2023-03", mode="visit", trigger="signed"))
    t3 = "Die Europäische Union beschließt neue Sanktionen gegen Russland. Moskau kündigt Gegenmaßnahmen an."
    a3 = make(
        3,
        "Neue Sanktionen gegen Russland",
        t3,
        "Eurasien-Blick",
        "de",
        "2021-02-14",
        mentions=[("Russland", "LOC", RUSSIA, 0)],
    )
    a4 = make(
        4,
        HOSTILE_TITLE,
        HOSTILE_TEXT,
        HOSTILE_OUTLET,
        "de",
        "2023-03-25",
        mentions=[("Putin", "PER", PUTIN, 0), ("Berlin", "LOC", EVIL_ACTOR, 0)],
        quotes=[(f"„Alles ist gut{XSS}“", f"Der Sprecher {XSS_IMG}", None, "direct")],
        url=EVIL_ACTOR,
    )
    a4.provenance.append(
        Provenance("source", f"Quelle{XSS_IMG}", f"Quelle: {XSS}", url="javascript:alert(1)")
    )
    a4.events.append(
        Event(
            "ASSAULT",
            0,
            EVIL_ACTOR,
            PUTIN,
            "2023-03-25",
            place=XSS,
            trigger="sagte",
            reported=True,
            source=XSS_IMG,
        )
    )
    return [a1, a2, a3, a4]


STORY_ID = "story-0123456789abcdef"


def build_db(path: Path) -> Path:
    store = open_store(str(path))
    with store.transaction():
        for article in articles():
            store.put(article)
    store.put_edges(
        [
            Edge(f"{2:020x}", f"{1:020x}", "translates", 0.87, "test", {"note": XSS}),
            Edge(f"{4:020x}", f"{1:020x}", "reposts", 0.55, "test", {}),
        ]
    )
    members = [f"{1:020x}", f"{2:020x}", f"{4:020x}"]
    store.put_stories(
        [
            Story(
                STORY_ID,
                f"Putin, Xi {XSS}",
                members,
                "2023-03-21",
                "2023-03-25",
                ["Abendpost", HOSTILE_OUTLET, "Pacific Observer"],
                ["de", "en"],
                0.93,
                {"keywords": [XSS_IMG]},
            )
        ]
    )
    store.close()
    return path


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("web") / "web.db")


@pytest.fixture(scope="session")
def client(web_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db=str(web_db))) as c:
        yield c
