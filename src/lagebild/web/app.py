"""The application factory, the per-thread store, security headers and the token check."""

from __future__ import annotations

import hmac
import threading
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote_to_bytes

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lagebild.config import Config, load_config
from lagebild.errors import LagebildError, StoreError
from lagebild.store import Store, open_store
from lagebild.version import __version__

__all__ = ["create_app", "CSP", "TOKEN_COOKIE", "Stores", "check_token", "token_cookie"]

CSP = (
    "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
TOKEN_COOKIE = "lagebild_token"
STATIC = Path(__file__).with_name("static")


class Stores:
    """One read connection per server thread (SQLite connections belong to the thread that opened them)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()

    def get(self) -> Store:
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.path, readonly=True)  # read-only media work too
            self._local.store = store
        return store


class Guard:
    """ASGI middleware: security headers on every response, read-only methods, the token when set."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        set_cookie = False
        if self.token is not None:
            given, from_query = _presented_token(scope)
            if given is None or not hmac.compare_digest(given, self.token.encode()):
                await _plain(scope, send, 401, "a valid token is required (header, ?token= or cookie)")
                return
            set_cookie = from_query
        if scope["method"] not in ("GET", "HEAD"):
            await _plain(scope, send, 405, "lagebild serve is read-only", [(b"allow", b"GET, HEAD")])
            return
        head = scope["method"] == "HEAD"
        if head:
            # Every route answers HEAD as GET without the body (FastAPI routes list GET only).
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    h for h in message.get("headers", []) if h[0].lower() != b"content-security-policy"
                ]
                headers += SECURITY_HEADERS
                if set_cookie and self.token is not None:
                    headers.append((b"set-cookie", token_cookie(self.token).encode()))
                message = {**message, "headers": headers}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def token_cookie(token: str) -> str:
    """The Set-Cookie value carrying ``token``, percent-encoded: a ``;``, space or quote in it would
    end or break the cookie."""
    return f"{TOKEN_COOKIE}={quote(token, safe='')}; Path=/; HttpOnly; SameSite=Strict"


def check_token(token: str) -> str:
    """The token without surrounding blanks; refused when empty or when it holds control characters
    (no header could carry it)."""
    token = token.strip()
    if not token:
        raise LagebildError("the token must not be empty")
    if any(unicodedata.category(ch) == "Cc" for ch in token):
        raise LagebildError("the token must not contain control characters (newline, tab …)")
    return token


def _presented_token(scope: Scope) -> tuple[bytes | None, bool]:
    """The token presented (Authorization/X-Lagebild-Token header, ?token=, cookie) as UTF-8 bytes;
    True if it came from ?token=."""
    headers: dict[str, bytes] = {}
    for key, value in scope.get("headers", []):
        headers.setdefault(key.decode("latin-1").lower(), value)
    auth = headers.get("authorization", b"")
    if auth[:7].lower() == b"bearer ":
        return auth[7:].strip(), False
    if "x-lagebild-token" in headers:
        return headers["x-lagebild-token"].strip(), False
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"), encoding="utf-8", errors="replace")
    if "token" in query:
        return query["token"][0].strip().encode(), True
    # Parsed by hand: other cookies of the same host (any port of localhost) may not be valid
    # for SimpleCookie, which then drops ours too.
    for part in headers.get("cookie", b"").decode("latin-1").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name == TOKEN_COOKIE:
            return unquote_to_bytes(value.strip().strip('"')), False
    return None, False


async def _plain(
    scope: Scope, send: Send, status: int, text: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = text.encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    headers += extra or []
    await send({"type": "http.response.start", "status": status, "headers": headers + SECURITY_HEADERS})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


class _App(FastAPI):
    """FastAPI with :class:`Guard` outside every other layer, so even a 500 page carries the headers."""

    guard_token: str | None = None

    def build_middleware_stack(self) -> ASGIApp:
        return Guard(super().build_middleware_stack(), self.guard_token)


def templates() -> Environment:
    env = Environment(
        loader=PackageLoader("lagebild", "web/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    return env


def create_app(config: Config | None = None, db: str | None = None, *, token: str | None = None) -> FastAPI:
    """The web app over the database ``db`` (default: ``store.path`` of ``config``). Nothing runs at import.

    ``token``: when given, every request must carry it (``Authorization: Bearer``, ``X-Lagebild-Token``,
    ``?token=`` — which sets a cookie — or that cookie).
    """
    config = config or load_config()
    path = db or str(config["store"]["path"])
    if not Path(path).is_file():
        raise StoreError(f"no database at {path} (run `lagebild analyze` first)")
    open_store(
        path, readonly=True
    ).close()  # fail now, not on the first request; creates the search index once
    token = check_token(token) if token is not None else None

    app = _App(
        title="lagebild",
        version=__version__,
        description="The situation picture of a lagebild database, read-only: HTML at /, JSON under /api.",
        docs_url=None,  # the interactive docs load scripts from a CDN; the schema is at /openapi.json
        redoc_url=None,
    )
    app.state.stores = Stores(path)
    app.state.templates = templates()
    app.state.config = config
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    from lagebild.web import api_routes, pages, stories

    app.include_router(api_routes.router)
    app.include_router(stories.api)
    app.include_router(stories.pages)
    app.include_router(pages.router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": jsonable(exc.errors())}, status_code=422)
        return _error(request, 422, "invalid parameters: " + "; ".join(_loc(e) for e in exc.errors()))

    @app.exception_handler(LagebildError)
    async def lagebild_error(request: Request, exc: LagebildError) -> Response:
        return _error(request, 500, str(exc))

    app.guard_token = token
    return app


def _loc(error: Any) -> str:
    return f"{'.'.join(str(p) for p in error.get('loc', ())[1:])}: {error.get('msg', '')}"


def jsonable(errors: Any) -> Any:
    from fastapi.encoders import jsonable_encoder

    return jsonable_encoder(errors, custom_encoder={Exception: str})


def _error(request: Request, status: int, detail: str) -> Response:
    if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
        return JSONResponse({"detail": detail}, status_code=status)
    env: Environment = request.app.state.templates
    html = env.get_template("error.html").render(status=status, detail=detail, request=request)
    return HTMLResponse(html, status_code=status)
