"""Fixtures of the report tests: a few holders of key posts, and a term's worth of moves."""

import pytest

from communes.models import OrganisationKind
from communes.tests.factories import OrganisationFactory, PostFactory
from reports.tests.records import LE_HO, QUE, TAN_SON, D, Records
from rotation.models import MovementKind
from rotation.services import decision_cancel


@pytest.fixture
def records(world) -> Records:
    return Records(world)


@pytest.fixture
def secretaries(world, make_cadre, records):
    """Lê Hồ and Quế have non-local secretaries, Tân Sơn a local one."""
    cadres = {
        LE_HO: make_cadre(TAN_SON, full_name="Đinh Hồng Kiên"),
        TAN_SON: make_cadre(TAN_SON, full_name="Trần Văn Sơn"),
        QUE: make_cadre(LE_HO, full_name="Lê Thị Hồ"),
    }
    for index, cadre in cadres.items():
        records.hold(cadre, world.post(index, "party_secretary"))
    return cadres


@pytest.fixture
def moves(world, make_cadre, records):
    """One movement of each direction in the period, and some that must not be counted."""
    post = world.post
    finance = world.posts[(world.communes[LE_HO].code, "finance_accounting_officer")]
    justice = {
        index: PostFactory(
            organisation=post(index, "people_committee_chairman").organisation,
            role="justice_civil_status_officer",
        )
        for index in (TAN_SON, QUE)
    }
    finance_department = OrganisationFactory(
        unit=world.district, kind=OrganisationKind.DEPARTMENT, name="Phòng Tài chính – Kế hoạch"
    )
    finance_specialist = PostFactory(organisation=finance_department, role="specialist", seats=5)

    cast = {}

    def cadre(name, hometown, post_held):
        cast[name] = make_cadre(hometown, full_name=name)
        records.hold(cast[name], post_held)

    cadre("An", LE_HO, records.pool)
    cadre("Bình", TAN_SON, post(TAN_SON, "standing_deputy_secretary"))
    cadre("Cường", TAN_SON, post(TAN_SON, "people_committee_chairman"))
    cadre("Dũng", QUE, records.pool)
    cadre("Giang", QUE, records.pool)
    cadre("Hà", LE_HO, finance)
    cadre("Hùng", TAN_SON, justice[TAN_SON])
    cadre("Lan", QUE, records.pool)
    cadre("Minh", QUE, records.pool)
    cadre("Thảo", QUE, records.pool)

    def move(name, kind, to_post, day, **extra):
        return {
            "kind": kind,
            "cadre": cast[name],
            "to_post": to_post,
            "effective_date": day,
            **extra,
        }

    rotation = records.decide(
        move("An", MovementKind.ROTATION, post(LE_HO, "party_secretary"), D(2021, 1, 10),
             planned_end=D(2024, 1, 9)),
        move("Bình", MovementKind.TRANSFER, world.district_posts["head"], D(2021, 3, 1)),
        signed_on=D(2021, 1, 5),
    )  # fmt: skip
    records.decide(
        move("Cường", MovementKind.TRANSFER, post(QUE, "people_committee_chairman"), D(2021, 6, 1)),
        move("Dũng", MovementKind.TRANSFER, finance_specialist, D(2021, 6, 1)),
        signed_on=D(2021, 5, 20),
    )
    records.decide(
        move("Giang", MovementKind.ELECTION_NOMINATION,
             post(LE_HO, "people_committee_vice_chairman"), D(2022, 1, 1),
             from_post=records.pool),
        move("Hà", MovementKind.TRANSFER,
             world.posts[(world.communes[TAN_SON].code, "finance_accounting_officer")],
             D(2022, 3, 1)),
        move("Hùng", MovementKind.TRANSFER, justice[QUE], D(2022, 3, 1)),
        signed_on=D(2021, 12, 20),
    )  # fmt: skip
    # Not counted: a draft, a cancelled decision, and movements before and after the period.
    records.decide(
        move(
            "Lan", MovementKind.TRANSFER, post(TAN_SON, "standing_deputy_secretary"), D(2022, 5, 1)
        ),
        signed_on=D(2022, 4, 20),
        issue=False,
    )
    cancelled = records.decide(
        move("Minh", MovementKind.TRANSFER, post(TAN_SON, "party_secretary"), D(2022, 6, 1)),
        signed_on=D(2022, 5, 20),
    )
    decision_cancel(decision=cancelled, reason="Thay bằng Quyết định 140-QĐ/HU")
    records.decide(
        move("Thảo", MovementKind.TRANSFER, post(QUE, "party_secretary"), D(2020, 9, 30)),
        signed_on=D(2020, 9, 15),
    )
    records.decide(
        move("Lan", MovementKind.TRANSFER, post(TAN_SON, "party_secretary"), D(2023, 7, 1)),
        signed_on=D(2023, 6, 20),
    )
    cast["rotation"] = rotation.movements.get(cadre=cast["An"])
    return cast
