import datetime

import factory

from cadres.models import Cadre, Gender
from communes.tests.factories import CommuneFactory

GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Minh", "Thảo"]


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {GIVEN[n % len(GIVEN)]} {n}")
    gender = Gender.MALE
    date_of_birth = datetime.date(1975, 5, 1)
    hometown = factory.SubFactory(CommuneFactory)
    permanent_residence = factory.SelfAttribute("hometown")
