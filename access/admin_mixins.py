"""The admin's side of the area rule (``access.areas``).

``InAreaAdminMixin`` goes first in the bases of every admin class (and inline) of the
records: its change lists, change, delete and history pages, its custom pages (they use
``get_object``), the autocomplete of the fields that point at it (Django's
``AutocompleteJsonView`` goes through ``get_queryset``) and the choices of every foreign
key of its forms are limited to the user's area. A record outside the area answers as an
unknown one does; an id outside it sent in a form gets "Select a valid choice" and nothing
is written.
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.forms import ModelChoiceField
from django.http import Http404
from django.urls import reverse

from access.areas import NOWHERE, Area, area_of, in_area, is_scoped

VIEWER_AREA = "_viewer_area"


class InAreaAdminMixin:
    """ModelAdmin and InlineModelAdmin mixin: only the records of the user's area."""

    def get_queryset(self, request):
        return self.limit_to_area(request, super().get_queryset(request))

    def limit_to_area(self, request, queryset):
        """The rows of ``queryset`` this request may see."""
        return in_area(request, queryset)

    def area_choices(self, request, db_field, queryset, *, also=()):
        """The choices of foreign key ``db_field`` for this request."""
        return area_of(request).filter(queryset, also=also)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.remote_field.model
        if "queryset" not in kwargs and is_scoped(related):
            kwargs["queryset"] = self.area_choices(
                request, db_field, related._default_manager.all()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # For the read-only parts of the page (a cadre's timeline), which are given
            # the record alone: ``viewer_area(obj)``.
            setattr(obj, VIEWER_AREA, area_of(request))
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None:
            return form
        # A record keeps the values it has, even one outside the area (a cadre whose
        # hometown lies elsewhere): the form accepts them back unchanged.
        for name, field in form.base_fields.items():
            if not isinstance(field, ModelChoiceField):
                continue
            try:
                db_field = obj._meta.get_field(name)
            except FieldDoesNotExist:  # a form field that is not a model field
                continue
            if not db_field.many_to_one or not is_scoped(db_field.remote_field.model):
                continue
            current = getattr(obj, db_field.attname, None)
            if current is not None:
                field.queryset = self.area_choices(
                    request,
                    db_field,
                    db_field.remote_field.model._default_manager.all(),
                    also=[current],
                )
        return form

    # ------------------------------------------------------------------ history pages

    def _check_in_area(self, request, object_id) -> None:
        """404 for a record outside the area (or unknown). simple-history shows the last
        known state of a record it cannot find, so outside an unrestricted area a record
        that is gone is a 404 too."""
        if area_of(request).unrestricted:
            return
        try:
            pk = self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        if not self.get_queryset(request).filter(pk=pk).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._check_in_area(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_in_area(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


def viewer_area(obj) -> Area:
    """The area of whoever opened ``obj``'s page (nothing, if it was not opened by the
    admin's ``get_object``)."""
    return getattr(obj, VIEWER_AREA, None) or NOWHERE


def autocomplete_for(request, app_label: str, model_name: str, field_name: str) -> bool:
    """Whether ``request`` asks the admin's autocomplete for ``model_name.field_name``."""
    return (
        request.path == reverse("admin:autocomplete")
        and request.GET.get("app_label") == app_label
        and request.GET.get("model_name") == model_name
        and request.GET.get("field_name") == field_name
    )
