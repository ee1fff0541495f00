"""What the admin classes of every app share.

- ``FoldedSearchMixin``: "le ho" finds Lê Hồ, in the change list and in autocomplete.
- ``ServiceErrorsMixin`` and ``ServiceErrorsInlineMixin``: the admin saves through the
  services; when a service refuses, everything is rolled back and the form comes back with
  the person's input and the service's messages beside the fields they are about.
- ``ValidityListFilter``: valid today / ended, for records with a validity period.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communes.models import valid_on_q
from communes.text import fold

logger = logging.getLogger(__name__)

# The request attribute that carries a refused save into the second rendering of the form.
REFUSED = "admin_save_refused"

CHANGED_MEANWHILE = _(
    "The records changed while you were working and nothing was saved. "
    "Check the form and save again."
)


class FoldedSearchMixin:
    """Search with the folded term, so that people can type names without diacritics.

    ``search_fields`` name the ``*_folded`` columns (and codes or numbers, which folding
    leaves as they are). The admin's autocomplete goes through ``get_search_results`` too.
    """

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


class SaveRefused(Exception):
    """A service refused a save: what to show on the main form and on the inline rows.

    ``rows`` maps an inline formset's prefix to {form index: ValidationError}.
    """

    def __init__(
        self,
        form_error: ValidationError | None = None,
        rows: Mapping[str, Mapping[int, ValidationError]] | None = None,
    ) -> None:
        super().__init__(form_error, rows)
        self.form_error = form_error
        self.rows = dict(rows or {})


def add_service_error(
    form, error: ValidationError, field_map: Mapping[str, str] | None = None
) -> None:
    """Put a service's ``ValidationError`` on ``form``: beside the field when the form shows
    it (``field_map`` renames service keys to form fields), above the form otherwise."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        field = field_map.get(key, key)
        target = field if field != NON_FIELD_ERRORS and field in form.fields else None
        form.add_error(target, ValidationError(errors))


def changed_values(form, fields: Iterable[str]) -> dict:
    """The values of ``fields`` the person changed on ``form``, for an ``<noun>_update`` service."""
    return {name: form.cleaned_data[name] for name in fields if name in form.changed_data}


def adopt(instance: models.Model, saved: models.Model) -> None:
    """Make the admin's instance the record the service saved (its id, normalised values).

    The admin keeps using the instance it built from the form (for the inlines, the history
    and the redirect), while the service creates or re-reads its own.
    """
    for field in saved._meta.concrete_fields:
        setattr(instance, field.attname, getattr(saved, field.attname))
    instance._state.adding = False
    instance._state.db = saved._state.db


class ServiceErrorsMixin:
    """ModelAdmin mixin: a save a service refuses writes nothing and shows why on the form.

    The save (``save_model``, ``save_formset``, ``save_related``) runs in a transaction. When
    a service raises ``ValidationError`` (or ``SaveRefused``, which also names inline rows),
    the transaction rolls back and the view runs again on the same POST, with the errors
    stored on the request: the form classes add them in ``clean()``, so the page shows the
    person's input with the messages, and since the form is then invalid nothing is saved.
    """

    # Service error keys that are called differently on the form.
    service_field_map: Mapping[str, str] = {}

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        using = router.db_for_write(self.model)
        try:
            with transaction.atomic(using=using):
                return super().changeform_view(request, object_id, form_url, extra_context)
        except SaveRefused as refused:
            setattr(request, REFUSED, refused)
        except ValidationError as error:
            setattr(request, REFUSED, SaveRefused(form_error=error))
        except IntegrityError:
            # The database's constraints are the backstop behind the services' checks: this
            # happens when someone else changed the same records at the same moment.
            logger.warning("Admin save refused by the database", exc_info=True)
            setattr(request, REFUSED, SaveRefused(form_error=ValidationError(CHANGED_MEANWHILE)))
        try:
            with transaction.atomic(using=using):
                return super().changeform_view(request, object_id, form_url, extra_context)
        except (SaveRefused, ValidationError, IntegrityError):
            # Unexpected: the errors did not make the form invalid. Say so rather than fail
            # with a server error; nothing was saved.
            logger.exception("A refused admin save could not be shown on the form")
            self.message_user(request, CHANGED_MEANWHILE, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        refused = getattr(request, REFUSED, None)
        if refused is None or refused.form_error is None:
            return form_class
        error, field_map = refused.form_error, self.service_field_map

        class RefusedForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                add_service_error(self, error, field_map)
                return cleaned_data

        RefusedForm.__name__ = form_class.__name__
        return RefusedForm


class ServiceErrorsInlineMixin:
    """InlineModelAdmin mixin: shows the errors of a refused save on the rows at fault.

    A row that is gone (deleted, or beyond the rows sent) gets its errors above the inline.
    """

    service_field_map: Mapping[str, str] = {}

    def get_formset(self, request, obj=None, **kwargs):
        formset_class = super().get_formset(request, obj, **kwargs)
        refused = getattr(request, REFUSED, None)
        if refused is None or not refused.rows:
            return formset_class
        field_map = self.service_field_map

        class RefusedFormSet(formset_class):
            def clean(self):
                super().clean()
                elsewhere = []
                for index, error in refused.rows.get(self.prefix, {}).items():
                    form = self.forms[index] if index < len(self.forms) else None
                    if form is None or (self.can_delete and self._should_delete_form(form)):
                        elsewhere.append(error)
                    else:
                        add_service_error(form, error, field_map)
                if elsewhere:
                    raise ValidationError(elsewhere)

        RefusedFormSet.__name__ = formset_class.__name__
        return RefusedFormSet


class ValidityListFilter(admin.SimpleListFilter):
    """Records with a ``valid_from``/``valid_to`` period: valid today, or ended."""

    title = _("validity")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [("current", _("valid today")), ("ended", _("ended"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.filter(valid_on_q(today))
        if self.value() == "ended":
            return queryset.filter(valid_to__lt=today)
        return queryset
