"""The officials' dashboards: pages that read the figures of ``reports.selectors``.

Every page needs a login and the view permissions of cadres, assignments and movements
(officials have only those). Pages take their unit and day from the address
(``?unit=350&date=2023-06-30``), so that a page can be bookmarked, sent and printed as
seen; a code or a date that cannot be read gives the page with a message, never an error.
Every table can be downloaded (``&export=csv&table=<name>``, or ``export=xlsx``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from access.areas import area_of
from cadres.models import Cadre, Gender
from communes.dates import dmy
from communes.models import (
    LEVEL_OF_KIND,
    PROVINCE_KINDS,
    AdministrativeUnit,
    CivilServantField,
    UnitLevel,
)
from communes.selectors import unit_on
from config.routers import reading_from_replica
from reports import charts, exports
from reports import tables as t
from reports.histories import (
    cadre_timeline,
    key_posts_history,
    report_units,
    timed_holdings,
    unit_on_day,
)
from reports.selectors import (
    CHAIRMAN,
    MAX_WITHIN_DAYS,
    SECRETARY,
    AgeBand,
    Standing,
    current_term_period,
    due_returns,
    movement_report,
    non_local_report,
    non_local_trend,
    vacant_seats,
)
from rotation.models import Direction, MovementKind

REQUIRED_PERMISSIONS = ("cadres.view_cadre", "rotation.view_assignment", "rotation.view_movement")
RETURNS_WINDOW = 90  # days ahead in which a rotation or secondment ending is "due"


# --------------------------------------------------------------------------- addresses


def url_with(name: str, *args, **params) -> str:
    """The address of page ``name`` with the query ``params`` (dates as YYYY-MM-DD)."""
    query = {
        key: value.isoformat() if isinstance(value, datetime.date) else value
        for key, value in params.items()
        if value not in (None, "")
    }
    base = reverse(name, args=args)
    return f"{base}?{urlencode(query)}" if query else base


def unit_link(ref, day: datetime.date) -> t.Link:
    """A unit as a link: its page for a commune-level unit, else the overview of it."""
    if LEVEL_OF_KIND.get(ref.kind) == UnitLevel.COMMUNE:
        return t.Link(ref.name, url_with("reports:unit", ref.id, date=day))
    return t.Link(ref.name, url_with("reports:overview", unit=ref.code, date=day))


def cadre_link(cadre_id: int, name: str, day: datetime.date) -> t.Link:
    return t.Link(name, url_with("reports:cadre", cadre_id, date=day))


def parse_day(text: str) -> datetime.date:
    """YYYY-MM-DD (what a date input sends) or dd/mm/yyyy (what people type)."""
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def default_day() -> datetime.date:
    """DASHBOARD_DEFAULT_DATE (checked at start-up by ``reports.checks``), else today."""
    configured = settings.DASHBOARD_DEFAULT_DATE
    return datetime.date.fromisoformat(configured) if configured else timezone.localdate()


# --------------------------------------------------------------------------- what a page shows


@dataclass
class Notice:
    """A message at the top of a page: what could not be read and what was shown instead."""

    text: str
    links: list[t.Link] = field(default_factory=list)
    tone: str = "error"


@dataclass
class Scope:
    """The unit and day a page is about, read from the address, with what went wrong."""

    day: datetime.date
    code: str
    unit: AdministrativeUnit | None
    notices: list[Notice]
    units: list[AdministrativeUnit]  # the choices of the unit selector

    def context(self) -> dict:
        return {
            "scope": self,
            "day": self.day,
            "unit": self.unit,
            "notices": self.notices,
            "nav_query": urlencode(
                {
                    "unit": self.unit.code if self.unit else self.code,
                    "date": self.day.isoformat(),
                }
            ),
        }


def read_day(request, name: str, notices: list[Notice], *, default=None) -> datetime.date:
    text = request.GET.get(name, "").strip()
    if not text:
        return default if default is not None else default_day()
    try:
        return parse_day(text)
    except ValueError:
        today = timezone.localdate()
        notices.append(
            Notice(
                _(
                    "“%(text)s” is not a date: write it as dd/mm/yyyy (or choose it in the "
                    "calendar). The figures below are those of today, %(today)s."
                )
                % {"text": text[:40], "today": dmy(today)}
            )
        )
        return today


def read_scope(request, *, date_name: str = "date") -> Scope:
    notices: list[Notice] = []
    if date_name != "date" and not request.GET.get(date_name, "").strip():
        date_name = "date"  # the other pages' links name the day "date"
    day = read_day(request, date_name, notices)
    # Only the units of the user's area: any other code reads as an unknown one.
    area = area_of(request)
    units = area.filter(AdministrativeUnit.objects.all())
    code = (request.GET.get("code") or "").strip() or (request.GET.get("unit") or "").strip()
    default = settings.DASHBOARD_DEFAULT_UNIT
    if not code and default and (area.unrestricted or units.filter(code=default).exists()):
        code = default
    unit = None
    if not code:
        unit = default_unit(area, units, day)
        if unit is None:
            message = (
                _("No province is recorded on %(day)s.")
                if area.unrestricted
                else _("No unit of your area is recorded on %(day)s.")
            )
            notices.append(Notice(message % {"day": dmy(day)}, tone="info"))
        code = unit.code if unit else ""
    else:
        code = code[:20]
        try:
            unit = unit_on(code, day, units=units)
        except ValidationError as error:
            notices.append(
                Notice(
                    " ".join(error.messages),
                    links=[
                        t.Link(
                            f"{version} – {version.period_display()}",
                            url_with(
                                "reports:overview",
                                unit=version.code,
                                date=version.valid_to or max(version.valid_from, day),
                            ),
                        )
                        for version in units.filter(code=code).order_by("valid_from")
                    ],
                )
            )
    choices = [choice for choice in report_units(day) if area.has_unit(choice.pk)]
    return Scope(day=day, code=code, unit=unit, notices=notices, units=choices)


LEVEL_ORDER = {UnitLevel.PROVINCE: 0, UnitLevel.DISTRICT: 1, UnitLevel.COMMUNE: 2}


def default_unit(area, units, day: datetime.date) -> AdministrativeUnit | None:
    """The unit a page shows when the address names none.

    Administrators: the first province of the day. Others: the first unit they are bound
    to that is valid on the day, else the highest unit of their area valid then (Kim
    Bảng's staff, after 01/07/2025, open on the first of its wards).
    """
    if area.unrestricted:
        return units.valid_on(day).filter(kind__in=PROVINCE_KINDS).order_by("code").first()
    candidates = list(units.valid_on(day))
    return min(
        candidates,
        key=lambda unit: (unit.pk not in area.bound_ids, LEVEL_ORDER[unit.level], unit.code),
        default=None,
    )


def choice_label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


# --------------------------------------------------------------------------- base view


class DashboardView(PermissionRequiredMixin, View):
    """A page of the dashboards: logged-in users with the view permissions only.

    Anonymous visitors are sent to the login page; others without the permissions get 403.
    ``build`` returns the template's context (with its ``tables`` and the ``export_parts``
    naming the files) or a response such as a redirect. The page is built and rendered
    reading the records from the read replica, when one is configured (``config.routers``).
    """

    permission_required = REQUIRED_PERMISSIONS
    template_name = ""

    def build(self, request, **kwargs) -> dict | HttpResponseBase:
        raise NotImplementedError

    def get(self, request, **kwargs):
        with reading_from_replica():
            page = self.build(request, **kwargs)
            if isinstance(page, HttpResponseBase):
                return page
            export_format = request.GET.get("export", "")
            if export_format:
                table = page.get("tables", {}).get(request.GET.get("table", ""))
                if export_format not in exports.FORMATS or table is None:
                    raise Http404(_("There is no such table to download."))
                return exports.export_response(
                    table, export_format=export_format, parts=page.get("export_parts", ())
                )
            return render(request, self.template_name, page)


def count_link(count: int, href: str) -> t.Link | int:
    """A count that opens the list of what it counts; a bare zero (nothing to list)."""
    return t.Link(count, href) if count else 0


def standing_badge(standing: str, basis_label: str = "", reason: str = "") -> t.Badge:
    """ "non-local (no recorded place in the unit)", "local (hometown)", "vacant"."""
    note = "" if standing == Standing.VACANT else reason or basis_label
    return t.Badge(str(Standing(standing).label), standing.replace("_", "-"), note)


# --------------------------------------------------------------------------- overview


class OverviewView(DashboardView):
    template_name = "reports/overview.html"

    def build(self, request):
        scope = read_scope(request)
        if scope.unit is not None and scope.unit.level == UnitLevel.COMMUNE:
            # A commune has a page of its own; a date it cannot read is passed on as typed,
            # so that the page says so.
            return HttpResponseRedirect(
                url_with("reports:unit", scope.unit.pk, date=request.GET.get("date") or scope.day)
            )
        context = scope.context()
        context["tables"] = {}
        if scope.unit is None:
            return context
        unit, day = scope.unit, scope.day
        context["export_parts"] = (unit.code, day.isoformat())
        report = non_local_report(unit=unit, day=day)
        context["non_local"] = report
        context["cards"] = [
            {
                "figure": figure,
                "share": t.percent_text(figure.share),
                "units": [unit_link(ref, day) for ref in figure.non_local_units],
            }
            for figure in report.roles
        ]
        tables = context["tables"]
        tables["non_local"] = self.non_local_table(report)
        tables["communes"] = self.communes_table(report, day)
        context["secretary_chairman"] = [
            (unit_link(row.unit, day), cadre_link(row.cadre_id, row.cadre_name, day))
            for row in report.secretary_chairman
        ]

        period = current_term_period(day)  # from the start of the Party term to the day
        context["period"] = period
        movements = movement_report(unit=unit, start=period[0], end=period[1])
        context["movements"] = movements
        self.movement_tables(tables, movements, scope, period)
        context["movement_chart"] = charts.bar_chart(
            title=_("Movements since the start of the term, by direction"),
            description=", ".join(
                f"{group.label}: {group.count}" for group in movements.by_direction
            ),
            items=[
                (
                    group.label,
                    group.count,
                    self.movements_url(scope, period, direction=group.direction),
                )
                for group in movements.by_direction
            ],
        )
        trend = non_local_trend(unit=unit, start=period[0], end=period[1])
        tables["trend"] = self.trend_table(trend)
        context["trend_chart"] = self.trend_chart(trend)

        returns = due_returns(unit=unit, day=day, within_days=RETURNS_WINDOW)
        context["returns"] = returns
        context["returns_url"] = url_with("reports:returns", unit=unit.code, date=day)
        vacancies = vacant_seats(unit=unit, day=day, key_only=True)
        context["vacancies"] = vacancies
        context["vacancies_url"] = url_with("reports:vacancies", unit=unit.code, date=day, key=1)
        return context

    @staticmethod
    def movements_url(scope: Scope, period, **filters) -> str:
        return url_with(
            "reports:movements",
            unit=scope.unit.code,
            **{"from": period[0], "to": period[1]},
            **filters,
        )

    @staticmethod
    def non_local_table(report) -> t.Table:
        return t.Table(
            name="non_local",
            caption=_("Key leaders who are not local, by post"),
            columns=(
                t.Column(_("Post")),
                t.Column(_("Not local"), t.NUMBER),
                t.Column(_("Commune-level units"), t.NUMBER),
                t.Column(_("Share not local"), t.PERCENT),
                t.Column(_("Local"), t.NUMBER),
                t.Column(_("Vacant"), t.NUMBER),
            ),
            rows=tuple(
                t.Row(
                    (
                        figure.role_label,
                        figure.non_local,
                        figure.units_total,
                        figure.share,
                        figure.local,
                        figure.vacant,
                    ),
                    id=f"non-local-{figure.role_code}",
                )
                for figure in report.roles
            ),
        )

    @staticmethod
    def communes_table(report, day) -> t.Table:
        """Each commune's Party secretary and People's Committee chairman, local or not."""
        roles = []
        for code in (SECRETARY, CHAIRMAN):
            try:
                roles.append(report.role(code))
            except KeyError:
                continue
        columns = [t.Column(_("Commune-level unit"))]
        for figure in roles:
            columns += [t.Column(figure.role_label), t.Column(_("Local or not"))]
        table_rows = []
        for index, ref in enumerate(report.units):
            cells: list = [unit_link(ref, day)]
            for figure in roles:
                standing = figure.units[index]
                cells.append(
                    tuple(cadre_link(h.cadre_id, h.cadre_name, day) for h in standing.holders)
                    or None
                )
                holder = next((h for h in standing.holders if not h.is_local), None)
                holder = holder or (standing.holders[0] if standing.holders else None)
                cells.append(
                    standing_badge(
                        standing.standing,
                        holder.basis_label if holder else "",
                        holder.reason if holder else "",
                    )
                )
            table_rows.append(t.Row(tuple(cells), id=f"commune-{ref.code}"))
        return t.Table(
            name="communes",
            caption=_("Party secretary and People's Committee chairman of each commune"),
            columns=tuple(columns),
            rows=tuple(table_rows),
            empty=_("No commune-level unit on this day."),
        )

    def movement_tables(self, tables: dict, report, scope: Scope, period) -> None:
        def link(group) -> t.Link | int:
            return count_link(
                group.count,
                self.movements_url(
                    scope,
                    period,
                    direction=group.direction,
                    kind=group.kind,
                    role=group.role_code,
                    field=group.field,
                ),
            )

        count = t.Column(_("Number of movements"), t.NUMBER)
        tables["movements_by_role"] = t.Table(
            name="movements_by_role",
            caption=_("Movements by direction, kind and post"),
            columns=(t.Column(_("Direction")), t.Column(_("Kind")), t.Column(_("Post")), count),
            rows=t.rows(
                (
                    choice_label(Direction, group.direction),
                    choice_label(MovementKind, group.kind),
                    group.rows[0].role_label,
                    link(group),
                )
                for group in report.by_direction_kind_role
            ),
            empty=_("No movement in this period."),
        )
        tables["movements_by_direction"] = t.Table(
            name="movements_by_direction",
            caption=_("Movements by direction"),
            columns=(t.Column(_("Direction")), count),
            rows=t.rows((group.label, link(group)) for group in report.by_direction),
        )
        tables["movements_by_kind"] = t.Table(
            name="movements_by_kind",
            caption=_("Movements by kind"),
            columns=(t.Column(_("Kind")), count),
            rows=t.rows((group.label, link(group)) for group in report.by_kind),
        )
        tables["movements_by_field"] = t.Table(
            name="movements_by_field",
            caption=_("Commune civil servants moved, by field"),
            columns=(t.Column(_("Field")), count),
            rows=t.rows((group.label, link(group)) for group in report.by_field),
        )

    @staticmethod
    def trend_table(trend) -> t.Table:
        columns = [t.Column(_("Day"), t.DATE), t.Column(_("Commune-level units"), t.NUMBER)]
        for _code, label in trend.roles:
            columns += [
                t.Column(_("%(role)s: not local") % {"role": label}, t.NUMBER),
                t.Column(_("%(role)s: share not local") % {"role": label}, t.PERCENT),
            ]
        table_rows = []
        for point in trend.points:
            cells: list = [point.day, point.units_total]
            for code, _label in trend.roles:
                cells += [point.non_local.get(code, 0), point.share(code)]
            table_rows.append(t.Row(tuple(cells)))
        return t.Table(
            name="trend",
            caption=_("Non-local Party secretaries and chairmen, quarter by quarter"),
            columns=tuple(columns),
            rows=tuple(table_rows),
        )

    @staticmethod
    def trend_chart(trend) -> charts.LineChart:
        series = []
        for code, label in trend.roles:
            shares = [point.share(code) for point in trend.points]
            tooltips = [
                _("%(role)s, %(day)s: %(count)s of %(total)s not local (%(share)s)")
                % {
                    "role": label,
                    "day": dmy(point.day),
                    "count": point.non_local.get(code, 0),
                    "total": point.units_total,
                    "share": t.percent_text(point.share(code)),
                }
                for point in trend.points
            ]
            series.append((label, shares, tooltips))
        last = trend.points[-1] if trend.points else None
        return charts.line_chart(
            title=_("Share of communes whose key leader is not local"),
            description="; ".join(
                f"{label}: {t.percent_text(last.share(code))} ({dmy(last.day)})"
                for code, label in trend.roles
            )
            if last
            else "",
            x_labels=[point.day.strftime("%m/%Y") for point in trend.points],
            series=series,
        )


# --------------------------------------------------------------------------- a commune


class UnitView(DashboardView):
    template_name = "reports/unit.html"

    def build(self, request, pk: int):
        area = area_of(request)
        unit = get_object_or_404(
            area.filter(AdministrativeUnit.objects.select_related("parent")), pk=pk
        )
        notices: list[Notice] = []
        day = read_day(request, "date", notices)
        if unit.level != UnitLevel.COMMUNE:
            return HttpResponseRedirect(url_with("reports:overview", unit=unit.code, date=day))
        context = {
            "unit": unit,
            "day": day,
            "notices": notices,
            "nav_query": urlencode(
                {"unit": unit.parent.code if unit.parent_id else "", "date": day.isoformat()}
            ),
            "export_parts": (unit.code, day.isoformat()),
            "overview_url": url_with(
                "reports:overview", unit=unit.parent.code if unit.parent_id else "", date=day
            ),
        }
        if not unit.is_valid_on(day):
            notices.append(
                Notice(
                    _("%(unit)s existed %(period)s, not on %(day)s.")
                    % {"unit": unit, "period": unit.period_display(), "day": dmy(day)},
                    links=[
                        t.Link(str(other), url_with("reports:unit", other.pk, date=day))
                        for other in unit_on_day(unit, day)
                        if other.level == UnitLevel.COMMUNE and area.has_unit(other.pk)
                    ],
                    tone="info",
                )
            )
        report = non_local_report(unit=unit, day=day)
        tables = {"leaders": self.leaders_table(report, day)}
        period = current_term_period(day)
        context["period"] = period
        tables["leaders_history"] = self.history_table(
            key_posts_history(unit=unit, start=period[0], end=period[1]), day
        )
        tables["rotations"] = self.rotations_table(timed_holdings(unit=unit, day=day), day)
        tables["vacancies"] = vacancies_table(vacant_seats(unit=unit, day=day), day, unit=False)
        context["tables"] = tables
        return context

    @staticmethod
    def leaders_table(report, day) -> t.Table:
        table_rows = []
        for figure in report.roles:
            for standing in figure.units:
                if not standing.holders:
                    badge = t.Badge(str(Standing.VACANT.label), "vacant")
                    table_rows.append(
                        t.Row(
                            (figure.role_label, None, None, badge, None),
                            id=f"leader-{figure.role_code}-vacant",
                            tone="vacant",
                        )
                    )
                for holder in standing.holders:
                    standing_code = Standing.LOCAL if holder.is_local else Standing.NON_LOCAL
                    table_rows.append(
                        t.Row(
                            (
                                figure.role_label,
                                cadre_link(holder.cadre_id, holder.cadre_name, day),
                                holder.hometown,
                                t.Badge(
                                    str(Standing(standing_code).label),
                                    standing_code.replace("_", "-"),
                                    holder.reason or holder.basis_label,
                                ),
                                _("principal") if holder.principal else _("concurrent"),
                            ),
                            id=f"leader-{figure.role_code}-{holder.cadre_id}",
                            tone=standing_code.replace("_", "-"),
                        )
                    )
        return t.Table(
            name="leaders",
            caption=_("Key leaders on %(day)s") % {"day": dmy(day)},
            columns=(
                t.Column(_("Post")),
                t.Column(_("Name")),
                t.Column(_("Hometown")),
                t.Column(_("Local or not (on what grounds)")),
                t.Column(_("Principal or concurrent")),
            ),
            rows=tuple(table_rows),
            empty=_("This unit has no key post on this day."),
        )

    @staticmethod
    def history_table(assignments, day) -> t.Table:
        return t.Table(
            name="leaders_history",
            caption=_("Key leaders since the start of the term"),
            columns=(
                t.Column(_("Post")),
                t.Column(_("Name")),
                t.Column(_("From"), t.DATE),
                t.Column(_("To"), t.DATE),
                t.Column(_("Appointed by decision"), t.CODE),
            ),
            rows=tuple(
                t.Row(
                    (
                        a.post.role.label,
                        cadre_link(a.cadre_id, a.cadre.full_name, day),
                        a.start_date,
                        a.end_date if a.end_date and a.end_date <= day else _("still holds it"),
                        a.opened_by.decision.number
                        if a.opened_by
                        else _("held when the records began"),
                    ),
                    id=f"history-{a.pk}",
                )
                for a in assignments
            ),
            empty=_("No key post was held in this period."),
        )

    @staticmethod
    def rotations_table(assignments, day) -> t.Table:
        table_rows = []
        for a in assignments:
            movement = a.opened_by
            left = movement.from_assignment.post if movement.from_assignment else None
            planned = movement.planned_end
            table_rows.append(
                t.Row(
                    (
                        cadre_link(a.cadre_id, a.cadre.full_name, day),
                        movement.get_kind_display(),
                        a.post.role.label,
                        f"{left.role.label} – {left.organisation.unit.name}" if left else None,
                        a.start_date,
                        planned,
                        (planned - day).days if planned else None,
                        movement.decision.number,
                    ),
                    id=f"rotation-{a.pk}",
                    tone="overdue" if planned and planned < day else "",
                )
            )
        return t.Table(
            name="rotations",
            caption=_("Cadres rotated or seconded here on %(day)s") % {"day": dmy(day)},
            columns=(
                t.Column(_("Name")),
                t.Column(_("Kind")),
                t.Column(_("Post")),
                t.Column(_("Came from")),
                t.Column(_("Since"), t.DATE),
                t.Column(_("Planned end"), t.DATE),
                t.Column(_("Days left"), t.NUMBER),
                t.Column(_("Decision"), t.CODE),
            ),
            rows=tuple(table_rows),
            empty=_("Nobody is rotated or seconded here on this day."),
        )


def vacancies_table(result, day, *, unit: bool = True) -> t.Table:
    columns = [t.Column(_("Unit"))] if unit else []
    columns += [
        t.Column(_("Post")),
        t.Column(_("Key post")),
        t.Column(_("Seats"), t.NUMBER),
        t.Column(_("Held"), t.NUMBER),
        t.Column(_("Vacant"), t.NUMBER),
        t.Column(_("Vacant since"), t.DATE),
    ]
    return t.Table(
        name="vacancies",
        caption=_("Vacant seats on %(day)s") % {"day": dmy(day)},
        columns=tuple(columns),
        rows=tuple(
            t.Row(
                ((unit_link(row.unit, day),) if unit else ())
                + (
                    row.post,
                    _("yes") if row.is_key else _("no"),
                    row.seats,
                    row.held,
                    row.vacant,
                    row.since,
                ),
                id=f"vacancy-{row.post_id}",
            )
            for row in result.rows
        ),
        empty=_("No seat is vacant."),
    )


# --------------------------------------------------------------------------- a cadre


class CadreView(DashboardView):
    template_name = "reports/cadre.html"

    def build(self, request, pk: int):
        area = area_of(request)
        cadre = get_object_or_404(
            area.filter(
                Cadre.objects.select_related("hometown", "birthplace", "permanent_residence")
            ),
            pk=pk,
        )
        notices: list[Notice] = []
        day = read_day(request, "date", notices)
        timeline = cadre_timeline(cadre=cadre, day=day, area=area)
        held = [
            {
                "assignment": post.assignment,
                "unit_link": unit_link(post.assignment.post.organisation.unit, day),
                "badge": t.Badge(
                    str((Standing.LOCAL if post.verdict.is_local else Standing.NON_LOCAL).label),
                    "local" if post.verdict.is_local else "non-local",
                    post.verdict.reason or post.verdict.basis_label,
                ),
            }
            for post in timeline.held
        ]
        return {
            "cadre": cadre,
            "day": day,
            "age": _age_on(cadre.date_of_birth, day),
            "held": held,
            "notices": notices,
            "nav_query": urlencode({"date": day.isoformat()}),
            "export_parts": (f"cadre-{cadre.pk}", day.isoformat()),
            "tables": {
                "posts": self.posts_table(timeline),
                "movements": self.movements_table(timeline),
            },
        }

    @staticmethod
    def posts_table(timeline) -> t.Table:
        def decision(movement) -> str | None:
            return movement.decision.number if movement else None

        return t.Table(
            name="posts",
            caption=_("Posts held"),
            columns=(
                t.Column(_("Post")),
                t.Column(_("Unit")),
                t.Column(_("From"), t.DATE),
                t.Column(_("To"), t.DATE),
                t.Column(_("Principal or concurrent")),
                t.Column(_("Opened by decision")),
                t.Column(_("Closed by")),
            ),
            rows=tuple(
                t.Row(
                    (
                        f"{a.post.role.label} – {a.post.organisation.name}"
                        + (f" ({_('void: decision cancelled')})" if a.is_void else ""),
                        unit_link(a.post.organisation.unit, timeline.day),
                        a.start_date,
                        a.end_date,
                        _("principal") if a.principal else _("concurrent"),
                        decision(a.opened_by) or _("held when the records began"),
                        decision(a.closed_by) or a.end_reason or None,
                    ),
                    id=f"post-{a.pk}",
                    tone="void" if a.is_void else "",
                )
                for a in timeline.assignments
            ),
            empty=_("No post recorded."),
        )

    @staticmethod
    def movements_table(timeline) -> t.Table:
        def post_text(post) -> str | None:
            if post is None:
                return None
            return f"{post.role.label} – {post.organisation.name}"

        return t.Table(
            name="movements",
            caption=_("Rotations and transfers"),
            columns=(
                t.Column(_("Effective date"), t.DATE),
                t.Column(_("Kind")),
                t.Column(_("Post left")),
                t.Column(_("Post taken")),
                t.Column(_("Direction")),
                t.Column(_("Planned end"), t.DATE),
                t.Column(_("Decision"), t.CODE),
            ),
            rows=tuple(
                t.Row(
                    (
                        m.effective_date,
                        m.get_kind_display(),
                        post_text(m.from_assignment.post if m.from_assignment else None),
                        post_text(m.to_post),
                        direction,
                        m.planned_end,
                        m.decision.number
                        + (
                            f" ({m.decision.get_status_display()})"
                            if m.decision.status != "issued"
                            else ""
                        ),
                    ),
                    id=f"movement-{m.pk}",
                    tone="void" if m.decision.status != "issued" else "",
                )
                for m, direction in timeline.movements
            ),
            empty=_("No movement recorded."),
        )


def _age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# --------------------------------------------------------------------------- lists


class ReturnsView(DashboardView):
    template_name = "reports/returns.html"

    def build(self, request):
        scope = read_scope(request)
        context = scope.context()
        window = RETURNS_WINDOW
        text = request.GET.get("within", "").strip()
        if text:
            try:
                window = int(text)
                if not 1 <= window <= MAX_WITHIN_DAYS:
                    raise ValueError(text)
            except ValueError:
                window = RETURNS_WINDOW
                scope.notices.append(
                    Notice(
                        _(
                            "“%(text)s” is not a number of days from 1 to %(max)s; "
                            "showing the next %(days)s days."
                        )
                        % {"text": text[:20], "max": MAX_WITHIN_DAYS, "days": RETURNS_WINDOW}
                    )
                )
        context["within"] = window
        context["tables"] = {}
        if scope.unit is None:
            return context
        day = scope.day
        result = due_returns(unit=scope.unit, day=day, within_days=window)
        context["result"] = result
        context["export_parts"] = (scope.unit.code, day.isoformat())
        context["tables"] = {
            "due": self.table(
                "due",
                _("Rotations and secondments ending in the next %(days)s days") % {"days": window},
                result.due,
                day,
                _("Days left"),
                overdue=False,
            ),
            "overdue": self.table(
                "overdue",
                _("Rotations and secondments past their planned end, cadre not yet returned"),
                result.overdue,
                day,
                _("Days overdue"),
                overdue=True,
            ),
        }
        return context

    @staticmethod
    def table(name, caption, rows, day, days_label, *, overdue: bool) -> t.Table:
        return t.Table(
            name=name,
            caption=caption,
            columns=(
                t.Column(_("Name")),
                t.Column(_("Kind")),
                t.Column(_("Post")),
                t.Column(_("Unit")),
                t.Column(_("Since"), t.DATE),
                t.Column(_("Planned end"), t.DATE),
                t.Column(days_label, t.NUMBER),
                t.Column(_("Decision"), t.CODE),
            ),
            rows=tuple(
                t.Row(
                    (
                        cadre_link(row.cadre_id, row.cadre_name, day),
                        row.kind_label,
                        row.post,
                        unit_link(row.unit, day),
                        row.started,
                        row.planned_end,
                        -row.days_left if overdue else row.days_left,
                        row.decision_number,
                    ),
                    id=f"{name}-{row.movement_id}",
                    tone="overdue" if overdue else "",
                )
                for row in rows
            ),
            empty=_("None."),
        )


class VacanciesView(DashboardView):
    template_name = "reports/vacancies.html"

    def build(self, request):
        scope = read_scope(request)
        context = scope.context()
        key_only = request.GET.get("key", "") in ("1", "on", "true")
        context["key_only"] = key_only
        context["tables"] = {}
        if scope.unit is None:
            return context
        result = vacant_seats(unit=scope.unit, day=scope.day, key_only=key_only)
        context["result"] = result
        context["export_parts"] = (scope.unit.code, scope.day.isoformat())
        context["tables"] = {"vacancies": vacancies_table(result, scope.day)}
        return context


# The movement filters of the address: parameter → (row attribute, its choices' labels).
MOVEMENT_FILTERS = {
    "direction": ("direction", Direction),
    "kind": ("kind", MovementKind),
    "role": ("role_code", None),
    "field": ("field", CivilServantField),
    "gender": ("gender", Gender),
    "age_band": ("age_band", AgeBand),
}


class MovementsView(DashboardView):
    template_name = "reports/movements.html"

    def build(self, request):
        scope = read_scope(request, date_name="to")
        context = scope.context()
        context["tables"] = {}
        context["filters"] = []
        start = read_day(request, "from", scope.notices, default=current_term_period(scope.day)[0])
        if start > scope.day:
            scope.notices.append(
                Notice(
                    _("The period starts on %(start)s, after its end on %(end)s.")
                    % {"start": dmy(start), "end": dmy(scope.day)}
                )
            )
            start = None
        context["start"] = start
        if scope.unit is None or start is None:
            return context
        report = movement_report(unit=scope.unit, start=start, end=scope.day)
        chosen, filters = self.read_filters(request, report, scope)
        context["filters"] = filters
        rows = report.select(**chosen)
        context["report"] = report
        context["shown"] = rows
        context["export_parts"] = (scope.unit.code, start.isoformat(), scope.day.isoformat())
        context["tables"] = {
            "movements": self.rows_table(rows, scope.day),
            "by_gender": self.count_table(
                "by_gender", _("By gender"), _("Gender"), report.by_gender, rows
            ),
            "by_age_band": self.count_table(
                "by_age_band", _("By age"), _("Age"), report.by_age_band, rows
            ),
        }
        return context

    @staticmethod
    def read_filters(request, report, scope: Scope):
        """The filters of the address that name a known value; a message for the others."""
        roles = {row.role_code: row.role_label for row in report.rows}
        chosen, filters = {}, []
        labels = {
            "direction": _("Direction"),
            "kind": _("Kind"),
            "role": _("Post"),
            "field": _("Civil-servant field"),
            "gender": _("Gender"),
            "age_band": _("Age"),
        }
        for name, (attribute, choices) in MOVEMENT_FILTERS.items():
            options = (
                [(value, str(label)) for value, label in choices.choices]
                if choices
                else sorted(roles.items(), key=lambda item: item[1])
            )
            value = request.GET.get(name, "").strip()
            if value and value not in dict(options):
                scope.notices.append(
                    Notice(
                        _("“%(value)s” is not a known %(filter)s: that filter is not applied.")
                        % {"value": value[:40], "filter": labels[name].lower()}
                    )
                )
                value = ""
            if value:
                chosen["role_code" if name == "role" else attribute] = value
            filters.append(
                {"name": name, "label": labels[name], "options": options, "value": value}
            )
        return chosen, filters

    @staticmethod
    def rows_table(rows, day) -> t.Table:
        return t.Table(
            name="movements",
            caption=_("Rotations and transfers"),
            columns=(
                t.Column(_("Effective date"), t.DATE),
                t.Column(_("Name")),
                t.Column(_("Gender")),
                t.Column(_("Age"), t.NUMBER),
                t.Column(_("Kind")),
                t.Column(_("Direction")),
                t.Column(_("Post counted")),
                t.Column(_("Civil-servant field")),
                t.Column(_("Post left")),
                t.Column(_("Post taken")),
                t.Column(_("Decision"), t.CODE),
            ),
            rows=tuple(
                t.Row(
                    (
                        row.effective_date,
                        cadre_link(row.cadre_id, row.cadre_name, day),
                        row.gender_label,
                        row.age,
                        row.kind_label,
                        row.direction_label,
                        row.role_label,
                        row.field_label or None,
                        row.from_post or None,
                        row.to_post,
                        row.decision_number,
                    ),
                    id=f"movement-{row.movement_id}",
                )
                for row in rows
            ),
            empty=_("No movement matches."),
        )

    @staticmethod
    def count_table(name, caption, heading, groups, rows) -> t.Table:
        shown = {row.movement_id for row in rows}
        return t.Table(
            name=name,
            caption=caption,
            columns=(t.Column(heading), t.Column(_("Number of movements"), t.NUMBER)),
            rows=t.rows(
                (group.label, sum(1 for row in group.rows if row.movement_id in shown))
                for group in groups
            ),
        )
