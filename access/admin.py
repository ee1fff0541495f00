"""Users with their roles and areas: Django's user admin, with the areas inline."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from access.areas import area_of
from access.models import UserArea
from access.roles import ROLES
from communes.models import AdministrativeUnit

User = get_user_model()


class UserAreaInline(admin.TabularInline):
    """The units the user works in. Only the units the person editing sees can be chosen,
    so that nobody gives an area they do not have themselves."""

    model = UserArea
    fields = ("unit", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("unit",)
    extra = 0
    verbose_name = _("area")
    verbose_name_plural = _(
        "areas (the user sees the records of these units, of the units below them and of "
        "what they became after merges; administrators see every area)"
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = area_of(request).filter(AdministrativeUnit.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = (UserAreaInline,)
    list_display = (
        "username",
        "first_name",
        "last_name",
        "is_staff",
        "is_active",
        "roles",
        "area_units",
    )
    list_filter = ("groups", "is_staff", "is_superuser", "is_active")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups", "areas__unit")

    @admin.display(description=_("account roles"))
    def roles(self, user) -> str:
        names = {group.name for group in user.groups.all()}
        labels = [str(role.label) for role in ROLES.values() if role.group_name in names]
        if user.is_superuser:
            labels.insert(0, str(_("superuser")))
        return ", ".join(labels) or "—"

    @admin.display(description=_("areas"))
    def area_units(self, user) -> str:
        return ", ".join(str(area.unit) for area in user.areas.all()) or "—"
