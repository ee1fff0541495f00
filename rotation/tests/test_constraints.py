"""The database is the backstop: writes that bypass the services break a named constraint.

Check and unique constraints hold on SQLite and PostgreSQL. The overlap rules (one holder
per seat, one principal post, a post held once at a time, a code naming one unit at a
time) are exclusion constraints that only PostgreSQL has; on SQLite the services are the
only guard, and those tests are skipped. Every write is wrapped in ``transaction.atomic``
so that the test database stays usable after the refusal.
"""

import contextlib
import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cadres.models import LocalityOverride
from cadres.tests.factories import CadreFactory
from communes.models import (
    AdministrativeUnit,
    Organisation,
    Post,
    Role,
    RoleCategory,
    UnitKind,
    UnitSuccession,
)
from rotation.models import Assignment, Decision, DecisionStatus, Movement, MovementKind, Term

D = datetime.date
ON_POSTGRESQL = connection.vendor == "postgresql"


def postgres_only(test):
    """Exclusion constraints exist on PostgreSQL only (see communes/postgres.py)."""
    skip = pytest.mark.skipif(
        not ON_POSTGRESQL, reason="exclusion constraints exist on PostgreSQL only"
    )
    return pytest.mark.postgres(skip(test))


@contextlib.contextmanager
def refused_by(constraint: str, *, unique_columns: str = ""):
    """The write inside raises ``IntegrityError`` naming ``constraint``.

    SQLite names a unique constraint by its columns rather than its name, hence
    ``unique_columns`` ("table.column, table.column") for those.
    """
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        yield
    message = str(caught.value)
    expected = unique_columns if unique_columns and not ON_POSTGRESQL else constraint
    assert expected in message, message


@pytest.fixture
def cadre(world, make_cadre):
    return make_cadre(0)


@pytest.fixture
def draft(hr):
    return hr.draft(signed_on=D(2021, 12, 1))


# --------------------------------------------------------------------------- assignments


def test_database_refuses_an_assignment_that_ends_before_it_starts(world, cadre):
    with refused_by("assignment_end_after_start"):
        Assignment.objects.create(
            cadre=cadre,
            post=world.post(0, "party_secretary"),
            start_date=D(2021, 1, 1),
            end_date=D(2020, 12, 31),
        )


def test_database_refuses_seat_zero(world, cadre):
    with refused_by("assignment_seat_positive"):
        Assignment.objects.create(
            cadre=cadre, post=world.post(0, "party_secretary"), start_date=D(2021, 1, 1), seat=0
        )


def test_database_refuses_an_assignment_closed_by_a_movement_without_an_end(
    world, hr, cadre, draft
):
    movement = Movement.objects.create(
        decision=draft,
        kind=MovementKind.APPOINTMENT,
        cadre=cadre,
        to_post=world.post(1, "party_secretary"),
        effective_date=D(2021, 12, 15),
    )

    with refused_by("assignment_closed_has_end"):
        Assignment.objects.create(
            cadre=cadre,
            post=world.post(0, "party_secretary"),
            start_date=D(2021, 1, 1),
            closed_by=movement,
        )


@postgres_only
def test_postgresql_refuses_the_same_post_twice_at_once_for_one_cadre(world, hr, cadre):
    post = world.post(0, "people_committee_vice_chairman")
    hr.seat(cadre, post, D(2019, 1, 1), principal=False)

    with refused_by("assignment_cadre_post_no_overlap"):
        Assignment.objects.create(
            cadre=cadre, post=post, start_date=D(2020, 1, 1), seat=2, principal=False
        )


@postgres_only
def test_postgresql_refuses_two_principal_posts_at_once(world, hr, cadre):
    hr.seat(cadre, world.post(0, "party_secretary"), D(2019, 1, 1))

    with refused_by("assignment_one_principal_at_a_time"):
        Assignment.objects.create(
            cadre=cadre, post=world.post(1, "party_secretary"), start_date=D(2020, 1, 1)
        )


@postgres_only
def test_postgresql_refuses_two_holders_on_one_seat(world, hr, make_cadre):
    post = world.post(0, "people_committee_vice_chairman")
    hr.seat(make_cadre(0), post, D(2019, 1, 1))

    with refused_by("assignment_seat_one_holder_at_a_time"):
        Assignment.objects.create(cadre=make_cadre(1), post=post, start_date=D(2020, 1, 1), seat=1)


@postgres_only
def test_postgresql_lets_void_assignments_overlap(world, hr, make_cadre):
    post = world.post(0, "party_secretary")
    hr.seat(make_cadre(0), post, D(2019, 1, 1))

    with transaction.atomic():
        Assignment.objects.create(
            cadre=make_cadre(1), post=post, start_date=D(2020, 1, 1), seat=1, is_void=True
        )

    assert Assignment.objects.filter(post=post).count() == 2


def test_assignments_that_follow_each_other_on_a_seat_are_accepted(world, make_cadre):
    post = world.post(0, "party_secretary")
    with transaction.atomic():
        Assignment.objects.create(
            cadre=make_cadre(0), post=post, start_date=D(2019, 1, 1), end_date=D(2020, 12, 31)
        )
        Assignment.objects.create(cadre=make_cadre(1), post=post, start_date=D(2021, 1, 1))

    assert Assignment.objects.filter(post=post, seat=1).count() == 2


# --------------------------------------------------------------------------- movements


def movement(world, decision, cadre, **fields):
    values = {
        "decision": decision,
        "kind": MovementKind.APPOINTMENT,
        "cadre": cadre,
        "to_post": world.post(0, "party_secretary"),
        "effective_date": D(2021, 12, 15),
    }
    return Movement.objects.create(**{**values, **fields})


@pytest.fixture
def held(world, hr, cadre):
    return hr.seat(cadre, world.post(1, "party_secretary"))


def test_database_refuses_a_planned_end_on_a_transfer(world, draft, cadre, held):
    with refused_by("movement_planned_end_iff_rotation_or_secondment"):
        movement(
            world,
            draft,
            cadre,
            kind=MovementKind.TRANSFER,
            from_assignment=held,
            planned_end=D(2025, 1, 1),
        )


def test_database_refuses_a_rotation_without_a_planned_end(world, draft, cadre, held):
    with refused_by("movement_planned_end_iff_rotation_or_secondment"):
        movement(world, draft, cadre, kind=MovementKind.ROTATION, from_assignment=held)


def test_database_refuses_a_planned_end_not_after_the_effective_date(world, draft, cadre, held):
    with refused_by("movement_planned_end_after_effective_date"):
        movement(
            world,
            draft,
            cadre,
            kind=MovementKind.SECONDMENT,
            from_assignment=held,
            planned_end=D(2021, 12, 15),
        )


def test_database_refuses_a_return_without_the_rotation_it_ends(world, draft, cadre, held):
    with refused_by("movement_return_iff_returns_from"):
        movement(world, draft, cadre, kind=MovementKind.RETURN, from_assignment=held)


def test_database_refuses_a_rotation_named_on_a_transfer(world, draft, cadre, held):
    rotation = movement(
        world,
        draft,
        cadre,
        kind=MovementKind.ROTATION,
        from_assignment=held,
        planned_end=D(2024, 12, 31),
    )

    with refused_by("movement_return_iff_returns_from"):
        movement(
            world,
            draft,
            cadre,
            kind=MovementKind.TRANSFER,
            from_assignment=held,
            returns_from=rotation,
            position=2,
        )


def test_database_refuses_a_transfer_that_leaves_no_post(world, draft, cadre):
    with refused_by("movement_leaving_kinds_leave_a_post"):
        movement(world, draft, cadre, kind=MovementKind.TRANSFER)


def test_database_refuses_an_unknown_kind_of_movement(world, draft, cadre):
    with refused_by("movement_kind_known"):
        movement(world, draft, cadre, kind="promotion")


def test_database_refuses_two_movements_on_one_line_of_a_decision(world, draft, cadre):
    movement(world, draft, cadre)

    with refused_by(
        "movement_unique_position_in_decision",
        unique_columns="rotation_movement.decision_id, rotation_movement.position",
    ):
        movement(world, draft, cadre, to_post=world.post(1, "party_secretary"))


# --------------------------------------------------------------------------- decisions


def decision(world, **fields):
    values = {
        "number": "125-QĐ/HU",
        "signed_on": D(2021, 12, 1),
        "issuing_body": world.body,
        "signer": "Nguyễn Văn Chính",
    }
    return Decision.objects.create(**{**values, **fields})


def test_database_refuses_an_issued_decision_without_its_issue_time(world):
    with refused_by("decision_issued_has_issue_time"):
        decision(world, status=DecisionStatus.ISSUED)


def test_database_refuses_a_cancelled_decision_without_a_reason(world):
    with refused_by("decision_cancelled_has_reason"):
        decision(
            world,
            status=DecisionStatus.CANCELLED,
            issued_at=timezone.now(),
            cancelled_at=timezone.now(),
        )


def test_database_refuses_an_unknown_decision_status(world):
    with refused_by("decision_status_known"):
        decision(world, status="archived", issued_at=timezone.now())


def test_database_refuses_a_decision_number_twice_for_a_body_in_a_year(world):
    decision(world, signed_on=D(2021, 3, 2))

    with refused_by(
        "decision_number_unique_per_body_and_year",
        unique_columns="decision_number_unique_per_body_and_year",
    ):
        decision(world, signed_on=D(2021, 12, 1))


def test_database_accepts_a_decision_number_again_the_next_year(world):
    decision(world, signed_on=D(2021, 3, 2))

    with transaction.atomic():
        decision(world, signed_on=D(2022, 3, 2))

    assert Decision.objects.filter(number="125-QĐ/HU").count() == 2


def test_database_refuses_a_term_that_ends_before_it_starts(db):
    with refused_by("term_end_after_start"):
        Term.objects.create(name="2025–2020", start=D(2025, 1, 1), end=D(2020, 1, 1))


# --------------------------------------------------------------------------- units and posts


def unit(**fields):
    values = {
        "code": "13393",
        "name": "Lê Hồ",
        "kind": UnitKind.COMMUNE,
        "valid_from": D(2010, 1, 1),
    }
    return AdministrativeUnit.objects.create(**{**values, **fields})


def test_database_refuses_a_commune_without_a_parent_unit(db):
    with refused_by("unit_parent_unless_province"):
        unit(parent=None)


def test_database_refuses_a_province_with_a_parent_unit(world):
    with refused_by("unit_parent_unless_province"):
        unit(code="37", name="Ninh Bình", kind=UnitKind.PROVINCE, parent=world.province)


def test_database_refuses_a_unit_that_ends_before_it_starts(world):
    with refused_by("unit_valid_to_after_valid_from"):
        unit(code="13390", parent=world.district, valid_to=D(2009, 12, 31))


def test_database_refuses_an_unknown_kind_of_unit(world):
    with refused_by("unit_kind_known"):
        unit(code="13390", parent=world.district, kind="hamlet")


def test_database_refuses_two_units_with_one_code_from_one_day(world):
    with refused_by(
        "unit_code_valid_from_unique",
        unique_columns="communes_administrativeunit.code, communes_administrativeunit.valid_from",
    ):
        unit(parent=world.district)


@postgres_only
def test_postgresql_refuses_two_units_with_one_code_at_once(world):
    with refused_by("unit_code_not_shared_at_once"):
        unit(parent=world.district, valid_from=D(2020, 1, 1))


def test_database_accepts_a_code_reused_once_the_first_unit_ended(world):
    nhat_tan = unit(code="13402", name="Nhật Tân", parent=world.district)
    AdministrativeUnit.objects.filter(pk=nhat_tan.pk).update(valid_to=D(2024, 12, 31))

    with transaction.atomic():
        unit(code="13402", name="Tân Tựu", parent=world.district, valid_from=D(2025, 1, 1))

    assert AdministrativeUnit.objects.with_code("13402").count() == 2


def test_database_refuses_a_unit_succeeding_itself(world):
    with refused_by("succession_not_self"):
        UnitSuccession.objects.create(
            predecessor=world.communes[0], successor=world.communes[0], kind="rename"
        )


def test_database_refuses_an_organisation_that_ends_before_it_starts(world):
    with refused_by("organisation_valid_to_after_valid_from"):
        Organisation.objects.create(
            unit=world.communes[0],
            kind="peoples_council",
            name="HĐND xã Lê Hồ",
            valid_from=D(2021, 1, 1),
            valid_to=D(2020, 1, 1),
        )


@pytest.mark.parametrize("seats", [0, 100])
def test_database_refuses_a_post_without_seats_or_with_too_many(world, seats):
    organisation = world.post(0, "party_secretary").organisation

    with refused_by("post_seats_between_1_and_99"):
        Post.objects.create(
            organisation=organisation,
            role=Role.objects.get(code="deputy_secretary"),
            seats=seats,
            valid_from=D(2010, 1, 1),
        )


@postgres_only
def test_postgresql_refuses_one_role_twice_in_an_organisation_at_once(world):
    secretary = world.post(0, "party_secretary")

    with refused_by("post_role_not_duplicated_at_once"):
        Post.objects.create(
            organisation=secretary.organisation, role=secretary.role, valid_from=D(2020, 1, 1)
        )


@pytest.mark.parametrize(
    ("category", "field"),
    [(RoleCategory.CIVIL_SERVANT, ""), (RoleCategory.CADRE, "finance")],
    ids=["civil servant without field", "cadre with a field"],
)
def test_database_refuses_a_role_whose_field_does_not_match_its_category(db, category, field):
    with refused_by("role_field_iff_civil_servant"):
        Role.objects.create(
            code="new_role",
            name="Chức danh mới",
            name_en="New role",
            category=category,
            field=field,
        )


# --------------------------------------------------------------------------- cadres


def test_database_refuses_a_personal_id_that_is_not_12_digits(world):
    with refused_by("cadre_personal_id_12_digits"):
        CadreFactory(hometown=world.communes[0], personal_id="03507500123")


def test_database_refuses_a_party_date_before_birth(world):
    with refused_by("cadre_party_after_birth"):
        CadreFactory(
            hometown=world.communes[0],
            date_of_birth=D(1975, 5, 1),
            party_joined_on=D(1970, 1, 1),
        )


def test_database_refuses_an_unknown_gender(world):
    with refused_by("cadre_gender_known"):
        CadreFactory(hometown=world.communes[0], gender="unknown")


def test_database_refuses_a_personal_id_twice(world):
    CadreFactory(hometown=world.communes[0], personal_id="035075001234")

    with refused_by("personal_id", unique_columns="cadres_cadre.personal_id"):
        CadreFactory(hometown=world.communes[0], personal_id="035075001234")


def test_database_refuses_an_override_without_a_reason(world, cadre):
    with refused_by("override_reason_required"):
        LocalityOverride.objects.create(
            cadre=cadre, unit=world.communes[1], is_local=True, reason=""
        )


def test_database_refuses_two_overrides_for_one_cadre_and_unit(world, cadre):
    LocalityOverride.objects.create(
        cadre=cadre, unit=world.communes[1], is_local=True, reason="Lớn lên ở xã"
    )

    with refused_by(
        "override_one_per_cadre_and_unit",
        unique_columns="cadres_localityoverride.cadre_id, cadres_localityoverride.unit_id",
    ):
        LocalityOverride.objects.create(
            cadre=cadre, unit=world.communes[1], is_local=False, reason="Nhầm"
        )
