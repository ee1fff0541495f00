"""Bounded page numbers for small resources, cursors for the ones that grow without bound."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination

from access.areas import area_of, is_scoped
from config.api.schema import empty_means_absent


class StrictPageSize:
    """``page_size``: empty or absent is the default size, more than the maximum is the
    maximum, and anything but a whole number from 1 is refused (400) rather than ignored."""

    page_size_query_param = "page_size"

    def get_page_size(self, request):
        text = request.query_params.get(self.page_size_query_param, "").strip()
        if not text:
            return self.page_size
        try:
            size = int(text)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {self.page_size_query_param: [_("Enter a whole number, 1 or more.")]}
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = [empty_means_absent(p) for p in super().get_schema_operation_parameters(view)]
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = str(
                    _("Records per page, %(default)s by default, at most %(maximum)s.")
                    % {"default": self.page_size, "maximum": self.max_page_size}
                )
        return parameters


class PagePagination(StrictPageSize, PageNumberPagination):
    """Bounded pages for the resources that stay small (units, posts, cadres, decisions)."""

    page_size = 50
    max_page_size = 200


class GrowingCursorPagination(StrictPageSize, CursorPagination):
    """Cursor pages for the resources that grow without bound (assignments, movements).

    Newest first by id. For a user limited to an area, by ``id + 0`` instead, the same
    order and the same cursors: PostgreSQL would otherwise walk the primary key backwards
    checking each row against the area, guessing from the area's share of all rows that it
    soon finds a page; when the area's rows are not among the newest (a province whose
    records were loaded first, a district among 700) it reads hundreds of thousands of rows.
    With the expression it reads the area's rows through the index on (unit, id) and sorts
    them (national data, a province's API client: first page 693 ms → 11 ms in the
    database; docs/PERFORMANCE.md). An administrator's pages keep the primary key walk,
    which is the fastest when every row counts.
    """

    page_size = 100
    max_page_size = 500
    ordering = "-id"
    by_position = False

    def paginate_queryset(self, queryset, request, view=None):
        area = area_of(request)
        self.by_position = not area.unrestricted and is_scoped(queryset.model)
        if self.by_position:
            queryset = queryset.annotate(**{POSITION: F("pk") + 0})
        return super().paginate_queryset(queryset, request, view)

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not self.by_position:
            return ordering
        return tuple(
            {"id": POSITION, "-id": f"-{POSITION}"}.get(field, field) for field in ordering
        )


# The order of a restricted user's cursor pages: the id, as an expression (see above).
POSITION = "cursor_position"
