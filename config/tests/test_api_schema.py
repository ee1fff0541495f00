"""The OpenAPI schema of ``/api/v1/``: served to anyone, valid, and honest about errors.

Other systems are written against this document alone, so it must say every answer an
operation can give: 401 and 403 everywhere, 400 for writes and for lists (a bad filter or
page size), 404 for one record and for a page that does not exist, 412 and 428 wherever an
``If-Match`` is needed. ``test_api_fuzz`` then checks that the answers keep to it.
"""

from __future__ import annotations

import json

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

SCHEMA = "/api/v1/schema/"
WRITES = {"post", "put", "patch", "delete"}
# Writes that take input (a body, or a workflow step such as issue) can break a rule: 400.
# Deleting a record takes none; the refusals of a delete are documented where it has any.
WITH_INPUT = {"post", "put", "patch"}
ERROR = {"$ref": "#/components/schemas/Error"}


# Read once, when the tests are collected: the schema needs no database.
DOCUMENT: dict = json.loads(APIClient().get(SCHEMA, {"format": "json"}).content)
OPERATIONS = [
    (method, path, operation)
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
    if method in {"get", *WRITES}
]


def label(method: str, path: str) -> str:
    return f"{method.upper()} {path}"


IDS = [label(method, path) for method, path, _ in OPERATIONS]


def test_schema_is_served_to_anyone_as_openapi_3_yaml():
    response = APIClient().get(SCHEMA)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    served = yaml.safe_load(response.content)
    assert served["openapi"].startswith("3.")
    assert served["info"]["title"] == "Cadre rotation records API"


def test_schema_is_served_as_json_with_format_json():
    response = APIClient().get(SCHEMA, {"format": "json"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    served = json.loads(response.content)
    assert served["openapi"].startswith("3.")
    for path in (
        "/api/v1/units/",
        "/api/v1/units/{id}/holders/",
        "/api/v1/cadres/",
        "/api/v1/decisions/{id}/issue/",
        "/api/v1/assignments/",
        "/api/v1/reports/non-local/",
    ):
        assert path in served["paths"], path


def test_schema_passes_drf_spectacular_validation_without_warnings(tmp_path):
    # --validate checks the document against the OpenAPI 3 JSON schema; --fail-on-warn
    # turns any warning (an unresolvable type, an enum name clash) into a failure.
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert yaml.safe_load(target.read_text())["paths"]


def test_docs_render_with_swagger_ui():
    response = APIClient().get("/api/v1/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "swagger-ui" in page
    # Swagger UI's files come from this site, and its start-up script (which names the
    # schema) is a file of its own, so that the Content Security Policy needs no inline script.
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "<script>" not in page
    script = APIClient().get("/api/v1/docs/", {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert SCHEMA in script.content.decode()


def test_error_shape_is_detail_code_and_errors_by_field():
    error = DOCUMENT["components"]["schemas"]["Error"]

    assert set(error["required"]) == {"detail", "code"}
    assert error["properties"]["errors"] == {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    }


def test_operation_ids_are_unique_and_every_operation_has_a_summary():
    ids = [operation["operationId"] for _, _, operation in OPERATIONS]

    assert len(ids) == len(set(ids))
    assert not [label(m, p) for m, p, operation in OPERATIONS if not operation.get("summary")]


def test_no_operation_is_described_by_a_mixin_docstring():
    # drf-spectacular falls back on the docstring of the first class of the view that has
    # one: a viewset without its own would describe itself as "Viewset mixin: …".
    assert not [
        label(m, p)
        for m, p, operation in OPERATIONS
        if "mixin" in operation.get("description", "").lower()
    ]


def documented(operation: dict) -> set[int]:
    return {int(status) for status in operation["responses"]}


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_every_operation_documents_its_errors_in_the_error_shape(method, path, operation):
    statuses = documented(operation)
    is_list = method == "get" and any(
        parameter["name"] in ("page", "cursor") for parameter in operation.get("parameters", [])
    )
    has_if_match = any(
        parameter["in"] == "header" and parameter["name"] == "If-Match"
        for parameter in operation.get("parameters", [])
    )

    expected = {401, 403}
    if method in WITH_INPUT:
        expected.add(400)  # invalid input, or a rule of the records broken
    if "{" in path:
        expected.add(404)  # no such record
    if is_list:
        expected |= {400, 404}  # a bad filter or page size; a page that does not exist
    if has_if_match:
        expected |= {412, 428}  # a stale ETag; none at all
    assert expected <= statuses, f"missing {sorted(expected - statuses)}"
    if 412 in statuses or 428 in statuses:
        assert has_if_match, "412/428 documented without an If-Match parameter"
    for status in statuses:
        if status >= 400:
            schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
            assert schema == ERROR, status


def test_operations_that_change_a_decision_or_a_cadre_need_if_match():
    needing = {
        f"{method.upper()} {path}"
        for method, path, operation in OPERATIONS
        if any(p["name"] == "If-Match" for p in operation.get("parameters", []))
    }

    assert {
        "PUT /api/v1/decisions/{id}/",
        "PATCH /api/v1/decisions/{id}/",
        "DELETE /api/v1/decisions/{id}/",
        "POST /api/v1/decisions/{id}/issue/",
        "POST /api/v1/decisions/{id}/cancel/",
        "POST /api/v1/decisions/{id}/movements/",
        "POST /api/v1/decisions/{id}/returns/",
        "PATCH /api/v1/movements/{id}/",
        "DELETE /api/v1/movements/{id}/",
        "PUT /api/v1/cadres/{id}/",
        "PATCH /api/v1/cadres/{id}/",
    } <= needing


def test_answers_about_a_decision_or_a_cadre_document_their_etag():
    # What a client reads the ETag from, for its next If-Match.
    carrying = {
        f"{method.upper()} {path} {status}"
        for method, path, operation in OPERATIONS
        for status, response in operation["responses"].items()
        if response.get("headers", {}).get("ETag", {}).get("required")
    }

    assert {
        "GET /api/v1/decisions/{id}/ 200",
        "POST /api/v1/decisions/ 201",
        "POST /api/v1/decisions/{id}/issue/ 200",
        "POST /api/v1/decisions/{id}/movements/ 201",
        "PATCH /api/v1/decisions/{id}/ 200",
        "GET /api/v1/cadres/{id}/ 200",
        "POST /api/v1/cadres/ 201",
        "PATCH /api/v1/cadres/{id}/ 200",
    } <= carrying
    # Every operation that needs If-Match answers the new ETag (a delete answers nothing).
    for method, path, operation in OPERATIONS:
        if any(p["name"] == "If-Match" for p in operation.get("parameters", [])):
            success = [s for s in operation["responses"] if s.startswith("2")]
            assert success == ["204"] or all(
                "ETag" in operation["responses"][s].get("headers", {}) for s in success
            ), label(method, path)


def test_token_authentication_is_declared():
    schemes = DOCUMENT["components"]["securitySchemes"]

    assert schemes["tokenAuth"]["in"] == "header"
    assert schemes["tokenAuth"]["name"] == "Authorization"
