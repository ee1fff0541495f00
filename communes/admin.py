"""Admin of administrative units, organisations, roles and posts.

Every write goes through ``communes.services``; records with a history are never deleted
here (a unit that ceased to exist ends, it does not disappear).
"""

from __future__ import annotations

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.admin_mixins import InAreaAdminMixin, autocomplete_for
from access.areas import area_of
from audit.admin import AuditedAdminMixin
from communes.admin_mixins import (
    FoldedSearchMixin,
    ServiceErrorsMixin,
    ValidityListFilter,
    adopt,
    changed_values,
)
from communes.models import AdministrativeUnit, Organisation, Post, Role, UnitSuccession
from communes.selectors import posts_with_holders
from communes.services import (
    ORGANISATION_FIELDS,
    POST_FIELDS,
    ROLE_FIELDS,
    UNIT_FIELDS,
    organisation_create,
    organisation_update,
    post_create,
    post_update,
    role_create,
    role_update,
    unit_create,
    unit_update,
)


class ReadOnlyInline(admin.TabularInline):
    """Links and lists shown on a page but written elsewhere (by the services)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PredecessorInline(InAreaAdminMixin, ReadOnlyInline):
    model = UnitSuccession
    fk_name = "successor"
    fields = readonly_fields = ("predecessor", "kind", "legal_basis")
    verbose_name = _("predecessor")
    verbose_name_plural = _("predecessors (units this one continues)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("predecessor")


class SuccessorInline(InAreaAdminMixin, ReadOnlyInline):
    model = UnitSuccession
    fk_name = "predecessor"
    fields = readonly_fields = ("successor", "kind", "legal_basis")
    verbose_name = _("successor")
    verbose_name_plural = _("successors (units that continue this one)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("successor")


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(
    InAreaAdminMixin, FoldedSearchMixin, ServiceErrorsMixin, AuditedAdminMixin, admin.ModelAdmin
):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind", ValidityListFilter)
    search_fields = ("name_folded", "code")
    search_help_text = _("Name, with or without diacritics (e.g. le ho), or official code.")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    inlines = (PredecessorInline, SuccessorInline)

    def get_inlines(self, request, obj):
        return () if obj is None else self.inlines

    def get_fields(self, request, obj=None):
        return UNIT_FIELDS if obj is None else (*UNIT_FIELDS, "posts_and_holders")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("posts_and_holders",)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            changes = changed_values(form, UNIT_FIELDS)
            saved = unit_update(unit=obj, **changes) if changes else obj
        else:
            saved = unit_create(**{name: form.cleaned_data[name] for name in UNIT_FIELDS})
        adopt(obj, saved)

    @admin.display(description=_("posts and holders"))
    def posts_and_holders(self, unit: AdministrativeUnit) -> str:
        """Who holds each post today, or on the unit's last day if it has ended."""
        day = timezone.localdate()
        if unit.valid_to is not None and unit.valid_to < day:
            day = unit.valid_to
        day = max(day, unit.valid_from)
        return render_to_string(
            "admin/communes/administrativeunit/posts_and_holders.html",
            {"posts": posts_with_holders(unit, day), "day": day},
        )


class PostInline(InAreaAdminMixin, ReadOnlyInline):
    model = Post
    fields = readonly_fields = ("role", "seats", "valid_from", "valid_to")
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("role")


@admin.register(Organisation)
class OrganisationAdmin(
    InAreaAdminMixin, FoldedSearchMixin, ServiceErrorsMixin, AuditedAdminMixin, admin.ModelAdmin
):
    list_display = ("name", "kind", "unit", "valid_from", "valid_to")
    list_filter = ("kind", ValidityListFilter)
    search_fields = ("name_folded", "unit__name_folded", "unit__code")
    search_help_text = _("Name of the organisation or of its unit, with or without diacritics.")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    fields = ("unit", *ORGANISATION_FIELDS)
    inlines = (PostInline,)

    def get_inlines(self, request, obj):
        return () if obj is None else self.inlines

    def limit_to_area(self, request, queryset):
        # A decision may be issued by a body above the area (the province's standing
        # committee for the wards): the decision form's autocomplete offers those too.
        if autocomplete_for(request, "rotation", "decision", "issuing_body"):
            return area_of(request).issuing_bodies(queryset)
        return super().limit_to_area(request, queryset)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("unit",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None and "valid_from" in form.base_fields:
            form.base_fields["valid_from"].required = False
            form.base_fields["valid_from"].help_text = _("Empty: from the start of the unit.")
        return form

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            changes = changed_values(form, ORGANISATION_FIELDS)
            saved = organisation_update(organisation=obj, **changes) if changes else obj
        else:
            data = form.cleaned_data
            saved = organisation_create(
                unit=data["unit"],
                kind=data["kind"],
                name=data["name"],
                valid_from=data.get("valid_from"),
                valid_to=data.get("valid_to"),
            )
        adopt(obj, saved)


@admin.register(Role)
class RoleAdmin(
    InAreaAdminMixin, FoldedSearchMixin, ServiceErrorsMixin, AuditedAdminMixin, admin.ModelAdmin
):
    list_display = (
        "code",
        "name",
        "name_en",
        "category",
        "field",
        "is_key",
        "valid_from",
        "valid_to",
    )
    list_filter = ("category", "field", "is_key")
    search_fields = ("name_folded", "name_en", "code")
    fields = ("code", *ROLE_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        # Reports, the API and other systems rely on the code.
        return () if obj is None else ("code",)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            changes = changed_values(form, ROLE_FIELDS)
            saved = role_update(role=obj, **changes) if changes else obj
        else:
            saved = role_create(
                code=form.cleaned_data["code"],
                **{name: form.cleaned_data[name] for name in ROLE_FIELDS},
            )
        adopt(obj, saved)


@admin.register(Post)
class PostAdmin(
    InAreaAdminMixin, FoldedSearchMixin, ServiceErrorsMixin, AuditedAdminMixin, admin.ModelAdmin
):
    list_display = ("role", "organisation", "unit", "seats", "valid_from", "valid_to")
    list_filter = (
        "role__category",
        "role__is_key",
        "organisation__kind",
        ("role", admin.RelatedOnlyFieldListFilter),
        ValidityListFilter,
    )
    # "bi thu le ho" finds the Party secretary of Lê Hồ: each word is looked for in the
    # title, the organisation and the unit.
    search_fields = (
        "role__name_folded",
        "organisation__name_folded",
        "organisation__unit__name_folded",
        "organisation__unit__code",
    )
    search_help_text = _("Words of the title, the organisation or the unit, e.g. bi thu le ho.")
    list_select_related = ("role", "organisation__unit")
    autocomplete_fields = ("organisation", "role")

    def get_queryset(self, request):
        # The autocomplete shows str(post), which names the role and the organisation.
        return super().get_queryset(request).select_related("role", "organisation__unit")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("organisation", "role", "current_holders")

    def get_fields(self, request, obj=None):
        fields = ("organisation", "role", *POST_FIELDS)
        return fields if obj is None else (*fields, "current_holders")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None and "valid_from" in form.base_fields:
            form.base_fields["valid_from"].required = False
            form.base_fields["valid_from"].help_text = _(
                "Empty: from the start of the organisation (or of the title, if later)."
            )
        return form

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            changes = changed_values(form, POST_FIELDS)
            saved = post_update(post=obj, **changes) if changes else obj
        else:
            data = form.cleaned_data
            saved = post_create(
                organisation=data["organisation"],
                role=data["role"],
                seats=data["seats"],
                valid_from=data.get("valid_from"),
                valid_to=data.get("valid_to"),
            )
        adopt(obj, saved)

    @admin.display(description=_("administrative unit"), ordering="organisation__unit__code")
    def unit(self, post: Post):
        return post.organisation.unit

    @admin.display(description=_("holders today"))
    def current_holders(self, post: Post) -> str:
        from rotation.models import Assignment

        holders = (
            Assignment.objects.as_of(timezone.localdate())
            .filter(post=post)
            .select_related("cadre")
            .order_by("seat")
        )
        return ", ".join(f"{a.cadre.full_name} ({a.period_display()})" for a in holders) or str(
            _("nobody")
        )
