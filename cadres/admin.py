"""Admin of cadres: personal records, their timeline of posts and moves, locality overrides.

Every write goes through ``cadres.services``. A cadre is never deleted here: people who
leave keep their history, with the status that says so.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat, NullIf
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from access.admin_mixins import InAreaAdminMixin, viewer_area
from access.areas import area_of
from audit.admin import AuditedAdminMixin
from cadres.models import Cadre, LocalityOverride
from cadres.privacy import can_see_personal_id, mask_personal_id
from cadres.services import (
    CADRE_FIELDS,
    cadre_create,
    cadre_update,
    locality_override_remove,
    locality_override_set,
)
from communes.admin_mixins import (
    FoldedSearchMixin,
    SaveRefused,
    ServiceErrorsInlineMixin,
    ServiceErrorsMixin,
    adopt,
    changed_values,
)
from rotation.models import Assignment, Direction
from rotation.selectors import cadre_assignments, cadre_movements


class LocalityOverrideInline(InAreaAdminMixin, ServiceErrorsInlineMixin, admin.TabularInline):
    model = LocalityOverride
    fields = ("unit", "is_local", "reason", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")
    autocomplete_fields = ("unit",)
    # A sentence, not an essay: keep the rows of the table short.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit", "created_by")


def current_post_label(area):
    """The name of a cadre's principal post today in ``area``, for one column of the
    change list."""
    role = "post__role__name"
    if translation.get_language() == "en":
        role = Coalesce(NullIf("post__role__name_en", Value("")), "post__role__name")
    return Subquery(
        area.filter(Assignment.objects.as_of(timezone.localdate()))
        .principal()
        .filter(cadre=OuterRef("pk"))
        .order_by("-start_date")
        .annotate(
            label=Concat(role, Value(" – "), "post__organisation__name", output_field=CharField())
        )
        .values("label")[:1]
    )


@admin.register(Cadre)
class CadreAdmin(
    InAreaAdminMixin, FoldedSearchMixin, ServiceErrorsMixin, AuditedAdminMixin, admin.ModelAdmin
):
    list_display = (
        "full_name",
        "gender",
        "date_of_birth",
        "hometown",
        "current_post",
        "status",
    )
    list_filter = ("gender", "status")
    # The identification number is sensitive: found only when typed in full, and only by
    # those who may see it (``get_search_fields``).
    search_fields = ("full_name_folded", "=personal_id")
    search_help_text = _(
        "Name, with or without diacritics (e.g. nguyen thi thu ha), or the full 12-digit "
        "identification number."
    )
    name_search_help_text = _("Name, with or without diacritics (e.g. nguyen thi thu ha).")
    list_select_related = ("hometown",)
    autocomplete_fields = ("hometown", "birthplace", "permanent_residence")
    inlines = (LocalityOverrideInline,)

    def get_fieldsets(self, request, obj=None):
        # Without the permission to see the number, a recorded one is shown masked and read
        # only (it can be typed when the cadre is added, never changed unseen).
        personal_id = (
            "personal_id"
            if obj is None or can_see_personal_id(request.user)
            else "personal_id_masked"
        )
        fieldsets = [
            (None, {"fields": ("full_name", "gender", "date_of_birth", "status")}),
            (_("Places"), {"fields": ("hometown", "birthplace", "permanent_residence")}),
            (_("Identity and Party membership"), {"fields": (personal_id, "party_joined_on")}),
        ]
        if obj is not None:
            fieldsets += [
                (_("Timeline"), {"fields": ("timeline",)}),
                (_("Record"), {"fields": ("created_at", "updated_at")}),
            ]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        readonly = ("timeline", "created_at", "updated_at")
        if not can_see_personal_id(request.user):
            readonly += ("personal_id_masked",)
        return readonly

    def get_search_fields(self, request):
        if can_see_personal_id(request.user):
            return self.search_fields
        return tuple(field for field in self.search_fields if "personal_id" not in field)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if not can_see_personal_id(request.user):
            changelist.search_help_text = self.name_search_help_text
        return changelist

    @admin.display(description=_("personal identification number"))
    def personal_id_masked(self, cadre: Cadre) -> str:
        return mask_personal_id(cadre.personal_id) or "–"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(current_post=current_post_label(area_of(request)))
        )

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("current principal post"), ordering="current_post")
    def current_post(self, cadre: Cadre) -> str | None:
        return cadre.current_post

    def save_model(self, request, obj, form, change):
        if change:
            changes = changed_values(form, CADRE_FIELDS)
            saved = cadre_update(cadre=obj, **changes) if changes else obj
        else:
            saved = cadre_create(**{name: form.cleaned_data.get(name) for name in CADRE_FIELDS})
        adopt(obj, saved)

    def save_formset(self, request, form, formset, change):
        if formset.model is not LocalityOverride:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # fills new/changed/deleted_objects for the history
        cadre = form.instance
        errors: dict[int, ValidationError] = {}
        saved = []
        for index, row in enumerate(formset.forms):
            override = row.instance
            try:
                if formset.can_delete and formset._should_delete_form(row):
                    if override.pk:
                        locality_override_remove(override=override)
                    continue
                if not row.has_changed():
                    continue
                if override.pk and "unit" in row.changed_data:
                    # An override is for one unit: another unit is another override.
                    locality_override_remove(override=override)
                data = row.cleaned_data
                saved.append(
                    locality_override_set(
                        cadre=cadre,
                        unit=data["unit"],
                        is_local=data["is_local"],
                        reason=data["reason"],
                        by=request.user,
                    )
                )
            except ValidationError as error:
                errors[index] = error
        if errors:
            raise SaveRefused(rows={formset.prefix: errors})
        return saved

    @admin.display(description=_("posts and movements"))
    def timeline(self, cadre: Cadre) -> str:
        """Every assignment and every movement of the cadre: two queries however many."""
        # Only the posts and movements in the area of whoever reads the page.
        area = viewer_area(cadre)
        assignments = area.filter(cadre_assignments(cadre))
        movements = area.filter(cadre_movements(cadre))
        return render_to_string(
            "admin/cadres/cadre/timeline.html",
            {
                "assignments": assignments,
                "movements": [
                    (movement, Direction(movement.direction).label) for movement in movements
                ],
            },
        )
