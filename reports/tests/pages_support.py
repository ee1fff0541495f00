"""Helpers of the page tests: the users who open the dashboards, and reading a page's text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

RECORD_APPS = ("communes", "cadres", "rotation")
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def official_user(username: str = "official", *, area=()):
    """An official: the view permissions of the records and nothing else; not staff;
    working in the units ``area`` (the root conftest's ``area_units``)."""
    from conftest import bind_area

    user = get_user_model().objects.create_user(username=username)
    bind_area(user, area)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=RECORD_APPS, codename__startswith="view_"
        )
    )
    return user


class _ElementText(HTMLParser):
    """The text inside the element with a given id (and its descendants)."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "col", "source", "wbr"}
    # Elements whose text reads apart from their neighbours' (table cells, list items…).
    SEPARATE = {"td", "th", "li", "p", "div", "br", "tr", "dt", "dd", "h2", "h3", "caption"}

    def __init__(self, element_id: str):
        super().__init__()
        self.element_id = element_id
        self.depth = 0
        self.found = False
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.depth and tag in self.SEPARATE:
            self.parts.append(" ")
        if tag in self.VOID:
            return
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.element_id and not self.found:
            self.found = True
            self.depth = 1

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def text_of(response_or_html, element_id: str) -> str:
    """The text of element ``#element_id``, whitespace collapsed; AssertionError if absent."""
    html = getattr(response_or_html, "content", response_or_html)
    if isinstance(html, bytes):
        html = html.decode()
    parser = _ElementText(element_id)
    parser.feed(html)
    assert parser.found, f"no element #{element_id} in the page"
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def has_element(response, element_id: str) -> bool:
    return f'id="{element_id}"' in response.content.decode()
