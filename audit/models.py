"""What every history row keeps besides the record's values, and how models ask for it.

A model keeps its history with ``history = AuditedHistory()``: django-simple-history then
writes a row to ``<app>_historical<model>`` on every create, change and delete, with the
record's values, when, who (``history_user``) and why (``history_change_reason``); the base
below adds from where. Nothing here is a table of its own.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audit.context import current_reason, current_user


class AuditedHistoricalModel(models.Model):
    """Where a change came from: the request (method, path, client address, id) or the
    management command; and the user's name as it was, should the account be renamed or
    removed later."""

    history_username = models.CharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_method = models.CharField(_("request method"), max_length=10, blank=True)
    request_path = models.CharField(_("request address"), max_length=255, blank=True)
    request_id = models.CharField(
        _("request id"),
        max_length=64,
        blank=True,
        help_text=_("The same for every change made by one request."),
    )
    command = models.CharField(
        _("command"),
        max_length=100,
        blank=True,
        help_text=_("The management command that made the change, when no request did."),
    )

    class Meta:
        abstract = True


class AuditedHistory(HistoricalRecords):
    """``HistoricalRecords`` with the project's choices:

    - each row also says where the change came from (``AuditedHistoricalModel``);
    - who and why come from ``audit.context``: a service's ``by=``/``reason=``, else the
      request's user and the reason given with it;
    - the reason is free text (a correction is explained in a sentence or two);
    - the history has no permissions of its own: it is read with the record's view
      permission, and never written but by the records' own writes.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("bases", [AuditedHistoricalModel])
        kwargs.setdefault(
            "history_change_reason_field",
            models.TextField(_("reason for the change"), null=True, blank=True),
        )
        super().__init__(**kwargs)

    def get_meta_options(self, model):
        meta = super().get_meta_options(model)
        meta["default_permissions"] = ()
        return meta

    def get_history_user(self, instance):
        explicit = getattr(instance, "_history_user", None)
        return explicit if explicit is not None else current_user()

    def get_change_reason_for_object(self, instance, history_type, using):
        return super().get_change_reason_for_object(instance, history_type, using) or (
            current_reason()
        )
