"""Deterministic Vietnamese names, birth dates and identity numbers for the demo records.

The same seed gives the same people on every run, which keeps ``load_demo`` idempotent.
None of these people exist; only the two cadres named in the article are real names.
"""

from __future__ import annotations

import datetime
import random

from cadres.models import Gender, personal_id_century_digit

FAMILY = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ",
    "Ngô", "Dương", "Lý", "Đinh", "Trương", "Phan", "Tạ", "Lại", "Chu", "Mai",
]  # fmt: skip
MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Xuân", "Công", "Ngọc", "Trọng"]
MIDDLE_FEMALE = ["Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Minh", "Phương", "Kim"]
GIVEN_MALE = [
    "Anh", "Bình", "Cường", "Dũng", "Hải", "Hiếu", "Hòa", "Hùng", "Khánh", "Long",
    "Nam", "Phong", "Quân", "Sơn", "Thắng", "Toàn", "Trung", "Tuấn", "Việt", "Vinh",
    "Đạt", "Đông", "Huy", "Kiên", "Lâm", "Lợi", "Nghĩa", "Tài", "Thành", "Tùng",
]  # fmt: skip
GIVEN_FEMALE = [
    "Hà", "Hạnh", "Hằng", "Hương", "Lan", "Linh", "Mai", "Nga", "Ngọc", "Nhung",
    "Phương", "Tâm", "Thảo", "Thủy", "Trang", "Vân", "Yến", "Huyền", "Loan", "Oanh",
]  # fmt: skip

RESERVED = {"Đinh Hồng Kiên", "Nguyễn Trung Trực"}


class PeopleGenerator:
    def __init__(self, seed: int = 350):
        self.random = random.Random(seed)
        self.names: set[str] = set(RESERVED)
        self.ids: set[str] = set()

    def name(self, gender: str) -> str:
        r = self.random
        while True:
            if gender == Gender.FEMALE:
                full = f"{r.choice(FAMILY)} {r.choice(MIDDLE_FEMALE)} {r.choice(GIVEN_FEMALE)}"
            else:
                full = f"{r.choice(FAMILY)} {r.choice(MIDDLE_MALE)} {r.choice(GIVEN_MALE)}"
            if full not in self.names:
                self.names.add(full)
                return full

    def gender(self, female_share: float = 0.3) -> str:
        return Gender.FEMALE if self.random.random() < female_share else Gender.MALE

    def birth_date(self, first_year: int, last_year: int) -> datetime.date:
        year = self.random.randint(first_year, last_year)
        return datetime.date(year, self.random.randint(1, 12), self.random.randint(1, 28))

    def personal_id(self, gender: str, born: datetime.date, province: str = "035") -> str:
        century = personal_id_century_digit(gender, born.year)
        while True:
            number = f"{province}{century}{born.year % 100:02d}{self.random.randint(0, 999999):06d}"
            if number not in self.ids:
                self.ids.add(number)
                return number

    def party_date(self, born: datetime.date) -> datetime.date:
        year = born.year + self.random.randint(22, 30)
        return datetime.date(year, self.random.randint(1, 12), self.random.randint(1, 28))
