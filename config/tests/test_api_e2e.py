"""End to end, as another system would: knowing only the schema, load a district, move three
cadres by a decision, and read how the non-local figure changed.

The client reads ``/api/v1/schema/`` and nothing else: it finds each operation by its
``operationId``, builds the URL from the schema's path, sends only the parameters the
schema declares, and checks every answer against the schema. It authenticates with a
token issued by ``manage.py api_token``.
"""

from __future__ import annotations

import json
from io import StringIO
from urllib.parse import urlencode

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from werkzeug.test import Client

from rotation.management.commands.demo_accounts import hr_group

SCHEMA_URL = "/api/v1/schema/?format=json"


class SchemaClient:
    """An API client that knows nothing but the OpenAPI document the API serves.

    It speaks HTTP to the WSGI application (no server, no Django test client), and checks
    every answer against the schema: a documented status, the documented body.
    """

    def __init__(self, token: str):
        self.http = Client(get_wsgi_application())
        self.headers = {"Authorization": f"Token {token}", "Accept-Language": "en"}
        response = self.http.get(SCHEMA_URL, headers=self.headers)
        assert response.status_code == 200
        self.schema = json.loads(response.get_data())
        self.checked = schemathesis.openapi.from_dict(self.schema)
        self.operations = {
            operation["operationId"]: (method.upper(), path, operation)
            for path, item in self.schema["paths"].items()
            for method, operation in item.items()
            if isinstance(operation, dict) and "operationId" in operation
        }

    def call(self, operation_id: str, *, body=None, if_match: str | None = None, **params):
        """Call an operation; ``params`` fill its path, the rest go to its query string."""
        method, path, operation = self.operations[operation_id]
        declared = {p["name"]: p["in"] for p in operation.get("parameters", [])}
        unknown = set(params) - set(declared)
        assert not unknown, f"{operation_id} declares no parameter {sorted(unknown)}"
        url = path
        query = {}
        for name, value in params.items():
            if declared[name] == "path":
                url = url.replace("{" + name + "}", str(value))
            else:
                query[name] = value
        assert "{" not in url, f"{operation_id}: a path parameter is missing in {url}"
        if query:
            url += "?" + urlencode(query, doseq=True)
        headers = dict(self.headers)
        if if_match is not None:
            assert declared.get("If-Match") == "header", f"{operation_id} takes no If-Match"
            headers["If-Match"] = if_match
        response = self.http.open(url, method=method, headers=headers, json=body)
        documented = operation["responses"]
        assert str(response.status_code) in documented, (operation_id, response.status_code)
        self.checked[path][method].validate_response(response)  # the body, by its status
        return response

    def ok(self, operation_id: str, status: int = 200, **kwargs) -> dict:
        response = self.call(operation_id, **kwargs)
        assert response.status_code == status, (operation_id, response.status_code, response.text)
        return response.json

    def create(self, operation_id: str, **body) -> int:
        return self.ok(operation_id, 201, body=body)["id"]


@pytest.fixture
def api(wsgi_in_test_transaction) -> SchemaClient:
    """The client of another system, with the token an administrator issued for it, working
    in the province the administrator recorded (only administrators record provinces)."""
    import datetime

    from access.models import UserArea
    from communes.models import UnitKind
    from communes.services import unit_create

    province = unit_create(
        code="35", name="Hà Nam", kind=UnitKind.PROVINCE, valid_from=datetime.date(2010, 1, 1)
    )
    user = get_user_model().objects.create_user("provincial.hr")
    user.groups.add(hr_group())
    UserArea.objects.create(user=user, unit=province)
    out = StringIO()
    call_command("api_token", "provincial.hr", stdout=out, stderr=StringIO())
    client = SchemaClient(out.getvalue().strip())
    client.province = province.pk
    return client


def secretaries_non_local(api: SchemaClient, day: str) -> tuple[int, int]:
    """(non-local, all) commune Party secretaries of district 350 on ``day``, from the report."""
    report = api.ok("reports_non_local_retrieve", unit="350", date=day, role="party_secretary")
    (figure,) = report["roles"]
    assert figure["role"] == "party_secretary"
    return figure["non_local"], figure["units_total"]


def test_a_system_that_knows_only_the_schema_records_a_rotation_and_reads_the_figure(api):
    start = "2010-01-01"
    # The district and its three communes, each with its Party committee and secretary post.
    province = api.province
    district = api.create(
        "units_create",
        code="350",
        name="Kim Bảng",
        kind="district",
        parent=province,
        valid_from=start,
    )
    (secretary_role,) = api.ok("roles_list", code="party_secretary")["results"]
    (head_role,) = api.ok("roles_list", code="department_head")["results"]
    communes, secretary_post = {}, {}
    for code, name, kind in [
        ("13393", "Lê Hồ", "commune"),
        ("13411", "Tân Sơn", "commune"),
        ("13384", "Quế", "township"),
    ]:
        communes[name] = api.create(
            "units_create", code=code, name=name, kind=kind, parent=district, valid_from=start
        )
        party = api.create(
            "organisations_create",
            unit=communes[name],
            kind="party_committee",
            name=f"Đảng ủy {name}",
            valid_from=start,
        )
        secretary_post[name] = api.create(
            "posts_create", organisation=party, role=secretary_role["id"], seats=1
        )
    standing = api.create(
        "organisations_create",
        unit=district,
        kind="party_standing_committee",
        name="Ban Thường vụ Huyện ủy Kim Bảng",
        valid_from=start,
    )
    home_affairs = api.create(
        "organisations_create",
        unit=district,
        kind="department",
        name="Phòng Nội vụ",
        valid_from=start,
    )
    head_post = api.create("posts_create", organisation=home_affairs, role=head_role["id"])

    # Four cadres, each holding a post since 2019: the three secretaries are local people,
    # the head of the Home Affairs office comes from Quế.
    hometown = {"An": "Lê Hồ", "Bình": "Tân Sơn", "Cường": "Quế", "Dũng": "Quế"}
    cadres = {
        given: api.create(
            "cadres_create",
            full_name=f"Nguyễn Văn {given}",
            gender="male",
            date_of_birth="1975-05-01",
            hometown=communes[town],
        )
        for given, town in hometown.items()
    }
    held = {"An": "Lê Hồ", "Bình": "Tân Sơn", "Cường": "Quế"}
    for given, commune in held.items():
        api.create(
            "assignments_create",
            cadre=cadres[given],
            post=secretary_post[commune],
            start_date="2019-01-01",
        )
    api.create("assignments_create", cadre=cadres["Dũng"], post=head_post, start_date="2019-01-01")

    assert secretaries_non_local(api, "2021-12-14") == (0, 3)

    # One decision moves three cadres: An to Tân Sơn, Bình up to the Home Affairs office,
    # Dũng on rotation to Lê Hồ. Quế keeps Cường.
    effective = "2021-12-15"
    lines = [
        {
            "kind": "transfer",
            "cadre": cadres["An"],
            "to_post": secretary_post["Tân Sơn"],
            "effective_date": effective,
        },
        {
            "kind": "transfer",
            "cadre": cadres["Bình"],
            "to_post": head_post,
            "effective_date": effective,
        },
        {
            "kind": "rotation",
            "cadre": cadres["Dũng"],
            "to_post": secretary_post["Lê Hồ"],
            "effective_date": effective,
            "planned_end": "2024-12-15",
        },
    ]
    created = api.call(
        "decisions_create",
        body={
            "number": "125-QĐ/HU",
            "signed_on": "2021-12-01",
            "issuing_body": standing,
            "signer": "Nguyễn Văn Chính, Bí thư Huyện ủy",
            "movements": lines,
        },
    )
    assert created.status_code == 201, created.text
    decision = created.json
    assert decision["status"] == "draft"
    assert [line["cadre"] for line in decision["movements"]] == [
        cadres["An"],
        cadres["Bình"],
        cadres["Dũng"],
    ]
    # A draft changes nothing yet.
    assert secretaries_non_local(api, effective) == (0, 3)

    # Issuing needs the ETag read last: without it 428, with a made-up one 412.
    assert api.call("decisions_issue_create", id=decision["id"]).status_code == 428
    stale = api.call("decisions_issue_create", id=decision["id"], if_match='"stale"')
    assert stale.status_code == 412
    assert stale.json["code"] == "precondition_failed"
    issued = api.ok("decisions_issue_create", id=decision["id"], if_match=created.headers["ETag"])
    assert issued["status"] == "issued"
    assert {line["direction"] for line in issued["movements"]} == {
        "commune_to_commune",
        "commune_to_district",
        "district_to_commune",
    }

    # Who is the secretary where, from the records the client set up and moved.
    secretary_after = {"Lê Hồ": "Dũng", "Tân Sơn": "An", "Quế": "Cường"}
    expected = sum(hometown[given] != commune for commune, given in secretary_after.items())
    assert expected == 2
    assert secretaries_non_local(api, effective) == (expected, 3)
    # The day before is history, and stays as it was.
    assert secretaries_non_local(api, "2021-12-14") == (0, 3)
    holders = api.ok("assignments_list", post=secretary_post["Lê Hồ"], as_of=effective)["results"]
    assert [row["cadre"] for row in holders] == [cadres["Dũng"]]
