"""The web server against hostile input (issue #17, defects 13 and 14): HEAD, odd tokens, long
filter values, formulas in CSV downloads."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lagebild.csv_safe import FORMULA_START
from lagebild.errors import LagebildError
from lagebild.model import Event
from lagebild.store import open_store
from lagebild.web import create_app
from lagebild.web.app import TOKEN_COOKIE, token_cookie
from tests.web.conftest import PUTIN, make

LONG_OUTLET = "Sehr langer Name eines Mediums " * 40  # 1,240 characters
FORMULA_TITLE = '=HYPERLINK("http://evil.example","klick")'
PAGES = ["/", "/search?q=Putin", "/articles/" + f"{1:020x}", "/actors", "/outlets", "/quotes", "/timeline"]
APIS = [
    "/api/overview",
    "/api/search?q=Putin",
    "/api/actors",
    "/api/quotes",
    "/api/speakers",
    "/openapi.json",
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = tmp_path_factory.mktemp("hostile") / "h.db"
    text = "-Putin sagte am Montag in Berlin etwas. =1+1 ist die Antwort."
    articles = [
        make(
            1,
            FORMULA_TITLE,
            text,
            LONG_OUTLET,
            "de",
            "2023-03-20",
            mentions=[("Putin", "PER", PUTIN, 0)],
            quotes=[("=1+1 ist die Antwort", "@Sprecher", None, "direct")],
        ),
        make(2, "+Zweiter", "Putin reist nach Peking. @alle wissen es.", "@Outlet", "de", "2023-03-21"),
    ]
    articles[0].events.append(Event("CONSULT", 0, "=Akteur", "@Ziel", "2023-03-20", place="-Ort"))
    store = open_store(str(db))
    with store.transaction():
        for article in articles:
            store.put(article)
    store.close()
    return TestClient(create_app(db=str(db)))


@pytest.mark.parametrize("url", PAGES + APIS + ["/static/style.css", "/api/quotes/export?format=csv"])
def test_head_is_answered_like_get_without_a_body(client: TestClient, url: str) -> None:
    got = client.get(url)
    head = client.head(url)
    assert got.status_code == head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-security-policy"] == got.headers["content-security-policy"]


def test_other_methods_stay_refused(client: TestClient) -> None:
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        assert client.request(method, "/api/overview").status_code == 405


@pytest.mark.parametrize("token", ["a;b", "mit leerzeichen", 'quote"d', "a,b=c\\d", "äöü-ünïcode"])
def test_tokens_with_separators_work_in_every_place(web_db: Path, token: str) -> None:
    app = create_app(db=str(web_db), token=token)
    with TestClient(app) as c:
        first = c.get("/", params={"token": token})
        assert first.status_code == 200
        cookie = first.headers["set-cookie"]
        assert cookie == token_cookie(token)
        value = cookie.split(";", 1)[0].split("=", 1)[1]
        assert all(ch not in value for ch in ' ;,"\\') and value.isascii()
        assert c.get("/api/overview").status_code == 200  # the cookie carries it back
        c.cookies.clear()
        assert c.get("/api/overview").status_code == 401
        other = 'other=1; broken="x; ' + f"{TOKEN_COOKIE}={value}"
        assert c.get("/api/overview", headers={"Cookie": other}).status_code == 200
        assert c.get("/api/overview", headers={"X-Lagebild-Token": token.encode()}).status_code == 200
        assert c.get("/api/overview", params={"token": token + "x"}).status_code == 401


@pytest.mark.parametrize("token", ["", "   ", "a\nb", "a\tb", "x\x00"])
def test_tokens_no_header_can_carry_are_refused(web_db: Path, token: str) -> None:
    with pytest.raises(LagebildError, match="token"):
        create_app(db=str(web_db), token=token)


def test_long_outlet_names_work_as_filters(hostile: TestClient) -> None:
    params = {"outlet": LONG_OUTLET}
    found = hostile.get("/api/search", params=params)
    assert found.status_code == 200 and found.json()["total"] == 1
    page = hostile.get("/search", params=params)
    assert page.status_code == 200 and "Zweiter" not in page.text
    assert hostile.get("/api/quotes", params=params).json()[0]["speaker"] == "@Sprecher"
    assert hostile.get("/api/timeline", params=params).status_code == 200
    assert hostile.get("/api/search/export", params={**params, "format": "csv"}).status_code == 200
    assert hostile.get("/api/outlets/" + LONG_OUTLET).status_code == 200


@pytest.mark.parametrize("what", ["search", "quotes", "speakers", "actors", "timeline"])
def test_csv_downloads_neutralise_formulas(hostile: TestClient, what: str) -> None:
    got = hostile.get(f"/api/{what}/export", params={"format": "csv"})
    assert got.status_code == 200
    rows = list(csv.reader(io.StringIO(got.text)))
    assert len(rows) >= 2
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), (what, cell)
    if what != "actors":
        assert any(cell.startswith(("'=", "'@", "'+")) for row in rows for cell in row), rows
    # JSONL keeps the data as it is
    jsonl = hostile.get(f"/api/{what}/export", params={"format": "jsonl"}).text
    if what == "search":
        assert FORMULA_TITLE.replace('"', '\\"') in jsonl
