"""`lagebild serve` on a team server: a token on every request; never exposed without one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from lagebild.cli import app as cli
from lagebild.errors import LagebildError
from lagebild.web import create_app
from lagebild.web.app import CSP, TOKEN_COOKIE

TOKEN = "s3cret-token"
URLS = ["/", "/search?q=Putin", "/api/overview", "/api/search?q=Putin", "/static/style.css", "/openapi.json"]


@pytest.fixture(scope="module")
def guarded(web_db: Path) -> TestClient:
    return TestClient(create_app(db=str(web_db), token=TOKEN))


@pytest.mark.parametrize("url", URLS)
def test_every_request_needs_the_token(guarded: TestClient, url: str) -> None:
    guarded.cookies.clear()
    refused = guarded.get(url)
    assert refused.status_code == 401 and refused.headers["content-security-policy"] == CSP
    assert "Putin" not in refused.text
    assert guarded.get(url, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert guarded.get(url, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert guarded.get(url, headers={"X-Lagebild-Token": TOKEN}).status_code == 200


def test_query_token_sets_a_cookie_for_the_next_requests(guarded: TestClient) -> None:
    guarded.cookies.clear()
    first = guarded.get("/", params={"token": TOKEN})
    assert first.status_code == 200
    cookie = first.headers["set-cookie"]
    assert cookie.startswith(f"{TOKEN_COOKIE}=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert guarded.get("/api/overview").status_code == 200  # the client sends the cookie now
    guarded.cookies.clear()
    assert guarded.get("/api/overview").status_code == 401
    assert guarded.get("/", params={"token": "nope"}).status_code == 401
    assert guarded.get("/", headers={"Cookie": f"{TOKEN_COOKIE}=nope"}).status_code == 401
    assert guarded.get("/", headers={"Cookie": 'garbage="'}).status_code == 401


def test_empty_token_is_refused(web_db: Path) -> None:
    with pytest.raises(LagebildError):
        create_app(db=str(web_db), token="  ")


class FakeUvicorn:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def run(self, app: Any, host: str, port: int, log_level: str) -> None:
        self.calls.append({"app": app, "host": host, "port": port})


@pytest.fixture
def fake_uvicorn(monkeypatch: pytest.MonkeyPatch) -> FakeUvicorn:
    import uvicorn

    fake = FakeUvicorn()
    monkeypatch.setattr(uvicorn, "run", fake.run)
    monkeypatch.delenv("LAGEBILD_TOKEN", raising=False)
    return fake


def test_cli_refuses_a_public_host_without_token(web_db: Path, fake_uvicorn: FakeUvicorn) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(web_db), "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "--token" in result.output
    assert fake_uvicorn.calls == []


def test_cli_binds_localhost_by_default(web_db: Path, fake_uvicorn: FakeUvicorn) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(web_db), "--port", "8123"])
    assert result.exit_code == 0, result.output
    (call,) = fake_uvicorn.calls
    assert (call["host"], call["port"]) == ("127.0.0.1", 8123)
    assert TestClient(call["app"]).get("/api/overview").status_code == 200  # no token needed locally


@pytest.mark.parametrize("how", ["option", "env"])
def test_cli_public_host_with_token_checks_it(
    web_db: Path, fake_uvicorn: FakeUvicorn, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    args = ["serve", "--db", str(web_db), "--host", "0.0.0.0"]
    if how == "option":
        args += ["--token", TOKEN]
    else:
        monkeypatch.setenv("LAGEBILD_TOKEN", TOKEN)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    (call,) = fake_uvicorn.calls
    assert call["host"] == "0.0.0.0"
    client = TestClient(call["app"])
    assert client.get("/api/overview").status_code == 401
    assert client.get("/api/overview", headers={"X-Lagebild-Token": TOKEN}).status_code == 200


def test_cli_missing_database(tmp_path: Path, fake_uvicorn: FakeUvicorn) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "no database" in result.output
    assert not (tmp_path / "none.db").exists()
