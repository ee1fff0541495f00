"""The decision pages HR staff use: enter a decision and its lines, issue it, cancel it."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from communes.models import Post
from communes.tests.admin_support import (
    ENGLISH,
    autocomplete_texts,
    form_data,
    hr_staff,
    inline_data,
    page_data,
)
from communes.tests.factories import PostFactory
from rotation.models import Assignment, Decision, DecisionStatus, Movement, MovementKind, Term
from rotation.services import (
    assignment_record,
    decision_create,
    decision_issue,
    movement_add,
)

D = datetime.date
SIGNED = D(2021, 12, 10)
EFFECTIVE = D(2021, 12, 15)
LE_HO, TAN_SON, QUE = 0, 1, 2


@pytest.fixture
def hr(area_units):
    return hr_staff(area=area_units)


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


@pytest.fixture
def secretaries(world, make_cadre):
    """Đinh Hồng Kiên is Party secretary of Tân Sơn, Trần Văn Sơn of Lê Hồ; Quế has none."""
    kien = make_cadre(TAN_SON, full_name="Đinh Hồng Kiên")
    son = make_cadre(LE_HO, full_name="Trần Văn Sơn")
    assignment_record(
        cadre=kien, post=world.post(TAN_SON, "party_secretary"), start_date=D(2015, 10, 1)
    )
    assignment_record(
        cadre=son, post=world.post(LE_HO, "party_secretary"), start_date=D(2016, 1, 1)
    )
    return kien, son


def draft(world, number="125-QĐ/HU", signed_on=SIGNED) -> Decision:
    return decision_create(
        number=number, signed_on=signed_on, issuing_body=world.body, signer="Lê Văn Ký"
    )


def header(world, **changes) -> dict:
    values = {
        "number": "125-QĐ/HU",
        "signed_on": SIGNED,
        "issuing_body": world.body,
        "signer": "Lê Văn Ký, Bí thư Huyện ủy",
        "summary": "",
    }
    values.update(changes)
    return form_data(**values)


def line(kind, cadre, to_post, *, from_post=None, effective_date=EFFECTIVE, **more) -> dict:
    return {
        "kind": kind,
        "cadre": cadre,
        "from_post": from_post,
        "to_post": to_post,
        "effective_date": effective_date,
        "planned_end": more.get("planned_end"),
        "concurrent": more.get("concurrent", False),
        "returns_from": more.get("returns_from"),
        "notes": more.get("notes", ""),
        **{k: v for k, v in more.items() if k in ("id", "decision", "DELETE")},
    }


def add_url() -> str:
    return reverse("admin:rotation_decision_add")


def change_url(decision) -> str:
    return reverse("admin:rotation_decision_change", args=[decision.pk])


def page_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --------------------------------------------------------------------------- smoke tests


@pytest.fixture
def issued(world, secretaries):
    """An issued decision: Kiên goes from Tân Sơn to Quế as Party secretary."""
    kien, _son = secretaries
    decision = draft(world, number="100-QĐ/HU")
    movement_add(
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=kien,
        to_post=world.post(QUE, "party_secretary"),
        effective_date=EFFECTIVE,
    )
    return decision_issue(decision=decision)


@pytest.mark.parametrize(
    "name",
    ["rotation_decision", "rotation_movement", "rotation_assignment", "rotation_term"],
)
def test_hr_staff_open_every_change_list(hr_client, issued, name):
    Term.objects.create(name="2020–2025", start=D(2020, 10, 1), end=D(2025, 9, 30))
    response = hr_client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


def test_hr_staff_open_the_add_pages_of_decisions_and_terms(hr_client, world):
    assert hr_client.get(reverse("admin:rotation_decision_add")).status_code == 200
    assert hr_client.get(reverse("admin:rotation_term_add")).status_code == 200


def test_assignments_and_movements_cannot_be_written_by_hand(hr_client, issued):
    movement = issued.movements.get()
    assignment = Assignment.objects.get(opened_by=movement)
    assert hr_client.get(reverse("admin:rotation_movement_add")).status_code == 403
    for name, record in (("rotation_movement", movement), ("rotation_assignment", assignment)):
        url = reverse(f"admin:{name}_change", args=[record.pk])
        response = hr_client.get(url)
        assert response.status_code == 200
        assert b'name="_save"' not in response.content
        assert hr_client.post(url, {}).status_code == 403
        assert hr_client.get(reverse(f"admin:{name}_delete", args=[record.pk])).status_code == 403


def test_hr_staff_open_a_draft_a_term_and_the_records_of_an_issued_decision(
    hr_client, world, issued
):
    term = Term.objects.create(name="2020–2025", start=D(2020, 10, 1), end=D(2025, 9, 30))
    decision = draft(world, number="7-QĐ/HU")
    response = hr_client.get(change_url(decision))
    assert response.status_code == 200
    assert b'name="_issue"' in response.content
    assert hr_client.get(reverse("admin:rotation_term_change", args=[term.pk])).status_code == 200


def test_terms_are_checked_by_the_form(hr_client, world):
    response = hr_client.post(
        reverse("admin:rotation_term_add"),
        form_data(name="2020–2025", start=D(2025, 1, 1), end=D(2020, 1, 1)),
        **ENGLISH,
    )
    assert response.status_code == 200
    assert "A term ends after it starts." in response.content.decode()
    assert not Term.objects.exists()


# --------------------------------------------------------------------------- issuing


def test_hr_staff_enter_and_issue_a_decision_with_two_movements(hr_client, hr, world, secretaries):
    kien, son = secretaries
    le_ho, tan_son = world.post(LE_HO, "party_secretary"), world.post(TAN_SON, "party_secretary")
    kien_before = Assignment.objects.get(cadre=kien)
    son_before = Assignment.objects.get(cadre=son)
    data = {
        **header(world),
        **inline_data(
            "movements",
            [
                line(MovementKind.TRANSFER, kien, le_ho, id="", decision=""),
                line(MovementKind.TRANSFER, son, tan_son, id="", decision=""),
            ],
        ),
        "_issue": "Save and issue",
    }

    response = hr_client.post(add_url(), data, **ENGLISH)

    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response.url == change_url(decision)
    assert decision.status == DecisionStatus.ISSUED
    assert decision.issued_by == hr
    first, second = decision.movements.order_by("position")
    assert (first.position, first.cadre, second.position, second.cadre) == (1, kien, 2, son)
    kien_before.refresh_from_db()
    son_before.refresh_from_db()
    assert (kien_before.end_date, kien_before.closed_by) == (D(2021, 12, 14), first)
    assert (son_before.end_date, son_before.closed_by) == (D(2021, 12, 14), second)
    kien_now = Assignment.objects.get(cadre=kien, end_date__isnull=True)
    son_now = Assignment.objects.get(cadre=son, end_date__isnull=True)
    assert (kien_now.post, kien_now.start_date, kien_now.opened_by) == (le_ho, EFFECTIVE, first)
    assert (son_now.post, son_now.start_date, son_now.opened_by) == (tan_son, EFFECTIVE, second)
    assert any("was issued" in m for m in page_messages(response))


def test_hr_staff_issue_a_draft_from_its_page(hr_client, hr, world, secretaries):
    kien, _son = secretaries
    decision = draft(world)
    movement_add(
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=kien,
        to_post=world.post(QUE, "party_secretary"),
        effective_date=EFFECTIVE,
    )
    page = hr_client.get(change_url(decision))

    response = hr_client.post(change_url(decision), page_data(page, _issue="Save and issue"))

    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.status, decision.issued_by) == (DecisionStatus.ISSUED, hr)
    assert Assignment.objects.get(cadre=kien, end_date__isnull=True).post == world.post(
        QUE, "party_secretary"
    )


def test_a_second_secretary_is_refused_on_the_page_and_nothing_is_saved(
    hr_client, world, secretaries, make_cadre
):
    newcomer = make_cadre(QUE, full_name="Phạm Thị Mới")
    before = list(Assignment.objects.values_list("pk", "end_date"))
    data = {
        **header(world),
        **inline_data(
            "movements",
            [
                # A valid line first: it must not be saved either.
                line(
                    MovementKind.APPOINTMENT,
                    make_cadre(QUE),
                    world.district_posts["specialist"],
                    id="",
                    decision="",
                ),
                line(
                    MovementKind.APPOINTMENT,
                    newcomer,
                    world.post(LE_HO, "party_secretary"),
                    id="",
                    decision="",
                ),
            ],
        ),
        "_issue": "Save and issue",
    }

    response = hr_client.post(add_url(), data, **ENGLISH)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Line 2 (Phạm Thị Mới): Party secretary – Đảng ủy Lê Hồ has 1 seat(s)" in page
    assert "it is already held by Trần Văn Sơn" in page
    assert "Move a holder out in the same decision, or choose another post." in page
    # Beside the post taken of the second row, too.
    rows = response.context["inline_admin_formsets"][0].formset.forms
    assert "already held by Trần Văn Sơn" in " ".join(rows[1].errors["to_post"])
    assert not rows[0].errors
    # The person's input is still there.
    assert response.context["adminform"].form["signer"].value() == "Lê Văn Ký, Bí thư Huyện ủy"
    assert not Decision.objects.exists()
    assert not Movement.objects.exists()
    assert list(Assignment.objects.values_list("pk", "end_date")) == before


def test_issuing_a_draft_that_overfills_a_post_saves_not_even_the_draft_edits(
    hr_client, world, secretaries, make_cadre
):
    decision = draft(world)
    movement = movement_add(
        decision=decision,
        kind=MovementKind.APPOINTMENT,
        cadre=make_cadre(QUE, full_name="Phạm Thị Mới"),
        to_post=world.post(LE_HO, "party_secretary"),
        effective_date=EFFECTIVE,
    )
    assignments = Assignment.objects.count()
    data = {
        **header(world, signer="Someone else", summary="Edited before issuing"),
        **inline_data(
            "movements",
            [
                line(
                    MovementKind.APPOINTMENT,
                    movement.cadre,
                    movement.to_post,
                    id=movement.pk,
                    decision=decision.pk,
                    notes="edited note",
                )
            ],
            initial=1,
        ),
        "_issue": "Save and issue",
    }

    response = hr_client.post(change_url(decision), data, **ENGLISH)

    assert response.status_code == 200
    assert "already held by Trần Văn Sơn" in response.content.decode()
    decision.refresh_from_db()
    movement.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT
    assert (decision.signer, decision.summary) == ("Lê Văn Ký", "")
    assert movement.notes == ""
    assert Assignment.objects.count() == assignments
    assert response.context["adminform"].form["summary"].value() == "Edited before issuing"


def test_a_line_the_service_refuses_is_shown_on_its_row(hr_client, world, make_cadre):
    """A transfer moves someone out of a post; a person with none gets told what to record."""
    nobody = make_cadre(QUE, full_name="Vũ Văn Chưa")
    data = {
        **header(world),
        **inline_data(
            "movements",
            [line(MovementKind.TRANSFER, nobody, world.post(QUE, "party_secretary"), id="")],
        ),
        "_save": "Save",
    }

    response = hr_client.post(add_url(), data, **ENGLISH)

    assert response.status_code == 200
    row = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert "record an appointment or a designation" in " ".join(row.errors["from_post"])
    assert not Decision.objects.exists()


def test_a_draft_is_saved_with_its_lines_numbered_in_table_order(hr_client, world, make_cadre):
    cadres = [make_cadre(QUE) for _ in range(3)]
    specialist = world.district_posts["specialist"]
    data = {
        **header(world),
        **inline_data(
            "movements",
            [line(MovementKind.APPOINTMENT, cadre, specialist, id="") for cadre in cadres],
        ),
        "_save": "Save",
    }
    assert hr_client.post(add_url(), data).status_code == 302
    decision = Decision.objects.get()
    movements = list(decision.movements.order_by("position"))
    assert [(m.position, m.cadre) for m in movements] == list(enumerate(cadres, start=1))

    # Remove the first line: the others move up.
    rows = [
        line(
            MovementKind.APPOINTMENT,
            m.cadre,
            specialist,
            id=m.pk,
            decision=decision.pk,
            DELETE=index == 0,
        )
        for index, m in enumerate(movements)
    ]
    data = {**header(world), **inline_data("movements", rows, initial=3), "_save": "Save"}
    assert hr_client.post(change_url(decision), data).status_code == 302
    assert list(decision.movements.order_by("position").values_list("position", "cadre")) == [
        (1, cadres[1].pk),
        (2, cadres[2].pk),
    ]
    assert decision.status == DecisionStatus.DRAFT


def test_the_post_left_is_shown_and_kept_when_a_draft_is_saved_again(hr_client, world, secretaries):
    kien, _son = secretaries
    decision = draft(world)
    tan_son = world.post(TAN_SON, "party_secretary")
    movement = movement_add(
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=kien,
        to_post=world.post(QUE, "party_secretary"),
        effective_date=EFFECTIVE,
    )
    response = hr_client.get(change_url(decision))
    row = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert row["from_post"].value() == tan_son.pk

    data = {
        **header(world, summary="Điều động"),
        **inline_data(
            "movements",
            [
                line(
                    MovementKind.TRANSFER,
                    kien,
                    movement.to_post,
                    from_post=tan_son,
                    id=movement.pk,
                    decision=decision.pk,
                    notes="Theo đề nghị",
                )
            ],
            initial=1,
        ),
        "_continue": "Save and continue",
    }
    assert hr_client.post(change_url(decision), data).status_code == 302
    movement.refresh_from_db()
    decision.refresh_from_db()
    assert (movement.notes, movement.from_assignment.post) == ("Theo đề nghị", tan_son)
    assert decision.summary == "Điều động"


def test_the_post_left_is_found_by_autocomplete_with_words_without_diacritics(hr_client, world):
    response = hr_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "rotation",
            "model_name": "movement",
            "field_name": "to_post",
            "term": "bi thu le ho",
        },
    )
    assert response.status_code == 200
    assert "Bí thư Đảng ủy – Đảng ủy Lê Hồ" in autocomplete_texts(response)


def test_a_return_is_chosen_among_rotations_in_force(hr_client, world, secretaries):
    kien, son = secretaries
    rotation = draft(world, number="1-QĐ/HU", signed_on=D(2020, 1, 1))
    movement_add(
        decision=rotation,
        kind=MovementKind.ROTATION,
        cadre=kien,
        to_post=world.district_posts["specialist"],
        effective_date=D(2020, 1, 15),
        planned_end=D(2023, 1, 14),
    )
    decision_issue(decision=rotation)
    transfer = draft(world, number="2-QĐ/HU")
    movement_add(
        decision=transfer,
        kind=MovementKind.TRANSFER,
        cadre=son,
        to_post=world.district_posts["specialist"],
        effective_date=EFFECTIVE,
    )
    decision_issue(decision=transfer)
    params = {"app_label": "rotation", "model_name": "movement", "field_name": "returns_from"}

    response = hr_client.get(reverse("admin:autocomplete"), {**params, "term": ""})

    texts = autocomplete_texts(response)
    assert len(texts) == 1
    assert "Đinh Hồng Kiên" in texts[0]


# --------------------------------------------------------------------------- read-only, cancel


def test_an_issued_decision_cannot_be_edited(hr_client, world, issued):
    url = change_url(issued)
    response = hr_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="_save"' not in page
    assert 'name="_issue"' not in page
    assert 'name="number"' not in page
    assert reverse("admin:rotation_decision_cancel", args=[issued.pk]) in page

    response = hr_client.post(url, {**header(world, number="999-QĐ/HU"), "_save": "Save"})

    assert response.status_code == 403
    issued.refresh_from_db()
    assert (issued.number, issued.status) == ("100-QĐ/HU", DecisionStatus.ISSUED)
    assert (
        hr_client.get(reverse("admin:rotation_decision_delete", args=[issued.pk])).status_code
        == 403
    )


def test_hr_staff_cancel_an_issued_decision_with_a_reason(
    hr_client, hr, world, secretaries, issued
):
    kien, _son = secretaries
    url = reverse("admin:rotation_decision_cancel", args=[issued.pk])
    assert hr_client.get(url).status_code == 200

    response = hr_client.post(url, {"reason": "Thay bằng Quyết định 130-QĐ/HU"}, **ENGLISH)

    assert response.status_code == 302
    issued.refresh_from_db()
    assert issued.status == DecisionStatus.CANCELLED
    assert (issued.cancellation_reason, issued.cancelled_by) == (
        "Thay bằng Quyết định 130-QĐ/HU",
        hr,
    )
    opened = Assignment.objects.get(opened_by__decision=issued)
    assert opened.is_void
    held = Assignment.objects.get(cadre=kien, is_void=False)
    assert (held.post, held.end_date, held.closed_by) == (
        world.post(TAN_SON, "party_secretary"),
        None,
        None,
    )
    assert any("was cancelled" in m for m in page_messages(response))


def test_cancelling_needs_a_reason_and_changes_nothing_without_one(hr_client, issued):
    url = reverse("admin:rotation_decision_cancel", args=[issued.pk])
    response = hr_client.post(url, {"reason": "  "}, **ENGLISH)
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    issued.refresh_from_db()
    assert issued.status == DecisionStatus.ISSUED
    assert not Assignment.objects.filter(is_void=True).exists()


def test_cancelling_is_refused_on_the_page_when_a_later_decision_built_on_it(
    hr_client, world, issued
):
    kien = issued.movements.get().cadre
    later = draft(world, number="101-QĐ/HU", signed_on=D(2022, 3, 1))
    movement_add(
        decision=later,
        kind=MovementKind.TRANSFER,
        cadre=kien,
        to_post=world.district_posts["head"],
        effective_date=D(2022, 3, 15),
    )
    decision_issue(decision=later)
    url = reverse("admin:rotation_decision_cancel", args=[issued.pk])

    response = hr_client.post(url, {"reason": "Nhầm người"}, **ENGLISH)

    assert response.status_code == 200
    assert "cancel that decision first" in " ".join(response.context["form"].non_field_errors())
    issued.refresh_from_db()
    assert issued.status == DecisionStatus.ISSUED


def test_only_an_issued_decision_has_a_cancel_page(hr_client, world):
    decision = draft(world)
    response = hr_client.get(
        reverse("admin:rotation_decision_cancel", args=[decision.pk]), **ENGLISH
    )
    assert response.status_code == 302
    assert any("Only an issued decision can be cancelled" in m for m in page_messages(response))


# --------------------------------------------------------------------------- actions, deleting


def test_the_issue_action_issues_each_draft_or_says_why_not(
    hr_client, world, secretaries, make_cadre
):
    good = draft(world, number="1-QĐ/HU")
    movement_add(
        decision=good,
        kind=MovementKind.APPOINTMENT,
        cadre=make_cadre(QUE),
        to_post=world.post(QUE, "party_secretary"),
        effective_date=EFFECTIVE,
    )
    full = draft(world, number="2-QĐ/HU")
    movement_add(
        decision=full,
        kind=MovementKind.APPOINTMENT,
        cadre=make_cadre(QUE),
        to_post=world.post(LE_HO, "party_secretary"),
        effective_date=EFFECTIVE,
    )
    response = hr_client.post(
        reverse("admin:rotation_decision_changelist"),
        {"action": "issue_selected", "_selected_action": [good.pk, full.pk]},
        **ENGLISH,
    )
    assert response.status_code == 302
    good.refresh_from_db()
    full.refresh_from_db()
    assert (good.status, full.status) == (DecisionStatus.ISSUED, DecisionStatus.DRAFT)
    texts = page_messages(response)
    assert any("1-QĐ/HU" in m and "was issued" in m for m in texts)
    assert any("2-QĐ/HU" in m and "already held by Trần Văn Sơn" in m for m in texts)


def test_a_draft_is_deleted_with_its_lines(hr_client, world, make_cadre):
    decision = draft(world)
    movement_add(
        decision=decision,
        kind=MovementKind.APPOINTMENT,
        cadre=make_cadre(QUE),
        to_post=world.district_posts["specialist"],
        effective_date=EFFECTIVE,
    )
    url = reverse("admin:rotation_decision_delete", args=[decision.pk])
    assert hr_client.get(url).status_code == 200
    assert hr_client.post(url, {"post": "yes"}).status_code == 302
    assert not Decision.objects.exists()
    assert not Movement.objects.exists()


def test_deleting_a_selection_with_an_issued_decision_deletes_nothing(hr_client, world, issued):
    decision = draft(world)
    response = hr_client.post(
        reverse("admin:rotation_decision_changelist"),
        {"action": "delete_selected", "_selected_action": [decision.pk, issued.pk], "post": "yes"},
        **ENGLISH,
    )
    assert response.status_code == 302
    assert Decision.objects.count() == 2
    assert any("Only draft decisions can be deleted" in m for m in page_messages(response))


# --------------------------------------------------------------------------- queries


def make_decisions(world, make_cadre, count: int) -> None:
    specialist = Post.objects.filter(organisation=world.body).first() or PostFactory(
        organisation=world.body, role="specialist", seats=99
    )
    for _ in range(count):
        decision = draft(world, number=f"{Decision.objects.count() + 1}-QĐ/HU")
        for _line in range(2):
            movement_add(
                decision=decision,
                kind=MovementKind.APPOINTMENT,
                cadre=make_cadre(QUE),
                to_post=specialist,
                effective_date=EFFECTIVE,
            )


def test_the_decision_list_runs_the_same_queries_for_many_rows(hr_client, world, make_cadre):
    url = reverse("admin:rotation_decision_changelist")
    make_decisions(world, make_cadre, 2)
    hr_client.get(url)  # warm the session and the content types
    with CaptureQueriesContext(connection) as few:
        assert hr_client.get(url).status_code == 200
    make_decisions(world, make_cadre, 4)
    with CaptureQueriesContext(connection) as many:
        response = hr_client.get(url)
    assert response.context["cl"].result_count == 6
    # 1 session, 2 user, 3-4 the user's and their groups' permissions, 5-6 the user's area
    # (administrator?, its units), 7 the bodies of the "issuing body" filter, 8 count of
    # rows, 9 count of all rows, 10 the rows with their issuing body and number of
    # movements (in the area).
    assert len(few) == len(many) == 10, [q["sql"] for q in many.captured_queries]


# --------------------------------------------------------------------------- assignments by hand


def test_hr_staff_record_a_post_held_before_the_records_began(hr_client, world, make_cadre):
    cadre = make_cadre(0, full_name="Trần Thị Mai")
    post = world.post(0, "party_secretary")

    response = hr_client.post(
        reverse("admin:rotation_assignment_add"),
        {"cadre": cadre.pk, "post": post.pk, "start_date": "03/08/2015", "principal": "on"},
    )

    assert response.status_code == 302
    assignment = Assignment.objects.get(cadre=cadre)
    assert (assignment.post, assignment.start_date, assignment.end_date) == (
        post,
        D(2015, 8, 3),
        None,
    )
    assert assignment.opened_by is None


def test_recording_a_second_holder_of_a_full_post_is_refused_on_the_form(
    hr_client, world, make_cadre
):
    post = world.post(0, "party_secretary")
    holder = make_cadre(0)
    assignment_record(cadre=holder, post=post, start_date=D(2015, 8, 3))
    newcomer = make_cadre(1)

    with translation.override("en"):
        response = hr_client.post(
            reverse("admin:rotation_assignment_add"),
            {"cadre": newcomer.pk, "post": post.pk, "start_date": "01/01/2020", "principal": "on"},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    assert response.status_code == 200
    assert "already held by" in response.content.decode()
    assert not Assignment.objects.filter(cadre=newcomer).exists()


def test_hr_staff_end_an_assignment_for_retirement(hr_client, world, make_cadre):
    cadre = make_cadre(0)
    assignment = assignment_record(
        cadre=cadre, post=world.post(0, "party_secretary"), start_date=D(2015, 8, 3)
    )
    change = reverse("admin:rotation_assignment_change", args=[assignment.pk])
    end = reverse("admin:rotation_assignment_end", args=[assignment.pk])
    assert end.encode() in hr_client.get(change).content

    response = hr_client.post(end, {"end_date": "31/12/2020", "reason": "Nghỉ hưu"})

    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.end_date, assignment.end_reason) == (D(2020, 12, 31), "Nghỉ hưu")
    assert end.encode() not in hr_client.get(change).content


def test_ending_an_assignment_before_it_started_is_refused_and_changes_nothing(
    hr_client, world, make_cadre
):
    assignment = assignment_record(
        cadre=make_cadre(0), post=world.post(0, "party_secretary"), start_date=D(2015, 8, 3)
    )
    end = reverse("admin:rotation_assignment_end", args=[assignment.pk])

    response = hr_client.post(end, {"end_date": "01/01/2010", "reason": "Nghỉ hưu"})

    assert response.status_code == 200
    assert response.context["form"].errors["end_date"]
    assignment.refresh_from_db()
    assert assignment.end_date is None


def test_a_refused_decision_says_so_in_vietnamese_on_a_vietnamese_page(
    hr_client, world, secretaries, make_cadre
):
    decision = draft(world)
    movement = movement_add(
        decision=decision,
        kind=MovementKind.APPOINTMENT,
        cadre=make_cadre(QUE, full_name="Phạm Thị Mới"),
        to_post=world.post(LE_HO, "party_secretary"),
        effective_date=EFFECTIVE,
    )
    data = {
        **header(world),
        **inline_data(
            "movements",
            [
                line(
                    movement.kind,
                    movement.cadre,
                    movement.to_post,
                    id=movement.pk,
                    decision=decision.pk,
                )
            ],
            initial=1,
        ),
        "_issue": "Lưu và ban hành",
    }

    response = hr_client.post(change_url(decision), data)

    page = response.content.decode()
    assert "Vui lòng sửa lỗi dưới đây." in page
    assert "Please correct" not in page
    assert "Trần Văn Sơn" in page
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT
