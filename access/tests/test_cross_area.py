"""A user of another district, tried as a new user would, sees nothing of Kim Bảng anywhere.

With the Kim Bảng records of ``load_demo`` loaded and a second district in another
province (Hòa An, Cao Bằng) with records of its own, its HR staff, official and API client
walk every address of the application, found from the URL resolver and the OpenAPI
schema rather than listed by hand:

- every REST API operation: lists hold none of Kim Bảng's records, also when filtered by
  Kim Bảng's ids, codes or names; any operation on a Kim Bảng id answers exactly as for an
  id that does not exist; every id field of a request body refuses a Kim Bảng id as an
  unknown one, and nothing is written;
- every admin page: change lists, change, delete, history and custom pages, the
  autocomplete of every field, and a crafted form for every foreign key;
- every dashboard page and download, with Kim Bảng's units and cadres.

A new address that this test does not know how to try makes it fail, until it is taught.
Kim Bảng's own HR staff see Kim Bảng.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.forms import ModelChoiceField
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from access.accounts import account_set, unit_for_code
from access.areas import RULES, SHARED, area_for, is_scoped
from cadres.models import Cadre, LocalityOverride
from cadres.services import cadre_create, locality_override_set
from communes.models import (
    AdministrativeUnit,
    Organisation,
    OrganisationKind,
    Post,
    Role,
    UnitKind,
    UnitSuccession,
)
from communes.services import organisation_create, post_create, unit_create
from communes.tests.admin_support import page_data
from conftest import stored_records
from rotation.models import Assignment, Decision, Movement, MovementKind, Term
from rotation.services import (
    assignment_record,
    decision_create,
    decision_delete,
    decision_issue,
    movement_add,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kim_bang", "english")]

D = datetime.date
MISSING = 987654321  # an id no record has
KIM_BANG_CODES = ("350", "13393", "13402", "35", "37")

# Names of the REST API's id fields (request bodies and filters), by the model they name.
# A new id field must be added here (or to NOT_IDS) for the test to pass: it is then tried.
ID_FIELDS: dict[str, type[Model]] = {
    "unit": AdministrativeUnit,
    "parent": AdministrativeUnit,
    "hometown": AdministrativeUnit,
    "birthplace": AdministrativeUnit,
    "permanent_residence": AdministrativeUnit,
    "holds_post_in": AdministrativeUnit,
    "area": AdministrativeUnit,
    "organisation": Organisation,
    "issuing_body": Organisation,
    "post": Post,
    "to_post": Post,
    "from_post": Post,
    "cadre": Cadre,
    "decision": Decision,
    "returns_from": Movement,
    "rotation": Movement,
}
SHARED_ID_FIELDS = {"role"}  # a shared catalogue: the same ids for every area
NOT_IDS = {"page", "page_size", "seats", "sort_order", "position", "id"}


# --------------------------------------------------------------------------- the records


@dataclass
class Side:
    """One district's point of view: its users, and the records its users see."""

    ids: dict[type[Model], set[int]]  # every record in the area, by model
    one: dict[type[Model], int] = field(default_factory=dict)  # one of each, to try
    users: dict[str, object] = field(default_factory=dict)


@dataclass
class World:
    kim_bang: Side
    other: Side
    markers: tuple[str, ...]  # names found only in Kim Bảng's records
    deleted_decision: int  # a Kim Bảng draft that was deleted (its history remains)
    other_district: AdministrativeUnit
    token: str

    def kim_bang_id(self, model: type[Model]) -> int:
        return self.kim_bang.one[model]


def build_other_district() -> dict:
    """Hòa An district (Cao Bằng) with two communes, their posts and holders, an issued
    decision, a draft and an override: one record of every kind."""
    start = D(2010, 1, 1)
    province = unit_create(code="04", name="Cao Bằng", kind=UnitKind.PROVINCE, valid_from=start)
    district = unit_create(
        code="042", name="Hòa An", kind=UnitKind.DISTRICT, parent=province, valid_from=start
    )
    communes = [
        unit_create(code=code, name=name, kind=UnitKind.COMMUNE, parent=district, valid_from=start)
        for code, name in (("01279", "Hồng Việt"), ("01282", "Bế Triều"))
    ]
    body = organisation_create(
        unit=district,
        kind=OrganisationKind.PARTY_STANDING_COMMITTEE,
        name="Ban Thường vụ Huyện ủy Hòa An",
    )
    posts = []
    for commune in communes:
        party = organisation_create(
            unit=commune, kind=OrganisationKind.PARTY_COMMITTEE, name=f"Đảng ủy xã {commune.name}"
        )
        posts.append(post_create(organisation=party, role="party_secretary"))
    office = organisation_create(
        unit=district, kind=OrganisationKind.DEPARTMENT, name="Phòng Nội vụ huyện Hòa An"
    )
    pool = post_create(organisation=office, role="specialist", seats=5)
    people = []
    for index, name in enumerate(("Nông Văn Thử", "Đàm Thị Nghiệm", "Lục Văn Khác")):
        people.append(
            cadre_create(
                full_name=name,
                gender="female" if index == 1 else "male",
                date_of_birth=D(1975 + index, 3, 1),
                hometown=communes[index % 2],
            )
        )
    assignment_record(cadre=people[0], post=posts[0], start_date=D(2019, 1, 1))
    assignment_record(cadre=people[1], post=pool, start_date=D(2019, 1, 1))
    assignment_record(cadre=people[2], post=pool, start_date=D(2019, 1, 1))
    issued = decision_create(
        number="7-QĐ/HU", signed_on=D(2021, 3, 1), issuing_body=body, signer="Bí thư Huyện ủy"
    )
    movement_add(
        decision=issued,
        kind=MovementKind.TRANSFER,
        cadre=people[1],
        to_post=posts[1],
        effective_date=D(2021, 3, 15),
    )
    decision_issue(decision=issued)
    draft = decision_create(
        number="9-QĐ/HU", signed_on=D(2023, 1, 5), issuing_body=body, signer="Bí thư Huyện ủy"
    )
    line = movement_add(
        decision=draft,
        kind=MovementKind.TRANSFER,
        cadre=people[2],
        to_post=posts[0],
        effective_date=D(2023, 2, 1),
        concurrent=True,
    )
    override = locality_override_set(
        cadre=people[2], unit=communes[0], is_local=True, reason="Lớn lên ở xã Hồng Việt."
    )
    return {
        "district": district,
        "one": {
            AdministrativeUnit: communes[0].pk,
            Organisation: body.pk,
            Post: posts[0].pk,
            Cadre: people[0].pk,
            LocalityOverride: override.pk,
            Assignment: Assignment.objects.filter(cadre=people[0]).first().pk,
            Movement: line.pk,
            Decision: draft.pk,
        },
    }


def one_of_kim_bang() -> dict[type[Model], int]:
    """A Kim Bảng record of each kind: the article's Đinh Hồng Kiên and what surrounds him."""
    kien = Cadre.objects.get(full_name="Đinh Hồng Kiên")
    assignment = Assignment.objects.filter(cadre=kien).order_by("start_date").first()
    movement = Movement.objects.filter(cadre=kien).order_by("effective_date").first()
    commune = AdministrativeUnit.objects.filter(code="13393").earliest("valid_from")
    draft = Decision.objects.get(number="215-QĐ/TU")
    override = locality_override_set(
        cadre=kien, unit=commune, is_local=False, reason="Quê ở Tân Sơn, ghi rõ cho chắc."
    )
    return {
        AdministrativeUnit: commune.pk,
        Organisation: assignment.post.organisation_id,
        Post: assignment.post_id,
        Cadre: kien.pk,
        LocalityOverride: override.pk,
        Assignment: assignment.pk,
        Movement: movement.pk,
        Decision: draft.pk,
    }


def records_of(area) -> dict[type[Model], set[int]]:
    from django.apps import apps

    return {
        apps.get_model(label): set(
            area.filter(apps.get_model(label).objects.all()).values_list("pk", flat=True)
        )
        for label in RULES
    }


@pytest.fixture(scope="module")
def world(kim_bang, django_db_blocker) -> World:
    with django_db_blocker.unblock():
        kb_one = one_of_kim_bang()
        # A Kim Bảng draft, deleted: its history stays behind.
        kb_body = Organisation.objects.get(pk=kb_one[Organisation])
        gone = decision_create(
            number="1-QĐ/XOA", signed_on=D(2023, 1, 2), issuing_body=kb_body, signer="Bí thư"
        )
        deleted = gone.pk
        decision_delete(decision=gone)
        built = build_other_district()
        area = [built["district"]]
        users = {
            "hr": account_set(username="hr.hoa.an", role="hr", units=area).user,
            "official": account_set(username="lanhdao.hoa.an", role="official", units=area).user,
            "api": account_set(username="he-thong.hoa.an", role="api", units=area).user,
        }
        token = Token.objects.get(user=users["api"]).key
        kb_user = account_set(username="hr.kb.test", role="hr", units=[unit_for_code("350")]).user
        kim_bang = Side(ids=records_of(area_for(kb_user)), one=kb_one, users={"hr": kb_user})
        other = Side(ids=records_of(area_for(users["hr"])), one=built["one"], users=users)
        own_names = set(
            Cadre.objects.filter(pk__in=other.ids[Cadre]).values_list("full_name", flat=True)
        )
        kb_names = set(
            Cadre.objects.filter(pk__in=kim_bang.ids[Cadre]).values_list("full_name", flat=True)
        )
        # No page, help text or example names any of them.
        markers = tuple(
            sorted(kb_names - own_names)
            + ["Kim Bảng", "Lê Hồ", "Tượng Lĩnh", "Khả Phong", "Tam Chúc", "Lý Thường Kiệt"]
            + ["Nhật Tựu"]
        )
        world = World(
            kim_bang=kim_bang,
            other=other,
            markers=markers,
            deleted_decision=deleted,
            other_district=built["district"],
            token=token,
        )
        yield world


def test_the_two_districts_share_nothing(world):
    for model in world.kim_bang.ids:
        assert world.kim_bang.ids[model], model  # Kim Bảng has records of every kind
        if model is not UnitSuccession:  # the other district was never merged
            assert world.other.ids[model], model  # and so has the other district
        assert not world.kim_bang.ids[model] & world.other.ids[model], model
    assert len(world.markers) > 100


# --------------------------------------------------------------------------- helpers


def api_clients(world) -> dict[str, APIClient]:
    """The other district's HR staff (session), official (session) and system (token)."""
    clients = {}
    for name in ("hr", "official"):
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.force_authenticate(get_user_model().objects.get(pk=world.other.users[name].pk))
        clients[name] = client
    clients["api"] = APIClient(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Token {world.token}")
    return clients


def answer(response) -> tuple:
    """What a response tells: status, body (JSON or text) and where it sends."""
    content_type = response.get("Content-Type", "")
    if "json" in content_type:
        body = response.json()
    elif "html" in content_type:
        # What changes from one response to the next whatever was asked: form tokens and
        # the Content-Security-Policy's nonces.
        body = re.sub(r'(csrfmiddlewaretoken" value="|nonce=")[^"]+', "", response.content.decode())
    else:
        body = response.content
    return response.status_code, body, response.get("Location")


def without(text, *ids) -> object:
    """``text`` with the ids (of the two requests compared) made alike."""
    if isinstance(text, dict | list):
        text = json.dumps(text, sort_keys=True, ensure_ascii=False)
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    if isinstance(text, str):
        for pk in sorted(map(str, ids), key=len, reverse=True):
            text = re.sub(rf"(?<![0-9]){re.escape(pk)}(?![0-9])", "#", text)
    return text


def same_as_missing(send, path_for, kim_bang_id) -> None:
    """Asking about a Kim Bảng id answers exactly as asking about an id nobody has."""
    kb = answer(send(path_for(kim_bang_id)))
    none = answer(send(path_for(MISSING)))
    assert kb[0] == none[0], (path_for(kim_bang_id), kb[0], none[0])
    assert without(kb[1], kim_bang_id, MISSING) == without(none[1], kim_bang_id, MISSING), path_for(
        kim_bang_id
    )
    assert without(kb[2], kim_bang_id, MISSING) == without(none[2], kim_bang_id, MISSING)
    assert kb[0] in (302, 400, 403, 404), (path_for(kim_bang_id), kb[0])


def assert_no_markers(world, response, where: str, *, typed: str = "") -> None:
    """No Kim Bảng name on the page (but the one the user ``typed`` in a search box)."""
    text = response.content.decode(errors="replace")
    found = [marker for marker in world.markers if marker in text and marker != typed]
    assert not found, (where, found[:5])


def listed_ids(body) -> list[int]:
    rows = body["results"] if isinstance(body, dict) else body
    return [row["id"] for row in rows]


def every_record() -> dict:
    records = stored_records()
    records["Token"] = list(Token.objects.order_by("pk").values_list("key", flat=True))
    return records


# --------------------------------------------------------------------------- the REST API


def schema(world) -> dict:
    client = APIClient()
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(world):
    """(path, method, operation, model) of every operation of the schema; model ``None``
    for the reports (about a unit named by its code)."""
    document = schema(world)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            assert set(re.findall(r"{(\w+)}", path)) <= {"id"}, f"{path}: which id is that?"
            match = resolve(path.replace("{id}", "1"))
            view = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
            queryset = getattr(view, "queryset", None)
            model = queryset.model if queryset is not None else None
            if model is None:
                assert path.startswith("/api/v1/reports/"), f"{path}: not tried by this test"
            yield path, method, operation, model, document


def body_id_fields(document, operation, prefix: str = "") -> list[tuple[str, type[Model]]]:
    """The id fields of an operation's request body, as ``(errors key, model)``; a list of
    objects (the lines of a decision) gives ``movements.1.cadre``."""
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return []
    return _id_fields(document, content["application/json"]["schema"], prefix)


def _resolve(document, node: dict) -> dict:
    while "$ref" in node:
        node = document["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _id_fields(document, node, prefix) -> list[tuple[str, type[Model]]]:
    node = _resolve(document, node)
    found = []
    for name, prop in node.get("properties", {}).items():
        prop = _resolve(document, prop)
        if prop.get("readOnly"):
            continue
        kind = prop.get("type")
        if kind == "array" and "$ref" in prop.get("items", {}):
            found += _id_fields(document, prop["items"], f"{prefix}{name}.1.")
        elif kind == "integer":
            if name in ID_FIELDS:
                found.append((f"{prefix}{name}", ID_FIELDS[name]))
            else:
                assert name in SHARED_ID_FIELDS | NOT_IDS, f"id field {name}: add it to ID_FIELDS"
    return found


def nest(key: str, value) -> dict:
    """``movements.1.cadre`` → ``{"movements": [{"cadre": value}]}``."""
    parts = key.split(".")
    if len(parts) == 1:
        return {key: value}
    return {parts[0]: [nest(".".join(parts[2:]), value)]}


def call(client, method: str, path: str, data=None, **headers):
    return getattr(client, method)(path, data, format="json", **headers)


def etag_for(client, path: str) -> dict:
    """The If-Match header a change of the record of ``path`` needs (its detail's ETag)."""
    detail = re.match(r"^(/api/v1/[\w-]+/\d+/)", path).group(1)
    response = client.get(detail)
    return {"HTTP_IF_MATCH": response["ETag"]} if response.has_header("ETag") else {}


def test_every_api_list_holds_nothing_of_kim_bang(world):
    for name, client in api_clients(world).items():
        for path, method, _operation, model, _doc in operations(world):
            if method != "get" or "{id}" in path or model is None:
                continue
            response = client.get(path, {"page_size": 200})
            assert response.status_code == 200, (name, path, response.content[:300])
            ids = set(listed_ids(response.json()))
            if model._meta.label_lower in SHARED:
                continue
            assert ids <= world.other.ids[model], (name, path)
            assert not ids & world.kim_bang.ids[model], (name, path)
            assert ids, (name, path)  # the district's own records are there


def test_every_api_filter_by_a_kim_bang_id_code_or_name_finds_nothing(world):
    client = api_clients(world)["hr"]
    names = list(
        Cadre.objects.filter(pk__in=world.kim_bang.ids[Cadre]).values_list("full_name", flat=True)
    )[:3]
    tried = 0
    for path, method, operation, model, _doc in operations(world):
        if method != "get" or "{id}" in path or model is None:
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            name, kind = parameter["name"], parameter["schema"].get("type")
            if name in ID_FIELDS:
                target = ID_FIELDS[name]
                same_as_missing(
                    lambda url: client.get(url),
                    lambda pk, name=name, path=path: f"{path}?{name}={pk}",
                    world.kim_bang_id(target),
                )
                tried += 1
            elif name.endswith("_code") and name != "role_code":
                for code in KIM_BANG_CODES:
                    response = client.get(path, {name: code})
                    assert response.status_code == 200, (path, name, response.content[:300])
                    assert listed_ids(response.json()) == [], (path, name, code)
                    tried += 1
            elif name == "q" and model._meta.label_lower not in SHARED:
                for text in [*names, "Kim Bảng", "Lê Hồ", "13393"]:
                    response = client.get(path, {name: text})
                    assert listed_ids(response.json()) == [], (path, text)
                    tried += 1
            elif kind == "integer":
                assert name in SHARED_ID_FIELDS | NOT_IDS, f"{path}?{name}=: add it to ID_FIELDS"
    assert tried > 50


def test_every_api_operation_on_a_kim_bang_record_answers_as_for_no_record(world):
    before = every_record()
    tried = set()
    for client in api_clients(world).values():
        for path, method, _operation, model, _doc in operations(world):
            if "{id}" not in path or model._meta.label_lower in SHARED:
                continue
            same_as_missing(
                lambda url, client=client, method=method: call(client, method, url, {}),
                lambda pk, path=path: path.replace("{id}", str(pk)),
                world.kim_bang_id(model),
            )
            tried.add((method, path))
    assert every_record() == before
    assert len(tried) > 20


def test_every_id_sent_in_a_request_body_must_be_of_the_users_area(world):
    """POST, PUT and PATCH with a Kim Bảng id in any id field: "does not exist", as an
    unknown id; nothing is written. Changes are tried on the district's own records."""
    tried = 0
    for name in ("hr", "api"):
        client = api_clients(world)[name]
        for path, method, operation, model, document in operations(world):
            if method not in ("post", "put", "patch"):
                continue
            for key, target in body_id_fields(document, operation):
                url = path.replace("{id}", str(world.other.one[model])) if "{id}" in path else path
                headers = etag_for(client, url) if "{id}" in path else {}
                before = every_record()

                for pk in (world.kim_bang_id(target), MISSING):
                    response = call(client, method, url, nest(key, pk), **headers)
                    assert response.status_code == 400, (name, method, url, key, response.content)
                    messages = response.json()["errors"].get(key, [])
                    assert messages == [f'Invalid pk "{pk}" - object does not exist.'], (
                        name,
                        method,
                        url,
                        key,
                        response.json(),
                    )
                assert every_record() == before, (method, url, key)
                tried += 1
    assert tried > 20


def test_the_reports_of_a_kim_bang_unit_answer_as_for_an_unknown_code(world):
    client = api_clients(world)["official"]
    for path, _method, _operation, model, _doc in operations(world):
        if model is not None:
            continue
        if path.endswith("/national/"):
            # No unit asked: the provinces of the user's area only, none of Kim Bảng's.
            table = client.get(path, {"date": "2023-06-30"})
            assert table.status_code == 200, table.content
            codes = {row["unit"]["code"] for row in table.json()["provinces"]}
            assert not codes & set(KIM_BANG_CODES), codes
            assert "Hà Nam" not in table.content.decode()
            continue
        for code in KIM_BANG_CODES:
            kb = client.get(path, {"unit": code, "date": "2023-06-30", "to": "2023-06-30"})
            none = client.get(path, {"unit": "99999", "date": "2023-06-30", "to": "2023-06-30"})
            assert kb.status_code == none.status_code == 400, (path, code)
            assert without(kb.json(), code, "99999") == without(none.json(), code, "99999")
        own = client.get(path, {"unit": "042", "date": "2023-06-30", "to": "2023-06-30"})
        assert own.status_code == 200, own.content


# --------------------------------------------------------------------------- the admin


def admin_client(world) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.other.users["hr"])
    return client


OBJECT_ID = r"<(?:path:object_id|id)>"


def model_urls(model_admin) -> list[tuple[str, str]]:
    """(kind, route) of every address of a model's admin: '' (no id) or 'id'."""
    found = []
    for pattern in model_admin.get_urls():
        route = str(pattern.pattern)
        if "<" not in route and "(" not in route:
            found.append(("", route))
        elif re.fullmatch(OBJECT_ID + r"/([\w-]+/)?", route):
            found.append(("id", route))
        else:
            raise AssertionError(f"{model_admin}: {route} is not tried by this test")
    return found


def test_every_admin_page_of_a_kim_bang_record_answers_as_for_no_record(world):
    client = admin_client(world)
    before = every_record()
    for model, model_admin in admin.site._registry.items():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for kind, route in model_urls(model_admin):
            if kind == "" or model._meta.label_lower in SHARED:
                continue  # a shared catalogue is the same for every area

            def url_for(pk, base=base, route=route):
                return base + re.sub(OBJECT_ID, str(pk), route)

            if not is_scoped(model):
                # Users, groups, tokens, lockouts: no area's records, administrators only.
                # Never shown (here the account of Kim Bảng's HR staff): refused, or sent
                # away (Django's history page of these says "does not exist" first).
                kb_user = world.kim_bang.users["hr"].pk
                for response in (client.get(url_for(kb_user)), client.post(url_for(kb_user))):
                    assert response.status_code in (302, 403), url_for(kb_user)
                    if response.status_code == 302:
                        assert response["Location"] in ("/admin/", url_for(kb_user) + "change/")
                continue
            kb_id = world.kim_bang_id(model)
            same_as_missing(lambda url: client.get(url), url_for, kb_id)
            same_as_missing(lambda url: client.post(url, {}), url_for, kb_id)
    # The history of a Kim Bảng record that was deleted is not shown either.
    same_as_missing(
        lambda url: client.get(url),
        lambda pk: f"/admin/rotation/decision/{pk}/history/",
        world.deleted_decision,
    )
    # Nor does the admin's "view on site" shortcut tell a Kim Bảng record from no record.
    for model in (Cadre, Decision, AdministrativeUnit):
        content_type = ContentType.objects.get_for_model(model)
        same_as_missing(
            lambda url: client.get(url),
            lambda pk, ct=content_type: f"/admin/r/{ct.pk}/{pk}/",
            world.kim_bang_id(model),
        )
    assert every_record() == before


def test_every_admin_change_list_holds_nothing_of_kim_bang(world):
    client = admin_client(world)
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for query in ({}, {"q": "Kim Bảng"}, {"q": "le ho"}, {"q": world.markers[0]}):
            response = client.get(base, query)
            if not is_scoped(model):
                assert response.status_code in (200, 403), (base, response.status_code)
                continue
            assert response.status_code == 200, (base, response.status_code)
            ids = {obj.pk for obj in response.context["cl"].result_list}
            assert ids <= world.other.ids[model], base
            if not query:
                assert ids, base  # the district's own records are there
            assert_no_markers(world, response, base, typed=query.get("q", ""))
    for page in ("/admin/", "/admin/rotation/", "/admin/communes/", "/admin/cadres/"):
        assert_no_markers(world, client.get(page), page)


def autocomplete_fields():
    """(source model, field name, target model) of every autocomplete of the admin."""
    for model, model_admin in admin.site._registry.items():
        owners = [(model, model_admin)]
        owners += [(inline.model, inline) for inline in model_admin.inlines]
        for source, owner in owners:
            for name in owner.autocomplete_fields:
                target = source._meta.get_field(name).remote_field.model
                yield source, name, target


def test_no_admin_autocomplete_offers_anything_of_kim_bang(world):
    client = admin_client(world)
    tried = 0
    for source, name, target in autocomplete_fields():
        for term in ("", "kim bang", "le ho", world.markers[0], "13393"):
            response = client.get(
                reverse("admin:autocomplete"),
                {
                    "app_label": source._meta.app_label,
                    "model_name": source._meta.model_name,
                    "field_name": name,
                    "term": term,
                },
            )
            if response.status_code == 403:  # users, areas: administrators only
                assert not is_scoped(source) or not is_scoped(target), (source, name)
                continue
            assert response.status_code == 200, (source, name, response.content[:300])
            ids = {int(result["id"]) for result in response.json()["results"]}
            if is_scoped(target):
                assert not ids & world.kim_bang.ids[target], (source, name, term)
            tried += 1
    assert tried > 30


def form_fields(response):
    """(form, field name, target model) of every choice of a record of an area on the page."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.extend(inline.formset.forms)
    for form in forms:
        for name, form_field in form.fields.items():
            # Not the id of a row of an inline: an existing row's is checked against the
            # inline's rows (the area's), and a new row's is not read.
            if name == form._meta.model._meta.pk.name:
                continue
            if isinstance(form_field, ModelChoiceField) and is_scoped(form_field.queryset.model):
                yield form, name, form_field.queryset.model


def test_no_admin_form_takes_a_kim_bang_record(world):
    """Every foreign key of every add and change form, on the district's own records:
    a Kim Bảng id is "not one of the available choices", and nothing is written."""
    client = admin_client(world)
    tried = 0
    for model in admin.site._registry:
        if not is_scoped(model):
            continue
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for page in (base + "add/", f"{base}{world.other.one[model]}/change/"):
            shown = client.get(page)
            if shown.status_code != 200 or "adminform" not in (shown.context or {}):
                continue
            for form, name, target in list(form_fields(shown)):
                key = form.add_prefix(name)
                before = every_record()
                response = client.post(page, page_data(shown, **{key: world.kim_bang_id(target)}))
                assert response.status_code == 200, (page, key, response.status_code)
                refused = [
                    f
                    for f, n, _t in form_fields(response)
                    if f.add_prefix(n) == key and "valid choice" in " ".join(f.errors.get(n, []))
                ]
                assert refused, (page, key)
                assert every_record() == before, (page, key)
                tried += 1
    assert tried > 10


# --------------------------------------------------------------------------- the dashboards


def dashboard_patterns():
    resolver = get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver) and str(pattern.pattern) == "dashboard/":
            return pattern.url_patterns
    raise AssertionError("no dashboard/ in the URLs")


DASHBOARD_RECORDS = {"unit": AdministrativeUnit, "cadre": Cadre}


def test_every_dashboard_page_and_download_of_kim_bang_is_not_found(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.other.users["official"])
    for pattern in dashboard_patterns():
        name = pattern.name
        if "<int:pk>" in str(pattern.pattern):
            assert name in DASHBOARD_RECORDS, f"dashboard page {name} is not tried by this test"
            kb_id = world.kim_bang_id(DASHBOARD_RECORDS[name])
            for query in (
                "",
                "?date=2023-06-30",
                "?export=csv&table=posts",
                "?export=xlsx&table=leaders",
            ):
                same_as_missing(
                    lambda url: client.get(url),
                    lambda pk, name=name, query=query: (
                        reverse(f"reports:{name}", args=[pk]) + query
                    ),
                    kb_id,
                )
            continue
        assert not pattern.pattern.converters, f"dashboard page {name} is not tried by this test"
        url = reverse(f"reports:{name}")
        for code in KIM_BANG_CODES:
            query = {"unit": code, "date": "2023-06-30", "from": "2020-10-01", "to": "2023-06-30"}
            kb = client.get(url, query)
            none = client.get(url, {**query, "unit": "99999"})
            assert kb.status_code == none.status_code, (name, code)
            if kb.status_code == 302:  # a commune's code opens its page: not for Kim Bảng's
                raise AssertionError((name, code, kb["Location"]))
            assert kb.context["unit"] is None, (name, code)
            assert [n.text.replace(code, "#") for n in kb.context["notices"]] == [
                n.text.replace("99999", "#") for n in none.context["notices"]
            ]
            assert_no_markers(world, kb, f"{name}?unit={code}")
            for table in ("non_local", "communes", "due", "vacancies", "movements"):
                for export in ("csv", "xlsx"):
                    response = client.get(url, {**query, "export": export, "table": table})
                    assert response.status_code == 404, (name, code, table)
        # Without a unit, the page is about the district of the user.
        own = client.get(url)
        assert own.status_code == 200, (name, own.status_code)
        assert own.context["unit"] == world.other_district, name
        assert [unit.pk for unit in own.context["scope"].units] == [world.other_district.pk]
        assert_no_markers(world, own, name)


def test_the_dashboards_offer_only_the_users_units(world):
    client = Client()
    client.force_login(world.other.users["official"])

    response = client.get(reverse("reports:overview"), {"date": "2023-06-30"})

    assert response.status_code == 200
    assert response.context["unit"] == world.other_district
    assert [unit.code for unit in response.context["scope"].units] == ["042"]


# --------------------------------------------------------------------------- every address


def every_pattern(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from every_pattern(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + str(pattern.pattern), pattern


# Addresses that show no record of any area: pages of their own, or the same for everyone.
WITHOUT_RECORDS = {
    "",
    "favicon.ico",
    "i18n/setlang/",
    "accounts/login/",
    "accounts/logout/",
    "admin/",
    "admin/login/",
    "admin/logout/",
    "admin/password_change/",
    "admin/password_change/done/",
    "admin/autocomplete/",  # tried through every autocomplete field
    "admin/jsi18n/",
    "admin/r/<path:content_type_id>/<path:object_id>/",  # tried above
    "admin/(?P<url>.*)$",
    "api/v1/schema/",
    "api/v1/docs/",
    "api/v1/auth/login/",
    "api/v1/auth/logout/",
    "api/v1/^.*/$",
}


def test_this_test_knows_every_address_of_the_application(world):
    api_samples = {path.replace("{id}", "1") for path, *_rest in operations(world)}
    admin_models = {
        f"admin/{model._meta.app_label}/{model._meta.model_name}/" for model in admin.site._registry
    }
    app_indexes = {model._meta.app_label for model in admin.site._registry}
    unknown = []
    for route, pattern in every_pattern(get_resolver().url_patterns):
        if route in WITHOUT_RECORDS:
            continue
        if route.startswith("api/v1/"):
            sample = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route[len("api/v1/") :])
            sample = "/api/v1/" + sample.replace("^", "").replace("$", "")
            if sample in api_samples:
                continue
        elif route.startswith("admin/"):
            if any(route.startswith(prefix) for prefix in admin_models):
                continue  # every address of a model's admin is tried (``model_urls``)
            match = re.fullmatch(r"admin/\^\(\?P<app_label>(.*)\)/\$", route)
            if match and set(match.group(1).split("|")) == app_indexes:
                continue  # the app index pages: tried for markers above
        elif route.startswith("dashboard/") and (
            pattern.name in DASHBOARD_RECORDS or not pattern.pattern.converters
        ):
            continue
        unknown.append(route)
    assert not unknown, f"addresses this test does not try: {unknown}"


# --------------------------------------------------------------------------- Kim Bảng's own


def test_kim_bang_staff_see_kim_bang(world):
    user = world.kim_bang.users["hr"]
    api = APIClient()
    api.force_authenticate(user)
    for model, path in [
        (AdministrativeUnit, "/api/v1/units/"),
        (Organisation, "/api/v1/organisations/"),
        (Post, "/api/v1/posts/"),
        (Cadre, "/api/v1/cadres/"),
        (LocalityOverride, "/api/v1/locality-overrides/"),
        (Assignment, "/api/v1/assignments/"),
        (Movement, "/api/v1/movements/"),
        (Decision, "/api/v1/decisions/"),
    ]:
        assert api.get(f"{path}{world.kim_bang_id(model)}/").status_code == 200, path
        listed = set(listed_ids(api.get(path, {"page_size": 200}).json()))
        assert listed, path
        assert listed <= world.kim_bang.ids[model], path
        assert not listed & world.other.ids[model], path
    report = api.get("/api/v1/reports/non-local/", {"unit": "350", "date": "2023-06-30"})
    assert report.status_code == 200
    assert report.json()["units_total"] == 18

    client = Client()
    client.force_login(user)
    assert client.get(f"/admin/cadres/cadre/{world.kim_bang_id(Cadre)}/change/").status_code == 200
    overview = client.get(reverse("reports:overview"), {"date": "2023-06-30"})
    assert overview.context["unit"].code == "350"
    page = client.get(reverse("reports:cadre", args=[world.kim_bang_id(Cadre)]))
    assert page.status_code == 200


def test_the_rule_covers_every_model_of_the_records(world):
    """A model added later must say whether it belongs to an area (``access.areas``)."""
    from django.apps import apps

    for app_label in ("communes", "cadres", "rotation"):
        for model in apps.get_app_config(app_label).get_models():
            label = model._meta.label_lower
            if label.split(".")[1].startswith("historical"):
                continue  # read through their record's own pages (history)
            assert label in RULES or label in SHARED, label
    assert UnitSuccession._meta.label_lower in RULES
    assert {Role._meta.label_lower, Term._meta.label_lower} == SHARED
