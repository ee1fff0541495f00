"""``generate_synthetic`` as a command: the same seed gives the same records, another seed
others; a database holding records, or options that do not fit together, are refused with
one line and nothing written.
"""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from conftest import stored_records
from rotation.models import Decision
from synthetic.tests.test_rules import generate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def records_without_times() -> dict[str, list[dict]]:
    """Every record, without the times of their writing (the same seed, another moment)."""
    written = {"created_at", "updated_at"}
    return {
        name: [{k: v for k, v in row.items() if k not in written} for row in rows]
        for name, rows in stored_records().items()
    }


# --------------------------------------------------------------------------- seeds


def test_the_same_seed_gives_the_same_records_and_another_seed_others():
    generate(seed=7)
    first = records_without_times()
    generate(seed=7, replace=True)
    assert records_without_times() == first
    generate(seed=8, replace=True)
    other = records_without_times()
    assert other["Cadre"] != first["Cadre"]
    assert other["Movement"] != first["Movement"]


# --------------------------------------------------------------------------- refusals


def test_refuses_a_database_that_holds_records_without_replace():
    generate(cadres=100, communes=10, units_after=4)
    before = stored_records()
    with pytest.raises(CommandError, match="already holds records"):
        generate()
    assert stored_records() == before


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"units_after": 31}, "--units-after"),
        ({"provinces": 0}, "--provinces"),
        ({"provinces": 64}, "--provinces"),
        ({"districts": 1}, "--districts"),
        ({"communes": 2}, "--communes"),
        ({"cadres": 10}, "--cadres"),
        ({"cadres": 10**9}, "--cadres"),
        ({"end_year": 2024}, "--end-year"),
        ({"end_year": 2999}, "--end-year"),
        ({"start_year": 2021, "years": 3}, "--years"),
        ({"start_year": 1900}, "starts"),
        ({"batch_size": 0}, "--batch-size"),
        ({"issued_by": "nobody"}, "nobody"),
    ],
)
def test_refuses_inconsistent_options_and_writes_nothing(options, message):
    with pytest.raises(CommandError, match=message):
        generate(**options)
    assert not any(stored_records().values())


def test_names_the_user_who_issued_the_decisions(django_user_model):
    user = django_user_model.objects.create_user("hr.synthetic")
    generate(cadres=100, communes=10, units_after=4, issued_by="hr.synthetic")
    assert set(Decision.objects.values_list("issued_by", flat=True)) == {user.pk}
