"""The whole REST API under Schemathesis, inside the suite: no 5xx, every answer as documented.

Two parts, both over every operation of ``/api/v1/schema/``, against the WSGI application
(no server), authenticated with the token of an HR staff user, on a small district with
cadres, posts held, an issued rotation, a draft and a locality override:

- ``test_api_conforms_to_its_schema``: Schemathesis's generated requests (coverage and
  fuzzing phases, valid and invalid data) with a fixed seed, at most ``MAX_EXAMPLES``
  fuzzed per operation, no example database, and the ``NASTY`` dictionary mixed into
  strings and integers. Valid requests are pointed at the district's records (see
  ``District.point_at_records``), invalid ones are sent as generated. Every built-in check
  applies (no 5xx, documented status, content type, headers and body, invalid data
  refused, authentication not ignored, …) except ``positive_data_acceptance`` (see
  ``CONFIG``).
- ``test_nasty_value_sweep``: deterministic; each ``NASTY`` value and each wrong type in
  each parameter and each body property of each operation in turn (and in each property
  of a decision's line), the rest valid; the answer is never a 5xx, and every refusal is
  JSON with a ``detail``.

Writes accumulate within a test (Hypothesis runs its examples in the test's transaction);
each operation starts again from the same small district.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from werkzeug.test import Client

from conftest import bind_area
from rotation.management.commands.demo_accounts import hr_group
from rotation.models import MovementKind, Term

D = datetime.date
APP = get_wsgi_application()
SCHEMA_URL = "/api/v1/schema/?format=json"
MAX_EXAMPLES = 15
SEED = 20_250_701

# Values that broke other systems: NUL bytes (PostgreSQL refuses them), integers one past
# 64 bits both ways, a 10 000-character string, a day that does not exist, and strings
# that look like other types.
NASTY: list[object] = [
    "a\u0000b",
    2**63,
    -(2**63) - 1,
    "x" * 10_000,
    "2023-02-30",
    "9999-12-31",
    "0001-01-01",
    "-1",
    "1e309",
    "Nguye\u0302\u0303n\u200b",
]
# Only for the sweep: the wrong types (a parameter reads them as text: "null", "[]"…).
WRONG_TYPES: list[object] = [None, True, 1.5, [], {"a": 1}]

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        # Entries are strings; Schemathesis reads the integer ones as integers where the
        # schema wants an integer.
        "dictionaries": {"nasty": {"values": [str(value) for value in NASTY]}},
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
            "dictionaries": {
                "string": {"dictionary": "nasty", "probability": 0.2},
                "integer": {"dictionary": "nasty", "probability": 0.2},
            },
        },
        "checks": {
            # Valid-looking data is refused with 400 whenever it names a record that does not
            # exist or breaks a rule of the records (a seat already held): the schema cannot
            # say which ids exist. Every other built-in check applies.
            "positive_data_acceptance": {"enabled": False},
        },
    }
)

schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, APP, config=CONFIG)

# The schema declares the session cookie too, so Schemathesis also sends long ones; the
# test client warns that a browser would drop them, which is beside the point here.
pytestmark = pytest.mark.filterwarnings("ignore:The 'sessionid' cookie is too large")


# The record a path's ``{id}`` names: by operation, else by the first segment of the path.
RECORD_OF_OPERATION = {("POST", "/api/v1/decisions/{id}/cancel/"): "issued_decision"}
RECORD_OF_PATH = {
    "units": "unit",
    "organisations": "organisation",
    "roles": "role",
    "posts": "post",
    "cadres": "cadre",
    "locality-overrides": "override",
    "decisions": "decision",
    "movements": "movement",
    "assignments": "assignment",
    "terms": "term",
}
# The record a body property or a query parameter names, by its name.
RECORD_OF_PROPERTY = {
    "cadre": "cadre",
    "post": "post",
    "to_post": "post",
    "issuing_body": "organisation",
    "organisation": "organisation",
    "unit": "unit",
    "parent": "district",
    "hometown": "unit",
    "birthplace": "unit",
    "permanent_residence": "unit",
    "rotation": "rotation",
    "returns_from": "rotation",
    "from_post": "post",
    "decision": "decision",
    "holds_post_in": "unit",
    "area": "unit",
    "role": "role",
}


@dataclass
class District:
    """The records the requests are about, by name (see ``district``), and HR's token."""

    token: str
    ids: dict[str, int]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.token}"}

    def record_of(self, method: str, path: str) -> int:
        """The id of the record that ``{id}`` stands for in ``path``."""
        name = RECORD_OF_OPERATION.get((method, path), RECORD_OF_PATH[path.split("/")[3]])
        return self.ids[name]

    def point_at_records(self, case) -> None:
        """Make a valid generated request name records that exist.

        Random ids almost never exist, so valid requests would stop at "no such record";
        pointed at the district's records they reach the rules and the full answers.
        Invalid requests are left as generated: they must be refused as they are.
        """
        method, path = case.operation.method.upper(), case.operation.path
        if case.path_parameters and "id" in case.path_parameters:
            case.path_parameters["id"] = self.record_of(method, path)
        if case.query:
            self._replace_ids(case.query)
        if isinstance(case.body, dict | list):
            self._replace_ids(case.body)
        if case.headers and "If-Match" in case.headers:
            url = path.replace("{id}", str(case.path_parameters["id"]))
            etag = Client(APP).get(url, headers=self.headers).headers.get("ETag")
            if etag:
                case.headers["If-Match"] = etag

    def _replace_ids(self, data) -> None:
        items = data.items() if isinstance(data, dict) else enumerate(data)
        for key, value in list(items):
            if isinstance(value, dict | list):
                self._replace_ids(value)
            elif key in RECORD_OF_PROPERTY and type(value) is int:
                data[key] = self.ids[RECORD_OF_PROPERTY[key]]


@pytest.fixture
def district(world, make_cadre, hr, wsgi_in_test_transaction) -> District:
    """The ``world`` district with its secretaries, an issued rotation, a draft and HR staff."""
    from cadres.services import locality_override_set
    from rotation.services import movement_add

    Term.objects.create(name="2020–2025", start=D(2020, 10, 1), end=D(2025, 9, 30))
    secretaries = [make_cadre(i) for i in range(3)]
    for index, cadre in enumerate(secretaries):
        hr.seat(cadre, world.post(index, "party_secretary"))
    specialist = make_cadre(0)
    hr.seat(specialist, world.district_posts["specialist"])
    rotation = hr.move(
        MovementKind.ROTATION,
        specialist,
        world.post(1, "people_committee_chairman"),
        D(2021, 3, 1),
        planned_end=D(2024, 3, 1),
    )
    draft = hr.draft(signed_on=D(2022, 1, 10))
    line = movement_add(
        decision=draft,
        kind=MovementKind.TRANSFER,
        cadre=secretaries[0],
        to_post=world.post(2, "standing_deputy_secretary"),
        effective_date=D(2022, 2, 1),
    )
    override = locality_override_set(
        cadre=secretaries[1],
        unit=world.communes[2],
        is_local=True,
        reason="Grew up in Quế and worked there twenty years.",
    )
    vice_chairman = world.post(0, "people_committee_vice_chairman")
    user = get_user_model().objects.create_user("hr.fuzz")
    user.groups.add(hr_group())
    bind_area(user, [world.province])  # HR staff of the province: every record here
    return District(
        token=Token.objects.create(user=user).key,
        ids={
            "unit": world.communes[0].pk,
            "cadre": secretaries[0].pk,
            "other_cadre": secretaries[1].pk,
            "decision": draft.pk,
            "issued_decision": rotation.decision_id,
            "movement": line.pk,
            "rotation": rotation.pk,
            "assignment": secretaries[2].assignments.get().pk,
            "override": override.pk,
            "term": Term.objects.get().pk,
            "district": world.district.pk,
            "post": vice_chairman.pk,
            "post_organisation": vice_chairman.organisation_id,
            "post_role": vice_chairman.role_id,
            "organisation": world.body.pk,
            "role": world.post(0, "party_secretary").role_id,
        },
    )


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_api_conforms_to_its_schema(case, district):
    if case.meta is not None and case.meta.generation.mode.is_positive:
        district.point_at_records(case)
    case.call_and_validate(headers=district.headers)


# --------------------------------------------------------------------------- the sweep

RAW_SCHEMA: dict = schema.raw_schema
OPERATIONS = [
    (method.upper(), path)
    for path, item in RAW_SCHEMA["paths"].items()
    for method in item
    if method in ("get", "post", "put", "patch", "delete")
]
# Where the values derived from the schema would break a rule of the records, values that
# keep the request valid (so that the probed value is what the answer is about).
A_LINE = {"kind": "transfer", "cadre": "other_cadre", "to_post": "post"}
VALID_VALUES: dict[tuple[str, str], dict[str, object]] = {
    ("POST", "/api/v1/units/"): {"code": "13399", "kind": "commune", "valid_from": "2010-01-01"},
    ("PUT", "/api/v1/units/{id}/"): {"code": "13393", "kind": "commune", "name": "Lê Hồ"},
    ("POST", "/api/v1/roles/"): {"code": "sweep_role"},
    ("PUT", "/api/v1/roles/{id}/"): {"code": "party_secretary"},
    ("PUT", "/api/v1/organisations/{id}/"): {"unit": "district"},
    ("PUT", "/api/v1/posts/{id}/"): {"organisation": "post_organisation", "role": "post_role"},
    ("POST", "/api/v1/decisions/{id}/movements/"): A_LINE,
    ("POST", "/api/v1/assignments/"): {"cadre": "other_cadre", "principal": False},
}
LINE_VALUES = {"movements": A_LINE}
REQUIRED_QUERY = {"unit": "350"}
# Record names among ``VALID_VALUES``, read from the district's ids.
NAMED_RECORDS = {"other_cadre", "post", "district", "post_organisation", "post_role"}


def resolve(node: dict) -> dict:
    while "$ref" in node:
        node = RAW_SCHEMA["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def request_body_schema(operation: dict) -> dict | None:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return resolve(content["application/json"]["schema"])


def valid_value(name: str, node: dict, ids: dict[str, int]) -> object:
    """A value the schema accepts for ``name``, naming a real record where it names one."""
    node = resolve(node)
    if "allOf" in node or "oneOf" in node:
        node = resolve((node.get("allOf") or node.get("oneOf"))[0])
    if name in RECORD_OF_PROPERTY:
        return ids[RECORD_OF_PROPERTY[name]]
    if "enum" in node:
        return next(value for value in node["enum"] if value not in ("", None))
    kind = node.get("type")
    if node.get("format") == "date":
        return "2022-03-01"
    if kind == "integer":
        return max(1, node.get("minimum", 1))
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if kind == "object":
        return {}
    return "Viết đủ một câu cho rõ lý do."


def valid_body(node: dict, ids: dict[str, int], values: dict[str, object]) -> dict:
    """The required properties of a body with valid values, the others absent."""
    body = {
        name: valid_value(name, prop, ids)
        for name, prop in node.get("properties", {}).items()
        if name in node.get("required", []) and not prop.get("readOnly")
    }
    for name, value in values.items():
        body[name] = ids[value] if value in NAMED_RECORDS else value
    return body


@dataclass(frozen=True)
class Probe:
    """One nasty value in one place: a parameter, a body property, a property of a line."""

    where: str  # "query", "path", "header", "body", "body.movements.1"
    name: str
    value: object

    def __str__(self) -> str:
        return f"{self.where} {self.name}={as_text(self.value)[:30]!r}"


def probes(method: str, path: str) -> Iterator[Probe]:
    """Every nasty value (and wrong type) in every parameter and body property of an operation."""
    operation = RAW_SCHEMA["paths"][path][method.lower()]
    for parameter in operation.get("parameters", []):
        for value in NASTY + WRONG_TYPES:
            yield Probe(parameter["in"], parameter["name"], value)
    body = request_body_schema(operation)
    if body is None:
        return
    for value in WRONG_TYPES + ["a\u0000b", 2**63]:
        yield Probe("body", "(the whole body)", value)
    for name, prop in body.get("properties", {}).items():
        if prop.get("readOnly"):
            continue
        for value in NASTY + WRONG_TYPES:
            yield Probe("body", name, value)
        items = resolve(prop.get("items", {})) if prop.get("type") == "array" else {}
        for item_name, item_prop in items.get("properties", {}).items():
            if not item_prop.get("readOnly"):
                for value in NASTY + WRONG_TYPES:
                    yield Probe(f"body.{name}.1", item_name, value)


def as_text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def send(client: APIClient, method: str, path: str, probe: Probe, district: District, etag: str):
    """The operation with ``probe`` in its place and valid values (or none) everywhere else.

    ``etag`` is the record's, for ``If-Match``: the same for every probe, as each is undone.
    """
    operation = RAW_SCHEMA["paths"][path][method.lower()]
    ids = district.ids
    record = district.record_of(method, path) if "{id}" in path else None
    url = path.replace(
        "{id}", quote(as_text(probe.value), safe="") if probe.where == "path" else str(record)
    )
    query: dict[str, str] = {}
    headers: dict[str, str] = {}
    for parameter in operation.get("parameters", []):
        if parameter.get("required") and parameter["in"] == "query":
            query[parameter["name"]] = REQUIRED_QUERY[parameter["name"]]
        if parameter["in"] == "header" and parameter["name"] == "If-Match":
            headers["HTTP_IF_MATCH"] = etag
    if probe.where == "query":
        query[probe.name] = as_text(probe.value)
    elif probe.where == "header":
        headers["HTTP_" + probe.name.upper().replace("-", "_")] = as_text(probe.value)
    data = ""
    body_schema = request_body_schema(operation)
    if body_schema is not None:
        body = valid_body(body_schema, ids, VALID_VALUES.get((method, path), {}))
        if probe.name == "(the whole body)":
            body = probe.value
        elif probe.where == "body":
            body[probe.name] = probe.value
        elif probe.where.startswith("body."):
            name = probe.where.split(".")[1]
            line = valid_body(
                resolve(body_schema["properties"][name]["items"]), ids, LINE_VALUES.get(name, {})
            )
            body[name] = [{**line, probe.name: probe.value}]
        data = json.dumps(body)
    if query:
        url += "?" + urlencode(query)
    with transaction.atomic():
        # Every probe starts from the same records: what one changes is undone.
        response = client.generic(
            method, url, data=data, content_type="application/json", **headers
        )
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_nasty_value_sweep(method, path, district):
    client = APIClient(HTTP_AUTHORIZATION=f"Token {district.token}")
    client.raise_request_exception = False  # a crash is a 500 answer to report, like any other
    etag = ""
    if "{id}" in path:
        record = district.record_of(method, path)
        etag = client.get(path.split("{id}")[0] + f"{record}/").get("ETag", "")
    problems = []
    for probe in probes(method, path):
        response = send(client, method, path, probe, district, etag)
        if response.status_code >= 500:
            problems.append(f"{probe}: {response.status_code} {response.content[:300]!r}")
        elif response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = None
            if not (isinstance(body, dict) and isinstance(body.get("detail"), str)):
                problems.append(f"{probe}: {response.status_code} {response.content[:200]!r}")
    assert not problems, "\n".join(problems)
