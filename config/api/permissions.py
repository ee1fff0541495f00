"""Who may call the API: model permissions, carried by the user a session or token belongs to."""

from __future__ import annotations

from rest_framework import exceptions, permissions


class ModelPermissions(permissions.DjangoModelPermissions):
    """Reading needs the model's view permission, writing its add/change/delete permission.

    A view may name the permission of a workflow step in ``action_permissions``
    (``{"issue": "change"}``); anonymous requests are refused with 401.
    """

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        step = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if step is not None:
            model = self._queryset(view).model
            return request.user.has_perm(f"{model._meta.app_label}.{step}_{model._meta.model_name}")
        return super().has_permission(request, view)


class ReportPermission(permissions.BasePermission):
    """Reports read assignments and movements: they need those view permissions."""

    required = ("rotation.view_assignment", "rotation.view_movement")

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        return request.user.has_perms(getattr(view, "required_permissions", self.required))
