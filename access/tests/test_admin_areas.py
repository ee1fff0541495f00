"""The admin of a user bound to one district of a province that has two.

HR staff of Huyện Thử (``world``'s district, "Kim Bảng" in the fixture) and of a second
district of the same province each see their own; a decision moving someone into the other
district cannot be saved, and a decision that also moves people elsewhere is read-only.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cadres.tests.factories import CadreFactory
from communes.models import OrganisationKind
from communes.tests.admin_support import ENGLISH, form_data, hr_staff, inline_data, page_data
from communes.tests.factories import (
    CommuneFactory,
    DistrictFactory,
    OrganisationFactory,
    PostFactory,
)
from conftest import stored_records
from rotation.models import Decision, DecisionStatus, MovementKind
from rotation.services import assignment_record, decision_create, decision_issue, movement_add

D = datetime.date
EFFECTIVE = D(2021, 12, 15)


@pytest.fixture
def neighbour(world):
    """Another district of the same province, with a commune, a post and its holder."""
    district = DistrictFactory(code="351", name="Duy Tiên", parent=world.province)
    commune = CommuneFactory(code="13300", name="Châu Giang", parent=district)
    party = OrganisationFactory(
        unit=commune, kind=OrganisationKind.PARTY_COMMITTEE, name="Đảng ủy xã Châu Giang"
    )
    post = PostFactory(organisation=party, role="party_secretary")
    holder = CadreFactory(hometown=commune, full_name="Trần Láng Giềng")
    assignment_record(cadre=holder, post=post, start_date=D(2019, 1, 1))
    body = OrganisationFactory(
        unit=district,
        kind=OrganisationKind.PARTY_STANDING_COMMITTEE,
        name="Ban Thường vụ Huyện ủy Duy Tiên",
    )
    return district, post, holder, body


@pytest.fixture
def district_hr(client, world):
    """HR staff of ``world``'s district only."""
    client.force_login(hr_staff("hr.district", area=[world.district]))
    return client


def test_the_change_lists_hold_only_the_district(district_hr, world, neighbour, make_cadre):
    mine = make_cadre(0, full_name="Người Của Huyện")
    _district, post, holder, _body = neighbour

    cadres = district_hr.get(reverse("admin:cadres_cadre_changelist"))
    posts = district_hr.get(reverse("admin:communes_post_changelist"))

    assert mine in cadres.context["cl"].result_list
    assert holder not in cadres.context["cl"].result_list
    assert post not in posts.context["cl"].result_list
    assert "Trần Láng Giềng" not in cadres.content.decode()


def test_a_decision_moving_someone_into_the_other_district_is_not_saved(
    district_hr, world, neighbour, make_cadre
):
    _district, outside_post, _holder, _body = neighbour
    cadre = make_cadre(0, full_name="Người Được Điều Động")
    assignment_record(
        cadre=cadre, post=world.post(0, "standing_deputy_secretary"), start_date=D(2019, 1, 1)
    )
    data = {
        **form_data(
            number="125-QĐ/HU",
            signed_on=D(2021, 12, 10),
            issuing_body=world.body,
            signer="Lê Văn Ký, Bí thư Huyện ủy",
            summary="",
        ),
        **inline_data(
            "movements",
            [
                {
                    "kind": MovementKind.TRANSFER,
                    "cadre": cadre,
                    "to_post": outside_post,
                    "effective_date": EFFECTIVE,
                    "id": "",
                    "decision": "",
                }
            ],
        ),
        "_issue": "Save and issue",
    }
    before = stored_records()

    refused = district_hr.post(reverse("admin:rotation_decision_add"), data, **ENGLISH)

    assert refused.status_code == 200
    row = refused.context["inline_admin_formsets"][0].formset.forms[0]
    assert "Select a valid choice" in " ".join(row.errors["to_post"])
    assert stored_records() == before
    # The same decision into a post of the district is saved and issued.
    data["movements-0-to_post"] = str(world.post(1, "party_secretary").pk)
    saved = district_hr.post(reverse("admin:rotation_decision_add"), data, **ENGLISH)
    assert saved.status_code == 302, saved.context and saved.context["errors"]
    assert Decision.objects.get(number="125-QĐ/HU").status == DecisionStatus.ISSUED


def test_the_province_body_may_issue_the_districts_decisions(district_hr, world):
    province_body = OrganisationFactory(
        unit=world.province,
        kind=OrganisationKind.PARTY_STANDING_COMMITTEE,
        name="Ban Thường vụ Tỉnh ủy Hà Nam",
    )
    neighbour_body = OrganisationFactory(
        unit=DistrictFactory(code="352", name="Lý Nhân", parent=world.province),
        kind=OrganisationKind.PARTY_STANDING_COMMITTEE,
        name="Ban Thường vụ Huyện ủy Lý Nhân",
    )
    query = {
        "app_label": "rotation",
        "model_name": "decision",
        "field_name": "issuing_body",
        "term": "ban thuong vu",
    }

    offered = district_hr.get(reverse("admin:autocomplete"), query).json()["results"]
    organisations = district_hr.get(
        reverse("admin:communes_organisation_changelist"), {"q": "ban thuong vu"}
    )

    assert {int(r["id"]) for r in offered} == {world.body.pk, province_body.pk}
    assert neighbour_body.pk not in {int(r["id"]) for r in offered}
    # Above the area is for issuing decisions: the province's bodies are not the district's.
    assert list(organisations.context["cl"].result_list) == [world.body]


def test_a_decision_that_also_moves_people_elsewhere_is_read_only(
    district_hr, world, neighbour, make_cadre
):
    _district, outside_post, _holder, _body = neighbour
    province_body = OrganisationFactory(
        unit=world.province,
        kind=OrganisationKind.PARTY_STANDING_COMMITTEE,
        name="Ban Thường vụ Tỉnh ủy Hà Nam",
    )
    decision = decision_create(
        number="15-QĐ/TU", signed_on=D(2021, 12, 1), issuing_body=province_body, signer="Bí thư"
    )
    inside = make_cadre(0, full_name="Trong Huyện")
    elsewhere = make_cadre(0, full_name="Sang Huyện Khác")
    for cadre, post in ((inside, world.post(2, "party_secretary")), (elsewhere, outside_post)):
        movement_add(
            decision=decision,
            kind=MovementKind.APPOINTMENT,
            cadre=cadre,
            to_post=post,
            effective_date=EFFECTIVE,
            concurrent=post is outside_post,
        )
    url = reverse("admin:rotation_decision_change", args=[decision.pk])
    before = stored_records()

    page = district_hr.get(url)
    posted = district_hr.post(url, page_data(page, _issue="Save and issue"))
    listed = district_hr.get(reverse("admin:rotation_decision_changelist"))
    issue = district_hr.post(
        reverse("admin:rotation_decision_changelist"),
        {"action": "issue_selected", "_selected_action": [decision.pk]},
        **ENGLISH,
    )

    assert page.status_code == 200
    lines = page.context["inline_admin_formsets"][0].formset.queryset
    assert [m.cadre for m in lines] == [inside]  # the other line is not shown
    assert "Sang Huyện Khác" not in page.content.decode()
    assert not page.context["has_change_permission"]
    assert posted.status_code == 403
    assert next(d for d in listed.context["cl"].result_list if d == decision).movement_count == 1
    messages = [str(m) for m in get_messages(issue.wsgi_request)]
    assert any("outside your area" in m for m in messages), messages
    assert stored_records() == before


def test_an_issued_decision_of_the_area_is_cancelled_from_its_page(district_hr, world, make_cadre):
    cadre = make_cadre(0)
    decision = decision_create(
        number="20-QĐ/HU", signed_on=D(2021, 12, 1), issuing_body=world.body, signer="Bí thư"
    )
    movement_add(
        decision=decision,
        kind=MovementKind.APPOINTMENT,
        cadre=cadre,
        to_post=world.post(1, "party_secretary"),
        effective_date=EFFECTIVE,
    )
    decision_issue(decision=decision)

    page = district_hr.get(reverse("admin:rotation_decision_change", args=[decision.pk]))

    assert page.context["cancel_url"] == reverse(
        "admin:rotation_decision_cancel", args=[decision.pk]
    )
