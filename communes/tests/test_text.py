"""Folding names so that people can search Vietnamese without typing diacritics."""

import unicodedata

import pytest

from communes.models import AdministrativeUnit
from communes.tests.factories import CommuneFactory
from communes.text import fold, nfc


def test_fold_strips_diacritics_and_turns_d_with_stroke_into_d():
    assert fold("Đinh Hồng Kiên") == "dinh hong kien"


def test_fold_of_a_two_word_commune_name():
    assert fold("Lê Hồ") == "le ho"


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_fold_gives_the_same_key_for_composed_and_decomposed_input(form):
    typed = unicodedata.normalize(form, "Nguyễn Trung Trực")

    assert fold(typed) == "nguyen trung truc"


def test_fold_collapses_whitespace_and_case():
    assert fold("  ĐẠI   Cương\t") == "dai cuong"


def test_fold_of_nothing_is_empty():
    assert fold("") == ""
    assert fold(None) == ""


def test_nfc_composes_decomposed_input_and_trims_it():
    decomposed = unicodedata.normalize("NFD", "Đồng Hóa")

    assert decomposed != "Đồng Hóa"
    assert nfc(f" {decomposed} ") == "Đồng Hóa"


def test_saving_a_unit_stores_its_folded_name_for_search(db):
    CommuneFactory(name=unicodedata.normalize("NFD", "Thụy Lôi"))

    assert AdministrativeUnit.objects.filter(name_folded=fold("thuy loi")).count() == 1


def test_month_arithmetic_near_the_end_of_the_calendar_does_not_overflow():
    import datetime

    from communes.dates import add_months, months_end

    assert add_months(datetime.date(9999, 6, 1), 36) == datetime.date.max
    assert months_end(datetime.date(9999, 6, 1), 36) == datetime.date.max
    assert months_end(datetime.date(2021, 3, 1), 36) == datetime.date(2024, 2, 29)
