"""Fixtures shared by every app's tests: a small district with posts, and a fixed cast."""

import datetime
from dataclasses import dataclass, field

import pytest

from cadres.tests.factories import CadreFactory
from communes.models import AdministrativeUnit, OrganisationKind, Post, UnitKind
from communes.tests.factories import (
    CommuneFactory,
    DistrictFactory,
    OrganisationFactory,
    PostFactory,
    ProvinceFactory,
)

# Browser fixtures (Chromium through Playwright) for the tests that drive a real browser.
pytest_plugins = ["reports.tests.browser"]


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language, whatever an earlier request activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@dataclass
class World:
    """Province Thử, district Huyện Thử with three communes, each with key posts."""

    province: AdministrativeUnit
    district: AdministrativeUnit
    communes: list[AdministrativeUnit]
    posts: dict[tuple[str, str], Post] = field(default_factory=dict)
    district_posts: dict[str, Post] = field(default_factory=dict)
    body: object = None

    def post(self, commune_index: int, role: str) -> Post:
        return self.posts[(self.communes[commune_index].code, role)]


@pytest.fixture
def world(db) -> World:
    province = ProvinceFactory(code="35", name="Hà Nam")
    district = DistrictFactory(code="350", name="Kim Bảng", parent=province)
    communes = [
        CommuneFactory(code="13393", name="Lê Hồ", parent=district),
        CommuneFactory(code="13411", name="Tân Sơn", parent=district),
        CommuneFactory(code="13384", name="Quế", parent=district, kind=UnitKind.TOWNSHIP),
    ]
    w = World(province=province, district=district, communes=communes)
    for unit in communes:
        party = OrganisationFactory(
            unit=unit, kind=OrganisationKind.PARTY_COMMITTEE, name=f"Đảng ủy {unit.name}"
        )
        committee = OrganisationFactory(
            unit=unit, kind=OrganisationKind.PEOPLES_COMMITTEE, name=f"UBND {unit.name}"
        )
        for org, role, seats in [
            (party, "party_secretary", 1),
            (party, "standing_deputy_secretary", 1),
            (committee, "people_committee_chairman", 1),
            (committee, "people_committee_vice_chairman", 2),
            (committee, "finance_accounting_officer", 1),
        ]:
            w.posts[(unit.code, role)] = PostFactory(organisation=org, role=role, seats=seats)
    standing = OrganisationFactory(
        unit=district,
        kind=OrganisationKind.PARTY_STANDING_COMMITTEE,
        name="Ban Thường vụ Huyện ủy Kim Bảng",
    )
    w.body = standing
    home_affairs = OrganisationFactory(
        unit=district, kind=OrganisationKind.DEPARTMENT, name="Phòng Nội vụ"
    )
    w.district_posts["head"] = PostFactory(organisation=home_affairs, role="department_head")
    w.district_posts["specialist"] = PostFactory(
        organisation=home_affairs, role="specialist", seats=3
    )
    return w


# --------------------------------------------------------------------------- areas


def bind_area(user, units) -> None:
    """Bind ``user`` to ``units`` (``access.areas``): without an area a user sees nothing."""
    from access.models import UserArea

    for unit in units:
        UserArea.objects.get_or_create(user=user, unit=unit)


@pytest.fixture
def area_units(request, db) -> list[AdministrativeUnit]:
    """The units the test's users work in: the province of the records the test reads.

    Hà Nam (35) of ``world``, of ``kim_bang_units`` or of the demo's ``kim_bang`` (whose
    wards, under Ninh Bình after 01/07/2025, come with it as its successors): the users of
    the existing tests see all of their records, and the area rule is in force for them.
    Empty when the test has no units (it then reads only the shared catalogues).
    Tests of the rule itself (``access/tests``) build users of other areas.
    """
    names = request.fixturenames
    if "world" in names:
        return [request.getfixturevalue("world").province]
    if "kim_bang_units" in names:
        return [request.getfixturevalue("kim_bang_units").ha_nam]
    if "kim_bang" in names:
        request.getfixturevalue("kim_bang")
        return [AdministrativeUnit.objects.filter(code="35").earliest("valid_from")]
    return []


@pytest.fixture
def make_cadre(world):
    def make(hometown_index: int = 0, **kwargs):
        kwargs.setdefault("hometown", world.communes[hometown_index])
        return CadreFactory(**kwargs)

    return make


D = datetime.date


# --------------------------------------------------------------------------- appended fixtures


@pytest.fixture
def english():
    """Messages in English, so that tests can read them whatever translations exist."""
    from django.utils import translation

    with translation.override("en"):
        yield


def stored_records() -> dict[str, list[dict]]:
    """Every row of every model the services write, to compare before and after a refusal."""
    from cadres.models import Cadre, LocalityOverride
    from communes.models import Organisation, UnitSuccession
    from rotation.models import Assignment, Decision, Movement

    models = [
        AdministrativeUnit,
        UnitSuccession,
        Organisation,
        Post,
        Cadre,
        LocalityOverride,
        Decision,
        Movement,
        Assignment,
    ]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


@dataclass
class Refusal:
    """A ``ValidationError`` raised by a service, read the way a form or an API reads it."""

    error: object

    @property
    def keys(self) -> set[str]:
        return set(self.error.message_dict)

    def messages(self, key: str) -> list[str]:
        return self.error.message_dict.get(key, [])

    def codes(self, key: str) -> list[str]:
        return [e.code for e in self.error.error_dict.get(key, [])]

    def lines(self) -> list[tuple[int, str, str, str]]:
        """(line, field, code, message) of each error about a movement of a decision."""
        return [
            (e.params["line"], e.params["field"], e.code, next(iter(e)))
            for e in self.error.error_dict.get("movements", [])
            if e.params and "field" in e.params
        ]


@pytest.fixture
def refused(db, english):
    """Call a service that must refuse: returns the ``Refusal`` after checking nothing was written.

    ``refused(decision_issue, decision=d)`` fails the test when the call succeeds, raises
    anything but a ``ValidationError`` keyed by field, or changes any stored record.
    """
    from django.core.exceptions import ValidationError

    def call(service, /, **kwargs) -> Refusal:
        before = stored_records()
        with pytest.raises(ValidationError) as caught:
            service(**kwargs)
        assert hasattr(caught.value, "error_dict"), caught.value
        assert stored_records() == before, "a refused write changed the stored records"
        return Refusal(caught.value)

    return call


@dataclass
class KimBangUnits:
    """Kim Bảng's units through the 2025 reforms (DOMAIN.md §4), built with the services.

    Only the units the tests need: Lê Hồ, Đại Cương and Đồng Hóa (→ Lê Hồ ward), Nhật Tân
    and Nhật Tựu (→ Tân Tựu commune on 01/01/2025, code 13402 reused), Hoàng Tây (with Tân
    Tựu → Kim Thanh ward on 01/07/2025), and Quế township; no posts. Uses province code
    35 like ``world`` and the demo's ``kim_bang``: do not ask for two of them in one test.
    """

    ha_nam: AdministrativeUnit
    district: AdministrativeUnit
    town: AdministrativeUnit
    ninh_binh: AdministrativeUnit
    communes: dict[str, AdministrativeUnit]
    tan_tuu: AdministrativeUnit
    wards: dict[str, AdministrativeUnit]


@pytest.fixture
def kim_bang_units(db) -> KimBangUnits:
    from communes.models import SuccessionKind
    from communes.services import unit_create, unit_end, unit_succeed

    start = datetime.date(2010, 1, 1)
    ha_nam = unit_create(code="35", name="Hà Nam", kind=UnitKind.PROVINCE, valid_from=start)
    district = unit_create(
        code="350", name="Kim Bảng", kind=UnitKind.DISTRICT, parent=ha_nam, valid_from=start
    )
    communes = {
        name: unit_create(code=code, name=name, kind=kind, parent=district, valid_from=start)
        for code, name, kind in [
            ("13384", "Quế", UnitKind.TOWNSHIP),
            ("13390", "Đại Cương", UnitKind.COMMUNE),
            ("13393", "Lê Hồ", UnitKind.COMMUNE),
            ("13399", "Nhật Tựu", UnitKind.COMMUNE),
            ("13402", "Nhật Tân", UnitKind.COMMUNE),
            ("13405", "Đồng Hóa", UnitKind.COMMUNE),
            ("13408", "Hoàng Tây", UnitKind.COMMUNE),
        ]
    }
    town = unit_succeed(
        predecessors=[district],
        code="350",
        name="Kim Bảng",
        kind=UnitKind.DISTRICT_TOWN,
        parent=ha_nam,
        effective_date=datetime.date(2025, 1, 1),
        change=SuccessionKind.REGRADE,
        legal_basis="Nghị quyết 1318/NQ-UBTVQH15",
    )
    tan_tuu = unit_succeed(
        predecessors=[communes["Nhật Tân"], communes["Nhật Tựu"]],
        code="13402",
        name="Tân Tựu",
        kind=UnitKind.COMMUNE,
        parent=town,
        effective_date=datetime.date(2025, 1, 1),
        legal_basis="Nghị quyết 1318/NQ-UBTVQH15",
    )
    reform = datetime.date(2025, 7, 1)
    ninh_binh = unit_succeed(
        predecessors=[ha_nam],
        code="37",
        name="Ninh Bình",
        kind=UnitKind.PROVINCE,
        parent=None,
        effective_date=reform,
    )
    wards = {
        "Lê Hồ": unit_succeed(
            predecessors=[communes["Lê Hồ"], communes["Đại Cương"], communes["Đồng Hóa"]],
            code="13393",
            name="Lê Hồ",
            kind=UnitKind.WARD,
            parent=ninh_binh,
            effective_date=reform,
        ),
        "Kim Thanh": unit_succeed(
            predecessors=[tan_tuu, communes["Hoàng Tây"]],
            code="13402",
            name="Kim Thanh",
            kind=UnitKind.WARD,
            parent=ninh_binh,
            effective_date=reform,
        ),
    }
    unit_end(unit=town, last_day=reform - datetime.timedelta(days=1))
    for unit in (*communes.values(), tan_tuu):
        unit.refresh_from_db()
    return KimBangUnits(ha_nam, district, town, ninh_binh, communes, tan_tuu, wards)


class HR:
    """What HR staff do in the tests, always through ``rotation.services``."""

    def __init__(self, world: World):
        self.world = world
        self.numbers = 0

    def draft(self, *, signed_on: datetime.date, number: str | None = None, body=None):
        from rotation.services import decision_create

        self.numbers += 1
        return decision_create(
            number=number or f"{self.numbers}-QĐ/HU",
            signed_on=signed_on,
            issuing_body=body or self.world.body,
            signer="Nguyễn Văn Chính, Bí thư Huyện ủy",
        )

    def seat(self, cadre, post: Post, start: datetime.date = datetime.date(2019, 1, 1), **kwargs):
        """A post already held when the records began."""
        from rotation.services import assignment_record

        return assignment_record(cadre=cadre, post=post, start_date=start, **kwargs)

    def move(self, kind: str, cadre, to_post: Post, effective_date: datetime.date, **kwargs):
        """One movement in a decision of its own, issued; returns the movement."""
        from rotation.services import decision_issue, movement_add

        decision = self.draft(signed_on=kwargs.pop("signed_on", effective_date))
        movement = movement_add(
            decision=decision,
            kind=kind,
            cadre=cadre,
            to_post=to_post,
            effective_date=effective_date,
            **kwargs,
        )
        decision_issue(decision=decision)
        movement.refresh_from_db()
        return movement


@pytest.fixture
def hr(world) -> HR:
    return HR(world)


# --------------------------------------------------------------------------- Kim Bảng records


@pytest.fixture(scope="module")
def kim_bang(django_db_setup, django_db_blocker):
    """The Kim Bảng records of ``load_demo``, loaded once per test module.

    Loaded inside a transaction that is rolled back when the module's tests are done, so
    other modules still start from an empty database. Each test runs in a savepoint
    inside it, as usual.
    """
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --------------------------------------------------------------------------- committing tests


# Autouse: read as soon as the test database exists, before any test (a transactional test
# that runs first, e.g. a restore, leaves the database empty behind it).
@pytest.fixture(scope="session", autouse=True)
def migrated_rows(django_db_setup, django_db_blocker) -> str:
    """The rows the data migrations wrote (the role catalogue …), serialized.

    Tests that commit (a live server, several threads) run with ``transaction=True``, and
    the database is emptied after each of them: those rows go too, while content types
    and permissions come back by themselves (post_migrate). Django's
    ``serialized_rollback`` should restore the rest, but it keeps them on one connection
    object, which is lost once Playwright's greenlets have run (the tests then found no
    role catalogue on PostgreSQL); this fixture keeps them itself, with natural keys for
    content types and permissions, whose ids change when they are recreated.
    """
    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.core import serializers

    recreated = {ContentType, Permission}

    def rows():
        for model in apps.get_models():
            if model not in recreated and model._meta.managed and not model._meta.proxy:
                yield from model._base_manager.order_by("pk")

    with django_db_blocker.unblock():
        return serializers.serialize("json", rows(), use_natural_foreign_keys=True)


@pytest.fixture
def committed_db(transactional_db, migrated_rows):
    """A database whose writes are committed (``transaction=True``), holding what the
    migrations wrote, and emptied afterwards. For live-server and threaded tests."""
    from django.core import serializers
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import transaction

    # Content types and permissions first (the rows refer to them by natural key): a test
    # with ``serialized_rollback`` empties the database without recreating them.
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    with transaction.atomic():
        for row in serializers.deserialize("json", migrated_rows):
            row.save()


# --------------------------------------------------------------------------- test outcomes


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can act on a failure
    (the browser fixtures keep a screenshot)."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
