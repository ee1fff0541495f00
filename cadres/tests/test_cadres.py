"""Cadres are created and changed through ``cadres.services``, which check personal data.

A citizen identity number (CCCD) has 12 digits: 3 for the province of birth, then one for
gender and century, then two for the year of birth. Party members join at 18 at the
earliest.
"""

import datetime
import unicodedata

import pytest
from django.utils import timezone

from cadres.models import Cadre, CadreStatus, Gender, personal_id_century_digit
from cadres.services import cadre_create, cadre_update

D = datetime.date

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def person(world):
    """What HR staff type for a man born on 01/05/1975 in Hà Nam (province code 035)."""
    return {
        "full_name": "Đinh Hồng Kiên",
        "gender": Gender.MALE,
        "date_of_birth": D(1975, 5, 1),
        "hometown": world.communes[1],
        "personal_id": "035075001234",
        "party_joined_on": D(1998, 3, 2),
    }


def test_create_stores_the_name_composed_and_folded_and_the_id_trimmed(person):
    person["full_name"] = unicodedata.normalize("NFD", " Đinh Hồng Kiên ")
    person["personal_id"] = " 035075001234 "

    cadre = cadre_create(**person)

    cadre.refresh_from_db()
    assert cadre.full_name == "Đinh Hồng Kiên"
    assert cadre.full_name_folded == "dinh hong kien"
    assert cadre.personal_id == "035075001234"
    assert cadre.status == CadreStatus.SERVING


def test_create_accepts_no_personal_id(person):
    person["personal_id"] = "  "

    cadre = cadre_create(**person)

    assert cadre.personal_id is None


@pytest.mark.parametrize(
    "personal_id", ["03507500123", "0350750012345", "03507500123a", "０３５０７５００１２３４"]
)
def test_create_rejects_a_personal_id_that_is_not_12_digits(person, refused, personal_id):
    person["personal_id"] = personal_id

    refusal = refused(cadre_create, **person)

    assert refusal.keys == {"personal_id"}
    assert "The personal identification number has exactly 12 digits." in refusal.messages(
        "personal_id"
    )


def test_create_rejects_a_personal_id_with_an_unknown_province_code(person, refused):
    person["personal_id"] = "000075001234"

    refusal = refused(cadre_create, **person)

    assert refusal.messages("personal_id") == [
        "000 is not a province code: the first 3 digits name the province of birth."
    ]


@pytest.mark.parametrize(
    ("gender", "date_of_birth", "digits"),
    [
        (Gender.FEMALE, D(1975, 5, 1), "175"),
        (Gender.MALE, D(1976, 5, 1), "076"),
        (Gender.MALE, D(2001, 5, 1), "201"),
    ],
    ids=["gender", "year", "century"],
)
def test_create_rejects_a_personal_id_whose_digits_4_to_6_do_not_match_the_person(
    person, refused, gender, date_of_birth, digits
):
    person.update(gender=gender, date_of_birth=date_of_birth, party_joined_on=None)

    refusal = refused(cadre_create, **person)

    assert refusal.keys == {"personal_id"}
    assert refusal.messages("personal_id") == [
        "Digits 4 to 6 of the identification number encode gender and year of birth; for "
        f"this person they should be {digits}."
    ]


@pytest.mark.parametrize(
    ("gender", "year", "digit"),
    [
        (Gender.MALE, 1975, 0),
        (Gender.FEMALE, 1975, 1),
        (Gender.MALE, 2001, 2),
        (Gender.FEMALE, 2001, 3),
        (Gender.MALE, 1899, None),
    ],
)
def test_the_fourth_digit_encodes_century_and_gender(gender, year, digit):
    assert personal_id_century_digit(gender, year) == digit


def test_create_accepts_a_woman_born_in_2001_with_her_digits(person):
    person.update(
        gender=Gender.FEMALE,
        date_of_birth=D(2001, 9, 2),
        personal_id="035301000777",
        party_joined_on=None,
    )

    assert cadre_create(**person).personal_id == "035301000777"


def test_create_rejects_a_personal_id_another_cadre_has(person, refused):
    cadre_create(**person)

    refusal = refused(cadre_create, **{**person, "full_name": "Đinh Văn Kiên"})

    assert refusal.keys == {"personal_id"}
    assert refusal.messages("personal_id") == [
        "Another cadre already has this identification number."
    ]


def test_update_rejects_taking_the_personal_id_of_another_cadre(person, refused):
    first = cadre_create(**person)
    second = cadre_create(**{**person, "personal_id": "035075009999"})

    refusal = refused(cadre_update, cadre=second, personal_id=first.personal_id)

    assert refusal.keys == {"personal_id"}


def test_update_keeps_a_cadre_own_personal_id(person):
    cadre = cadre_create(**person)

    updated = cadre_update(cadre=cadre, status=CadreStatus.RETIRED)

    assert (updated.personal_id, updated.status) == (person["personal_id"], CadreStatus.RETIRED)
    assert Cadre.objects.get().status == CadreStatus.RETIRED


def test_party_membership_on_the_18th_birthday_is_accepted(person):
    person["party_joined_on"] = D(1993, 5, 1)

    assert cadre_create(**person).party_joined_on == D(1993, 5, 1)


def test_create_rejects_party_membership_before_the_18th_birthday(person, refused):
    person["party_joined_on"] = D(1993, 4, 30)

    refusal = refused(cadre_create, **person)

    assert refusal.keys == {"party_joined_on"}
    assert refusal.messages("party_joined_on") == [
        "Party members join at 18 at the earliest; this date is before that."
    ]


def test_update_rejects_a_birth_date_that_makes_the_party_date_too_early(person, refused):
    cadre = cadre_create(**person)

    refusal = refused(
        cadre_update, cadre=cadre, date_of_birth=D(1981, 5, 1), personal_id="035081001234"
    )

    assert refusal.keys == {"party_joined_on"}


def test_create_rejects_dates_in_the_future(person, refused):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    person.update(date_of_birth=tomorrow, party_joined_on=None, personal_id=None)

    refusal = refused(cadre_create, **person)

    assert refusal.messages("date_of_birth") == ["The date of birth is in the future."]


def test_create_rejects_a_missing_hometown(person, refused):
    person["hometown"] = None

    refusal = refused(cadre_create, **person)

    assert "hometown" in refusal.keys


def test_update_rejects_a_field_it_does_not_know(person):
    cadre = cadre_create(**person)

    with pytest.raises(TypeError, match="unexpected fields"):
        cadre_update(cadre=cadre, salary=1)
