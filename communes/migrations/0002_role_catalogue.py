"""The catalogue of roles with their stable codes (DOMAIN.md §2, Decree 33/2023).

Codes never change: reports, the API and other systems rely on them. Names can be
corrected in the admin. Roles are the same at every level: a district's People's Committee
chairman holds a ``people_committee_chairman`` post of the district's People's Committee.
"""

import datetime

from django.db import migrations

CIVIL_SERVANT_TITLES_END = datetime.date(2025, 6, 30)
OFFICES_START = datetime.date(2025, 7, 1)

# code, Vietnamese name, English name, category, field, key, order, valid_from, valid_to
ROLES = [
    ("party_secretary", "Bí thư Đảng ủy", "Party secretary", "cadre", "", True, 10, None, None),
    ("standing_deputy_secretary", "Phó Bí thư Thường trực Đảng ủy", "Standing deputy Party secretary", "cadre", "", True, 20, None, None),
    ("deputy_secretary", "Phó Bí thư Đảng ủy", "Deputy Party secretary", "cadre", "", False, 30, None, None),
    ("people_council_chairman", "Chủ tịch Hội đồng nhân dân", "People's Council chairman", "cadre", "", True, 40, None, None),
    ("people_council_vice_chairman", "Phó Chủ tịch Hội đồng nhân dân", "People's Council vice-chairman", "cadre", "", False, 45, None, None),
    ("people_committee_chairman", "Chủ tịch Ủy ban nhân dân", "People's Committee chairman", "cadre", "", True, 50, None, None),
    ("people_committee_vice_chairman", "Phó Chủ tịch Ủy ban nhân dân", "People's Committee vice-chairman", "cadre", "", True, 60, None, None),
    ("fatherland_front_chairman", "Chủ tịch Ủy ban Mặt trận Tổ quốc", "Fatherland Front chairman", "cadre", "", False, 70, None, None),
    ("youth_union_secretary", "Bí thư Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Youth Union secretary", "cadre", "", False, 71, None, None),
    ("women_union_chairwoman", "Chủ tịch Hội Liên hiệp Phụ nữ", "Women's Union chairwoman", "cadre", "", False, 72, None, None),
    ("farmers_union_chairman", "Chủ tịch Hội Nông dân", "Farmers' Union chairman", "cadre", "", False, 73, None, None),
    ("veterans_association_chairman", "Chủ tịch Hội Cựu chiến binh", "Veterans' Association chairman", "cadre", "", False, 74, None, None),
    ("military_commander", "Chỉ huy trưởng Ban Chỉ huy Quân sự", "Military commander", "civil_servant", "military", False, 100, None, CIVIL_SERVANT_TITLES_END),
    ("office_statistics_officer", "Công chức Văn phòng – Thống kê", "Office and statistics officer", "civil_servant", "office_statistics", False, 110, None, CIVIL_SERVANT_TITLES_END),
    ("land_environment_officer", "Công chức Địa chính – Xây dựng – Đô thị và Môi trường", "Land administration, construction and environment officer", "civil_servant", "land_environment", False, 120, None, CIVIL_SERVANT_TITLES_END),
    ("finance_accounting_officer", "Công chức Tài chính – Kế toán", "Finance and accounting officer", "civil_servant", "finance", False, 130, None, CIVIL_SERVANT_TITLES_END),
    ("justice_civil_status_officer", "Công chức Tư pháp – Hộ tịch", "Justice and civil status officer", "civil_servant", "justice", False, 140, None, CIVIL_SERVANT_TITLES_END),
    ("culture_society_officer", "Công chức Văn hóa – Xã hội", "Culture and society officer", "civil_servant", "culture_society", False, 150, None, CIVIL_SERVANT_TITLES_END),
    ("council_committee_office_officer", "Công chức Văn phòng HĐND và UBND", "Officer of the People's Council and Committee office", "staff", "", False, 160, OFFICES_START, None),
    ("economic_office_officer", "Công chức Phòng Kinh tế", "Officer of the economic office", "staff", "", False, 161, OFFICES_START, None),
    ("culture_social_office_officer", "Công chức Phòng Văn hóa – Xã hội", "Officer of the culture and social office", "staff", "", False, 162, OFFICES_START, None),
    ("department_head", "Trưởng phòng, Trưởng ban", "Head of department", "staff", "", False, 200, None, None),
    ("department_deputy_head", "Phó Trưởng phòng, Phó Trưởng ban", "Deputy head of department", "staff", "", False, 210, None, None),
    ("specialist", "Chuyên viên", "Specialist", "staff", "", False, 220, None, None),
]  # fmt: skip


def create_roles(apps, schema_editor):
    from communes.text import fold

    Role = apps.get_model("communes", "Role")
    for code, name, name_en, category, field, key, order, valid_from, valid_to in ROLES:
        Role.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_folded": fold(name),
                "name_en": name_en,
                "category": category,
                "field": field,
                "is_key": key,
                "sort_order": order,
                "valid_from": valid_from,
                "valid_to": valid_to,
            },
        )


def remove_roles(apps, schema_editor):
    Role = apps.get_model("communes", "Role")
    Role.objects.filter(code__in=[row[0] for row in ROLES], posts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("communes", "0001_initial")]

    operations = [migrations.RunPython(create_roles, remove_roles)]
