"""Each filter of the cadres and of the locality overrides narrows the records as it says."""

import datetime

import pytest
from django.utils import timezone

from cadres.filters import CadreFilterSet, LocalityOverrideFilterSet
from cadres.models import Cadre, CadreStatus, Gender, LocalityOverride
from cadres.services import locality_override_set
from rotation.services import assignment_end

D = datetime.date
LE_HO, TAN_SON, QUE = 0, 1, 2


def filtered(filterset_class, queryset, request=None, **params):
    filterset = filterset_class(params, queryset=queryset, request=request)
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


def cadres(request=None, **params) -> set[str]:
    return {
        c.full_name
        for c in filtered(CadreFilterSet, Cadre.objects.all(), request=request, **params)
    }


def request_of(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.fixture
def may_see_ids(django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("hr")
    user.user_permissions.add(Permission.objects.get(codename="view_personal_id"))
    return request_of(user)


@pytest.fixture
def people(world, make_cadre, hr):
    """Three people of Kim Bảng: Trực holds a post in Quế, Kiên in Lê Hồ (until 2023), Hà none."""
    truc = make_cadre(
        TAN_SON,
        full_name="Nguyễn Trung Trực",
        date_of_birth=D(1972, 3, 4),
        personal_id="035072001234",
    )
    kien = make_cadre(TAN_SON, full_name="Đinh Hồng Kiên", date_of_birth=D(1975, 5, 1))
    ha = make_cadre(
        LE_HO,
        full_name="Lê Thị Hà",
        gender=Gender.FEMALE,
        date_of_birth=D(1985, 9, 2),
        status=CadreStatus.RETIRED,
    )
    hr.seat(truc, world.post(QUE, "people_committee_chairman"))
    kien_held = hr.seat(kien, world.post(LE_HO, "party_secretary"), D(2021, 12, 15))
    assignment_end(assignment=kien_held, end_date=D(2023, 12, 31), reason="Nghỉ hưu")
    return {"truc": truc, "kien": kien, "ha": ha}


class TestCadreFilterSet:
    def test_q_ignores_diacritics(self, people):
        assert cadres(q="nguyen trung truc") == {"Nguyễn Trung Trực"}
        assert cadres(q="NGUYỄN TRUNG TRỰC") == {"Nguyễn Trung Trực"}
        assert cadres(q="dinh hong kien") == {"Đinh Hồng Kiên"}

    def test_q_needs_every_word(self, people):
        assert cadres(q="le ha") == {"Lê Thị Hà"}
        assert cadres(q="le kien") == set()

    def test_q_finds_a_whole_personal_id(self, people, may_see_ids):
        assert cadres(may_see_ids, q="035072001234") == {"Nguyễn Trung Trực"}
        assert cadres(may_see_ids, q=" 035072001234 ") == {"Nguyễn Trung Trực"}
        assert cadres(may_see_ids, q="03507200") == set()

    def test_q_finds_no_one_by_personal_id_for_who_may_not_see_it(self, people, django_user_model):
        """Otherwise searching would tell whose number it is."""
        assert people["truc"].personal_id == "035072001234"
        official = request_of(django_user_model.objects.create_user("official"))

        assert cadres(official, q="035072001234") == set()
        assert cadres(q="035072001234") == set()

    def test_gender(self, people):
        assert cadres(gender="female") == {"Lê Thị Hà"}
        assert cadres(gender="male") == {"Nguyễn Trung Trực", "Đinh Hồng Kiên"}

    def test_status_takes_several_statuses(self, people):
        assert cadres(status=["retired"]) == {"Lê Thị Hà"}
        assert cadres(status=["retired", "serving"]) == {
            "Nguyễn Trung Trực",
            "Đinh Hồng Kiên",
            "Lê Thị Hà",
        }

    def test_hometown(self, world, people):
        assert cadres(hometown=world.communes[LE_HO].pk) == {"Lê Thị Hà"}

    def test_hometown_code(self, people):
        assert cadres(hometown_code="13411") == {"Nguyễn Trung Trực", "Đinh Hồng Kiên"}

    def test_born_after_and_before_include_the_day(self, people):
        assert cadres(born_after="1975-05-01") == {"Đinh Hồng Kiên", "Lê Thị Hà"}
        assert cadres(born_before="1975-05-01") == {"Nguyễn Trung Trực", "Đinh Hồng Kiên"}
        assert cadres(born_after="1973-01-01", born_before="1980-01-01") == {"Đinh Hồng Kiên"}

    def test_holds_post_in_a_unit_today(self, world, people):
        assert cadres(holds_post_in=world.communes[QUE].pk) == {"Nguyễn Trung Trực"}
        assert cadres(holds_post_in=world.communes[LE_HO].pk) == set()

    def test_holds_post_in_a_unit_on_a_day(self, world, people):
        le_ho = world.communes[LE_HO].pk

        assert cadres(holds_post_in=le_ho, on="2022-06-30") == {"Đinh Hồng Kiên"}
        assert cadres(holds_post_in=le_ho, on="2021-12-14") == set()
        assert cadres(holds_post_in=le_ho, on="2023-12-31") == {"Đinh Hồng Kiên"}
        assert cadres(holds_post_in=le_ho, on="2024-01-01") == set()

    def test_on_alone_filters_nothing(self, people):
        assert len(cadres(on="2022-06-30")) == 3

    def test_holds_post_in_lists_a_cadre_once_for_two_posts(self, world, people, hr):
        hr.seat(people["truc"], world.post(QUE, "people_committee_vice_chairman"), principal=False)

        found = filtered(CadreFilterSet, Cadre.objects.all(), holds_post_in=world.communes[QUE].pk)

        assert [c.full_name for c in found] == ["Nguyễn Trung Trực"]

    def test_holds_post_in_defaults_to_the_date_in_viet_nam(self, world, people, monkeypatch):
        monkeypatch.setattr(timezone, "localdate", lambda: D(2022, 6, 30))

        assert cadres(holds_post_in=world.communes[LE_HO].pk) == {"Đinh Hồng Kiên"}


class TestLocalityOverrideFilterSet:
    @pytest.fixture
    def overrides(self, world, people):
        reason = "Lớn lên và công tác tại xã hơn 20 năm."
        return [
            locality_override_set(
                cadre=people["kien"], unit=world.communes[LE_HO], is_local=True, reason=reason
            ),
            locality_override_set(
                cadre=people["truc"], unit=world.communes[QUE], is_local=False, reason=reason
            ),
            locality_override_set(
                cadre=people["kien"], unit=world.communes[QUE], is_local=False, reason=reason
            ),
        ]

    def found(self, **params) -> list:
        return list(
            filtered(LocalityOverrideFilterSet, LocalityOverride.objects.order_by("id"), **params)
        )

    def test_cadre(self, people, overrides):
        assert self.found(cadre=people["kien"].pk) == [overrides[0], overrides[2]]

    def test_unit(self, world, overrides):
        assert self.found(unit=world.communes[QUE].pk) == [overrides[1], overrides[2]]

    def test_unit_code(self, overrides):
        assert self.found(unit_code="13393") == [overrides[0]]

    def test_is_local(self, overrides):
        assert self.found(is_local="true") == [overrides[0]]
        assert self.found(is_local="false") == [overrides[1], overrides[2]]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "a\x00b"},
        {"q": "x" * 201},
        {"gender": "other"},
        {"status": ["asleep"]},
        {"hometown": str(2**63)},
        {"hometown_code": "123456"},
        {"born_after": "1975-02-30"},
        {"born_before": "yesterday"},
        {"holds_post_in": "abc"},
        {"on": "2023-13-01"},
    ],
)
def test_a_bad_value_makes_the_filterset_invalid(world, params):
    filterset = CadreFilterSet(params, queryset=Cadre.objects.all())

    assert not filterset.is_valid()
    assert set(filterset.errors) == set(params)
