"""Bounded page numbers for small resources, cursors for the ones that grow without bound."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination, PageNumberPagination


class PagePagination(PageNumberPagination):
    """Bounded pages for the resources that stay small (units, posts, cadres, decisions)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class GrowingCursorPagination(CursorPagination):
    """Cursor pages for the resources that grow without bound (assignments, movements)."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"
