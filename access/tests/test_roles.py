"""The four roles as groups (``access.roles``): created by the migration, permissions set
after every migrate."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from access.roles import ADMIN, API, HR, OFFICIAL, ROLES, group_for, permissions_of


def codes(group: Group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_the_four_groups_exist_after_migrate(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "HR staff",
        "Officials",
        "API clients",
        "Administrators",
    }


def test_hr_staff_record_and_correct_but_leave_the_shared_catalogues_alone(db):
    granted = codes(Group.objects.get(name="HR staff"))

    assert {
        "rotation.add_decision",
        "rotation.change_decision",
        "rotation.delete_decision",
        "cadres.change_cadre",
        "cadres.view_personal_id",
        "communes.add_administrativeunit",
        "communes.view_role",
        "rotation.view_term",
    } <= granted
    assert not {"communes.add_role", "communes.change_role", "rotation.add_term"} & granted
    # Nothing about users, groups or tokens.
    assert not {code for code in granted if code.split(".")[0] in ("auth", "authtoken")}


def test_officials_only_read_and_do_not_see_personal_ids(db):
    granted = codes(Group.objects.get(name="Officials"))

    assert {"cadres.view_cadre", "rotation.view_movement", "communes.view_post"} <= granted
    assert all(code.split(".")[1].startswith("view_") for code in granted)
    assert "cadres.view_personal_id" not in granted


def test_api_clients_have_what_hr_staff_have(db):
    assert codes(Group.objects.get(name="API clients")) == codes(Group.objects.get(name="HR staff"))


def test_administrators_have_every_permission(db):
    assert (
        Group.objects.get(name="Administrators").permissions.count() == Permission.objects.count()
    )


def test_a_change_to_a_group_by_hand_is_undone_by_the_next_migrate(db):
    group = Group.objects.get(name="Officials")
    group.permissions.add(Permission.objects.get(codename="add_decision"))

    call_command("migrate", verbosity=0)

    assert "rotation.add_decision" not in codes(group)
    assert codes(group) == {
        f"{p.content_type.app_label}.{p.codename}" for p in permissions_of(OFFICIAL)
    }


@pytest.mark.parametrize("code", [HR, OFFICIAL, API, ADMIN])
def test_group_for_is_the_same_group_every_time(db, code):
    first = group_for(code)

    assert group_for(code) == first
    assert first.name == ROLES[code].group_name
    assert Group.objects.filter(name=first.name).count() == 1
