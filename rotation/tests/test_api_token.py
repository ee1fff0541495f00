"""``manage.py api_token``: how an administrator issues, rotates and revokes a system's token."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, ManagementUtility, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from communes.tests.factories import ProvinceFactory
from conftest import bind_area
from rotation.management.commands.demo_accounts import hr_group

TERMS = "/api/v1/terms/"


@pytest.fixture
def hr_staff(db):
    user = get_user_model().objects.create_user("hr.kimbang", password="not-used-here")
    user.groups.add(hr_group())
    bind_area(user, [ProvinceFactory()])  # the token carries this area
    return user


def api_token(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


def get_with(key: str, path: str = TERMS):
    return APIClient().get(path, HTTP_AUTHORIZATION=f"Token {key}")


def test_api_token_creates_a_token_that_carries_the_users_permissions(hr_staff, english):
    key, said = api_token("hr.kimbang")

    assert Token.objects.get(user=hr_staff).key == key
    assert said == "Token created for hr.kimbang."
    assert get_with(key).status_code == 200


def test_api_token_prints_the_existing_token_again(hr_staff, english):
    first, _ = api_token("hr.kimbang")
    again, said = api_token("hr.kimbang")

    assert again == first
    assert said == "The existing token of hr.kimbang."
    assert Token.objects.filter(user=hr_staff).count() == 1


def test_rotate_replaces_the_token_and_the_old_one_stops_working(hr_staff, english):
    old, _ = api_token("hr.kimbang")
    new, said = api_token("hr.kimbang", "--rotate")

    assert new != old
    assert said == "New token of hr.kimbang; the old one no longer works."
    assert get_with(old).status_code == 401
    assert get_with(new).status_code == 200


def test_revoke_deletes_the_token(hr_staff, english):
    key, _ = api_token("hr.kimbang")
    printed, said = api_token("hr.kimbang", "--revoke")

    assert printed == ""
    assert said == "The token of hr.kimbang is revoked."
    assert not Token.objects.exists()
    assert get_with(key).status_code == 401
    assert hr_staff.is_active, "revoking a token keeps the user's login"


def test_revoke_without_a_token_says_so(hr_staff, english):
    assert api_token("hr.kimbang", "--revoke") == ("", "hr.kimbang has no token.")


def test_a_token_without_permissions_is_refused_403(db):
    get_user_model().objects.create_user("outsider")
    key, _ = api_token("outsider")

    response = get_with(key)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_unknown_user_is_one_line_and_a_nonzero_exit(db, english, capsys, monkeypatch):
    with pytest.raises(CommandError, match=r"^No user is named nobody\.$"):
        api_token("nobody")

    # As from the shell: manage.py prints the error and exits. It also closes the database
    # connections on the way out, which would close the test's own.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "api_token", "nobody"]).execute()
    assert exit_.value.code == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert not Token.objects.exists()


def test_an_inactive_user_gets_no_token(db, english):
    get_user_model().objects.create_user("left", is_active=False)

    with pytest.raises(CommandError, match="not active"):
        api_token("left")
    assert not Token.objects.exists()


def test_rotate_and_revoke_cannot_be_combined(hr_staff):
    with pytest.raises(CommandError):
        api_token("hr.kimbang", "--rotate", "--revoke")


def test_a_token_for_a_user_without_an_area_says_it_will_answer_nothing(db, english):
    user = get_user_model().objects.create_user("new.system")
    user.groups.add(hr_group())

    key, said = api_token("new.system")

    assert said.splitlines() == [
        "Token created for new.system.",
        "new.system has no area yet: the token answers nothing until they get one "
        "(create_account --area, or the user's page in the admin).",
    ]
    assert Token.objects.get(user=user).key == key
