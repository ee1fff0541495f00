"""Every model of the records keeps its history: each create, change and delete writes a
history row with the values, the user, the reason and where the change came from."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.db import models

from audit.changes import entries, history_of
from audit.context import recording
from audit.models import AuditedHistoricalModel
from audit.tests.conftest import audited_models
from cadres.services import cadre_update, locality_override_remove, locality_override_set
from communes.models import Role, UnitKind
from communes.services import (
    organisation_create,
    organisation_update,
    post_create,
    post_update,
    role_create,
    role_update,
    unit_create,
    unit_update,
)
from rotation.models import Term
from rotation.services import (
    decision_update,
    movement_add,
    movement_remove,
    movement_update,
)

D = datetime.date

# Every model of communes, cadres, rotation (and access, once it exists).
EXPECTED = {
    "communes.AdministrativeUnit",
    "communes.UnitSuccession",
    "communes.Organisation",
    "communes.Role",
    "communes.Post",
    "cadres.Cadre",
    "cadres.LocalityOverride",
    "rotation.Term",
    "rotation.Decision",
    "rotation.Movement",
    "rotation.Assignment",
}


def test_every_model_of_the_records_keeps_its_history():
    found = {model._meta.label for model in audited_models()}
    assert found >= EXPECTED
    for model in audited_models():
        history = getattr(model, "history", None)
        assert history is not None, f"{model._meta.label} keeps no history"
        assert issubclass(history.model, AuditedHistoricalModel), model._meta.label


def test_history_tables_copy_no_constraint_and_no_unique_value():
    """A history table holds many versions of one row: nothing there may be unique, and
    the records' check and exclusion constraints are not copied to it."""
    for model in audited_models():
        history_model = model.history.model
        assert not history_model._meta.constraints, history_model
        unique = [
            f.name
            for f in history_model._meta.concrete_fields
            if f.unique and f.name != "history_id"
        ]
        assert not unique, (history_model, unique)
        related = [f for f in history_model._meta.concrete_fields if f.is_relation]
        assert all(
            f.remote_field.on_delete in (models.DO_NOTHING, models.SET_NULL) for f in related
        ), history_model


def changes(record) -> dict[str, tuple]:
    """{field: (before, after)} of the newest history entry of ``record``."""
    model = type(record)
    rows = list(history_of(model, record.pk)[:2])
    entry = entries(model, rows[:1], rows[1] if len(rows) > 1 else None)[0]
    return {change.name: (change.before, change.after) for change in entry.changes}


def test_a_unit_keeps_its_creation_and_its_corrections(world, hr_user):
    with recording(user=hr_user):
        unit = unit_create(
            code="13396",
            name="Thanh Sơn",
            kind=UnitKind.COMMUNE,
            parent=world.district,
            valid_from=D(2010, 1, 1),
        )
        unit_update(unit=unit, name="Thanh Sơn A", reason="Sửa lỗi chính tả")
        unit.refresh_from_db()
        unit_update(unit=unit, name="Thanh Sơn", reason="Sửa lại tên")

    rows = list(history_of(type(unit), unit.pk))
    assert [row.history_type for row in rows] == ["~", "~", "+"]
    assert [row.history_change_reason for row in rows] == ["Sửa lại tên", "Sửa lỗi chính tả", None]
    assert {row.history_user for row in rows} == {hr_user}
    assert changes(unit) == {"name": ("Thanh Sơn A", "Thanh Sơn")}
    created = entries(type(unit), rows[-1:], None)[0]
    assert {c.name: c.after for c in created.changes}["code"] == "13396"
    # The search key derived from the name is not shown as a change of its own.
    assert "name_folded" not in {c.name for c in created.changes}


@pytest.mark.parametrize(
    "case",
    ["organisation", "role", "post", "cadre", "decision", "movement", "term"],
)
def test_each_record_keeps_its_values_before_and_after_a_change(
    world, hr, hr_user, make_cadre, case
):
    with recording(user=hr_user, reason="Đính chính"):
        if case == "organisation":
            record = organisation_create(unit=world.communes[0], kind="department", name="Ban A")
            organisation_update(organisation=record, name="Ban B")
            expected = {"name": ("Ban A", "Ban B")}
        elif case == "role":
            record = role_create(code="tester", name="Kiểm thử", name_en="Tester", category="staff")
            role_update(role=record, name_en="Test officer")
            expected = {"name_en": ("Tester", "Test officer")}
        elif case == "post":
            record = post_create(
                organisation=world.body, role=Role.objects.get(code="specialist"), seats=2
            )
            post_update(post=record, seats=4)
            expected = {"seats": (2, 4)}
        elif case == "cadre":
            record = make_cadre(0, full_name="Lê Văn A")
            cadre_update(cadre=record, full_name="Lê Văn Á")
            found = changes(record)
            assert found["full_name"] == ("Lê Văn A", "Lê Văn Á")
            assert set(found) == {"full_name", "updated_at"}
            return
        elif case == "decision":
            record = hr.draft(signed_on=D(2024, 1, 2))
            decision_update(decision=record, summary="Điều động cán bộ")
            found = changes(record)
            assert found["summary"] == ("", "Điều động cán bộ")
            return
        elif case == "movement":
            decision = hr.draft(signed_on=D(2024, 1, 2))
            record = movement_add(
                decision=decision,
                kind="appointment",
                cadre=make_cadre(0),
                to_post=world.district_posts["head"],
                effective_date=D(2024, 1, 2),
            )
            movement_update(movement=record, notes="Bổ sung")
            expected = {"notes": ("", "Bổ sung")}
        else:
            record = Term.objects.create(name="2030–2035", start=D(2030, 10, 1), end=D(2035, 9, 30))
            record.end = D(2035, 10, 31)
            record.save()
            expected = {"end": (D(2035, 9, 30), D(2035, 10, 31))}

    assert changes(record) == expected
    last = history_of(type(record), record.pk).first()
    assert (last.history_user, last.history_change_reason) == (hr_user, "Đính chính")


def test_a_deleted_record_keeps_its_last_values(world, hr, hr_user, make_cadre):
    cadre = make_cadre(0)
    with recording(user=hr_user):
        override = locality_override_set(
            cadre=cadre, unit=world.communes[1], is_local=True, reason="Lớn lên ở xã này từ nhỏ"
        )
        override_id = override.pk
        locality_override_remove(override=override, reason="Nhập nhầm xã")
        decision = hr.draft(signed_on=D(2024, 1, 2))
        movement = movement_add(
            decision=decision,
            kind="appointment",
            cadre=cadre,
            to_post=world.district_posts["head"],
            effective_date=D(2024, 1, 2),
        )
        movement_id = movement.pk
        movement_remove(movement=movement, reason="Dòng thừa")

    removed = history_of(type(override), override_id).first()
    assert (removed.history_type, removed.history_change_reason) == ("-", "Nhập nhầm xã")
    assert removed.reason == "Lớn lên ở xã này từ nhỏ"
    assert removed.history_user == hr_user
    line = history_of(type(movement), movement_id).first()
    assert (line.history_type, line.history_change_reason, line.cadre_id) == (
        "-",
        "Dòng thừa",
        cadre.pk,
    )
    # Removing a line touches its draft (its ETag changes): that write is kept too.
    assert history_of(type(decision), decision.pk).first().history_change_reason == "Dòng thừa"


def test_a_change_made_without_a_request_names_the_command(world, monkeypatch):
    monkeypatch.setattr("sys.argv", ["manage.py", "shell"])
    unit = unit_create(
        code="13396", name="Thanh Sơn", kind=UnitKind.COMMUNE, parent=world.district,
        valid_from=D(2010, 1, 1),
    )  # fmt: skip

    row = history_of(type(unit), unit.pk).get()
    assert (row.command, row.request_method, row.ip_address, row.history_user) == (
        "shell",
        "",
        None,
        None,
    )
    with recording(command="import_units"):
        unit_update(unit=unit, name="Thanh Sơn B")
    assert history_of(type(unit), unit.pk).first().command == "import_units"


def test_the_history_tables_are_those_of_the_migrations():
    """Each history model lives in its record's app, so its table is made by that app's
    migrations (``makemigrations --check`` guards the rest)."""
    for model in audited_models():
        history_model = apps.get_model(model._meta.app_label, f"Historical{model.__name__}")
        assert history_model is model.history.model


def test_records_made_before_their_history_began_start_it_as_they_stood(db):
    """The catalogue of roles is written by a migration before the history tables exist:
    the migration that creates them gives each stored row its first history row."""
    roles = list(Role.objects.all())
    assert roles
    for role in roles:
        first = role.history.last()
        assert (first.history_type, first.command, first.code) == ("+", "migrate", role.code)
