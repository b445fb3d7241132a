"""The JSON API against its own OpenAPI schema.

schemathesis generates requests for every documented operation (valid and edge-case parameters)
and checks each response: no server error, a documented status code and content type, and a body
that validates against the documented schema. A second test validates the responses to hand-picked
requests with jsonschema, so the documented schemas are checked on real data too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lagebild.web import create_app
from tests.web.conftest import PUTIN, XI, build_db

schemathesis = pytest.importorskip("schemathesis")
jsonschema = pytest.importorskip("jsonschema")
from hypothesis import HealthCheck, settings  # noqa: E402

_DB = build_db(Path(__import__("tempfile").mkdtemp(prefix="lagebild-schema-")) / "schema.db")
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(db=str(_DB)))


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: Any) -> None:
    case.call_and_validate()


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict[str, Any]:
    data: dict[str, Any] = client.get("/openapi.json").json()
    return data


def _validate(spec: dict[str, Any], path: str, status: str, body: Any) -> None:
    media = spec["paths"][path]["get"]["responses"][status]["content"]["application/json"]
    # Resolve "#/components/..." references against the whole document.
    resolver_schema = {**media["schema"], "components": spec.get("components", {})}
    jsonschema.validate(body, resolver_schema, cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("/api/overview", "/api/overview"),
        ("/api/search", "/api/search?q=Putin"),
        ("/api/search", "/api/search?actor=Q159&sort=date"),
        ("/api/articles/{article_id}", "/api/articles/00000000000000000001"),
        ("/api/articles/{article_id}", "/api/articles/00000000000000000004"),
        ("/api/articles/{article_id}/edges", "/api/articles/00000000000000000001/edges"),
        ("/api/articles/{article_id}/provenance", "/api/articles/00000000000000000002/provenance"),
        ("/api/actors", "/api/actors"),
        ("/api/actors/{actor_id}", f"/api/actors/{PUTIN}"),
        ("/api/speakers", "/api/speakers"),
        ("/api/quotes", f"/api/quotes?speaker={XI}"),
        ("/api/quotes", "/api/quotes"),
        ("/api/timeline", "/api/timeline"),
        ("/api/outlets", "/api/outlets"),
        ("/api/outlets/{name}", "/api/outlets/Abendpost"),
        ("/api/timeline", f"/api/timeline?actor={PUTIN}&action=CONSULT"),
    ],
)
def test_responses_validate_against_documented_schemas(
    client: TestClient, spec: dict[str, Any], path: str, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200
    _validate(spec, path, "200", response.json())


@pytest.mark.parametrize(
    ("path", "url"),
    [("/api/articles/{article_id}", "/api/articles/nope"), ("/api/actors/{actor_id}", "/api/actors/Q42")],
)
def test_404s_validate_against_documented_schemas(
    client: TestClient, spec: dict[str, Any], path: str, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 404
    _validate(spec, path, "404", response.json())
