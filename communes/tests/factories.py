import datetime

import factory

from communes.models import AdministrativeUnit, Organisation, OrganisationKind, Post, Role, UnitKind

EPOCH = datetime.date(2010, 1, 1)


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    code = factory.Sequence(lambda n: f"{40 + n % 60:02d}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử {n}")
    kind = UnitKind.PROVINCE
    parent = None
    valid_from = EPOCH


class DistrictFactory(ProvinceFactory):
    code = factory.Sequence(lambda n: f"{500 + n % 500:03d}")
    name = factory.Sequence(lambda n: f"Huyện Thử {n}")
    kind = UnitKind.DISTRICT
    parent = factory.SubFactory(ProvinceFactory)


class CommuneFactory(ProvinceFactory):
    code = factory.Sequence(lambda n: f"{20000 + n:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử {n}")
    kind = UnitKind.COMMUNE
    parent = factory.SubFactory(DistrictFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    unit = factory.SubFactory(CommuneFactory)
    kind = OrganisationKind.PARTY_COMMITTEE
    name = factory.LazyAttribute(lambda o: f"Đảng ủy {o.unit.name}")
    valid_from = factory.LazyAttribute(lambda o: o.unit.valid_from)
    valid_to = factory.LazyAttribute(lambda o: o.unit.valid_to)


class PostFactory(factory.django.DjangoModelFactory):
    """A post; ``role`` takes a role code from the catalogue (``party_secretary`` by default)."""

    class Meta:
        model = Post

    organisation = factory.SubFactory(OrganisationFactory)
    role = factory.LazyFunction(lambda: Role.objects.get(code="party_secretary"))
    seats = 1
    valid_from = factory.LazyAttribute(lambda o: o.organisation.valid_from)
    valid_to = factory.LazyAttribute(lambda o: o.organisation.valid_to)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if isinstance(kwargs.get("role"), str):
            kwargs["role"] = Role.objects.get(code=kwargs["role"])
        return kwargs
