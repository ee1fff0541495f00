"""The database is the backstop: writes that bypass the services break a named constraint.

Every named constraint is tried five ways around the services: ``Model.objects.create``,
``bulk_create``, ``QuerySet.update``, and raw SQL ``INSERT`` and ``UPDATE``. Each case
builds a record that the database accepts and the change that breaks the rule; the
insert ways write the broken record at once, the update ways write the good one and
then break it.

Check and unique constraints hold on SQLite and PostgreSQL. The overlap rules (a cadre
holds a post once at a time, one principal post, one holder per seat, a code names one
unit at a time, a role once per organisation at a time) are exclusion constraints, and
"no seat above the post's seats" is a pair of constraint triggers: PostgreSQL only
(``communes/postgres.py``, ``rotation/migrations/0002_…`` and ``0003_…``). On SQLite
those cases are skipped with the reason and the services are the guard: the last tests
show that the services refuse the same records on both databases.

Every write is wrapped in ``transaction.atomic`` so that the test database stays usable
after the refusal; deferred checks (the seat triggers, foreign keys) are fired inside it,
as a commit would.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from cadres.models import LocalityOverride
from cadres.tests.factories import CadreFactory
from communes.models import (
    AdministrativeUnit,
    Organisation,
    OrganisationKind,
    Post,
    Role,
    RoleCategory,
    SuccessionKind,
    UnitKind,
    UnitSuccession,
)
from communes.services import post_set_seats
from rotation.models import Assignment, Decision, DecisionStatus, Movement, MovementKind, Term
from rotation.services import assignment_record, decision_cancel

D = datetime.date
ON_POSTGRESQL = connection.vendor == "postgresql"
NOT_ON_SQLITE = "exclusion constraints and constraint triggers exist on PostgreSQL only"
SEAT_BOUND = "assignment_seat_within_post_seats"


def postgres_only(test):
    """Exclusion constraints and triggers exist on PostgreSQL only (see communes/postgres.py)."""
    skip = pytest.mark.skipif(not ON_POSTGRESQL, reason=NOT_ON_SQLITE)
    return pytest.mark.postgres(skip(test))


def expected_in_error(model: type[models.Model], constraint: str) -> str:
    """What the database's message names: the constraint, or on SQLite, for a unique
    constraint on fields, its columns ("table.column, table.column")."""
    if ON_POSTGRESQL:
        return constraint
    for item in model._meta.constraints:
        if item.name == constraint and isinstance(item, models.UniqueConstraint) and item.fields:
            table = model._meta.db_table
            return ", ".join(f"{table}.{model._meta.get_field(f).column}" for f in item.fields)
    return constraint


@contextlib.contextmanager
def checked_as_at_commit():
    """Run the deferred checks (the seat triggers, foreign keys) at the end of the block."""
    yield
    connection.check_constraints()


@contextlib.contextmanager
def refused_by(model: type[models.Model], constraint: str):
    """The write inside raises ``IntegrityError`` naming ``constraint``, at once or when the
    deferred checks run (as they would at commit)."""
    try:
        with pytest.raises(IntegrityError) as caught, transaction.atomic(), checked_as_at_commit():
            yield
    finally:
        if ON_POSTGRESQL:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    message = str(caught.value)
    expected = expected_in_error(model, constraint)
    assert expected in message, message


# --------------------------------------------------------------------------- writing around the services


def column_values(instance: models.Model, changes: dict) -> dict:
    """``changes`` by attname, related records replaced by their ids."""
    values = {}
    for name, value in changes.items():
        field = instance._meta.get_field(name)
        values[field.attname] = value.pk if isinstance(value, models.Model) else value
    return values


def values_of(instance: models.Model) -> dict:
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if not f.primary_key
    }


def raw_insert(instance: models.Model) -> None:
    fields = [f for f in instance._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    params = [f.get_db_prep_save(f.pre_save(instance, add=True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(instance._meta.db_table)} "
            f"({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})",
            params,
        )


def raw_update(instance: models.Model, changes: dict) -> None:
    meta = instance._meta
    quote = connection.ops.quote_name
    fields = [meta.get_field(name) for name in changes]
    params = [f.get_db_prep_save(changes[f.attname], connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} "
            f"SET {', '.join(f'{quote(f.column)} = %s' for f in fields)} "
            f"WHERE {quote(meta.pk.column)} = %s",
            [*params, instance.pk],
        )


INSERT_WAYS = ("objects.create", "bulk_create", "raw INSERT")
UPDATE_WAYS = ("QuerySet.update", "raw UPDATE")
WAYS = INSERT_WAYS + UPDATE_WAYS


def write_around_services(way: str, instance: models.Model, changes: dict, constraint: str):
    """Write ``instance`` with ``changes`` one ``way``: ``constraint`` refuses it, and the
    stored records are as before."""
    model = type(instance)
    manager = model._default_manager
    bad = column_values(instance, changes)
    if way in UPDATE_WAYS:
        stored = manager.create(**values_of(instance))
        before = manager.filter(pk=stored.pk).values().get()
        with refused_by(model, constraint):
            if way == "QuerySet.update":
                manager.filter(pk=stored.pk).update(**bad)
            else:
                raw_update(stored, bad)
        assert manager.filter(pk=stored.pk).values().get() == before
        return
    broken = model(**{**values_of(instance), **bad})
    rows = manager.count()
    with refused_by(model, constraint):
        if way == "objects.create":
            manager.create(**values_of(broken))
        elif way == "bulk_create":
            manager.bulk_create([broken])
        else:
            raw_insert(broken)
    assert manager.count() == rows


# --------------------------------------------------------------------------- the records of the cases


class Records:
    """The district of ``world`` and what the cases build on, made when first asked for."""

    def __init__(self, world, hr, make_cadre):
        self.world = world
        self.hr = hr
        self.make_cadre = make_cadre
        self.cadres: dict[int, object] = {}

    def cadre(self, index: int = 0):
        if index not in self.cadres:
            self.cadres[index] = self.make_cadre(index % 3)
        return self.cadres[index]

    def post(self, commune: int = 0, role: str = "party_secretary") -> Post:
        return self.world.post(commune, role)

    @cached_property
    def draft(self) -> Decision:
        return self.hr.draft(signed_on=D(2021, 12, 1))

    @cached_property
    def held(self) -> Assignment:
        """Cadre 0, Party secretary of the second commune since 2019."""
        return self.hr.seat(self.cadre(0), self.post(1), D(2019, 1, 1))

    # Unsaved records that the database accepts; each case changes one thing.

    def assignment(self, **fields) -> Assignment:
        values = {"cadre": self.cadre(0), "post": self.post(0), "start_date": D(2021, 1, 1)}
        return Assignment(**{**values, **fields})

    def movement(self, **fields) -> Movement:
        values = {
            "decision": self.draft,
            "kind": MovementKind.APPOINTMENT,
            "cadre": self.cadre(0),
            "to_post": self.post(0),
            "effective_date": D(2021, 12, 15),
        }
        return Movement(**{**values, **fields})

    def decision(self, **fields) -> Decision:
        values = {
            "number": "125-QĐ/HU",
            "signed_on": D(2021, 12, 1),
            "issuing_body": self.world.body,
            "signer": "Nguyễn Văn Chính",
        }
        return Decision(**{**values, **fields})

    def unit(self, **fields) -> AdministrativeUnit:
        values = {
            "code": "13999",
            "name": "Xã Mới",
            "kind": UnitKind.COMMUNE,
            "parent": self.world.district,
            "valid_from": D(2010, 1, 1),
        }
        return AdministrativeUnit(**{**values, **fields})

    def succession(self, **fields) -> UnitSuccession:
        values = {
            "predecessor": self.world.communes[0],
            "successor": self.world.communes[1],
            "kind": SuccessionKind.MERGE,
        }
        return UnitSuccession(**{**values, **fields})

    def organisation(self, **fields) -> Organisation:
        values = {
            "unit": self.world.communes[0],
            "kind": OrganisationKind.PEOPLES_COUNCIL,
            "name": "HĐND xã Lê Hồ",
            "valid_from": D(2010, 1, 1),
        }
        return Organisation(**{**values, **fields})

    def role(self, **fields) -> Role:
        values = {
            "code": "new_role",
            "name": "Chức danh mới",
            "name_en": "New role",
            "category": RoleCategory.CADRE,
            "field": "",
        }
        return Role(**{**values, **fields})

    def new_post(self, **fields) -> Post:
        values = {
            "organisation": self.post(0).organisation,
            "role": Role.objects.get(code="deputy_secretary"),
            "seats": 1,
            "valid_from": D(2010, 1, 1),
        }
        return Post(**{**values, **fields})

    def person(self, **fields):
        return CadreFactory.build(hometown=self.world.communes[0], **fields)

    def override(self, **fields) -> LocalityOverride:
        values = {
            "cadre": self.cadre(0),
            "unit": self.world.communes[1],
            "is_local": True,
            "reason": "Lớn lên ở xã",
        }
        return LocalityOverride(**{**values, **fields})


@pytest.fixture
def records(world, hr, make_cadre) -> Records:
    return Records(world, hr, make_cadre)


# --------------------------------------------------------------------------- the cases


@dataclass(frozen=True)
class Case:
    """``build`` returns a record the database accepts and the changes that break ``constraint``."""

    constraint: str
    build: Callable[[Records], tuple[models.Model, dict]]
    postgres_only: bool = False
    id: str = ""


def _same_post_twice(r: Records):
    deputy = r.post(0, "people_committee_vice_chairman")  # two seats: only the overlap is wrong
    r.hr.seat(r.cadre(0), deputy, D(2019, 1, 1), principal=False)
    earlier = r.assignment(
        post=deputy, seat=2, principal=False, start_date=D(2015, 1, 1), end_date=D(2018, 12, 31)
    )
    return earlier, {"end_date": None}


def _two_principal_posts(r: Records):
    r.hr.seat(r.cadre(0), r.post(0), D(2019, 1, 1))
    earlier = r.assignment(post=r.post(1), start_date=D(2015, 1, 1), end_date=D(2018, 12, 31))
    return earlier, {"end_date": None}


def _two_holders_on_one_seat(r: Records):
    deputy = r.post(0, "people_committee_vice_chairman")
    r.hr.seat(r.cadre(1), deputy, D(2019, 1, 1))
    earlier = r.assignment(post=deputy, seat=1, start_date=D(2015, 1, 1), end_date=D(2018, 12, 31))
    return earlier, {"end_date": None}


def _seat_above_seats(r: Records):
    return r.assignment(post=r.post(0), seat=1), {"seat": 2}  # Party secretary: one seat


def _closed_without_end(r: Records):
    movement = r.movement()
    movement.save()
    return r.assignment(closed_by=movement, end_date=D(2021, 12, 14)), {"end_date": None}


def _two_movements_on_one_line(r: Records):
    r.movement(position=1).save()
    return r.movement(position=2, to_post=r.post(1)), {"position": 1}


def _transfer_named_as_return(r: Records):
    rotation = r.movement(
        kind=MovementKind.ROTATION,
        from_assignment=r.held,
        planned_end=D(2024, 12, 31),
        position=2,
    )
    rotation.save()
    return r.movement(kind=MovementKind.TRANSFER, from_assignment=r.held), {
        "returns_from": rotation
    }


def _decision_number_twice(r: Records):
    r.decision(signed_on=D(2021, 3, 2)).save()
    return r.decision(number="126-QĐ/HU"), {"number": "125-QĐ/HU"}


def _unit_code_and_start_twice(r: Records):
    r.unit(valid_to=D(2014, 12, 31)).save()
    return r.unit(name="Xã Mới (2)", valid_from=D(2015, 1, 1)), {"valid_from": D(2010, 1, 1)}


def _unit_code_shared_at_once(r: Records):
    r.unit(valid_to=D(2014, 12, 31)).save()
    return r.unit(name="Xã Mới (2)", valid_from=D(2015, 1, 1)), {"valid_from": D(2014, 1, 1)}


def _succession_twice(r: Records):
    r.succession().save()
    return r.succession(successor=r.world.communes[2]), {"successor": r.world.communes[1]}


def _organisation_name_twice(r: Records):
    r.organisation().save()
    return r.organisation(name="HĐND xã Lê Hồ (2)"), {"name": "HĐND xã Lê Hồ"}


def _post_role_and_start_twice(r: Records):
    r.new_post(valid_to=D(2014, 12, 31)).save()
    return r.new_post(valid_from=D(2015, 1, 1)), {"valid_from": D(2010, 1, 1)}


def _post_role_twice_at_once(r: Records):
    r.new_post(valid_to=D(2014, 12, 31)).save()
    return r.new_post(valid_from=D(2015, 1, 1)), {"valid_from": D(2014, 1, 1)}


def _override_twice(r: Records):
    r.override().save()
    return r.override(unit=r.world.communes[2]), {"unit": r.world.communes[1]}


NOW = timezone.now

CASES = [
    # Assignments: the overlap rules and the seats.
    Case("assignment_cadre_post_no_overlap", _same_post_twice, postgres_only=True),
    Case("assignment_one_principal_at_a_time", _two_principal_posts, postgres_only=True),
    Case("assignment_seat_one_holder_at_a_time", _two_holders_on_one_seat, postgres_only=True),
    Case(SEAT_BOUND, _seat_above_seats, postgres_only=True),
    Case(
        "assignment_end_after_start",
        lambda r: (r.assignment(end_date=D(2021, 12, 31)), {"end_date": D(2020, 12, 31)}),
    ),
    Case("assignment_seat_positive", lambda r: (r.assignment(), {"seat": 0})),
    Case("assignment_closed_has_end", _closed_without_end),
    # Movements.
    Case("movement_kind_known", lambda r: (r.movement(), {"kind": "promotion"})),
    Case(
        "movement_planned_end_iff_rotation_or_secondment",
        lambda r: (
            r.movement(kind=MovementKind.TRANSFER, from_assignment=r.held),
            {"planned_end": D(2025, 1, 1)},
        ),
    ),
    Case(
        "movement_planned_end_after_effective_date",
        lambda r: (
            r.movement(
                kind=MovementKind.SECONDMENT, from_assignment=r.held, planned_end=D(2022, 12, 15)
            ),
            {"planned_end": D(2021, 12, 15)},
        ),
    ),
    Case("movement_return_iff_returns_from", _transfer_named_as_return),
    Case(
        "movement_leaving_kinds_leave_a_post",
        lambda r: (
            r.movement(kind=MovementKind.TRANSFER, from_assignment=r.held),
            {"from_assignment": None},
        ),
    ),
    Case("movement_unique_position_in_decision", _two_movements_on_one_line),
    # Decisions and terms.
    Case(
        "decision_status_known",
        lambda r: (r.decision(issued_at=NOW()), {"status": "archived"}),
    ),
    Case(
        "decision_issued_has_issue_time",
        lambda r: (r.decision(), {"status": DecisionStatus.ISSUED}),
    ),
    Case(
        "decision_cancelled_has_reason",
        lambda r: (
            r.decision(status=DecisionStatus.ISSUED, issued_at=NOW(), cancelled_at=NOW()),
            {"status": DecisionStatus.CANCELLED},
        ),
    ),
    Case("decision_number_unique_per_body_and_year", _decision_number_twice),
    Case(
        "term_end_after_start",
        lambda r: (
            Term(name="2020–2025", start=D(2020, 10, 1), end=D(2025, 9, 30)),
            {"end": D(2020, 1, 1)},
        ),
    ),
    # Units, successions, organisations, roles, posts.
    Case(
        "unit_valid_to_after_valid_from",
        lambda r: (r.unit(), {"valid_to": D(2009, 12, 31)}),
    ),
    Case("unit_kind_known", lambda r: (r.unit(), {"kind": "hamlet"})),
    Case("unit_parent_unless_province", lambda r: (r.unit(), {"parent": None})),
    Case("unit_code_valid_from_unique", _unit_code_and_start_twice),
    Case("unit_code_not_shared_at_once", _unit_code_shared_at_once, postgres_only=True),
    Case("succession_not_self", lambda r: (r.succession(), {"successor": r.world.communes[0]})),
    Case("succession_kind_known", lambda r: (r.succession(), {"kind": "conquest"})),
    Case("succession_unique_pair", _succession_twice),
    Case(
        "organisation_valid_to_after_valid_from",
        lambda r: (r.organisation(), {"valid_to": D(2009, 1, 1)}),
    ),
    Case("organisation_kind_known", lambda r: (r.organisation(), {"kind": "club"})),
    Case("organisation_unique_name_in_unit", _organisation_name_twice),
    Case("role_category_known", lambda r: (r.role(), {"category": "volunteer"})),
    Case("role_field_iff_civil_servant", lambda r: (r.role(), {"field": "finance"})),
    Case(
        "role_valid_to_after_valid_from",
        lambda r: (r.role(valid_from=D(2010, 1, 1)), {"valid_to": D(2009, 1, 1)}),
    ),
    Case(
        "post_valid_to_after_valid_from",
        lambda r: (r.new_post(), {"valid_to": D(2009, 1, 1)}),
    ),
    Case("post_seats_between_1_and_99", lambda r: (r.new_post(), {"seats": 0}), id="0 seats"),
    Case("post_seats_between_1_and_99", lambda r: (r.new_post(), {"seats": 100}), id="100 seats"),
    Case("post_unique_role_in_organisation", _post_role_and_start_twice),
    Case("post_role_not_duplicated_at_once", _post_role_twice_at_once, postgres_only=True),
    # Cadres and their locality overrides.
    Case(
        "cadre_personal_id_12_digits",
        lambda r: (r.person(personal_id="035075001234"), {"personal_id": "03507500123"}),
    ),
    Case("cadre_gender_known", lambda r: (r.person(), {"gender": "unknown"})),
    Case("cadre_status_known", lambda r: (r.person(), {"status": "vanished"})),
    Case("cadre_born_after_1900", lambda r: (r.person(), {"date_of_birth": D(1899, 12, 31)})),
    Case(
        "cadre_party_after_birth",
        lambda r: (r.person(party_joined_on=D(2000, 1, 1)), {"party_joined_on": D(1970, 1, 1)}),
    ),
    Case("override_reason_required", lambda r: (r.override(), {"reason": ""})),
    Case("override_one_per_cadre_and_unit", _override_twice),
]


def _params():
    for case in CASES:
        marks = [pytest.mark.postgres] if case.postgres_only else []
        if case.postgres_only and not ON_POSTGRESQL:
            marks.append(pytest.mark.skip(reason=NOT_ON_SQLITE))
        for way in WAYS:
            name = f"{case.constraint}{f' ({case.id})' if case.id else ''} - {way}"
            yield pytest.param(case, way, marks=marks, id=name)


@pytest.mark.parametrize(("case", "way"), list(_params()))
def test_database_refuses_a_write_that_bypasses_the_services(records, case, way):
    instance, changes = case.build(records)

    write_around_services(way, instance, changes, case.constraint)


# --------------------------------------------------------------------------- every constraint has a case


OUR_APPS = ("communes", "cadres", "rotation")


def test_every_named_constraint_of_the_models_is_tried(db):
    named = {
        constraint.name
        for label in OUR_APPS
        for model in apps.get_app_config(label).get_models()
        for constraint in model._meta.constraints
    }

    assert named - {case.constraint for case in CASES} == set()


@postgres_only
def test_every_postgresql_only_constraint_is_tried(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname FROM pg_constraint WHERE contype IN ('x', 't')")
        exclusions_and_triggers = {name for (name,) in cursor.fetchall()}

    tried = {case.constraint for case in CASES} | {"post_seats_cover_holders"}
    assert exclusions_and_triggers - tried == set()
    assert {SEAT_BOUND, "post_seats_cover_holders"} <= exclusions_and_triggers


# --------------------------------------------------------------------------- seats lowered below the holders


@postgres_only
@pytest.mark.parametrize("way", UPDATE_WAYS)
def test_postgresql_refuses_fewer_seats_than_the_seat_numbers_held(records, way):
    deputy = records.post(0, "people_committee_vice_chairman")
    records.hr.seat(records.cadre(0), deputy, D(2019, 1, 1))
    records.hr.seat(records.cadre(1), deputy, D(2019, 1, 1))

    with refused_by(Post, SEAT_BOUND):
        if way == "QuerySet.update":
            Post.objects.filter(pk=deputy.pk).update(seats=1)
        else:
            raw_update(deputy, {"seats": 1})

    deputy.refresh_from_db()
    assert deputy.seats == 2


# --------------------------------------------------------------------------- what the database accepts


@postgres_only
def test_postgresql_lets_void_assignments_overlap(records):
    post = records.post(0)
    records.hr.seat(records.cadre(0), post, D(2019, 1, 1))

    with transaction.atomic(), checked_as_at_commit():
        Assignment.objects.create(
            cadre=records.cadre(1), post=post, start_date=D(2020, 1, 1), seat=2, is_void=True
        )

    assert Assignment.objects.filter(post=post).count() == 2


def test_assignments_that_follow_each_other_on_a_seat_are_accepted(records):
    post = records.post(0)
    with transaction.atomic(), checked_as_at_commit():
        Assignment.objects.create(
            cadre=records.cadre(0), post=post, start_date=D(2019, 1, 1), end_date=D(2020, 12, 31)
        )
        Assignment.objects.create(cadre=records.cadre(1), post=post, start_date=D(2021, 1, 1))

    assert Assignment.objects.filter(post=post, seat=1).count() == 2


def test_the_services_reseating_a_post_pass_the_deferred_seat_check(records):
    """The services park a holder on a spare seat number for a moment (``seating.renumber``)
    and lower the seats before reseating: what is checked is the state at commit."""
    deputy = records.post(0, "people_committee_vice_chairman")
    appointed = records.hr.move(
        MovementKind.APPOINTMENT, records.cadre(0), deputy, D(2019, 1, 1)
    )  # seat 1
    second = assignment_record(cadre=records.cadre(1), post=deputy, start_date=D(2019, 1, 1))
    decision_cancel(decision=appointed.decision, reason="Quyết định 2-QĐ/HU hủy bỏ")
    assert second.seat == 2

    with transaction.atomic(), checked_as_at_commit():
        post_set_seats(post=deputy, seats=1)  # seats 1, then second parked on 1001, then 1

    second.refresh_from_db()
    assert (second.seat, Post.objects.get(pk=deputy.pk).seats) == (1, 1)


def test_database_accepts_a_decision_number_again_the_next_year(records):
    records.decision(signed_on=D(2021, 3, 2)).save()

    with transaction.atomic():
        records.decision(signed_on=D(2022, 3, 2)).save()

    assert Decision.objects.filter(number="125-QĐ/HU").count() == 2


def test_database_accepts_a_code_reused_once_the_first_unit_ended(records):
    records.unit(valid_to=D(2024, 12, 31)).save()

    with transaction.atomic(), checked_as_at_commit():
        records.unit(name="Tân Tựu", valid_from=D(2025, 1, 1)).save()

    assert AdministrativeUnit.objects.with_code("13999").count() == 2


# --------------------------------------------------------------------------- the services refuse the same


def test_services_refuse_the_same_post_twice_at_once(records, refused):
    deputy = records.post(0, "people_committee_vice_chairman")
    records.hr.seat(records.cadre(0), deputy, D(2019, 1, 1), principal=False)

    refusal = refused(
        assignment_record,
        cadre=records.cadre(0),
        post=deputy,
        start_date=D(2015, 1, 1),
        principal=False,
    )

    assert refusal.codes("post") == ["same_post_twice"]


def test_services_refuse_two_principal_posts_at_once(records, refused):
    records.hr.seat(records.cadre(0), records.post(0), D(2019, 1, 1))

    refusal = refused(
        assignment_record, cadre=records.cadre(0), post=records.post(1), start_date=D(2015, 1, 1)
    )

    assert refusal.codes("principal") == ["two_principal_posts"]


def test_services_refuse_more_holders_than_seats(records, refused):
    records.hr.seat(records.cadre(0), records.post(0), D(2019, 1, 1))

    refusal = refused(
        assignment_record, cadre=records.cadre(1), post=records.post(0), start_date=D(2015, 1, 1)
    )

    assert refusal.codes("post") == ["post_full"]


def test_services_refuse_fewer_seats_than_holders(records, refused):
    deputy = records.post(0, "people_committee_vice_chairman")
    records.hr.seat(records.cadre(0), deputy, D(2019, 1, 1))
    records.hr.seat(records.cadre(1), deputy, D(2019, 1, 1))

    refusal = refused(post_set_seats, post=deputy, seats=1)

    assert refusal.codes("seats") == ["too_few_seats"]
