"""Every endpoint of `lagebild serve` through the ASGI test client: data, filters, 404s, headers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lagebild.store import open_store
from lagebild.store.fts import rebuild
from lagebild.store.search import fts_query
from lagebild.store.snippet import snippet
from lagebild.store.sqlite import connection
from lagebild.web import create_app
from lagebild.web.app import CSP
from tests.web.conftest import CHINA, PUTIN, RUSSIA, XI, articles, build_db, make

A1, A2, A3, A4 = (f"{n:020x}" for n in (1, 2, 3, 4))


def ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [h["id"] for h in response.json()["hits"]]


def test_overview_counts_actors_speakers_outlets(client: TestClient) -> None:
    data = client.get("/api/overview").json()
    assert (data["articles"], data["quotes"], data["edges"]) == (4, 4, 2)
    assert data["actors"] == 5  # Putin, Xi, China, Russia and the hostile id; doc: ids are not actors
    top = {a["id"]: a for a in data["key_actors"]}
    assert top[PUTIN]["mentions"] == 4 and top[PUTIN]["articles"] == 3 and top[PUTIN]["quotes"] == 1
    assert top[PUTIN]["name"] == "Wladimir Putin"
    assert {s["key"] for s in data["top_speakers"]} >= {PUTIN, XI, "name:jones"}
    assert {o["value"] for o in data["outlets"]} >= {"Abendpost", "Pacific Observer", "Eurasien-Blick"}
    assert {f["value"]: f["n"] for f in data["languages"]} == {"de": 3, "en": 1}
    assert [m["value"] for m in data["months"]] == ["2021-02", "2023-03"]
    assert [a["id"] for a in data["latest"]] == [A4, A2, A1, A3]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "Putin"}, {A1, A2, A4}),
        ({"q": "gesprache"}, {A1}),  # diacritics folded
        ({"q": "Gespräche Energie"}, {A1}),  # words are AND-ed
        ({"q": '"strategische Partner"'}, {A1}),  # phrase
        ({"q": '"Partner strategische"'}, set()),
        ({"q": "Sankt*"}, {A3}),  # prefix
        ({"q": "Putin", "outlet": "Abendpost"}, {A1}),
        ({"q": "Putin", "language": "en"}, {A2}),
        ({"q": "Putin", "date_from": "2023-03-22"}, {A2, A4}),
        ({"q": "Putin", "date_to": "2023-03-21"}, {A1}),
        ({"date_from": "2023-03", "date_to": "2023-03"}, {A1, A2, A4}),
        ({"actor": RUSSIA}, {A1, A3}),
        ({"actor": CHINA, "language": "de"}, {A1}),
        ({"q": "nichtsdergleichen"}, set()),
        ({"q": '( ) * " : ^ -'}, {A1, A2, A3, A4}),  # FTS syntax is neutralised: no words, no filter
        ({"q": "Putin OR NOT NEAR(x)"}, set()),  # operators are plain words here, not an error
    ],
)
def test_search_filters(client: TestClient, params: dict[str, str], expected: set[str]) -> None:
    assert set(ids(client.get("/api/search", params=params))) == expected


def test_search_order_paging_and_snippet(client: TestClient) -> None:
    assert ids(client.get("/api/search", params={"sort": "date"})) == [A4, A2, A1, A3]
    page = client.get("/api/search", params={"sort": "date", "limit": 2, "offset": 1}).json()
    assert [h["id"] for h in page["hits"]] == [A2, A1] and page["total"] == 4 and not page["capped"]
    hit = client.get("/api/search", params={"q": "Energie"}).json()["hits"][0]
    assert "Energie" in hit["snippet"] and "\x02" not in hit["snippet"]


@pytest.mark.parametrize(
    "params",
    [{"date_from": "21.03.2023"}, {"limit": 0}, {"limit": 501}, {"offset": -1}, {"sort": "random"}],
)
def test_search_rejects_bad_parameters(client: TestClient, params: dict[str, object]) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 422 and "detail" in response.json()


def test_article_record_and_404(client: TestClient) -> None:
    data = client.get(f"/api/articles/{A1}").json()
    assert data["id"] == A1 and data["title"] == "Putin empfängt Xi in Moskau"
    assert data["quotes"][0]["actor_id"] == PUTIN and data["time_expressions"][0]["value"] == "2023-03-21"
    assert data["provenance"][0]["name"] == "RT DE"
    missing = client.get("/api/articles/doesnotexist")
    assert missing.status_code == 404 and missing.json() == {"detail": "no article doesnotexist"}


def test_article_edges(client: TestClient) -> None:
    edges = client.get(f"/api/articles/{A1}/edges").json()
    assert {(e["source_id"], e["kind"]) for e in edges} == {(A2, "translates"), (A4, "reposts")}
    assert client.get(f"/api/articles/{A3}/edges").json() == []
    assert client.get("/api/articles/nope/edges").status_code == 404


def test_article_provenance_chain(client: TestClient) -> None:
    chain = client.get(f"/api/articles/{A2}/provenance").json()
    assert [(c["relation"], c["label"]) for c in chain] == [
        ("start", "Pacific Observer"),
        ("translates", "Abendpost"),
        ("first_published_by", "RT DE"),
    ]
    assert client.get("/api/articles/nope/provenance").status_code == 404
    page = client.get(f"/articles/{A2}").text
    assert "Original source" in page and f'href="/articles/{A1}"' in page
    assert "Original source" not in client.get(f"/articles/{A3}").text  # nothing but the article itself


def test_actors_and_actor_page_data(client: TestClient) -> None:
    listed = client.get("/api/actors").json()
    assert listed[0]["id"] == PUTIN
    assert [a["id"] for a in client.get("/api/actors", params={"limit": 1, "offset": 1}).json()] == [
        listed[1]["id"]
    ]
    data = client.get(f"/api/actors/{PUTIN}").json()
    assert data["actor"]["mentions"] == 4
    assert data["kb"]["names"] == ["Wladimir Putin", "Vladimir Putin"] and data["kb"]["type"] == "person"
    assert data["months"] == [{"value": "2023-03", "n": 4}]
    shared = {c["actor"]["id"]: c["shared_articles"] for c in data["co_actors"]}
    assert shared[XI] == 2 and shared[CHINA] == 2 and shared[RUSSIA] == 1
    assert [q["text"] for q in data["quotes"]] == ["„Wir sind strategische Partner“"]
    assert [a["id"] for a in data["articles"]] == [A4, A2, A1]
    assert client.get("/api/actors/Q42").status_code == 404


def test_outlets(client: TestClient) -> None:
    listed = {o["value"]: o["n"] for o in client.get("/api/outlets").json()}
    assert listed["Abendpost"] == 1 and len(listed) == 4
    data = client.get("/api/outlets/Abendpost").json()
    assert data["articles"] == 1 and data["months"] == [{"value": "2023-03", "n": 1}]
    assert data["key_actors"][0]["id"] == PUTIN and data["key_actors"][0]["mentions"] == 2
    reuse = {(r["kind"], r["source"], r["target"]) for r in data["reuse"]}
    assert ("translates", "Pacific Observer", "Abendpost") in reuse and len(reuse) == 2
    registered = client.get("/api/outlets/RT DE")
    assert registered.status_code == 404  # no articles from it here, though the registry knows it
    assert client.get("/api/outlets/Nobody").status_code == 404
    page = client.get("/outlets/Pacific Observer").text
    assert "Reuse with other outlets" in page and 'href="/outlets/Abendpost"' in page
    assert "Abendpost" in client.get("/outlets").text


def test_speakers_and_quotes(client: TestClient) -> None:
    speakers = {s["key"]: s for s in client.get("/api/speakers").json()}
    assert speakers["name:jones"]["name"] == "Jones" and speakers["name:jones"]["actor_id"] is None
    assert speakers[XI]["name"] == "Xi Jinping"
    every = client.get("/api/quotes").json()
    assert len(every) == 4 and every[0]["article_id"] == A4  # newest first
    by_xi = client.get("/api/quotes", params={"speaker": XI}).json()
    assert [q["text"] for q in by_xi] == ["the partnership opens a new era"]
    assert client.get("/api/quotes", params={"actor": PUTIN}).json()[0]["speaker"] == "Wladimir Putin"
    assert {
        q["article_id"] for q in client.get("/api/quotes", params={"outlet": "Pacific Observer"}).json()
    } == {A2}
    assert client.get("/api/quotes", params={"speaker": "name:nobody"}).json() == []


def test_timeline_merges_reports_across_outlets(client: TestClient) -> None:
    entries = client.get("/api/timeline").json()
    assert [(e["time"], e["action"]) for e in entries] == [
        ("2023-03-21", "CONSULT"),
        ("2023-03-25", "ASSAULT"),
    ]
    consult = entries[0]
    assert (consult["actor_name"], consult["target_name"]) == ("Wladimir Putin", "Xi Jinping")
    assert consult["outlets"] == ["Abendpost", "Pacific Observer"]
    assert [r["article_id"] for r in consult["reports"]] == [A1, A2]
    assert "Xi Jinping in Moskau empfangen" in consult["reports"][0]["sentence"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": XI}, ["CONSULT"]),
        ({"actor": PUTIN}, ["CONSULT", "ASSAULT"]),
        ({"actor": RUSSIA}, []),
        ({"action": "ASSAULT"}, ["ASSAULT"]),
        ({"outlet": "Pacific Observer"}, ["CONSULT"]),
        ({"date_from": "2023-03-22"}, ["ASSAULT"]),
        ({"date_to": "2023-03-21"}, ["CONSULT"]),
        ({"action": "AGREE"}, []),
    ],
)
def test_timeline_filters(client: TestClient, params: dict[str, str], expected: list[str]) -> None:
    assert [e["action"] for e in client.get("/api/timeline", params=params).json()] == expected


@pytest.mark.parametrize(
    ("url", "params", "rows", "column"),
    [
        ("/api/search/export", {"q": "Putin"}, 3, "snippet"),
        ("/api/quotes/export", {"speaker": XI}, 1, "speaker_key"),
        ("/api/actors/export", {}, 5, "mentions"),
        ("/api/speakers/export", {}, 4, "quotes"),
        ("/api/timeline/export", {"actor": PUTIN}, 2, "action"),
    ],
)
def test_downloads(client: TestClient, url: str, params: dict[str, str], rows: int, column: str) -> None:
    as_csv = client.get(url, params={**params, "format": "csv"})
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in as_csv.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(table) == rows and column in table[0]
    as_jsonl = client.get(url, params={**params, "format": "jsonl"})
    assert as_jsonl.headers["content-type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in as_jsonl.text.splitlines()]
    assert len(records) == rows and column in records[0]
    assert client.get(url, params={**params, "format": "xml"}).status_code == 422


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/", "Situation picture"),
        ("/search?q=Putin&outlet=Abendpost", "Putin empfängt Xi in Moskau"),
        ("/search?q=&outlet=&language=&date_from=&date_to=", "4 articles"),
        ("/search?date_from=garbage", "4 articles"),
        (f"/articles/{A1}", "strategische Partner"),
        (f"/articles/{A1}?clutter=true", "Newsletter abonnieren!"),
        ("/actors", "Wladimir Putin"),
        (f"/actors/{PUTIN}", "Mentioned together with"),
        ("/quotes", "Who said what"),
        (f"/quotes?speaker={XI}", "the partnership opens a new era"),
        ("/timeline", "2 events"),
        (
            f"/timeline?actor={XI}&action=CONSULT&date_from=2023",
            "Xi Jinping and Vladimir Putin signed agreements",
        ),
        ("/timeline?action=AGREE", "No events"),
        ("/outlets", "Eurasien-Blick"),
        ("/outlets/Eurasien-Blick", "Neue Sanktionen gegen Russland"),
    ],
)
def test_pages(client: TestClient, url: str, text: str) -> None:
    response = client.get(url)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert text in response.text


@pytest.mark.parametrize(
    "url", ["/articles/nope", "/actors/Q42", "/quotes?speaker=name:nobody", "/no/such/page"]
)
def test_missing_pages_are_html_404s(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404 and "<h1>404" in response.text


@pytest.mark.parametrize(
    "url", ["/", "/api/overview", "/static/style.css", "/nope", "/api/nope", "/openapi.json"]
)
def test_security_headers_on_every_response(client: TestClient, url: str) -> None:
    headers = client.get(url).headers
    assert headers["content-security-policy"] == CSP
    assert "script-src 'none'" in CSP and "unsafe-inline" not in CSP
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_read_only(client: TestClient, method: str) -> None:
    response = client.request(method, "/api/overview")
    assert response.status_code == 405 and response.headers["content-security-policy"] == CSP
    assert response.headers["allow"] == "GET, HEAD"


def test_no_cdn_docs_and_a_schema(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404  # Swagger UI would load scripts from a CDN
    assert "/api/search" in client.get("/openapi.json").json()["paths"]


def test_missing_database_is_an_error(tmp_path: Path) -> None:
    from lagebild.errors import LagebildError

    with pytest.raises(LagebildError, match="no database"):
        create_app(db=str(tmp_path / "missing.db"))


def test_index_follows_writes_and_rebuild_agrees(tmp_path: Path) -> None:
    db = build_db(tmp_path / "w.db")
    with TestClient(create_app(db=str(db))) as c:
        assert ids(c.get("/api/search", params={"q": "Waffenruhe"})) == []
        store = open_store(str(db))
        new = make(
            9,
            "Waffenruhe",
            "Xi Jinping fordert eine Waffenruhe.",
            "Abendpost",
            "de",
            "2024-01-05",
            mentions=[("Xi Jinping", "PER", XI, 0)],
            quotes=[("eine Waffenruhe", "Xi Jinping", XI, "indirect")],
        )
        with store.transaction():
            store.put(new)
        assert ids(c.get("/api/search", params={"q": "Waffenruhe"})) == [new.id]
        assert c.get(f"/api/actors/{XI}").json()["actor"]["quotes"] == 2
        # Reprocessing replaces the article: the index drops the old text and counts.
        changed = make(
            9,
            "Waffenstillstand",
            "Russland lehnt ab.",
            "Abendpost",
            "de",
            "2024-01-05",
            mentions=[("Russland", "LOC", RUSSIA, 0)],
        )
        with store.transaction():
            store.put(changed, replace=True)
        assert ids(c.get("/api/search", params={"q": "Waffenruhe"})) == []
        assert ids(c.get("/api/search", params={"q": "Waffenstillstand"})) == [new.id]
        assert c.get(f"/api/actors/{XI}").json()["actor"]["quotes"] == 1
        before = [
            c.get(url).json() for url in ("/api/overview", f"/api/actors/{XI}", f"/api/actors/{RUSSIA}")
        ]
        assert {a["actor"]["id"]: a["shared_articles"] for a in before[2]["co_actors"]}[XI] == 1
        rebuild(connection(store), str(db))
        store.close()
        assert [
            c.get(url).json() for url in ("/api/overview", f"/api/actors/{XI}", f"/api/actors/{RUSSIA}")
        ] == before


def test_index_is_built_for_an_existing_database(tmp_path: Path) -> None:
    """A database written before the index existed gets it (filled) when it is first opened."""
    db = tmp_path / "old.db"
    store = open_store(str(db))
    with store.transaction():
        for article in articles():
            store.put(article)
    conn = store._db  # type: ignore[attr-defined]
    for name in ("articles_index_ai", "articles_index_ad", "articles_index_au"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DELETE FROM meta WHERE key = 'index_version'")
    conn.execute("DROP TABLE articles_fts")
    store.close()
    with TestClient(create_app(db=str(db))) as c:
        assert set(ids(c.get("/api/search", params={"q": "Putin"}))) == {A1, A2, A4}


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("Putin Xi", '"Putin" AND "Xi"'),
        ('"neue Sanktionen" gegen', '"neue Sanktionen" AND "gegen"'),
        ("Sankt*", '"Sankt"*'),
        ("NATO-Gipfel", '"NATO Gipfel"'),
        ('" ( ) : ^', ""),
        ("", ""),
    ],
)
def test_fts_query(typed: str, query: str) -> None:
    assert fts_query(typed) == query


@pytest.mark.parametrize(
    ("text", "typed", "expected"),
    [
        ("Die Gespräche dauerten.", "gesprache", "Die \x02Gespräche\x03 dauerten."),
        ("Energiepolitik und Energie", "Energ*", "\x02Energiepolitik\x03 und \x02Energie\x03"),
        ("neue Sanktionen, alte Sanktionen", '"alte Sanktionen"', "neue Sanktionen, \x02alte Sanktionen\x03"),
        ("Kein Treffer hier.", "Moskau", "Kein Treffer hier."),
    ],
)
def test_snippets_mark_matches_like_the_index(text: str, typed: str, expected: str) -> None:
    assert snippet(text, fts_query(typed)) == expected


def test_long_snippets_are_cut_around_the_first_match() -> None:
    text = "Anfang " + "Füllwort " * 100 + "Moskau reagiert. " + "Ende " * 100
    cut = snippet(text, fts_query("Moskau"), width=120)
    assert cut.startswith("…") and cut.endswith("…") and "\x02Moskau\x03" in cut and len(cut) < 130


def test_very_common_words_rank_the_newest_matches(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lagebild.store import search

    monkeypatch.setattr(search, "COUNT_CAP", 2)
    page = client.get("/api/search", params={"q": "Putin"}).json()
    assert page["capped"] and page["total"] == 2
    assert {h["id"] for h in page["hits"]} == {A2, A4}  # the two most recently stored of three matches
    assert len(ids(client.get("/api/search", params={"q": "Putin", "sort": "date"}))) == 3
    assert "most recently stored" in client.get("/search", params={"q": "Putin"}).text
