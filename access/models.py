"""Which administrative units each user works in (their area).

A user sees and changes only the records of their area: the rule is ``access.areas``.
The role (what a user may do) is a group of ``access.roles``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.models import AuditedHistory
from communes.models import AdministrativeUnit


class UserArea(models.Model):
    """One administrative unit a user works in; a user may have several.

    The unit stands for its place over time: its earlier and later versions, the units
    below it and what they became after merges (see ``access.areas``). A user without any
    area sees nothing but the shared catalogues, unless they are an administrator.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="areas",
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "The user sees the records of this unit, of every unit below it, and of the "
            "units it became after merges."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = AuditedHistory()

    class Meta:
        verbose_name = _("area of a user")
        verbose_name_plural = _("areas of users")
        ordering = ["user", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit"],
                name="userarea_unique_unit_per_user",
                violation_error_message=_("This unit is already in the area of this user."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.unit}"
