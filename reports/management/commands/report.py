"""``manage.py report``: the headline figures of a district or province, as tables or JSON.

    python manage.py report non-local --unit 350 --date 2023-06-30
    python manage.py report movements --unit 350 --from 2020-10-01 --to 2023-06-30
    python manage.py report national --date 2023-06-30
    … --format json      the same figures as JSON (the API's shape)
    … --details          also the units and cadres behind each figure

The figures come from ``reports.selectors``; this module only reads the arguments and lays
the figures out. It is a tool of whoever runs the server: it has no user, so it is not
limited to an area (``access.areas``), unlike the dashboards and the API. A bad argument (an unknown unit, a malformed date) gets a one-line error
and exit status 1, never a traceback.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communes.dates import dmy
from communes.models import AdministrativeUnit
from communes.selectors import unit_on
from reports.selectors import (
    MovementCount,
    MovementReport,
    NationalNonLocal,
    NonLocalReport,
    RoleFigures,
)
from reports.selectors import movement_report as build_movement_report
from reports.selectors import national_non_local as build_national_non_local
from reports.selectors import non_local_report as build_non_local_report
from rotation.models import Term

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str, option: str) -> datetime.date:
    """A YYYY-MM-DD date, or a ``CommandError`` naming the option and what is wrong."""
    text = (text or "").strip()
    if not ISO_DATE.fullmatch(text):
        raise CommandError(
            _("%(option)s: %(value)s is not a date in the form YYYY-MM-DD, e.g. 2023-06-30.")
            % {"option": option, "value": repr(text)}
        )
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("%(option)s: %(value)s is not a day of the calendar.")
            % {"option": option, "value": text}
        ) from None


def resolve_unit(code: str, day: datetime.date) -> AdministrativeUnit:
    try:
        return unit_on(code, day)
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from None


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def text_width(text: str) -> int:
    """Columns taken on a terminal: combining marks (decomposed Vietnamese) take none."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def render_table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], *, numeric: Sequence[int] = ()
) -> list[str]:
    """Lines of a table with aligned columns; the columns in ``numeric`` align right."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [
        max([text_width(header)] + [text_width(row[i]) for row in cells])
        for i, header in enumerate(headers)
    ]

    def line(values: Sequence[str]) -> str:
        parts = []
        for i, value in enumerate(values):
            pad = " " * (widths[i] - text_width(value))
            parts.append(pad + value if i in numeric else value + pad)
        return " | ".join(parts).rstrip()

    return [line(headers), "-+-".join("-" * width for width in widths)] + [
        line(row) for row in cells
    ]


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "Print the headline figures of a district or province: the non-local key cadres "
            "of its communes on a day, or the movements of a period; or the non-local key "
            "cadres of every province on a day."
        )

    def add_arguments(self, parser) -> None:
        reports = parser.add_subparsers(
            dest="report", required=True, metavar="{non-local,movements,national}"
        )
        non_local = reports.add_parser(
            "non-local",
            help=_("Communes whose key posts are held by non-local cadres on a day."),
        )
        national = reports.add_parser(
            "national",
            help=_("Non-local key cadres of every province on a day, province by province."),
        )
        for sub in (non_local, national):
            sub.add_argument(
                "--date",
                dest="day",
                metavar="YYYY-MM-DD",
                help=_("The day of the figures, YYYY-MM-DD (default: today)."),
            )
            sub.add_argument(
                "--role",
                dest="roles",
                action="append",
                metavar="CODE",
                help=_(
                    "A role code, e.g. party_secretary; repeat for several (default: key roles)."
                ),
            )
        movements = reports.add_parser(
            "movements", help=_("Movements of a period by direction, kind, role and field.")
        )
        movements.add_argument(
            "--from",
            dest="start",
            metavar="YYYY-MM-DD",
            help=_("First day, YYYY-MM-DD (default: the start of the Party term)."),
        )
        movements.add_argument(
            "--to",
            dest="end",
            metavar="YYYY-MM-DD",
            help=_("Last day, YYYY-MM-DD (default: today)."),
        )
        for sub in (non_local, movements):
            sub.add_argument(
                "--unit",
                required=True,
                metavar="CODE",
                help=_("Official code of the district or province, e.g. 350."),
            )
            sub.add_argument(
                "--details",
                action="store_true",
                help=_("Also list the units and cadres behind each figure."),
            )
        for sub in (non_local, movements, national):
            sub.add_argument(
                "--format",
                choices=["table", "json"],
                default="table",
                help=_("table (default) or json."),
            )
            sub.add_argument(
                "--language",
                choices=[code for code, _name in settings.LANGUAGES],
                default=None,
                help=_("Language of the labels: vi (default) or en."),
            )

    def handle(self, *args, **options) -> None:
        with translation.override(options["language"] or translation.get_language()):
            if options["report"] == "non-local":
                self.non_local(options)
            elif options["report"] == "national":
                self.national(options)
            else:
                self.movements(options)

    # ----------------------------------------------------------------------- non-local

    def non_local(self, options: dict) -> None:
        day = parse_date(options["day"], "--date") if options["day"] else timezone.localdate()
        unit = resolve_unit(options["unit"], day)
        try:
            report = build_non_local_report(unit=unit, day=day, role_codes=options["roles"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if options["format"] == "json":
            self.write_json(report.to_dict(details=options["details"]))
            return
        self.write_lines(non_local_lines(report, details=options["details"]))

    def national(self, options: dict) -> None:
        day = parse_date(options["day"], "--date") if options["day"] else timezone.localdate()
        try:
            report = build_national_non_local(day=day, role_codes=options["roles"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if options["format"] == "json":
            self.write_json(report.to_dict())
            return
        self.write_lines(national_lines(report))

    # ----------------------------------------------------------------------- movements

    def movements(self, options: dict) -> None:
        end = parse_date(options["end"], "--to") if options["end"] else timezone.localdate()
        if options["start"]:
            start = parse_date(options["start"], "--from")
        else:
            term = Term.containing(end)
            if term is None:
                raise CommandError(
                    _("No Party term is recorded that contains %(day)s; give --from.")
                    % {"day": dmy(end)}
                )
            start = term.start
        if start > end:
            raise CommandError(
                _("--from %(start)s is after --to %(end)s.")
                % {"start": start.isoformat(), "end": end.isoformat()}
            )
        unit = resolve_unit(options["unit"], end)
        report = build_movement_report(unit=unit, start=start, end=end)
        if options["format"] == "json":
            self.write_json(report.to_dict(details=options["details"]))
            return
        self.write_lines(movement_lines(report, details=options["details"]))

    # ----------------------------------------------------------------------- output

    def write_json(self, data: dict) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def write_lines(self, lines: list[str]) -> None:
        self.stdout.write("\n".join(lines))


def non_local_lines(report: NonLocalReport, *, details: bool) -> list[str]:
    lines = [
        _("Non-local key cadres – %(unit)s, %(day)s")
        % {"unit": report.unit, "day": dmy(report.day)},
        _("Commune-level units: %(count)s") % {"count": report.units_total},
        "",
    ]
    lines += render_table(
        [_("Role"), _("Non-local"), _("Units"), _("Share"), _("Local"), _("Vacant")],
        [
            [
                figure.role_label,
                figure.non_local,
                figure.units_total,
                percent(figure.share),
                figure.local,
                figure.vacant,
            ]
            for figure in report.roles
        ],
        numeric=(1, 2, 3, 4, 5),
    )
    dual = "; ".join(
        f"{row.unit.name} ({row.unit.code}): {row.cadre_name}" for row in report.secretary_chairman
    )
    lines += [
        "",
        _("Party secretary also People's Committee chairman: %(count)s")
        % {"count": len(report.secretary_chairman)}
        + (f" – {dual}" if dual else ""),
    ]
    if details:
        for figure in report.roles:
            rows = []
            for standing in figure.units:
                unit = [standing.unit.code, standing.unit.name]
                if not standing.holders:
                    rows.append([*unit, "—", "", standing.standing_label, ""])
                for holder in standing.holders:
                    rows.append(
                        [
                            *unit,
                            holder.cadre_name,
                            holder.hometown,
                            _("local") if holder.is_local else _("non-local"),
                            holder.basis_label,
                        ]
                    )
            lines += ["", figure.role_label]
            lines += render_table(
                [_("Code"), _("Unit"), _("Holder"), _("Hometown"), _("Verdict"), _("Basis")],
                rows,
            )
    return lines


def national_lines(report: NationalNonLocal) -> list[str]:
    """One line per province: its commune-level units, then for each role the units with a
    non-local holder and their share; a last line of totals."""

    def cells(figures: RoleFigures) -> list[object]:
        return [
            figures.units_total,
            *(
                f"{figures.non_local[code]} ({percent(figures.share(code))})"
                for code, _label in report.roles
            ),
        ]

    rows = [[row.unit.code, row.unit.name, *cells(row)] for row in report.provinces]
    rows.append(["", _("Total"), *cells(report.totals)])
    lines = [
        _("Non-local key cadres by province, %(day)s") % {"day": dmy(report.day)},
        _("Provinces: %(count)s") % {"count": len(report.provinces)},
        _("Each role: commune-level units whose holder is non-local (share of all units)."),
        "",
    ]
    lines += render_table(
        [_("Code"), _("Province"), _("Units"), *(label for _code, label in report.roles)],
        rows,
        numeric=tuple(range(2, 3 + len(report.roles))),
    )
    return lines


def movement_lines(report: MovementReport, *, details: bool) -> list[str]:
    def counts(title: str, headers: list[str], groups: tuple[MovementCount, ...], key) -> list:
        rows = [[*key(group), group.count] for group in groups]
        return ["", title, *render_table(headers, rows, numeric=(len(headers) - 1,))]

    lines = [
        _("Movements – %(unit)s, %(start)s – %(end)s")
        % {"unit": report.unit, "start": dmy(report.start), "end": dmy(report.end)},
        _("Total: %(count)s") % {"count": report.total},
    ]
    lines += counts(
        _("By direction"),
        [_("Direction"), _("Movements")],
        report.by_direction,
        lambda group: [group.label],
    )
    lines += counts(
        _("By kind"), [_("Kind"), _("Movements")], report.by_kind, lambda group: [group.label]
    )
    lines += counts(
        _("By direction, kind and role"),
        [_("Direction"), _("Kind"), _("Role"), _("Movements")],
        report.by_direction_kind_role,
        lambda group: [
            group.rows[0].direction_label,
            group.rows[0].kind_label,
            group.rows[0].role_label,
        ],
    )
    lines += counts(
        _("Commune civil servants by field: %(count)s") % {"count": report.civil_servants},
        [_("Field"), _("Movements")],
        report.by_field,
        lambda group: [group.label],
    )
    if details:
        lines += ["", _("Movements counted")]
        lines += render_table(
            [_("Date"), _("Decision"), _("Cadre"), _("Kind"), _("Direction"), _("Role"), _("Move")],
            [
                [
                    dmy(row.effective_date),
                    row.decision_number,
                    row.cadre_name,
                    row.kind_label,
                    row.direction_label,
                    row.role_label,
                    f"{row.from_post or '—'} → {row.to_post}",
                ]
                for row in report.rows
            ],
        )
    return lines
