"""Every table of the dashboards downloads as CSV and Excel with the page's figures:
Vietnamese names intact, dates dd/mm/yyyy, numbers as numbers.

Read back the way a person's spreadsheet program would: the CSV as UTF-8 with its
byte-order mark, the Excel file with openpyxl. On the Kim Bảng records (``kim_bang``).
"""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from cadres.models import Cadre
from communes.selectors import unit_on
from reports import exports
from reports.tables import DATE, NUMBER, PERCENT, Badge, Column, Link, Row, Table
from reports.tests.pages_support import ENGLISH, official_user

MID_TERM = datetime.date(2023, 6, 30)
BOM = b"\xef\xbb\xbf"


@pytest.fixture
def as_official(kim_bang, area_units, client):
    client.force_login(official_user(area=area_units))
    return client


@pytest.fixture
def pages(kim_bang, db) -> dict[str, tuple[str, dict]]:
    """Each page with the query of its Kim Bảng example."""
    kien = Cadre.objects.get(full_name="Đinh Hồng Kiên")
    le_ho = unit_on("13393", MID_TERM)
    day = {"date": "2023-06-30"}
    district = {"unit": "350", **day}
    return {
        "overview": (reverse("reports:overview"), district),
        "unit": (reverse("reports:unit", args=[le_ho.pk]), day),
        "cadre": (reverse("reports:cadre", args=[kien.pk]), day),
        "returns": (reverse("reports:returns"), {**district, "within": "365"}),
        "vacancies": (reverse("reports:vacancies"), {**district, "key": "1"}),
        "movements": (
            reverse("reports:movements"),
            {"unit": "350", "from": "2020-10-01", "to": "2023-06-30"},
        ),
    }


def download(client, page, table: str, export_format: str, **extra):
    path, query = page
    response = client.get(path, {**query, **extra, "export": export_format, "table": table})
    assert response.status_code == 200, response.content[:300]
    return response


def csv_rows(response) -> list[list[str]]:
    assert response.content.startswith(BOM), "Excel needs the byte-order mark to read UTF-8"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def sheet(response):
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return workbook.active


def by_first_cell(rows) -> dict:
    return {row[0]: row for row in rows[1:]}


# --------------------------------------------------------------------------- the figures


def test_the_non_local_table_as_csv_gives_8_of_18_and_4_of_18(as_official, pages):
    response = download(as_official, pages["overview"], "non_local", "csv")

    rows = csv_rows(response)
    assert rows[0] == [
        "Chức vụ",
        "Không phải người địa phương",
        "Số đơn vị cấp xã",
        "Tỷ lệ không phải người địa phương",
        "Người địa phương",
        "Khuyết",
    ]
    figures = by_first_cell(rows)
    assert figures["Bí thư Đảng ủy"] == ["Bí thư Đảng ủy", "8", "18", "44,4%", "10", "0"]
    assert figures["Chủ tịch Ủy ban nhân dân"][1:3] == ["4", "18"]
    assert response["Content-Disposition"] == (
        'attachment; filename="non_local_350_2023-06-30.csv"'
    )


def test_the_non_local_table_as_excel_keeps_numbers_and_shares(as_official, pages):
    response = download(as_official, pages["overview"], "non_local", "xlsx")

    rows = sheet(response)
    values = [[cell.value for cell in row] for row in rows.iter_rows()]
    figures = by_first_cell(values)
    assert figures["Bí thư Đảng ủy"][1:3] == [8, 18]
    assert figures["Chủ tịch Ủy ban nhân dân"][1:3] == [4, 18]
    share = rows.cell(row=2, column=4)
    assert share.value == pytest.approx(8 / 18)
    assert share.number_format == "0.0%"
    assert rows.freeze_panes == "A2"
    assert response["Content-Disposition"] == (
        'attachment; filename="non_local_350_2023-06-30.xlsx"'
    )


def test_names_of_people_and_places_keep_their_diacritics(as_official, pages):
    as_csv = by_first_cell(csv_rows(download(as_official, pages["overview"], "communes", "csv")))
    as_excel = by_first_cell(
        [
            [cell.value for cell in row]
            for row in sheet(
                download(as_official, pages["overview"], "communes", "xlsx")
            ).iter_rows()
        ]
    )

    for rows in (as_csv, as_excel):
        le_ho = rows["Lê Hồ"]
        assert le_ho[1] == "Đinh Hồng Kiên"
        assert (
            le_ho[2] == "không phải người địa phương (không có nơi nào được ghi nhận thuộc đơn vị)"
        )


def test_dates_read_dd_mm_yyyy_in_csv_and_are_dates_in_excel(as_official, pages):
    rows = csv_rows(download(as_official, pages["overview"], "trend", "csv"))
    assert [row[0] for row in rows[1:3]] == ["31/12/2020", "31/03/2021"]
    assert rows[-1][:4] == ["30/06/2023", "18", "8", "44,4%"]

    trend = sheet(download(as_official, pages["overview"], "trend", "xlsx"))
    first = trend.cell(row=2, column=1)
    assert first.value == datetime.datetime(2020, 12, 31)
    assert first.number_format == "DD/MM/YYYY"
    assert [cell.value for cell in trend[trend.max_row]][:3] == [
        datetime.datetime(2023, 6, 30),
        18,
        8,
    ]


def test_the_leaders_of_le_ho_since_the_start_of_the_term(as_official, pages):
    rows = csv_rows(download(as_official, pages["unit"], "leaders_history", "csv"))

    assert ["Bí thư Đảng ủy", "Đinh Hồng Kiên", "15/12/2021", "đang giữ", "298-QĐ/HU"] in rows

    history = sheet(download(as_official, pages["unit"], "leaders_history", "xlsx"))
    kien = next(row for row in history.iter_rows(values_only=True) if row[1] == "Đinh Hồng Kiên")
    assert kien[2] == datetime.datetime(2021, 12, 15)


def test_a_cadres_movements_download_with_the_cadre_in_the_file_name(as_official, pages):
    response = download(as_official, pages["cadre"], "movements", "csv")

    rows = csv_rows(response)
    assert rows[1][:2] == ["15/12/2021", "điều động"]
    assert "Đảng ủy xã Lê Hồ" in rows[1][3]
    assert "movements_cadre-" in response["Content-Disposition"]


def test_the_movements_download_follows_the_filters(as_official, pages):
    response = download(
        as_official,
        pages["movements"],
        "movements",
        "csv",
        direction="district_to_commune",
        kind="rotation",
    )

    rows = csv_rows(response)
    assert len(rows) == 1 + 6
    assert {row[4] for row in rows[1:]} == {"luân chuyển"}
    assert "Đinh Hồng Kiên" not in {row[1] for row in rows[1:]}
    assert response["Content-Disposition"] == (
        'attachment; filename="movements_350_2020-10-01_2023-06-30.csv"'
    )
    excel = sheet(
        download(
            as_official,
            pages["movements"],
            "movements",
            "xlsx",
            direction="district_to_commune",
            kind="rotation",
        )
    )
    ages = [row[3] for row in excel.iter_rows(min_row=2, values_only=True)]
    assert len(ages) == 6
    assert all(isinstance(age, int) for age in ages)


def test_headers_follow_the_language_of_the_page(as_official, pages):
    path, query = pages["overview"]
    response = as_official.get(path, {**query, "export": "csv", "table": "non_local"}, **ENGLISH)

    rows = csv_rows(response)
    assert rows[0][:3] == ["Post", "Not local", "Commune-level units"]
    assert by_first_cell(rows)["Party secretary"][3] == "44.4%"


@pytest.mark.parametrize("page", ["overview", "unit", "cadre", "returns", "vacancies", "movements"])
def test_every_table_of_every_page_downloads_in_both_formats(page, as_official, pages):
    path, query = pages[page]
    shown = as_official.get(path, query)
    tables = shown.context["tables"]
    assert tables

    for name, table in tables.items():
        assert f'id="table-{name}-csv"' in shown.content.decode()
        rows = csv_rows(download(as_official, pages[page], name, "csv"))
        assert rows[0] == [column.label for column in table.columns]
        assert len(rows) == 1 + len(table.rows)
        excel = sheet(download(as_official, pages[page], name, "xlsx"))
        assert excel.max_row == 1 + len(table.rows)


# --------------------------------------------------------------------------- refusals


def test_an_unknown_table_or_format_is_not_found(as_official, pages):
    path, query = pages["overview"]

    assert as_official.get(path, {**query, "export": "csv", "table": "nope"}).status_code == 404
    assert as_official.get(path, {**query, "export": "pdf", "table": "trend"}).status_code == 404


def test_downloads_need_the_same_login_and_permissions_as_the_page(
    kim_bang, db, client, pages, django_user_model
):
    path, query = pages["overview"]
    query = {**query, "export": "csv", "table": "non_local"}

    assert client.get(path, query).status_code == 302
    client.force_login(django_user_model.objects.create_user(username="outsider"))
    assert client.get(path, query).status_code == 403


# --------------------------------------------------------------------------- the file formats


TABLE = Table(
    name="sample",
    caption="Mẫu: [thử] / kiểm tra",
    columns=(
        Column("Họ và tên"),
        Column("Ngày", DATE),
        Column("Số", NUMBER),
        Column("Tỷ lệ", PERCENT),
        Column("Ghi chú"),
    ),
    rows=(
        Row((Link("Đinh Hồng Kiên", "/x/"), datetime.date(2021, 12, 15), 1234, 0.5, None)),
        Row(('=HYPERLINK("http://evil")', None, -3, None, Badge("khuyết", "vacant", "x"))),
    ),
)


def test_csv_writes_text_as_people_read_it_and_defuses_formulas():
    rows = list(csv.reader(io.StringIO(exports.table_csv(TABLE).decode("utf-8-sig"))))

    assert rows[1] == ["Đinh Hồng Kiên", "15/12/2021", "1234", "50,0%", ""]
    assert rows[2] == ['\'=HYPERLINK("http://evil")', "", "-3", "", "khuyết (x)"]


def test_excel_keeps_formulas_as_text_and_names_the_sheet_legally():
    workbook = openpyxl.load_workbook(io.BytesIO(exports.table_xlsx(TABLE)))
    rows = workbook.active

    assert rows.title == "Mẫu   thử    kiểm tra"[:31]
    assert rows.cell(row=3, column=1).value == '=HYPERLINK("http://evil")'
    assert rows.cell(row=3, column=1).data_type == "s"
    assert rows.cell(row=2, column=3).value == 1234
    assert rows.cell(row=3, column=3).value == -3
    assert rows.cell(row=2, column=4).value == 0.5
