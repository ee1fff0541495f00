"""The admin's side of the audit trail.

``AuditedAdminMixin`` goes in the bases of every admin class of the records (before
``admin.ModelAdmin``):

- the *History* page of a record lists its audit trail (``audit.changes``): when, what
  (created, changed, deleted), who, from where, the reason, and each field's value before
  and after. It reads only records the admin's ``get_queryset`` gives (404 otherwise), and
  needs the view or change permission; the history of a deleted record is read by those
  who may view the model. simple-history's own admin pages are not used: they fall back
  to the stored history for records outside the queryset, and their "revert" form saves
  an old version without the change permission and without the services.
- the change form of an existing record asks for the *reason for the change*: required
  when the record is corrected (``change_reason_required``), kept in the history of every
  row the save writes.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from audit.changes import Display, entries, history_of, mask
from audit.context import REASON_MAX_LENGTH, set_request_reason

CHANGE_REASON = "change_reason"


def reason_form(base: type[forms.ModelForm], *, required: bool) -> type[forms.ModelForm]:
    """``base`` with the field *reason for the change*: required when ``required`` and the
    person changed anything else on the form."""

    def clean(self):
        cleaned_data = super(form, self).clean()
        changed = [name for name in self.changed_data if name != CHANGE_REASON]
        if required and changed and not (cleaned_data.get(CHANGE_REASON) or "").strip():
            self.add_error(
                CHANGE_REASON,
                ValidationError(
                    _(
                        "Say why this record is corrected (e.g. “typo in the name”, “wrong "
                        "date on the decision”): the reason is kept in its history."
                    ),
                    code="reason_required",
                ),
            )
        return cleaned_data

    field = forms.CharField(
        label=_("reason for the change"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=(
            _("Required when you correct the record. Kept in its history with your name.")
            if required
            else _("Optional. Kept in the record's history with your name.")
        ),
    )
    form = type(base.__name__, (base,), {CHANGE_REASON: field, "clean": clean})
    return form


class AuditedAdminMixin:
    """ModelAdmin mixin: the record's audit trail on its History page, and the reason for
    the change on the change form (see the module's docstring)."""

    object_history_template = "audit/object_history.html"
    history_per_page = 50

    # ----------------------------------------------------------------- reason for the change

    def asks_change_reason(self, request, obj) -> bool:
        """The change form of an existing record the person may change asks for a reason."""
        return obj is not None and self.has_change_permission(request, obj)

    def change_reason_required(self, obj) -> bool:
        """Correcting a record needs a reason; a class may relax it (drafts)."""
        return True

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self.asks_change_reason(request, obj) and "form" not in kwargs:
            kwargs["form"] = reason_form(self.form, required=self.change_reason_required(obj))
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.asks_change_reason(request, obj):
            return fieldsets
        if CHANGE_REASON in flatten_fieldsets(fieldsets):
            return fieldsets
        return [*fieldsets, (_("Reason for the change"), {"fields": [CHANGE_REASON]})]

    def get_fields(self, request, obj=None):
        # Without declared fields, Django lists the form's: this one has its own fieldset.
        return [f for f in super().get_fields(request, obj) if f != CHANGE_REASON]

    def save_form(self, request, form, change):
        # Every row the save writes (the record, its lines, what issuing it changes) keeps it.
        set_request_reason(request, form.cleaned_data.get(CHANGE_REASON))
        return super().save_form(request, form, change)

    # ----------------------------------------------------------------- history page

    def history_view(self, request, object_id, extra_context=None):
        """The record's audit trail, newest first, ``history_per_page`` entries a page."""
        obj = self.get_object(request, unquote(object_id))
        deleted = obj is None
        if deleted:
            obj = self.deleted_record(request, object_id)
        if not self.has_view_or_change_permission(request, None if deleted else obj):
            raise PermissionDenied
        history = history_of(self.model, obj.pk)
        page = Paginator(history, self.history_per_page).get_page(request.GET.get("p"))
        records = list(page.object_list)
        older = history[page.end_index()] if page.has_next() else None
        found = entries(self.model, records, older)
        mask(self.model, found, request.user)
        display = Display(found)
        for entry in found:
            for change in entry.changes:
                change.before_text = display(change, change.before)
                change.after_text = display(change, change.after)
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %(record)s") % {"record": obj},
            "subtitle": None,
            "entries": found,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "module_name": str(capfirst(opts.verbose_name_plural)),
            "object": obj,
            "deleted": deleted,
            "opts": opts,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def deleted_record(self, request, object_id):
        """A deleted record, as its last history row kept it; 404 when the record exists
        (it is then outside this person's queryset) or never did."""
        try:
            pk = self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        if self.model._base_manager.filter(pk=pk).exists():
            raise Http404
        last = history_of(self.model, pk).first()
        if last is None:
            raise Http404
        return last.instance
