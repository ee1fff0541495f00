"""The Kim Bảng records: Hà Nam province, Kim Bảng district, its 18 commune-level units.

Built only through the services, like HR staff would enter them, and idempotent: every
record is looked up by its natural key first, and the people are generated from a fixed
seed. The story is written so that, as of 30/06/2023 (mid-term of 2020–2025), the records
give every figure of the article (DOMAIN.md §5); nothing here states a figure — the
reports compute them from these decisions and movements:

- 2018: two district cadres rotated to communes (a Party secretary, a chairman);
- 2020–2023: six rotations from the district to communes (four secretaries, two
  chairmen), their two predecessors' returns, three transfers from communes to the
  district, one district official nominated for election as vice-chairman, eight key
  cadres moved between communes (five secretaries, three chairmen; Đinh Hồng Kiên,
  Tân Sơn → Lê Hồ in December 2021; Nguyễn Trung Trực, Ngọc Sơn → Quế), twenty-three
  commune civil servants moved between communes and eighteen moves between district
  departments;
- Ba Sao's Party secretary is also its People's Committee chairman;
- 2023–2024: a few later moves; 01/01/2025: the district becomes a town and Nhật Tân and
  Nhật Tựu merge into Tân Tựu; 01/07/2025: the area becomes six wards of Ninh Bình, with
  their leaders designated;
- two draft decisions for HR staff to try: one that can be issued, one that would
  overfill a post.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from cadres.models import Cadre, CadreStatus, Gender
from cadres.services import cadre_create, cadre_update
from communes.dates import months_end
from communes.models import (
    AdministrativeUnit,
    Organisation,
    OrganisationKind,
    Post,
    Role,
    SuccessionKind,
    UnitKind,
)
from communes.services import organisation_create, post_create, unit_create, unit_end, unit_succeed
from rotation.demo.names import PeopleGenerator
from rotation.models import Assignment, Decision, MovementKind, Term
from rotation.services import (
    assignment_end,
    assignment_record,
    decision_create,
    decision_issue,
    movement_add,
    rotation_return,
)

D = datetime.date
RECORDS_BEGIN = D(1997, 1, 1)  # Hà Nam province re-established; earlier history not recorded
TOWN_DAY = D(2025, 1, 1)
WARD_DAY = D(2025, 7, 1)

# code, name, kind — DOMAIN.md §4
COMMUNES = [
    ("13384", "Quế", UnitKind.TOWNSHIP),
    ("13387", "Nguyễn Úy", UnitKind.COMMUNE),
    ("13390", "Đại Cương", UnitKind.COMMUNE),
    ("13393", "Lê Hồ", UnitKind.COMMUNE),
    ("13396", "Tượng Lĩnh", UnitKind.COMMUNE),
    ("13399", "Nhật Tựu", UnitKind.COMMUNE),
    ("13402", "Nhật Tân", UnitKind.COMMUNE),
    ("13405", "Đồng Hóa", UnitKind.COMMUNE),
    ("13408", "Hoàng Tây", UnitKind.COMMUNE),
    ("13411", "Tân Sơn", UnitKind.COMMUNE),
    ("13414", "Thụy Lôi", UnitKind.COMMUNE),
    ("13417", "Văn Xá", UnitKind.COMMUNE),
    ("13420", "Khả Phong", UnitKind.COMMUNE),
    ("13423", "Ngọc Sơn", UnitKind.COMMUNE),
    ("13429", "Ba Sao", UnitKind.TOWNSHIP),
    ("13432", "Liên Sơn", UnitKind.COMMUNE),
    ("13435", "Thi Sơn", UnitKind.COMMUNE),
    ("13438", "Thanh Sơn", UnitKind.COMMUNE),
]
CODE = {name: code for code, name, _ in COMMUNES}

# The six wards of 01/07/2025: code, name, predecessors by name (Tân Tựu since 01/01/2025).
WARDS = [
    ("13384", "Kim Bảng", ["Quế", "Ngọc Sơn", "Văn Xá"]),
    ("13393", "Lê Hồ", ["Lê Hồ", "Đại Cương", "Đồng Hóa"]),
    ("13396", "Nguyễn Úy", ["Nguyễn Úy", "Tượng Lĩnh", "Tân Sơn"]),
    ("13402", "Kim Thanh", ["Tân Tựu", "Hoàng Tây"]),
    ("13420", "Tam Chúc", ["Ba Sao", "Khả Phong", "Thụy Lôi"]),
    ("13435", "Lý Thường Kiệt", ["Thi Sơn", "Liên Sơn", "Thanh Sơn"]),
]

KIND_WORD = {UnitKind.COMMUNE: "xã", UnitKind.TOWNSHIP: "thị trấn", UnitKind.WARD: "phường"}

# Commune posts until 30/06/2025: organisation kind, role, seats, holders recorded at start.
COMMUNE_POSTS = [
    (OrganisationKind.PARTY_COMMITTEE, "party_secretary", 1, 1),
    (OrganisationKind.PARTY_COMMITTEE, "standing_deputy_secretary", 1, 1),
    (OrganisationKind.PEOPLES_COUNCIL, "people_council_chairman", 1, 1),
    (OrganisationKind.PEOPLES_COMMITTEE, "people_committee_chairman", 1, 1),
    (OrganisationKind.PEOPLES_COMMITTEE, "people_committee_vice_chairman", 2, 2),
    (OrganisationKind.PEOPLES_COMMITTEE, "military_commander", 1, 1),
    (OrganisationKind.PEOPLES_COMMITTEE, "office_statistics_officer", 2, 2),
    (OrganisationKind.PEOPLES_COMMITTEE, "land_environment_officer", 2, 2),
    (OrganisationKind.PEOPLES_COMMITTEE, "finance_accounting_officer", 2, 2),
    (OrganisationKind.PEOPLES_COMMITTEE, "justice_civil_status_officer", 2, 2),
    (OrganisationKind.PEOPLES_COMMITTEE, "culture_society_officer", 2, 2),
]
WARD_POSTS = [
    (OrganisationKind.PARTY_COMMITTEE, "party_secretary", 1),
    (OrganisationKind.PARTY_COMMITTEE, "standing_deputy_secretary", 1),
    (OrganisationKind.PEOPLES_COUNCIL, "people_council_chairman", 1),
    (OrganisationKind.PEOPLES_COMMITTEE, "people_committee_chairman", 1),
    (OrganisationKind.PEOPLES_COMMITTEE, "people_committee_vice_chairman", 3),
    (OrganisationKind.PEOPLES_COMMITTEE, "council_committee_office_officer", 6),
    (OrganisationKind.PEOPLES_COMMITTEE, "economic_office_officer", 6),
    (OrganisationKind.PEOPLES_COMMITTEE, "culture_social_office_officer", 6),
]
ORG_NAME = {
    OrganisationKind.PARTY_COMMITTEE: "Đảng ủy",
    OrganisationKind.PEOPLES_COUNCIL: "Hội đồng nhân dân",
    OrganisationKind.PEOPLES_COMMITTEE: "Ủy ban nhân dân",
}

# District departments: key, name, seats of head / deputy heads / specialists, and how
# many deputies and specialists were in post when the records begin.
DEPARTMENTS = [
    ("btc", "Ban Tổ chức Huyện ủy Kim Bảng", (1, 3, 4), (2, 2)),
    ("ubkt", "Ủy ban Kiểm tra Huyện ủy Kim Bảng", (1, 3, 4), (2, 2)),
    ("btg", "Ban Tuyên giáo Huyện ủy Kim Bảng", (1, 3, 4), (2, 2)),
    ("bdv", "Ban Dân vận Huyện ủy Kim Bảng", (1, 3, 4), (2, 2)),
    ("vphu", "Văn phòng Huyện ủy Kim Bảng", (1, 3, 4), (2, 2)),
    ("vpub", "Văn phòng HĐND và UBND huyện Kim Bảng", (1, 3, 5), (2, 3)),
    ("pnv", "Phòng Nội vụ huyện Kim Bảng", (1, 3, 4), (2, 2)),
    ("ptckh", "Phòng Tài chính – Kế hoạch huyện Kim Bảng", (1, 3, 4), (2, 2)),
    ("ptnmt", "Phòng Tài nguyên và Môi trường huyện Kim Bảng", (1, 3, 4), (2, 2)),
    ("pldtbxh", "Phòng Lao động – Thương binh và Xã hội huyện Kim Bảng", (1, 3, 4), (2, 2)),
    ("ptp", "Phòng Tư pháp huyện Kim Bảng", (1, 2, 3), (1, 2)),
    ("pvhtt", "Phòng Văn hóa và Thông tin huyện Kim Bảng", (1, 2, 3), (1, 2)),
    ("pkt", "Phòng Kinh tế huyện Kim Bảng", (1, 3, 4), (2, 2)),
]
DEPARTMENT_ROLES = ("department_head", "department_deputy_head", "specialist")

# People the story follows, with their hometowns. Named: the two cadres of the article.
# D1–D6: district cadres rotated to communes; R1, R2: rotated in 2018, return in 2021;
# N1: district official nominated for election as commune vice-chairman.
NAMED = {
    "kien": ("Đinh Hồng Kiên", Gender.MALE, D(1969, 8, 12), "Tân Sơn"),
    "truc": ("Nguyễn Trung Trực", Gender.MALE, D(1974, 3, 5), "Ngọc Sơn"),
}
DISTRICT_PEOPLE = {
    # key: (department, role, hometown, start in that post)
    "R1": ("btc", "department_deputy_head", "Nhật Tân", D(2012, 5, 2)),
    "R2": ("pnv", "department_deputy_head", "Tượng Lĩnh", D(2013, 3, 1)),
    "D1": ("btc", "department_deputy_head", "Quế", D(2016, 1, 4)),
    "D2": ("ubkt", "department_deputy_head", "Nguyễn Úy", D(2016, 1, 4)),
    "D3": ("btg", "department_deputy_head", "Thanh Sơn", D(2016, 1, 4)),
    "D4": ("bdv", "department_deputy_head", "Đại Cương", D(2016, 1, 4)),
    "D5": ("pnv", "department_deputy_head", "Lê Hồ", D(2016, 1, 4)),
    "D6": ("ptckh", "department_deputy_head", "Thi Sơn", D(2016, 1, 4)),
    "N1": ("vpub", "specialist", "Khả Phong", D(2015, 6, 1)),
}
# Commune holders whose hometown is not their commune when the records begin.
HOMETOWN_EXCEPTIONS = {
    ("Văn Xá", "party_secretary"): "Hoàng Tây",
    ("Đại Cương", "people_committee_chairman"): "Nguyễn Úy",
}
SECRETARY_START = D(2015, 8, 3)
CHAIRMAN_START = D(2016, 7, 1)


@dataclass
class Move:
    kind: str
    who: Callable[[datetime.date], Cadre]
    to: Callable[[], Post]
    planned_months: int | None = None
    leaving: Callable[[], Post] | None = None
    concurrent: bool = False


@dataclass
class Act:
    """A decision of the story: who signs, when, and the movements it orders."""

    number: str
    signed_on: datetime.date
    effective: datetime.date
    body: str
    summary: str
    moves: list[Move] = field(default_factory=list)
    returns: list[tuple[str, Callable[[], Post] | None]] = field(default_factory=list)


class KimBang:
    """Builds (or completes) the Kim Bảng records. ``run()`` is safe to call again."""

    def __init__(self, log: Callable[[str], None] | None = None):
        self.log = log or (lambda message: None)
        self.people = PeopleGenerator(seed=350)
        self.units: dict[str, AdministrativeUnit] = {}
        self.orgs: dict[tuple[str, str], Organisation] = {}
        self.posts: dict[tuple[str, str], Post] = {}
        self.cadres: dict[str, Cadre] = {}
        self.roles = {role.code: role for role in Role.objects.all()}
        self.created = {"units": 0, "cadres": 0, "decisions": 0}

    # ------------------------------------------------------------------ entry point

    def run(self) -> dict[str, int]:
        self.terms()
        self.build_units()
        self.build_district()
        self.build_communes()
        self.history_before_term()
        self.term_2020_2025()
        self.after_mid_term()
        self.town_2025()
        self.wards_2025()
        self.drafts()
        return self.created

    # ------------------------------------------------------------------ units

    def terms(self) -> None:
        for name, start, end in [
            ("2015–2020", D(2015, 10, 1), D(2020, 9, 30)),
            ("2020–2025", D(2020, 10, 1), D(2025, 9, 30)),
            ("2025–2030", D(2025, 10, 1), D(2030, 9, 30)),
        ]:
            Term.objects.get_or_create(name=name, defaults={"start": start, "end": end})

    def _unit(self, *, code, name, kind, parent, valid_from) -> AdministrativeUnit:
        unit = AdministrativeUnit.objects.filter(code=code, valid_from=valid_from).first()
        if unit is None:
            unit = unit_create(
                code=code, name=name, kind=kind, parent=parent, valid_from=valid_from
            )
            self.created["units"] += 1
        return unit

    def build_units(self) -> None:
        self.units["35"] = self._unit(
            code="35", name="Hà Nam", kind=UnitKind.PROVINCE, parent=None, valid_from=RECORDS_BEGIN
        )
        # The two provinces that merge with Hà Nam into Ninh Bình on 01/07/2025.
        self.units["36"] = self._unit(
            code="36",
            name="Nam Định",
            kind=UnitKind.PROVINCE,
            parent=None,
            valid_from=RECORDS_BEGIN,
        )
        self.units["37-old"] = self._unit(
            code="37",
            name="Ninh Bình",
            kind=UnitKind.PROVINCE,
            parent=None,
            valid_from=D(1992, 4, 1),
        )
        self.units["350"] = self._unit(
            code="350",
            name="Kim Bảng",
            kind=UnitKind.DISTRICT,
            parent=self.units["35"],
            valid_from=RECORDS_BEGIN,
        )
        for code, name, kind in COMMUNES:
            self.units[name] = self._unit(
                code=code, name=name, kind=kind, parent=self.units["350"], valid_from=RECORDS_BEGIN
            )

    def _org(self, key, *, unit, kind, name) -> Organisation:
        org = Organisation.objects.filter(unit=unit, name=name).first()
        if org is None:
            org = organisation_create(unit=unit, kind=kind, name=name, valid_from=unit.valid_from)
        self.orgs[key] = org
        return org

    def _post(self, key, *, organisation, role, seats) -> Post:
        post = Post.objects.filter(organisation=organisation, role__code=role).first()
        if post is None:
            post = post_create(organisation=organisation, role=role, seats=seats)
        self.posts[key] = post
        return post

    # ------------------------------------------------------------------ people

    def _person(
        self,
        key: str | None,
        *,
        hometown: str,
        born: tuple[int, int] = (1965, 1985),
        gender: str | None = None,
        name: str | None = None,
        date_of_birth: datetime.date | None = None,
        residence: str | None = None,
    ) -> Cadre:
        """A person, generated from the seed in the same order on every run."""
        gender = gender or self.people.gender()
        born_on = date_of_birth or self.people.birth_date(*born)
        full_name = name or self.people.name(gender)
        personal_id = self.people.personal_id(gender, born_on)
        party = self.people.party_date(born_on)
        cadre = Cadre.objects.filter(personal_id=personal_id).first()
        if cadre is None:
            cadre = cadre_create(
                full_name=full_name,
                gender=gender,
                date_of_birth=born_on,
                hometown=self.units[hometown],
                birthplace=self.units[hometown],
                permanent_residence=self.units[residence or hometown],
                personal_id=personal_id,
                party_joined_on=party,
            )
            self.created["cadres"] += 1
        if key:
            self.cadres[key] = cadre
        return cadre

    def _hold(self, cadre: Cadre, post: Post, start: datetime.date, **kwargs) -> None:
        exists = Assignment.objects.filter(cadre=cadre, post=post, start_date=start).exists()
        if not exists:
            assignment_record(cadre=cadre, post=post, start_date=start, **kwargs)

    def _retire(self, unit_name: str, role: str, last_day: datetime.date) -> None:
        post = self.posts[(unit_name, role)]
        assignment = (
            Assignment.objects.as_of(last_day).filter(post=post, end_date__isnull=True).first()
        )
        if assignment is None:
            return
        assignment_end(assignment=assignment, end_date=last_day, reason="Nghỉ hưu theo chế độ")
        cadre_update(cadre=assignment.cadre, status=CadreStatus.RETIRED)

    # ------------------------------------------------------------------ district

    def build_district(self) -> None:
        district = self.units["350"]
        self._org(
            "btv",
            unit=district,
            kind=OrganisationKind.PARTY_STANDING_COMMITTEE,
            name="Ban Thường vụ Huyện ủy Kim Bảng",
        )
        self._org(
            "ubnd",
            unit=district,
            kind=OrganisationKind.PEOPLES_COMMITTEE,
            name="Ủy ban nhân dân huyện Kim Bảng",
        )
        named_by_post: dict[tuple[str, str], list[str]] = {}
        for key, (department, role, _, _) in DISTRICT_PEOPLE.items():
            named_by_post.setdefault((department, role), []).append(key)
        for key, name, seats, (deputies, specialists) in DEPARTMENTS:
            org = self._org(key, unit=district, kind=OrganisationKind.DEPARTMENT, name=name)
            fill = {
                "department_head": 1,
                "department_deputy_head": deputies,
                "specialist": specialists,
            }
            for role, count in zip(DEPARTMENT_ROLES, seats, strict=True):
                post = self._post((key, role), organisation=org, role=role, seats=count)
                named = named_by_post.get((key, role), [])
                for person in named:
                    _, _, hometown, start = DISTRICT_PEOPLE[person]
                    cadre = self._person(person, hometown=hometown, residence="Quế")
                    self._hold(cadre, post, start)
                generic = fill[role] - len([p for p in named if p not in ("R1", "R2")])
                for index in range(generic):
                    hometown = COMMUNES[(len(key) * 7 + index * 5 + len(role)) % len(COMMUNES)][1]
                    cadre = self._person(
                        None, hometown=hometown, residence="Quế", born=(1968, 1990)
                    )
                    self._hold(cadre, post, D(2014 + index % 4, 1 + (index * 3) % 12, 2))

    # ------------------------------------------------------------------ communes

    def build_communes(self) -> None:
        for _code, name, kind in COMMUNES:
            unit = self.units[name]
            for org_kind, org_word in ORG_NAME.items():
                self._org(
                    (name, org_kind),
                    unit=unit,
                    kind=org_kind,
                    name=f"{org_word} {KIND_WORD[kind]} {name}",
                )
            for org_kind, role, seats, _ in COMMUNE_POSTS:
                self._post(
                    (name, role), organisation=self.orgs[(name, org_kind)], role=role, seats=seats
                )
        for _code, name, _kind in COMMUNES:
            self._commune_holders(name)

    def _commune_holders(self, name: str) -> None:
        for _, role, _, fill in COMMUNE_POSTS:
            post = self.posts[(name, role)]
            key_role = self.roles[role].category == "cadre"
            if (name, role) == ("Thanh Sơn", "land_environment_officer"):
                fill = 1  # a vacant seat, filled by a transfer in 2022
            for index in range(fill):
                if (name, role) == ("Tân Sơn", "party_secretary"):
                    full_name, gender, born, hometown = NAMED["kien"]
                    cadre = self._person(
                        "kien", hometown=hometown, gender=gender, name=full_name, date_of_birth=born
                    )
                    self._hold(cadre, post, D(2010, 9, 1))
                    continue
                if (name, role) == ("Ngọc Sơn", "people_committee_chairman"):
                    full_name, gender, born, hometown = NAMED["truc"]
                    cadre = self._person(
                        "truc", hometown=hometown, gender=gender, name=full_name, date_of_birth=born
                    )
                    self._hold(cadre, post, CHAIRMAN_START)
                    continue
                if (name, role) == ("Ba Sao", "people_committee_chairman"):
                    # The Party secretary of Ba Sao is also chairman of its People's Committee.
                    self._hold(
                        self.cadres["secretary:Ba Sao"], post, CHAIRMAN_START, principal=False
                    )
                    continue
                hometown = HOMETOWN_EXCEPTIONS.get((name, role), name)
                born = (1965, 1982) if key_role else (1975, 1995)
                cadre = self._person(
                    None, hometown=hometown, born=born, gender=self.people.gender(0.35)
                )
                if role == "party_secretary":
                    self.cadres[f"secretary:{name}"] = cadre
                start = {
                    "party_secretary": SECRETARY_START,
                    "standing_deputy_secretary": SECRETARY_START,
                }.get(
                    role, CHAIRMAN_START if key_role else D(2012 + index * 2, 1 + len(name) % 12, 3)
                )
                if (name, role) in (
                    ("Thụy Lôi", "party_secretary"),
                    ("Thanh Sơn", "people_committee_chairman"),
                ):
                    # Replaced in March 2018 by a cadre rotated from the district.
                    self._hold(cadre, post, start, end_date=D(2018, 2, 28))
                    if cadre.status == CadreStatus.SERVING:
                        cadre_update(cadre=cadre, status=CadreStatus.RETIRED)
                    continue
                self._hold(cadre, post, start)

    # ------------------------------------------------------------------ story helpers

    def holder(self, unit_name: str, role: str, n: int = 1) -> Callable[[datetime.date], Cadre]:
        """The n-th holder (by seat) of a commune post on the day before a date."""
        return self._holder_of(lambda: self.posts[(unit_name, role)], n)

    def dholder(self, department: str, role: str, n: int = 1) -> Callable[[datetime.date], Cadre]:
        return self._holder_of(lambda: self.posts[(department, role)], n)

    @staticmethod
    def _holder_of(post: Callable[[], Post], n: int) -> Callable[[datetime.date], Cadre]:
        def find(effective: datetime.date) -> Cadre:
            holders = list(
                Assignment.objects.as_of(effective - datetime.timedelta(days=1))
                .filter(post=post(), end_date__isnull=True)
                .select_related("cadre")
                .order_by("seat")
            )
            return holders[n - 1].cadre

        return find

    def person(self, key: str) -> Callable[[datetime.date], Cadre]:
        return lambda effective: self.cadres[key]

    def post(self, unit_name: str, role: str) -> Callable[[], Post]:
        return lambda: self.posts[(unit_name, role)]

    def enact(self, act: Act) -> None:
        body = self.orgs[act.body]
        if Decision.objects.filter(
            issuing_body=body, number=act.number, signed_on=act.signed_on
        ).exists():
            return
        signer = {
            "btv": "Bí thư Huyện ủy",
            "ubnd": "Chủ tịch UBND huyện",
            "btv-town": "Bí thư Thị ủy",
            "btv-province": "Bí thư Tỉnh ủy",
        }[act.body]
        decision = decision_create(
            number=act.number,
            signed_on=act.signed_on,
            issuing_body=body,
            signer=f"T/M {body.name}, {signer}",
            summary=act.summary,
        )
        for key, to in act.returns:
            rotation = (
                self.cadres[key]
                .movements.filter(kind=MovementKind.ROTATION)
                .latest("effective_date")
            )
            rotation_return(
                decision=decision,
                rotation=rotation,
                effective_date=act.effective,
                to_post=to() if to else None,
            )
        for move in act.moves:
            movement_add(
                decision=decision,
                kind=move.kind,
                cadre=move.who(act.effective),
                to_post=move.to(),
                from_post=move.leaving() if move.leaving else None,
                effective_date=act.effective,
                planned_end=months_end(act.effective, move.planned_months)
                if move.planned_months
                else None,
                concurrent=move.concurrent,
            )
        decision_issue(decision=decision)
        self.created["decisions"] += 1

    def swap(self, kind: str, a: tuple[str, str], b: tuple[str, str]) -> list[Move]:
        """Two holders exchange posts (in one decision, so that no post is ever over-full)."""
        return [
            Move(kind, self._holder_any(a), self._post_any(b), leaving=self._post_any(a)),
            Move(kind, self._holder_any(b), self._post_any(a), leaving=self._post_any(b)),
        ]

    def _holder_any(self, key: tuple[str, str]) -> Callable[[datetime.date], Cadre]:
        return self._holder_of(self._post_any(key), 1)

    def _post_any(self, key: tuple[str, str]) -> Callable[[], Post]:
        return lambda: self.posts[key]

    # ------------------------------------------------------------------ the story

    def history_before_term(self) -> None:
        """March 2018: two district cadres rotated to communes for 36 months."""
        self.enact(
            Act(
                "112-QĐ/HU",
                D(2018, 2, 20),
                D(2018, 3, 1),
                "btv",
                "Luân chuyển cán bộ huyện về giữ chức vụ chủ chốt cấp xã",
                moves=[
                    Move(
                        MovementKind.ROTATION,
                        self.person("R1"),
                        self.post("Thụy Lôi", "party_secretary"),
                        36,
                    ),
                    Move(
                        MovementKind.ROTATION,
                        self.person("R2"),
                        self.post("Thanh Sơn", "people_committee_chairman"),
                        36,
                    ),
                ],
            )
        )

    def term_2020_2025(self) -> None:
        """From the start of the 2020–2025 term to mid-term (01/10/2020 – 30/06/2023)."""
        T, R, X, N = (
            MovementKind.TRANSFER,
            MovementKind.ROTATION,
            MovementKind.TRANSFER,
            MovementKind.ELECTION_NOMINATION,
        )
        self._retire("Nhật Tân", "party_secretary", D(2020, 12, 31))
        acts = [
            # Moves between district departments (18 in all, spread over the period).
            Act(
                "205-QĐ/HU",
                D(2020, 10, 26),
                D(2020, 11, 2),
                "btv",
                "Điều động cán bộ giữa các ban Đảng",
                moves=self.swap(T, ("btc", "specialist"), ("ubkt", "specialist")),
            ),
            Act(
                "211-QĐ/HU",
                D(2020, 12, 28),
                D(2021, 1, 4),
                "btv",
                "Luân chuyển cán bộ về giữ chức Bí thư Đảng ủy xã Nhật Tân",
                moves=[Move(R, self.person("D3"), self.post("Nhật Tân", "party_secretary"), 48)],
            ),
            Act(
                "218-QĐ/HU",
                D(2021, 1, 25),
                D(2021, 2, 1),
                "btv",
                "Điều động cán bộ giữa các ban Đảng",
                moves=self.swap(T, ("btg", "specialist"), ("bdv", "specialist")),
            ),
            Act(
                "230-QĐ/HU",
                D(2021, 2, 22),
                D(2021, 3, 1),
                "btv",
                "Đồng chí kết thúc thời gian luân chuyển trở về huyện; luân chuyển cán bộ về xã Thụy Lôi",
                moves=[Move(R, self.person("D1"), self.post("Thụy Lôi", "party_secretary"), 36)],
                returns=[("R1", lambda: self.posts[("btc", "department_deputy_head")])],
            ),
            Act(
                "355/QĐ-UBND",
                D(2021, 3, 25),
                D(2021, 4, 1),
                "ubnd",
                "Điều động công chức cấp xã",
                moves=self.swap(
                    X,
                    ("Nguyễn Úy", "finance_accounting_officer"),
                    ("Đại Cương", "finance_accounting_officer"),
                )
                + self.swap(
                    X,
                    ("Tượng Lĩnh", "land_environment_officer"),
                    ("Hoàng Tây", "land_environment_officer"),
                ),
            ),
            Act(
                "402/QĐ-UBND",
                D(2021, 4, 27),
                D(2021, 5, 4),
                "ubnd",
                "Điều động công chức giữa các cơ quan",
                moves=[
                    Move(
                        T,
                        self.dholder("vphu", "specialist"),
                        self.post("pnv", "specialist"),
                        leaving=self.post("vphu", "specialist"),
                    )
                ],
            ),
            Act(
                "245-QĐ/HU",
                D(2021, 5, 25),
                D(2021, 6, 1),
                "btv",
                "Điều động Chủ tịch UBND xã Ngọc Sơn và Chủ tịch UBND thị trấn Quế",
                moves=self.swap(
                    T,
                    ("Ngọc Sơn", "people_committee_chairman"),
                    ("Quế", "people_committee_chairman"),
                ),
            ),
        ]
        for act in acts:
            self.enact(act)
        self._retire("Liên Sơn", "party_secretary", D(2021, 6, 30))
        acts = [
            Act(
                "251-QĐ/HU",
                D(2021, 6, 25),
                D(2021, 7, 1),
                "btv",
                "Luân chuyển cán bộ về giữ chức Bí thư Đảng ủy xã Liên Sơn",
                moves=[Move(R, self.person("D4"), self.post("Liên Sơn", "party_secretary"), 60)],
            ),
            Act(
                "611/QĐ-UBND",
                D(2021, 6, 24),
                D(2021, 7, 1),
                "ubnd",
                "Điều động công chức cấp xã",
                moves=self.swap(
                    X, ("Lê Hồ", "culture_society_officer"), ("Đồng Hóa", "culture_society_officer")
                )
                + self.swap(
                    X,
                    ("Nhật Tân", "justice_civil_status_officer"),
                    ("Thụy Lôi", "justice_civil_status_officer"),
                ),
            ),
            Act(
                "702/QĐ-UBND",
                D(2021, 7, 26),
                D(2021, 8, 2),
                "ubnd",
                "Điều động công chức giữa các phòng",
                moves=self.swap(T, ("ptckh", "specialist"), ("ptnmt", "specialist")),
            ),
            Act(
                "268-QĐ/HU",
                D(2021, 8, 25),
                D(2021, 9, 1),
                "btv",
                "Đồng chí kết thúc thời gian luân chuyển trở về huyện; luân chuyển cán bộ về xã Thanh Sơn",
                moves=[
                    Move(
                        R,
                        self.person("D5"),
                        self.post("Thanh Sơn", "people_committee_chairman"),
                        48,
                    )
                ],
                returns=[("R2", lambda: self.posts[("pnv", "department_deputy_head")])],
            ),
            Act(
                "275-QĐ/HU",
                D(2021, 9, 24),
                D(2021, 10, 1),
                "btv",
                "Điều động Phó Bí thư Thường trực Đảng ủy xã Hoàng Tây về huyện",
                moves=[
                    Move(
                        T,
                        self.holder("Hoàng Tây", "standing_deputy_secretary"),
                        self.post("btc", "specialist"),
                    )
                ],
            ),
            Act(
                "980/QĐ-UBND",
                D(2021, 10, 25),
                D(2021, 11, 1),
                "ubnd",
                "Điều động công chức",
                moves=self.swap(
                    X, ("Liên Sơn", "military_commander"), ("Thanh Sơn", "military_commander")
                )
                + [
                    Move(
                        T,
                        self.dholder("pldtbxh", "specialist"),
                        self.post("ptp", "specialist"),
                        leaving=self.post("pldtbxh", "specialist"),
                    )
                ],
            ),
            Act(
                "298-QĐ/HU",
                D(2021, 12, 10),
                D(2021, 12, 15),
                "btv",
                "Điều động Bí thư Đảng ủy xã Tân Sơn và Bí thư Đảng ủy xã Lê Hồ",
                moves=self.swap(T, ("Tân Sơn", "party_secretary"), ("Lê Hồ", "party_secretary")),
            ),
            Act(
                "21/QĐ-UBND",
                D(2022, 1, 4),
                D(2022, 1, 10),
                "ubnd",
                "Điều động công chức cấp xã",
                moves=self.swap(
                    X,
                    ("Nhật Tựu", "finance_accounting_officer"),
                    ("Văn Xá", "finance_accounting_officer"),
                )
                + self.swap(
                    X,
                    ("Khả Phong", "land_environment_officer"),
                    ("Ba Sao", "land_environment_officer"),
                ),
            ),
            Act(
                "130/QĐ-UBND",
                D(2022, 1, 28),
                D(2022, 2, 7),
                "ubnd",
                "Điều động công chức giữa các phòng",
                moves=self.swap(T, ("pvhtt", "specialist"), ("pkt", "specialist")),
            ),
            Act(
                "312-QĐ/HU",
                D(2022, 2, 22),
                D(2022, 3, 1),
                "btv",
                "Điều động, luân chuyển Chủ tịch UBND các xã Nguyễn Úy, Đại Cương",
                moves=[
                    Move(
                        T,
                        self.holder("Nguyễn Úy", "people_committee_chairman"),
                        self.post("pnv", "department_deputy_head"),
                    ),
                    Move(
                        T,
                        self.holder("Đại Cương", "people_committee_chairman"),
                        self.post("Nguyễn Úy", "people_committee_chairman"),
                    ),
                    Move(
                        R,
                        self.person("D6"),
                        self.post("Đại Cương", "people_committee_chairman"),
                        60,
                    ),
                ],
            ),
            Act(
                "301/QĐ-UBND",
                D(2022, 3, 28),
                D(2022, 4, 4),
                "ubnd",
                "Điều động công chức",
                moves=[
                    Move(
                        T,
                        self.dholder("vpub", "specialist", 2),
                        self.post("vphu", "specialist"),
                        leaving=self.post("vpub", "specialist"),
                    )
                ],
            ),
            Act(
                "320-QĐ/HU",
                D(2022, 4, 25),
                D(2022, 5, 1),
                "btv",
                "Điều động Phó Chủ tịch UBND xã Thi Sơn về huyện",
                moves=[
                    Move(
                        T,
                        self.holder("Thi Sơn", "people_committee_vice_chairman"),
                        self.post("pkt", "specialist"),
                    )
                ],
            ),
        ]
        for act in acts:
            self.enact(act)
        self._retire("Hoàng Tây", "party_secretary", D(2022, 5, 31))
        acts = [
            Act("327-QĐ/HU", D(2022, 5, 26), D(2022, 6, 1), "btv", "Điều động Bí thư Đảng ủy xã Văn Xá; luân chuyển cán bộ về xã Văn Xá",
                moves=[
                    Move(T, self.holder("Văn Xá", "party_secretary"), self.post("Hoàng Tây", "party_secretary")),
                    Move(R, self.person("D2"), self.post("Văn Xá", "party_secretary"), 36),
                ]),
            Act("335-QĐ/HU", D(2022, 6, 24), D(2022, 7, 1), "btv", "Giới thiệu cán bộ huyện để bầu giữ chức Phó Chủ tịch UBND xã Thi Sơn",
                moves=[Move(N, self.person("N1"), self.post("Thi Sơn", "people_committee_vice_chairman"), leaving=self.post("vpub", "specialist"))]),
            Act("699/QĐ-UBND", D(2022, 7, 25), D(2022, 8, 1), "ubnd", "Điều động công chức cấp xã",
                moves=[Move(X, self.holder("Quế", "land_environment_officer"), self.post("Thanh Sơn", "land_environment_officer"))]),
            Act("340-QĐ/HU", D(2022, 7, 25), D(2022, 8, 1), "btv", "Điều động cán bộ",
                moves=self.swap(T, ("pnv", "specialist"), ("btc", "specialist"))),
            Act("801/QĐ-UBND", D(2022, 8, 25), D(2022, 9, 1), "ubnd", "Điều động công chức cấp xã",
                moves=self.swap(X, ("Tân Sơn", "culture_society_officer"), ("Ngọc Sơn", "culture_society_officer"))),
            Act("350-QĐ/HU", D(2022, 9, 26), D(2022, 10, 1), "btv", "Điều động Bí thư Đảng ủy xã Đồng Hóa và Bí thư Đảng ủy xã Khả Phong",
                moves=self.swap(T, ("Đồng Hóa", "party_secretary"), ("Khả Phong", "party_secretary"))),
            Act("352-QĐ/HU", D(2022, 9, 26), D(2022, 10, 3), "btv", "Điều động cán bộ",
                moves=[Move(T, self.dholder("ubkt", "specialist"), self.post("bdv", "specialist"), leaving=self.post("ubkt", "specialist"))]),
            Act("950/QĐ-UBND", D(2022, 10, 25), D(2022, 11, 1), "ubnd", "Điều động công chức cấp xã",
                moves=self.swap(X, ("Văn Xá", "military_commander"), ("Lê Hồ", "military_commander"))),
            Act("02/QĐ-UBND", D(2022, 12, 27), D(2023, 1, 3), "ubnd", "Điều động công chức giữa các phòng",
                moves=self.swap(T, ("ptnmt", "specialist"), ("pldtbxh", "specialist"))),
            Act("88/QĐ-UBND", D(2023, 1, 20), D(2023, 2, 1), "ubnd", "Điều động công chức cấp xã",
                moves=self.swap(X, ("Thi Sơn", "finance_accounting_officer"), ("Liên Sơn", "finance_accounting_officer"))),
            Act("160/QĐ-UBND", D(2023, 2, 22), D(2023, 3, 1), "ubnd", "Điều động công chức",
                moves=self.swap(X, ("Đại Cương", "justice_civil_status_officer"), ("Quế", "justice_civil_status_officer"))
                + [Move(T, self.dholder("pkt", "specialist"), self.post("ptckh", "specialist"), leaving=self.post("pkt", "specialist"))]),
            Act("402-QĐ/HU", D(2023, 4, 25), D(2023, 5, 2), "btv", "Điều động cán bộ",
                moves=[Move(T, self.dholder("btg", "specialist"), self.post("ubkt", "specialist"), leaving=self.post("btg", "specialist"))]),
        ]  # fmt: skip
        for act in acts:
            self.enact(act)

    def after_mid_term(self) -> None:
        """A few later moves, so that later dates have their own figures."""
        self.enact(
            Act(
                "455-QĐ/HU",
                D(2023, 8, 29),
                D(2023, 9, 5),
                "btv",
                "Điều động Phó Chủ tịch UBND xã Tượng Lĩnh giữ chức Phó Bí thư Thường trực Đảng ủy xã Hoàng Tây",
                moves=[
                    Move(
                        MovementKind.TRANSFER,
                        self.holder("Tượng Lĩnh", "people_committee_vice_chairman"),
                        self.post("Hoàng Tây", "standing_deputy_secretary"),
                    )
                ],
            )
        )
        self.enact(
            Act(
                "520-QĐ/HU",
                D(2024, 3, 25),
                D(2024, 4, 1),
                "btv",
                "Luân chuyển cán bộ huyện về giữ chức Phó Chủ tịch UBND xã Tượng Lĩnh",
                moves=[
                    Move(
                        MovementKind.ROTATION,
                        self.dholder("ptp", "specialist"),
                        self.post("Tượng Lĩnh", "people_committee_vice_chairman"),
                        36,
                    )
                ],
            )
        )

    # ------------------------------------------------------------------ 2025

    def _successor(self, *, predecessors, code, name, kind, parent, day, change, reason):
        existing = AdministrativeUnit.objects.filter(code=code, valid_from=day).first()
        if existing is not None:
            return existing
        self.created["units"] += 1
        return unit_succeed(
            predecessors=predecessors,
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            effective_date=day,
            change=change,
            end_assignments_reason=reason,
        )

    def _leaders_of(self, unit_names: list[str], last_day: datetime.date) -> dict[str, list[Cadre]]:
        """Who held each key post of these units on their last day, by role."""
        leaders: dict[str, list[Cadre]] = {}
        for role in (
            "party_secretary",
            "people_committee_chairman",
            "standing_deputy_secretary",
            "people_council_chairman",
            "people_committee_vice_chairman",
        ):
            for name in unit_names:
                for assignment in (
                    Assignment.objects.as_of(last_day)
                    .filter(post=self.posts[(name, role)])
                    .select_related("cadre")
                    .order_by("seat")
                ):
                    leaders.setdefault(role, []).append(assignment.cadre)
        return leaders

    def _designate(self, act_number, signed_on, body, summary, unit_name, leaders) -> None:
        """Designate the new unit's leaders from its predecessors' leaders, each person once."""
        used: set[int] = set()
        picks: list[Move] = []
        wanted = [
            ("party_secretary", ["party_secretary"]),
            ("people_committee_chairman", ["people_committee_chairman"]),
            ("standing_deputy_secretary", ["party_secretary", "standing_deputy_secretary"]),
            ("people_council_chairman", ["people_council_chairman"]),
            (
                "people_committee_vice_chairman",
                ["people_committee_chairman", "people_committee_vice_chairman"],
            ),
            ("people_committee_vice_chairman", ["people_committee_vice_chairman"]),
        ]
        # The newest leader of each role first: later predecessors are listed last.
        for role, sources in wanted:
            for source in sources:
                candidates = [c for c in reversed(leaders.get(source, [])) if c.pk not in used]
                if candidates:
                    cadre = candidates[0]
                    used.add(cadre.pk)
                    picks.append(
                        Move(
                            MovementKind.DESIGNATION,
                            lambda _d, c=cadre: c,
                            self.post(unit_name, role),
                        )
                    )
                    break
        self.enact(Act(act_number, signed_on, signed_on, body, summary, moves=picks))

    def town_2025(self) -> None:
        """01/01/2025: Kim Bảng district becomes a town; Nhật Tân and Nhật Tựu become Tân Tựu."""
        town = self._successor(
            predecessors=[self.units["350"]],
            code="350",
            name="Kim Bảng",
            kind=UnitKind.DISTRICT_TOWN,
            parent=self.units["35"],
            day=TOWN_DAY,
            change=SuccessionKind.REGRADE,
            reason="Huyện Kim Bảng trở thành thị xã Kim Bảng từ 01/01/2025",
        )
        self.units["350-town"] = town
        self.units["350"].refresh_from_db()
        self._org(
            "btv-town",
            unit=town,
            kind=OrganisationKind.PARTY_STANDING_COMMITTEE,
            name="Ban Thường vụ Thị ủy Kim Bảng",
        )
        last_day = TOWN_DAY - datetime.timedelta(days=1)
        leaders = self._leaders_of(["Nhật Tân", "Nhật Tựu"], last_day)
        tan_tuu = self._successor(
            predecessors=[self.units["Nhật Tân"], self.units["Nhật Tựu"]],
            code="13402",
            name="Tân Tựu",
            kind=UnitKind.COMMUNE,
            parent=town,
            day=TOWN_DAY,
            change=SuccessionKind.MERGE,
            reason="Sáp nhập xã Nhật Tân và xã Nhật Tựu thành xã Tân Tựu",
        )
        self.units["Tân Tựu"] = tan_tuu
        for org_kind, org_word in ORG_NAME.items():
            self._org(
                ("Tân Tựu", org_kind), unit=tan_tuu, kind=org_kind, name=f"{org_word} xã Tân Tựu"
            )
        for org_kind, role, seats, _ in COMMUNE_POSTS:
            self._post(
                ("Tân Tựu", role),
                organisation=self.orgs[("Tân Tựu", org_kind)],
                role=role,
                seats=seats,
            )
        self._designate(
            "01-QĐ/ThU",
            TOWN_DAY,
            "btv-town",
            "Chỉ định cán bộ chủ chốt xã Tân Tựu",
            "Tân Tựu",
            leaders,
        )

    def wards_2025(self) -> None:
        """01/07/2025: the area becomes six wards of Ninh Bình, directly under the province."""
        last_day = WARD_DAY - datetime.timedelta(days=1)
        for name in [n for _, n, _ in COMMUNES] + ["Tân Tựu"]:
            self.units[name].refresh_from_db()
        province = self._successor(
            predecessors=[self.units["35"], self.units["36"], self.units["37-old"]],
            code="37",
            name="Ninh Bình",
            kind=UnitKind.PROVINCE,
            parent=None,
            day=WARD_DAY,
            change=SuccessionKind.MERGE,
            reason="Hợp nhất tỉnh Hà Nam, tỉnh Nam Định và tỉnh Ninh Bình",
        )
        self._org(
            "btv-province",
            unit=province,
            kind=OrganisationKind.PARTY_STANDING_COMMITTEE,
            name="Ban Thường vụ Tỉnh ủy Ninh Bình",
        )
        for index, (code, name, predecessors) in enumerate(WARDS, start=1):
            leaders = self._leaders_of(predecessors, last_day)
            ward = self._successor(
                predecessors=[self.units[p] for p in predecessors],
                code=code,
                name=name,
                kind=UnitKind.WARD,
                parent=province,
                day=WARD_DAY,
                change=SuccessionKind.MERGE,
                reason="Sắp xếp đơn vị hành chính cấp xã từ 01/07/2025",
            )
            key = f"ward:{name}"
            self.units[key] = ward
            for org_kind, org_word in ORG_NAME.items():
                self._org(
                    (key, org_kind), unit=ward, kind=org_kind, name=f"{org_word} phường {name}"
                )
            for org_kind, role, seats in WARD_POSTS:
                self._post(
                    (key, role), organisation=self.orgs[(key, org_kind)], role=role, seats=seats
                )
            self._designate(
                f"{100 + index}-QĐ/TU",
                WARD_DAY,
                "btv-province",
                f"Chỉ định cán bộ chủ chốt phường {name}",
                key,
                leaders,
            )
        town = self.units["350-town"]
        town.refresh_from_db()
        if town.valid_to is None:
            unit_end(
                unit=town,
                last_day=last_day,
                end_assignments_reason="Kết thúc hoạt động của cấp huyện từ 01/07/2025",
            )

    # ------------------------------------------------------------------ drafts

    def drafts(self) -> None:
        """Two drafts for HR staff to open in the admin and issue."""
        body = self.orgs["btv-province"]
        ward = "ward:Lê Hồ"
        if not Decision.objects.filter(issuing_body=body, number="215-QĐ/TU").exists():
            # Can be issued: a vice-chairman of Kim Bảng ward moves to a free seat in Lê Hồ.
            decision = decision_create(
                number="215-QĐ/TU",
                signed_on=D(2025, 12, 22),
                issuing_body=body,
                signer="T/M Ban Thường vụ Tỉnh ủy Ninh Bình, Bí thư Tỉnh ủy",
                summary="Dự thảo: điều động Phó Chủ tịch UBND phường Kim Bảng sang phường Lê Hồ",
            )
            vice = self._holder_of(
                lambda: self.posts[("ward:Kim Bảng", "people_committee_vice_chairman")], 1
            )
            movement_add(
                decision=decision,
                kind=MovementKind.TRANSFER,
                cadre=vice(D(2026, 1, 5)),
                to_post=self.posts[(ward, "people_committee_vice_chairman")],
                effective_date=D(2026, 1, 5),
            )
        if not Decision.objects.filter(issuing_body=body, number="216-QĐ/TU").exists():
            # Refused when issued: Lê Hồ ward already has its Party secretary.
            decision = decision_create(
                number="216-QĐ/TU",
                signed_on=D(2025, 12, 22),
                issuing_body=body,
                signer="T/M Ban Thường vụ Tỉnh ủy Ninh Bình, Bí thư Tỉnh ủy",
                summary="Dự thảo: điều động Bí thư Đảng ủy phường Tam Chúc làm Bí thư Đảng ủy phường Lê Hồ",
            )
            secretary = self._holder_of(lambda: self.posts[("ward:Tam Chúc", "party_secretary")], 1)
            movement_add(
                decision=decision,
                kind=MovementKind.TRANSFER,
                cadre=secretary(D(2026, 1, 5)),
                to_post=self.posts[(ward, "party_secretary")],
                effective_date=D(2026, 1, 5),
            )
