"""Bounded page numbers for small resources, cursors for the ones that grow without bound."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination

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
    """Cursor pages for the resources that grow without bound (assignments, movements)."""

    page_size = 100
    max_page_size = 500
    ordering = "-id"
