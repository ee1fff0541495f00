"""Helpers of the admin tests: the HR staff user, and form data as a browser sends it."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import models

HR_APPS = ("communes", "cadres", "rotation")

# Messages are asserted in English, the language of the message ids, so that the tests
# keep passing once the Vietnamese translations are added. Pages render in Vietnamese
# (the default) everywhere else.
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def hr_staff(username: str = "hr.staff", *, area=()):
    """A staff member with the add/change/view/delete permissions of the three apps, and
    nothing else: what the admin lets HR staff do, not what it lets a superuser do; working
    in the units ``area`` (the root conftest's ``area_units``), without which they see
    nothing."""
    from conftest import bind_area

    user = get_user_model().objects.create_user(username=username, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=HR_APPS))
    bind_area(user, area)
    return user


def form_value(value) -> str:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def form_data(**fields) -> dict[str, str]:
    """Fields as a browser posts them: ids for records, dd/mm/yyyy for dates; a ticked box
    is "on" and an unticked one is not sent at all."""
    data = {}
    for name, value in fields.items():
        if value is False:
            continue
        data[name] = "on" if value is True else form_value(value)
    return data


def inline_data(prefix: str, rows: list[dict], *, initial: int = 0) -> dict[str, str]:
    """An inline formset's management form and rows (the first ``initial`` rows exist)."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update(form_data(**{f"{prefix}-{index}-{name}": v for name, v in row.items()}))
    return data


def page_data(response, **changes) -> dict[str, str]:
    """What the browser posts back from an admin change page, with ``changes`` typed in:
    the main form and every inline formset (management form included), as shown."""
    forms = [response.context["adminform"].form]
    data: dict[str, str] = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update(
            {management.add_prefix(name): management[name].value() for name in management.fields}
        )
        forms.extend(formset.forms)
    for form in forms:
        values = {form.add_prefix(name): form[name].value() for name in form.fields}
        data.update(form_data(**values))
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)  # an unticked box is not sent
        else:
            data.update(form_data(**{name: value}))
    return data


def result_ids(response) -> set[int]:
    """The ids of the records a change list shows."""
    return {obj.pk for obj in response.context["cl"].result_list}


def autocomplete_texts(response) -> list[str]:
    return [result["text"] for result in response.json()["results"]]
