"""National-scale synthetic records, generated from a seed (DOMAIN.md §6).

The shape is Việt Nam's: provinces with districts and commune-level units until
30/06/2025; on 01/07/2025 the districts end, provinces merge, and the communes merge into
fewer commune-level units directly under the provinces (``UnitSuccession`` rows say which).
Each commune-level unit has its Party committee, People's Council and People's Committee
and the posts of the role catalogue of its period; each district its standing committee,
which issues the decisions, and two departments whose staff are rotated to communes.

The people and their history are simulated, district by district, as HR staff would record
them: posts held when the records begin, then decisions whose movements (transfers,
rotations with their returns, secondments, nominations for election, appointments,
designations) close one assignment the day before they open the next; retirements end
assignments without a movement. Every rule of the data model holds by construction: one
holder per seat at a time, seats within the post's seats, one principal post per cadre at a
time, rotations of 36 months or more and secondments of 36 months or less with a planned
end, returns naming the rotation they end, decision numbers unique per body and year.

Nothing here touches the database: ``Synthesizer.run`` hands rows (tuples in the column
order of ``COLUMNS``) to a sink, ``synthetic.writers``. The same seed gives the same rows.
All the people and places are fictional.
"""

from __future__ import annotations

import datetime
import heapq
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from cadres.models import PERSONAL_ID_PROVINCE_CODES
from communes.dates import months_end
from communes.text import fold
from rotation.demo import names

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
MERGE_DAY = D(2025, 7, 1)
LAST_DAY_BEFORE_MERGE = MERGE_DAY - ONE_DAY
# Issue time of the decisions: 09:00 in Việt Nam on the day they are signed.
VIETNAM = datetime.timezone(datetime.timedelta(hours=7))

# The tables written, with their columns in the order of the rows the generator makes.
COLUMNS: dict[str, tuple[str, ...]] = {
    "term": ("id", "name", "start", "end"),
    "unit": ("id", "code", "name", "name_folded", "kind", "parent_id", "valid_from", "valid_to"),
    "succession": ("id", "predecessor_id", "successor_id", "kind", "legal_basis"),
    "organisation": ("id", "unit_id", "kind", "name", "name_folded", "valid_from", "valid_to"),
    "post": ("id", "organisation_id", "role_id", "seats", "valid_from", "valid_to"),
    "cadre": (
        "id",
        "full_name",
        "full_name_folded",
        "gender",
        "date_of_birth",
        "hometown_id",
        "birthplace_id",
        "permanent_residence_id",
        "personal_id",
        "party_joined_on",
        "status",
        "created_at",
        "updated_at",
    ),
    "decision": (
        "id",
        "number",
        "signed_on",
        "issuing_body_id",
        "signer",
        "summary",
        "status",
        "issued_at",
        "issued_by_id",
        "cancelled_at",
        "cancelled_by_id",
        "cancellation_reason",
        "created_at",
        "updated_at",
    ),
    "movement": (
        "id",
        "decision_id",
        "position",
        "kind",
        "cadre_id",
        "from_assignment_id",
        "to_post_id",
        "effective_date",
        "planned_end",
        "concurrent",
        "returns_from_id",
        "notes",
        "to_unit_id",
        "from_unit_id",
    ),
    "assignment": (
        "id",
        "cadre_id",
        "post_id",
        "seat",
        "start_date",
        "end_date",
        "principal",
        "opened_by_id",
        "closed_by_id",
        "end_reason",
        "is_void",
        "created_at",
        "unit_id",
    ),
}
# The order in which the tables are written (and their history rows copied).
TABLES = tuple(COLUMNS)

# --------------------------------------------------------------------------- names

FAMILY = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 4), ("Huỳnh", 2),
    ("Phan", 4), ("Vũ", 3), ("Võ", 2), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 1),
    ("Ngô", 1), ("Dương", 1), ("Lý", 1), ("Đinh", 1), ("Trương", 1), ("Mai", 1), ("Chu", 1),
    ("Tạ", 1), ("Lại", 1), ("Hà", 1), ("Đào", 1), ("Cao", 1), ("Lương", 1),
]  # fmt: skip
FAMILY_NAMES = [name for name, _ in FAMILY]
FAMILY_WEIGHTS = [weight for _, weight in FAMILY]
# The demo's first names, and more for a country's worth of people (same order: the demo's
# first, so that a seed gives the same names).
MIDDLE_MALE = [*names.MIDDLE_MALE, "Đình", "Mạnh", "Quốc", "Tiến"]
MIDDLE_FEMALE = [*names.MIDDLE_FEMALE, "Thùy", "Bích"]
GIVEN_MALE = [
    *names.GIVEN_MALE,
    "Hưng", "Khoa", "Lộc", "Phúc", "Quý", "Thịnh", "Trí", "Vượng", "Cảnh", "Định",
]  # fmt: skip
GIVEN_FEMALE = [
    *names.GIVEN_FEMALE,
    "Dung", "Giang", "Hoa", "Liên", "My", "Nhàn", "Quỳnh", "Thoa", "Uyên", "Xuân",
]  # fmt: skip
PLACE_SYLLABLES = [
    "An", "Bình", "Phú", "Tân", "Hòa", "Thạnh", "Long", "Đông", "Tây", "Nam", "Bắc", "Hưng",
    "Lộc", "Phước", "Thuận", "Mỹ", "Vĩnh", "Quang", "Trung", "Hải", "Sơn", "Thành", "Yên",
    "Lạc", "Hiệp", "Đức", "Xuân", "Thái", "Hà", "Kim", "Ninh", "Gia", "Cẩm", "Hồng", "Thiện",
    "Tiến", "Hợp", "Nghĩa", "Lâm", "Lợi", "Khánh", "Định", "Minh", "Phong", "Châu", "Điền",
    "Thủy", "Lương", "Quế", "Đại", "Cát", "Tường", "Vạn", "Hội", "Liên", "Đồng", "Hoàng",
]  # fmt: skip


@lru_cache(maxsize=65536)
def folded(text: str) -> str:
    return fold(text)


# --------------------------------------------------------------------------- posts

# Commune-level posts until 30/06/2025 (the demo's catalogue): organisation, role, seats.
PARTY, COUNCIL, COMMITTEE = "party_committee", "peoples_council", "peoples_committee"
COMMUNE_POSTS = [
    (PARTY, "party_secretary", 1),
    (PARTY, "standing_deputy_secretary", 1),
    (COUNCIL, "people_council_chairman", 1),
    (COMMITTEE, "people_committee_chairman", 1),
    (COMMITTEE, "people_committee_vice_chairman", 2),
    (COMMITTEE, "military_commander", 1),
    (COMMITTEE, "office_statistics_officer", 2),
    (COMMITTEE, "land_environment_officer", 2),
    (COMMITTEE, "finance_accounting_officer", 2),
    (COMMITTEE, "justice_civil_status_officer", 2),
    (COMMITTEE, "culture_society_officer", 2),
]
# From 01/07/2025: the key posts and the three offices.
UNIT_POSTS_AFTER = [
    (PARTY, "party_secretary", 1),
    (PARTY, "standing_deputy_secretary", 1),
    (COUNCIL, "people_council_chairman", 1),
    (COMMITTEE, "people_committee_chairman", 1),
    (COMMITTEE, "people_committee_vice_chairman", 3),
    (COMMITTEE, "council_committee_office_officer", 6),
    (COMMITTEE, "economic_office_officer", 6),
    (COMMITTEE, "culture_social_office_officer", 6),
]
# The office each civil-servant title of before went to on 01/07/2025.
OFFICE_OF_TITLE = {
    "office_statistics_officer": "council_committee_office_officer",
    "justice_civil_status_officer": "council_committee_office_officer",
    "land_environment_officer": "economic_office_officer",
    "finance_accounting_officer": "economic_office_officer",
    "culture_society_officer": "culture_social_office_officer",
    "military_commander": "culture_social_office_officer",
}
ORGANISATION_WORD = {PARTY: "Đảng ủy", COUNCIL: "Hội đồng nhân dân", COMMITTEE: "Ủy ban nhân dân"}
UNIT_WORD = {"commune": "xã", "township": "thị trấn", "ward": "phường"}
DISTRICT_WORD = {"district": "huyện", "district_town": "thị xã", "provincial_city": "thành phố"}
DISTRICT_PARTY = {"district": "Huyện ủy", "district_town": "Thị ủy", "provincial_city": "Thành ủy"}
DISTRICT_SUFFIX = {"district": "QĐ/HU", "district_town": "QĐ/ThU", "provincial_city": "QĐ/ThU"}
# Two departments per district, whose staff are rotated and seconded to the communes.
DEPARTMENT_POSTS = [("department_head", 1), ("department_deputy_head", 2), ("specialist", 3)]

KEY_ROLES = frozenset(
    {
        "party_secretary",
        "standing_deputy_secretary",
        "people_council_chairman",
        "people_committee_chairman",
        "people_committee_vice_chairman",
    }
)
DISTRICT_ROLES = frozenset(role for role, _ in DEPARTMENT_POSTS)
# The posts a cadre from the district is rotated to, and their order of priority when
# the records begin (key posts are filled first when there are fewer people than seats).
ROTATION_TARGETS = frozenset(
    {"party_secretary", "people_committee_chairman", "people_committee_vice_chairman"}
)
FILL_PRIORITY = {
    "party_secretary": 0,
    "people_committee_chairman": 0,
    "standing_deputy_secretary": 1,
    "people_council_chairman": 1,
    "department_head": 1,
    "people_committee_vice_chairman": 2,
    "department_deputy_head": 2,
}

RETIREMENT_AGE = {"male": 61, "female": 57}


def swap_weight(role: str) -> int:
    """Civil servants change commune more often than key leaders, so that (as in the press
    reports) a share of the leaders, not nearly all of them, come from elsewhere."""
    return 1 if role in KEY_ROLES else 4


MIN_TENURE = datetime.timedelta(days=365)

END_RETIRED = "Nghỉ hưu theo chế độ"
END_CONCURRENT = "Thôi kiêm nhiệm khi nhận công tác mới"
END_MERGE = "Sắp xếp đơn vị hành chính, kết thúc hoạt động cấp huyện từ 01/07/2025"
LEGAL_BASIS = "Nghị quyết 202/2025/QH15 và các nghị quyết sắp xếp đơn vị hành chính cấp xã năm 2025"

KIND_SUMMARY = {
    "transfer": "Điều động cán bộ",
    "rotation": "Luân chuyển cán bộ",
    "secondment": "Biệt phái công chức",
    "return": "Bố trí công tác sau luân chuyển",
    "election_nomination": "Giới thiệu cán bộ để bầu",
    "appointment": "Bổ nhiệm, tuyển dụng công chức",
    "designation": "Chỉ định cán bộ",
}


@dataclass(frozen=True)
class Config:
    """The size and shape of the records; ``synthetic.management.commands`` checks them."""

    provinces: int = 63
    provinces_after: int = 34
    districts: int = 696
    communes: int = 10_000
    units_after: int = 3_321
    cadres: int = 250_000
    start_year: int = 2015
    end_year: int = 2025
    seed: int = 1
    moves_per_unit: float = 9.0

    @property
    def history_start(self) -> datetime.date:
        return D(self.start_year, 1, 1)

    @property
    def history_end(self) -> datetime.date:
        return D(self.end_year, 12, 31)

    @property
    def records_begin(self) -> datetime.date:
        """When the units, their organisations and posts begin: before every post held."""
        return D(self.start_year - 12, 1, 1)


# --------------------------------------------------------------------------- the model in memory


@dataclass(eq=False)
class Unit:
    id: int
    code: str
    name: str
    kind: str
    parent: Unit | None
    valid_from: datetime.date
    valid_to: datetime.date | None = None
    province_code: str = ""  # the pre-2025 province, for the personal IDs of people born there


@dataclass(eq=False)
class Person:
    id: int
    full_name: str
    gender: str
    born: datetime.date
    hometown: Unit
    birthplace: Unit
    residence: Unit
    personal_id: str
    party_joined_on: datetime.date | None
    retires: datetime.date
    status: str = "serving"
    holding: Holding | None = None  # the principal post held now
    concurrent: list[Holding] = field(default_factory=list)


@dataclass(eq=False)
class Seat:
    post_id: int
    number: int
    role: str
    unit: Unit
    holder: Holding | None = None
    kept_for: Person | None = None  # kept for a cadre away on rotation or secondment
    waiting: bool = False  # a fill is already planned


@dataclass(eq=False)
class Holding:
    id: int
    person: Person
    seat: Seat
    start: datetime.date
    principal: bool
    opened_by: int | None
    away: tuple[int, Seat] | None = None  # (rotation movement id, seat kept at home)


class Ids:
    """The next primary key of each table (ids are given here, not by the database)."""

    def __init__(self, first: dict[str, int]):
        self.next = dict(first)

    def __call__(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


def split_evenly(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def proportional(total: int, weights: list[int]) -> list[int]:
    """``total`` shared in proportion to ``weights``, each share at least 1 (largest remainder)."""
    count = len(weights)
    spare = total - count
    whole = sum(weights)
    raw = [spare * weight / whole for weight in weights]
    shares = [int(value) for value in raw]
    order = sorted(range(count), key=lambda i: (raw[i] - shares[i], -i), reverse=True)
    for index in order[: spare - sum(shares)]:
        shares[index] += 1
    return [share + 1 for share in shares]


def chunks(items: list, sizes: list[int]) -> Iterator[list]:
    start = 0
    for size in sizes:
        yield items[start : start + size]
        start += size


# --------------------------------------------------------------------------- the generator

Sink = Callable[[str, tuple], None]


class Synthesizer:
    """Generates every row, in an order a writer can stream (ids are final when made).

    ``sink(table, row)`` receives each row; rows may refer to rows handed over later (an
    assignment is handed over once it ends, the cadres at the end): the writer holds the
    whole run in one transaction, whose foreign keys are checked at commit.
    """

    def __init__(
        self,
        config: Config,
        *,
        roles: dict[str, int],
        first_ids: dict[str, int],
        now: datetime.datetime,
        sink: Sink,
        issued_by: int | None = None,
    ):
        self.config = config
        self.roles = roles
        self.ids = Ids(first_ids)
        self.now = now
        self.sink = sink
        self.issued_by = issued_by
        self.random = random.Random(config.seed)
        self.people: list[Person] = []
        self.serials: dict[str, int] = {}
        self.numbers: dict[tuple[int, int], int] = {}
        self.counts = {"units_before": 0, "units_after": 0}
        # The issuing body of each province and district: (organisation id, signer).
        self.body_of: dict[int, tuple[int, str]] = {}

    # ------------------------------------------------------------------ entry point

    def run(self) -> None:
        config = self.config
        self.terms()
        provinces = self.provinces()
        districts = self.districts(provinces)
        communes = self.communes(districts)
        groups = list(chunks(provinces, split_evenly(len(provinces), config.provinces_after)))
        # How many commune-level units each new province has after the merge.
        commune_counts = [sum(len(self.communes_of[p.id]) for p in group) for group in groups]
        shares = proportional(config.units_after, commune_counts)
        people_budget = self.people_budget(districts)
        for group, share in zip(groups, shares, strict=True):
            self.province_history(group, share, people_budget)
        # The people who never held a post in the records: the reserve of the last years.
        while len(self.people) < config.cadres:
            commune = communes[self.random.randrange(len(communes))]
            self.person(commune, config.history_end, young=True)
        for person in self.people:
            self.emit_person(person)
        self.counts["units_before"] = len(communes)

    # ------------------------------------------------------------------ units

    def terms(self) -> None:
        config = self.config
        year = (config.start_year - 1) // 5 * 5
        while D(year, 10, 1) <= config.history_end:
            if D(year + 5, 9, 30) >= config.history_start:
                self.sink(
                    "term",
                    (self.ids("term"), f"{year}–{year + 5}", D(year, 10, 1), D(year + 5, 9, 30)),
                )
            year += 5

    def place_name(self, used: set[str]) -> str:
        r = self.random
        for _attempt in range(20):
            name = f"{r.choice(PLACE_SYLLABLES)} {r.choice(PLACE_SYLLABLES)}"
            if name not in used and name.split()[0] != name.split()[1]:
                used.add(name)
                return name
        return name

    def unit(self, *, code, name, kind, parent, valid_from, valid_to, province_code="") -> Unit:
        unit = Unit(
            id=self.ids("unit"),
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            valid_from=valid_from,
            valid_to=valid_to,
            province_code=province_code or (parent.province_code if parent else code),
        )
        self.sink(
            "unit",
            (
                unit.id,
                code,
                name,
                folded(name),
                kind,
                parent.id if parent else None,
                valid_from,
                valid_to,
            ),
        )
        return unit

    def organisation(self, unit: Unit, kind: str, name: str, valid_from=None, valid_to=None) -> int:
        pk = self.ids("organisation")
        valid_from = valid_from or unit.valid_from
        valid_to = valid_to if valid_to is not None else unit.valid_to
        self.sink("organisation", (pk, unit.id, kind, name, folded(name), valid_from, valid_to))
        return pk

    def post(self, organisation: int, role: str, seats: int, valid_from, valid_to) -> int:
        pk = self.ids("post")
        self.sink("post", (pk, organisation, self.roles[role], seats, valid_from, valid_to))
        return pk

    def provinces(self) -> list[Unit]:
        config = self.config
        codes = sorted(PERSONAL_ID_PROVINCE_CODES)[: config.provinces]
        groups = split_evenly(config.provinces, config.provinces_after)
        merged_members: set[int] = set()
        index = 0
        for size in groups:
            if size > 1:
                merged_members.update(range(index, index + size))
            index += size
        used: set[str] = set()
        municipalities = config.provinces // 12
        provinces = []
        for index, code in enumerate(codes):
            province = self.unit(
                code=code[1:],
                name=self.place_name(used),
                kind="municipality" if index < municipalities else "province",
                parent=None,
                valid_from=config.records_begin,
                valid_to=LAST_DAY_BEFORE_MERGE if index in merged_members else None,
                province_code=code,
            )
            word = "Thành ủy" if province.kind == "municipality" else "Tỉnh ủy"
            province_body = self.organisation(
                province, "party_standing_committee", f"Ban Thường vụ {word} {province.name}"
            )
            self.body_of[province.id] = (province_body, f"T/M Ban Thường vụ {word}, Bí thư {word}")
            provinces.append(province)
        return provinces

    def districts(self, provinces: list[Unit]) -> list[Unit]:
        config = self.config
        self.districts_of: dict[int, list[Unit]] = {}
        used: set[str] = set()
        districts = []
        number = 0
        for province, count in zip(
            provinces, split_evenly(config.districts, config.provinces), strict=True
        ):
            self.districts_of[province.id] = []
            for index in range(count):
                number += 1
                if index == 0:
                    kind = "provincial_city"
                elif self.random.random() < 0.08:
                    kind = "district_town"
                else:
                    kind = "district"
                district = self.unit(
                    code=f"{number:03d}",
                    name=self.place_name(used),
                    kind=kind,
                    parent=province,
                    valid_from=config.records_begin,
                    valid_to=LAST_DAY_BEFORE_MERGE,
                )
                self.districts_of[province.id].append(district)
                districts.append(district)
        return districts

    def communes(self, districts: list[Unit]) -> list[Unit]:
        config = self.config
        self.communes_of: dict[int, list[Unit]] = {}
        self.communes_in: dict[int, list[Unit]] = {}
        communes = []
        number = 0
        for district, count in zip(
            districts, split_evenly(config.communes, config.districts), strict=True
        ):
            used: set[str] = set()
            self.communes_in[district.id] = []
            for index in range(count):
                number += 1
                if district.kind == "provincial_city":
                    kind = "ward" if index < max(1, count * 2 // 3) else "commune"
                elif district.kind == "district_town":
                    kind = "ward" if index < max(1, count // 2) else "commune"
                else:
                    kind = "township" if index == 0 else "commune"
                commune = self.unit(
                    code=f"{number:05d}",
                    name=self.place_name(used),
                    kind=kind,
                    parent=district,
                    valid_from=config.records_begin,
                    valid_to=LAST_DAY_BEFORE_MERGE,
                )
                self.communes_in[district.id].append(commune)
                self.communes_of.setdefault(district.parent.id, []).append(commune)
                communes.append(commune)
        return communes

    def people_budget(self, districts: list[Unit]) -> dict[int, tuple[int, int]]:
        """For each district: how many people hold its seats when the records begin, and how
        many more enter later (appointed or elected), in proportion to its seats."""
        seats_per_commune = sum(seats for _, _, seats in COMMUNE_POSTS)
        seats_per_district = 2 * sum(seats for _, seats in DEPARTMENT_POSTS)
        seats = {
            d.id: seats_per_district + seats_per_commune * len(self.communes_in[d.id])
            for d in districts
        }
        total = sum(seats.values())
        at_start = min(total, int(self.config.cadres * 0.8))
        later = self.config.cadres - at_start
        return {
            pk: (at_start * count // total, later * count // total) for pk, count in seats.items()
        }

    # ------------------------------------------------------------------ people

    def person(self, home: Unit, needed_on: datetime.date, *, young=False, key=False) -> Person:
        r = self.random
        female = r.random() < 0.3
        gender = "female" if female else "male"
        family = r.choices(FAMILY_NAMES, FAMILY_WEIGHTS)[0]
        if female:
            full_name = f"{family} {r.choice(MIDDLE_FEMALE)} {r.choice(GIVEN_FEMALE)}"
        else:
            full_name = f"{family} {r.choice(MIDDLE_MALE)} {r.choice(GIVEN_MALE)}"
        retirement = RETIREMENT_AGE[gender]
        if young:
            age = r.randint(23, 32)
        elif key:
            age = r.randint(34, retirement - 4)
        else:
            age = r.randint(24, retirement - 6)
        born = needed_on - datetime.timedelta(days=age * 365 + r.randrange(365))
        born = born.replace(day=min(born.day, 28))
        retires = born.replace(year=born.year + retirement)
        province = home.province_code
        century = {19: 0, 20: 2}[born.year // 100] + (1 if female else 0)
        prefix = f"{province}{century}{born.year % 100:02d}"
        serial = self.serials.get(prefix)
        if serial is None:
            serial = r.randrange(0, 400_000)
        self.serials[prefix] = serial + 1
        party = None
        if key or r.random() < 0.75:
            joined = born.replace(year=born.year + r.randint(21, 30)) + datetime.timedelta(
                days=r.randrange(300)
            )
            if joined <= self.config.history_end:
                party = joined
        residence = home
        if r.random() < 0.1:
            residence = self.neighbour(home)
        person = Person(
            id=self.ids("cadre"),
            full_name=full_name,
            gender=gender,
            born=born,
            hometown=home,
            birthplace=home,
            residence=residence,
            personal_id=f"{prefix}{serial:06d}",
            party_joined_on=party,
            retires=retires,
        )
        self.people.append(person)
        return person

    def neighbour(self, commune: Unit) -> Unit:
        siblings = self.communes_in.get(commune.parent.id) if commune.parent else None
        if not siblings:
            return commune
        return siblings[self.random.randrange(len(siblings))]

    def emit_person(self, person: Person) -> None:
        self.sink(
            "cadre",
            (
                person.id,
                person.full_name,
                folded(person.full_name),
                person.gender,
                person.born,
                person.hometown.id,
                person.birthplace.id,
                person.residence.id,
                person.personal_id,
                person.party_joined_on,
                person.status,
                self.now,
                self.now,
            ),
        )

    # ------------------------------------------------------------------ one new province

    def province_history(
        self, group: list[Unit], unit_count: int, budget: dict[int, tuple[int, int]]
    ) -> None:
        """The districts of ``group`` until 30/06/2025, then the province they form."""
        config = self.config
        last_holders: dict[int, list[Holding]] = {}
        idle: list[Person] = []
        for province in group:
            for district in self.districts_of[province.id]:
                engine = DistrictHistory(self, district, budget[district.id])
                engine.run()
                for commune in self.communes_in[district.id]:
                    last_holders[commune.id] = engine.holders_of(commune)
                idle.extend(engine.idle_people())
                engine.close_all(LAST_DAY_BEFORE_MERGE, END_MERGE)
        if config.history_end < MERGE_DAY:
            return
        province = self.province_after(group)
        old_communes = [c for p in group for c in self.communes_of[p.id]]
        sizes = split_evenly(len(old_communes), unit_count)
        after = ProvinceHistory(self, province, idle)
        for predecessors in chunks(old_communes, sizes):
            unit = self.unit_after(province, predecessors)
            after.add_unit(unit, [h for p in predecessors for h in last_holders[p.id]])
        after.run()
        after.close_all(None, "")

    def province_after(self, group: list[Unit]) -> Unit:
        if len(group) == 1:
            return group[0]
        keeper = group[self.random.randrange(len(group))]
        kind = "municipality" if any(p.kind == "municipality" for p in group) else "province"
        province = self.unit(
            code=keeper.code,
            name=keeper.name,
            kind=kind,
            parent=None,
            valid_from=MERGE_DAY,
            valid_to=None,
            province_code=keeper.province_code,
        )
        for old in group:
            self.sink(
                "succession", (self.ids("succession"), old.id, province.id, "merge", LEGAL_BASIS)
            )
        word = "Thành ủy" if kind == "municipality" else "Tỉnh ủy"
        body = self.organisation(
            province, "party_standing_committee", f"Ban Thường vụ {word} {province.name}"
        )
        self.body_of[province.id] = (body, f"T/M Ban Thường vụ {word}, Bí thư {word}")
        return province

    def unit_after(self, province: Unit, predecessors: list[Unit]) -> Unit:
        keeper = predecessors[self.random.randrange(len(predecessors))]
        urban = any(p.kind in ("ward", "township") for p in predecessors)
        unit = self.unit(
            code=keeper.code,
            name=keeper.name,
            kind="ward" if urban else "commune",
            parent=province,
            valid_from=MERGE_DAY,
            valid_to=None,
            province_code=keeper.province_code,
        )
        change = "merge" if len(predecessors) > 1 else "transfer"
        for old in predecessors:
            self.sink("succession", (self.ids("succession"), old.id, unit.id, change, LEGAL_BASIS))
        self.counts["units_after"] += 1
        return unit

    def unit_posts(self, unit: Unit, catalogue) -> list[Seat]:
        word = UNIT_WORD[unit.kind]
        organisations = {
            kind: self.organisation(unit, kind, f"{ORGANISATION_WORD[kind]} {word} {unit.name}")
            for kind in (PARTY, COUNCIL, COMMITTEE)
        }
        seats = []
        for organisation, role, count in catalogue:
            post = self.post(
                organisations[organisation], role, count, unit.valid_from, unit.valid_to
            )
            seats.extend(Seat(post, number, role, unit) for number in range(1, count + 1))
        return seats

    # ------------------------------------------------------------------ decisions

    def decision(self, body: tuple[int, str], suffix: str, signed_on, summary: str) -> int:
        body_id, signer = body
        key = (body_id, signed_on.year)
        number = self.numbers.get(key, 0) + 1
        self.numbers[key] = number
        pk = self.ids("decision")
        issued_at = datetime.datetime.combine(signed_on, datetime.time(9, 0), tzinfo=VIETNAM)
        self.sink(
            "decision",
            (
                pk,
                f"{number}-{suffix}",
                signed_on,
                body_id,
                signer,
                summary,
                "issued",
                issued_at,
                self.issued_by,
                None,
                None,
                "",
                self.now,
                self.now,
            ),
        )
        return pk


class History:
    """The seats of an area and the people in them, moved by decisions over a period."""

    body: tuple[int, str]
    suffix: str

    def __init__(self, synth: Synthesizer, start: datetime.date, end: datetime.date):
        self.synth = synth
        self.random = synth.random
        self.start = start
        self.end = end
        self.queue: list[tuple[datetime.date, int, str, object]] = []
        self.sequence = 0
        self.seats: list[Seat] = []
        self.by_role: dict[str, list[Seat]] = {}
        self.quota = 0

    # ------------------------------------------------------------------ bookkeeping

    def add_seats(self, seats: list[Seat]) -> None:
        self.seats.extend(seats)
        for seat in seats:
            self.by_role.setdefault(seat.role, []).append(seat)

    def at(self, day: datetime.date, what: str, payload) -> None:
        if self.start <= day <= self.end:
            self.sequence += 1
            heapq.heappush(self.queue, (day, self.sequence, what, payload))

    def open(self, person: Person, seat: Seat, day, movement: int | None, principal=True):
        holding = Holding(self.synth.ids("assignment"), person, seat, day, principal, movement)
        seat.holder = holding
        seat.waiting = False
        if principal:
            person.holding = holding
        else:
            person.concurrent.append(holding)
        if person.retires <= self.end:
            self.at(person.retires, "retire", person)
        return holding

    def close(self, holding: Holding, last_day, *, closed_by=None, reason="") -> None:
        """End ``holding`` on ``last_day``; its seat is free from the next day."""
        seat = holding.seat
        self.synth.sink(
            "assignment",
            (
                holding.id,
                holding.person.id,
                seat.post_id,
                seat.number,
                holding.start,
                last_day,
                holding.principal,
                holding.opened_by,
                closed_by,
                reason,
                False,
                self.synth.now,
                seat.unit.id,
            ),
        )
        if seat.holder is holding:
            seat.holder = None
        person = holding.person
        if person.holding is holding:
            person.holding = None
        elif holding in person.concurrent:
            person.concurrent.remove(holding)

    def vacate(self, holding: Holding, last_day, *, closed_by=None, reason="") -> None:
        """Close a principal post and what the person held with it; plan to fill the seats."""
        person = holding.person
        self.close(holding, last_day, closed_by=closed_by, reason=reason)
        for other in list(person.concurrent):
            self.close(other, last_day, reason=END_CONCURRENT)
            self.plan_fill(other.seat, last_day + ONE_DAY)
        self.plan_fill(holding.seat, last_day + ONE_DAY)

    def plan_fill(self, seat: Seat, free_from: datetime.date) -> None:
        if seat.kept_for is not None or seat.waiting:
            return
        seat.waiting = True
        self.at(free_from + datetime.timedelta(days=self.random.randint(10, 120)), "fill", seat)

    def close_all(self, last_day, reason: str) -> None:
        """End every post still held (on ``last_day``; None: still held at the end)."""
        for seat in self.seats:
            holding = seat.holder
            if holding is not None:
                self.close(holding, last_day, reason=reason)
            seat.kept_for = None

    def movements(self, day, kind_of_decision: str, lines: list[tuple]) -> list[tuple]:
        """One issued decision effective on ``day`` with its movements, applied at once:
        every post left closes the day before, then every post taken opens."""
        signed_on = max(self.start, day - datetime.timedelta(days=self.random.randint(0, 14)))
        decision = self.synth.decision(
            self.body, self.suffix, signed_on, KIND_SUMMARY[kind_of_decision]
        )
        ids = self.synth.ids
        applied = []
        for position, (kind, person, seat, left, planned_end, returns_from) in enumerate(
            lines, start=1
        ):
            movement = ids("movement")
            self.synth.sink(
                "movement",
                (
                    movement,
                    decision,
                    position,
                    kind,
                    person.id,
                    left.id if left else None,
                    seat.post_id,
                    day,
                    planned_end,
                    False,
                    returns_from,
                    "",
                    seat.unit.id,
                    left.seat.unit.id if left else None,
                ),
            )
            if left is not None:
                self.vacate(left, day - ONE_DAY, closed_by=movement)
            applied.append((movement, person, seat))
        for movement, person, seat in applied:
            self.open(person, seat, day, movement)
        return applied

    # ------------------------------------------------------------------ choosing people

    def settled(self, seat: Seat, day) -> bool:
        """Is the holder of ``seat`` movable on ``day`` (a year in post, not away, serving)?"""
        holding = seat.holder
        return (
            holding is not None
            and holding.principal
            and holding.away is None
            and holding.start + MIN_TENURE <= day
            and holding.person.retires > day + MIN_TENURE
            and holding.person.status == "serving"
        )

    def movable(self, seats: list[Seat], day, *, besides: Seat | None = None) -> Holding | None:
        if not seats:
            return None
        for _attempt in range(6):
            seat = seats[self.random.randrange(len(seats))]
            elsewhere = besides is None or seat.unit is not besides.unit
            if elsewhere and self.settled(seat, day):
                return seat.holder
        return None

    def newcomer(self, seat: Seat, day, *, key=False) -> Person | None:
        if self.quota <= 0:
            return None
        self.quota -= 1
        home = (
            seat.unit if seat.unit.kind in UNIT_WORD else self.synth.neighbour(self.any_commune())
        )
        return self.synth.person(home, day, key=key)

    def any_commune(self) -> Unit:
        raise NotImplementedError

    # ------------------------------------------------------------------ events

    def run(self) -> None:
        while self.queue:
            day, _seq, what, payload = heapq.heappop(self.queue)
            getattr(self, f"on_{what}")(day, payload)

    def on_retire(self, day, person: Person) -> None:
        if person.status != "serving" or person.retires != day:
            return
        person.status = "retired"
        holding = person.holding
        if holding is not None:
            if holding.away is not None:
                home = holding.away[1]
                home.kept_for = None
                self.plan_fill(home, day)
            self.vacate(holding, day - ONE_DAY, reason=END_RETIRED)
        for other in list(person.concurrent):
            self.close(other, day - ONE_DAY, reason=END_RETIRED)
            self.plan_fill(other.seat, day)

    def on_swap(self, day, role: str) -> None:
        """Two holders of the same post in two units exchange posts (one decision)."""
        seats = self.by_role.get(role, [])
        first = self.movable(seats, day)
        if first is None:
            return
        second = self.movable(seats, day, besides=first.seat)
        if second is None:
            return
        a, b = first.seat, second.seat
        self.movements(
            day,
            "transfer",
            [
                ("transfer", first.person, b, first, None, None),
                ("transfer", second.person, a, second, None, None),
            ],
        )
        a.waiting = b.waiting = False


class DistrictHistory(History):
    """A district and its communes from the start of the history to 30/06/2025."""

    def __init__(self, synth: Synthesizer, district: Unit, budget: tuple[int, int]):
        config = synth.config
        super().__init__(
            synth, config.history_start, min(config.history_end, LAST_DAY_BEFORE_MERGE)
        )
        self.district = district
        self.at_start, self.quota = budget
        word = DISTRICT_PARTY[district.kind]
        body = synth.organisation(
            district, "party_standing_committee", f"Ban Thường vụ {word} {district.name}"
        )
        self.body = (body, f"T/M Ban Thường vụ {word} {district.name}, Bí thư {word}")
        self.suffix = DISTRICT_SUFFIX[district.kind]
        synth.organisation(
            district,
            "peoples_committee",
            f"Ủy ban nhân dân {DISTRICT_WORD[district.kind]} {district.name}",
        )
        self.communes = synth.communes_in[district.id]
        self.district_seats: list[Seat] = []
        for name in (f"Ban Tổ chức {word} {district.name}", f"Phòng Nội vụ {district.name}"):
            organisation = synth.organisation(district, "department", name)
            for role, count in DEPARTMENT_POSTS:
                post = synth.post(organisation, role, count, district.valid_from, district.valid_to)
                self.district_seats.extend(
                    Seat(post, number, role, district) for number in range(1, count + 1)
                )
        self.add_seats(self.district_seats)
        for commune in self.communes:
            self.add_seats(synth.unit_posts(commune, COMMUNE_POSTS))

    def any_commune(self) -> Unit:
        return self.communes[self.random.randrange(len(self.communes))]

    def run(self) -> None:
        self.begin()
        config = self.synth.config
        years = (self.end - self.start).days / 365.25
        swaps = round(config.moves_per_unit * len(self.communes) * years / 2)
        span = (self.end - self.start).days
        roles = [role for _, role, _ in COMMUNE_POSTS]
        weights = [swap_weight(role) for role in roles]
        for _ in range(swaps):
            day = self.start + datetime.timedelta(days=self.random.randrange(span + 1))
            self.at(day, "swap", self.random.choices(roles, weights)[0])
        super().run()

    def begin(self) -> None:
        """The posts held when the records begin, key posts first when people are few."""
        r = self.random
        # In some communes the Party secretary is also People's Committee chairman.
        dual = {commune.id for commune in self.communes if r.random() < 0.03}
        order = sorted(self.seats, key=lambda s: (FILL_PRIORITY.get(s.role, 3), s.number))
        first = self.start - ONE_DAY
        for seat in order[: self.at_start]:
            if seat.role == "people_committee_chairman" and seat.unit.id in dual:
                continue
            key = seat.role in KEY_ROLES or seat.role in DISTRICT_ROLES
            if seat.unit is self.district:
                home = self.any_commune()
            elif seat.role in KEY_ROLES and r.random() < 0.2:
                home = self.synth.neighbour(seat.unit)  # a leader who is not local
            else:
                home = seat.unit
            person = self.synth.person(home, self.start, key=key)
            start = first - datetime.timedelta(days=r.randrange(30, 6 * 365))
            self.open(person, seat, start, None)
        for commune in self.communes:
            secretary = self.seat_of(commune, "party_secretary").holder
            chairman = self.seat_of(commune, "people_committee_chairman")
            if commune.id in dual and secretary is not None and chairman.holder is None:
                self.open(secretary.person, chairman, secretary.start, None, principal=False)
        for seat in self.seats:
            if seat.holder is None:
                self.plan_fill(seat, self.start)

    def seat_of(self, unit: Unit, role: str) -> Seat:
        return next(s for s in self.by_role[role] if s.unit is unit)

    def holders_of(self, commune: Unit) -> list[Holding]:
        return [s.holder for s in self.seats if s.unit is commune and s.holder is not None]

    def idle_people(self) -> list[Person]:
        """The district's staff on its last day: they may fill the new units' seats."""
        return [
            s.holder.person
            for s in self.district_seats
            if s.holder is not None and s.holder.principal
        ]

    def on_return(self, day, payload) -> None:
        rotation, person = payload
        holding = person.holding
        if holding is None or holding.away is None or holding.away[0] != rotation:
            return
        home = holding.away[1]
        home.kept_for = None
        if home.holder is not None:
            free = [s for s in self.district_seats if s.holder is None and s.kept_for is None]
            if not free:
                return
            home = free[0]
        self.movements(day, "return", [("return", person, home, holding, None, rotation)])

    def on_fill(self, day, seat: Seat) -> None:
        if seat.holder is not None or seat.kept_for is not None:
            seat.waiting = False
            return
        r = self.random.random()
        role = seat.role
        if role in DISTRICT_ROLES:
            if r < 0.35:
                # A commune leader transferred to the district.
                source = "party_secretary" if r < 0.15 else "people_committee_vice_chairman"
                donor = self.movable(self.by_role[source], day)
                if donor is not None:
                    self.movements(
                        day, "transfer", [("transfer", donor.person, seat, donor, None, None)]
                    )
                    return
            self.appoint(day, seat, "appointment")
            return
        if role in KEY_ROLES:
            returns_in_time = day + datetime.timedelta(days=3 * 366) < MERGE_DAY
            months = 36 + 12 * self.random.randrange(2)
            if (
                role in ROTATION_TARGETS
                and r < 0.25
                and returns_in_time
                and self.rotate(day, seat, "rotation", months)
            ):
                return
            if r < 0.45:
                source = {
                    "people_committee_chairman": "people_committee_vice_chairman",
                    "people_council_chairman": "people_committee_vice_chairman",
                    "party_secretary": "standing_deputy_secretary",
                }.get(role)
                if source is not None:
                    inner = self.seat_of_role(seat.unit, source, day)
                    if inner is not None:
                        kind = "designation" if role == "party_secretary" else "election_nomination"
                        self.movements(day, kind, [(kind, inner.person, seat, inner, None, None)])
                        return
            if r < 0.75:
                donor = self.movable(self.by_role[role], day, besides=seat)
                if donor is not None:
                    self.movements(
                        day, "transfer", [("transfer", donor.person, seat, donor, None, None)]
                    )
                    return
            kind = (
                "designation"
                if role in ("party_secretary", "standing_deputy_secretary")
                else "election_nomination"
            )
            self.appoint(day, seat, kind, key=True)
            return
        # A commune civil servant.
        months = 12 * (1 + self.random.randrange(3))
        if (
            r < 0.1
            and day + datetime.timedelta(days=366) < MERGE_DAY
            and self.rotate(day, seat, "secondment", months)
        ):
            return
        if r < 0.3:
            donor = self.movable(self.by_role[role], day, besides=seat)
            if donor is not None:
                self.movements(
                    day, "transfer", [("transfer", donor.person, seat, donor, None, None)]
                )
                return
        self.appoint(day, seat, "appointment")

    def seat_of_role(self, unit: Unit, role: str, day) -> Holding | None:
        for seat in self.by_role.get(role, []):
            if seat.unit is unit and self.settled(seat, day):
                return seat.holder
        return None

    def appoint(self, day, seat: Seat, kind: str, *, key=False) -> None:
        person = self.newcomer(seat, day, key=key)
        if person is None:
            seat.waiting = False
            return
        self.movements(day, kind, [(kind, person, seat, None, None, None)])

    def rotate(self, day, seat: Seat, kind: str, months: int) -> bool:
        """A district cadre rotated (or seconded) to ``seat``; their seat is kept for the return."""
        roles = ("department_deputy_head", "specialist") if kind == "rotation" else ("specialist",)
        candidates = [s for role in roles for s in self.by_role[role]]
        donor = self.movable(candidates, day)
        if donor is None or donor.person.retires <= months_end(day, months) + MIN_TENURE:
            return False
        planned_end = months_end(day, months)
        home = donor.seat
        applied = self.movements(day, kind, [(kind, donor.person, seat, donor, planned_end, None)])
        movement, person, _seat = applied[0]
        home.kept_for = person
        home.waiting = False
        person.holding.away = (movement, home)
        self.at(planned_end + ONE_DAY, "return", (movement, person))
        return True


class ProvinceHistory(History):
    """A province after 01/07/2025: its new commune-level units, their leaders designated
    from the holders of the units they took over, then moves until the end of the history."""

    def __init__(self, synth: Synthesizer, province: Unit, idle: list[Person]):
        super().__init__(synth, MERGE_DAY, synth.config.history_end)
        self.province = province
        self.body = synth.body_of[province.id]
        self.suffix = "QĐ/TU"
        self.units: list[Unit] = []
        self.inherited: dict[int, list[Holding]] = {}
        self.idle = [p for p in idle if p.status == "serving" and p.retires > MERGE_DAY]

    def any_commune(self) -> Unit:
        return self.units[self.random.randrange(len(self.units))]

    def add_unit(self, unit: Unit, holders: list[Holding]) -> None:
        self.units.append(unit)
        self.add_seats(self.synth.unit_posts(unit, UNIT_POSTS_AFTER))
        self.inherited[unit.id] = [
            h
            for h in holders
            if h.principal and h.person.status == "serving" and h.person.retires > MERGE_DAY
        ]

    def run(self) -> None:
        for unit in self.units:
            self.designate(unit)
        config = self.synth.config
        years = (self.end - self.start).days / 365.25
        swaps = round(config.moves_per_unit * len(self.units) * years / 2)
        span = (self.end - self.start).days
        roles = [role for _, role, _ in UNIT_POSTS_AFTER]
        weights = [swap_weight(role) for role in roles]
        for _ in range(swaps):
            day = self.start + datetime.timedelta(days=1 + self.random.randrange(span))
            self.at(day, "swap", self.random.choices(roles, weights)[0])
        super().run()

    def designate(self, unit: Unit) -> None:
        """One decision per new unit on 01/07/2025, naming each of its posts' first holders."""
        pool: dict[str, list[Person]] = {}
        for holding in self.inherited[unit.id]:
            pool.setdefault(holding.seat.role, []).append(holding.person)
        wanted = {
            "party_secretary": ["party_secretary"],
            "standing_deputy_secretary": ["party_secretary", "standing_deputy_secretary"],
            "people_council_chairman": ["people_council_chairman", "standing_deputy_secretary"],
            "people_committee_chairman": ["people_committee_chairman"],
            "people_committee_vice_chairman": [
                "people_committee_chairman",
                "people_committee_vice_chairman",
            ],
        }
        for title, office in OFFICE_OF_TITLE.items():
            wanted.setdefault(office, []).append(title)
        lines = []
        for seat in (s for s in self.seats if s.unit is unit):
            person = None
            for source in wanted.get(seat.role, []):
                if pool.get(source):
                    person = pool[source].pop(0)
                    break
            if person is None and seat.role not in KEY_ROLES and self.idle:
                person = self.idle.pop()
            if person is None:
                self.plan_fill(seat, MERGE_DAY)
                continue
            kind = "designation" if seat.role in KEY_ROLES else "appointment"
            lines.append((kind, person, seat, None, None, None))
        self.idle.extend(p for people in pool.values() for p in people)
        if lines:
            self.movements(MERGE_DAY, "designation", lines)

    def on_fill(self, day, seat: Seat) -> None:
        if seat.holder is not None:
            seat.waiting = False
            return
        if self.random.random() < 0.5:
            donor = self.movable(self.by_role[seat.role], day, besides=seat)
            if donor is not None:
                self.movements(
                    day, "transfer", [("transfer", donor.person, seat, donor, None, None)]
                )
                return
        while self.idle:
            person = self.idle.pop()
            if person.status == "serving" and person.holding is None and person.retires > day:
                kind = "designation" if seat.role in KEY_ROLES else "appointment"
                self.movements(day, kind, [(kind, person, seat, None, None, None)])
                return
        seat.waiting = False
