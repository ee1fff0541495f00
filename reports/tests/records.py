"""Test records for the reports, written the way HR staff would: through the services."""

import datetime
import itertools

from communes.models import OrganisationKind
from communes.tests.factories import OrganisationFactory, PostFactory
from rotation.services import assignment_record, decision_create, decision_issue, movement_add

D = datetime.date
RECORDS_BEGIN = D(2019, 1, 1)
DAY = D(2023, 6, 30)
PERIOD = (D(2020, 10, 1), D(2023, 6, 30))
LE_HO, TAN_SON, QUE = 0, 1, 2  # indexes of world.communes; codes 13393, 13411, 13384


class Records:
    """Writes test records the way HR staff would: through ``rotation.services``."""

    def __init__(self, world):
        self.world = world
        self._numbers = itertools.count(1)
        # A district post with room for everyone the tests move out of the district.
        board = OrganisationFactory(
            unit=world.district,
            kind=OrganisationKind.DEPARTMENT,
            name="Ban Tổ chức Huyện ủy Kim Bảng",
        )
        self.pool = PostFactory(organisation=board, role="specialist", seats=20)

    def hold(self, cadre, post, start=RECORDS_BEGIN, principal=True):
        return assignment_record(cadre=cadre, post=post, start_date=start, principal=principal)

    def decide(self, *moves: dict, signed_on: datetime.date, issue: bool = True):
        """A decision ordering ``moves`` (keyword arguments of ``movement_add``)."""
        decision = decision_create(
            number=f"{next(self._numbers)}-QĐ/HU",
            signed_on=signed_on,
            issuing_body=self.world.body,
            signer="Bí thư Huyện ủy",
        )
        for move in moves:
            movement_add(decision=decision, **move)
        if issue:
            decision_issue(decision=decision)
        return decision
