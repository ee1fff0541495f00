"""Admin of decisions and their movements, where HR staff enter what the decisions order.

A draft decision is edited with its movements inline and issued with "Save and issue";
issuing, cancelling and deleting go through ``rotation.services``, and anything a service
refuses is shown on the form with nothing saved. Issued and cancelled decisions are
read-only. Assignments and movements are written only by the services: their pages here
are for reading.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.admin_mixins import InAreaAdminMixin
from access.areas import area_of
from audit.admin import AuditedAdminMixin
from communes.admin_mixins import (
    FoldedSearchMixin,
    SaveRefused,
    ServiceErrorsInlineMixin,
    ServiceErrorsMixin,
    add_service_error,
    adopt,
    changed_values,
)
from communes.models import Post
from rotation.models import (
    TIMED_KINDS,
    Assignment,
    Decision,
    DecisionStatus,
    Direction,
    Movement,
    Term,
)
from rotation.services import (
    DECISION_FIELDS,
    assignment_end,
    assignment_record,
    decision_cancel,
    decision_create,
    decision_delete,
    decision_issue,
    decision_update,
    movement_add,
    movement_remove,
    movement_update,
)

# What HR staff type for each movement; the service finds the assignment left (from_post).
MOVEMENT_VALUES = (
    "kind",
    "cadre",
    "to_post",
    "effective_date",
    "planned_end",
    "concurrent",
    "returns_from",
    "notes",
)
MOVEMENT_EDIT_FIELDS = (
    "kind",
    "cadre",
    "from_post",
    "to_post",
    "effective_date",
    "planned_end",
    "concurrent",
    "returns_from",
    "notes",
)
MOVEMENT_VIEW_FIELDS = (
    "position",
    "kind",
    "cadre",
    "post_left",
    "to_post",
    "effective_date",
    "planned_end",
    "concurrent",
    "returns_from",
    "notes",
)
DECISION_STATUS_FIELDS = (
    "status",
    "issued_at",
    "issued_by",
    "cancelled_at",
    "cancelled_by",
    "cancellation_reason",
)


def from_post_field(admin_site, posts) -> forms.ModelChoiceField:
    """The post left, chosen like the post taken (same autocomplete), among ``posts``."""
    return forms.ModelChoiceField(
        queryset=posts,
        required=False,
        widget=AutocompleteSelect(Movement._meta.get_field("to_post"), admin_site),
        label=_("post left"),
        help_text=_(
            "The post the cadre leaves. Empty: their principal post for a rotation, transfer "
            "or secondment, the post the rotation gave for a return, none otherwise."
        ),
    )


class MovementForm(forms.ModelForm):
    """One line of a draft decision, as HR staff write it: the post left is a post."""

    class Meta:
        model = Movement
        fields = MOVEMENT_VALUES
        widgets = {"notes": forms.Textarea(attrs={"rows": 1, "cols": 24})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        left = self.instance.from_assignment if self.instance.pk else None
        if left is not None and "from_post" in self.fields:
            self.initial.setdefault("from_post", left.post_id)


class MovementInline(InAreaAdminMixin, ServiceErrorsInlineMixin, admin.TabularInline):
    """The lines of a decision, in order: a line's position is its place in this table."""

    model = Movement
    form = MovementForm
    extra = 1
    autocomplete_fields = ("cadre", "to_post", "returns_from")
    ordering = ("position", "pk")
    service_field_map = {"from_assignment": "from_post"}

    @staticmethod
    def editable(decision: Decision | None) -> bool:
        return decision is None or decision.is_draft

    @staticmethod
    def in_area(request, decision: Decision | None) -> bool:
        """Whether every line of ``decision`` is in the user's area: lines outside it are
        not shown, so a decision that has some is not changed here (``access.areas``)."""
        return decision is None or area_of(request).covers_decision(decision)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "cadre",
                "from_assignment__post__role",
                "from_assignment__post__organisation",
                "to_post__role",
                "to_post__organisation",
                "returns_from__cadre",
                "returns_from__to_post__role",
                "returns_from__to_post__organisation",
            )
        )

    def get_fields(self, request, obj=None):
        return MOVEMENT_EDIT_FIELDS if self.editable(obj) else MOVEMENT_VIEW_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return () if self.editable(obj) else MOVEMENT_VIEW_FIELDS

    def get_formset(self, request, obj=None, **kwargs):
        if self.editable(obj):
            posts = area_of(request).filter(Post.objects.with_names())
            kwargs["form"] = type(
                "MovementForm",
                (MovementForm,),
                {"from_post": from_post_field(self.admin_site, posts)},
            )
        return super().get_formset(request, obj, **kwargs)

    def has_add_permission(self, request, obj=None):
        return (
            self.editable(obj)
            and super().has_add_permission(request, obj)
            and self.in_area(request, obj)
        )

    def has_change_permission(self, request, obj=None):
        return (
            self.editable(obj)
            and super().has_change_permission(request, obj)
            and self.in_area(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return (
            self.editable(obj)
            and super().has_delete_permission(request, obj)
            and self.in_area(request, obj)
        )

    @admin.display(description=_("post left"))
    def post_left(self, movement: Movement):
        return movement.from_assignment.post if movement.from_assignment else "—"


def outside_message(decisions: list[str]) -> str:
    return _(
        "%(decisions)s also move cadres outside your area: only someone whose area covers "
        "every line, or an administrator, can change them."
    ) % {"decisions": "; ".join(decisions)}


class CancelDecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for cancelling"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Why the decision is cancelled, e.g. the number of the cancelling decision."),
    )


@admin.register(Decision)
class DecisionAdmin(InAreaAdminMixin, ServiceErrorsMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("number", "signed_on", "issuing_body", "status", "movement_count")
    list_filter = ("status", ("issuing_body", admin.RelatedOnlyFieldListFilter), "signed_on")
    search_fields = ("number",)
    search_help_text = _("Number of the decision, e.g. 125-QĐ/HU.")
    list_select_related = ("issuing_body",)
    autocomplete_fields = ("issuing_body",)
    readonly_fields = DECISION_STATUS_FIELDS
    inlines = (MovementInline,)
    actions = ("issue_selected", "delete_selected")

    # ----------------------------------------------------------------- pages and rights

    def get_queryset(self, request):
        # A subquery rather than a join: the change list's row counts then stay plain counts.
        # Only the lines in the user's area count: the others are not shown to them.
        lines = (
            area_of(request)
            .filter(Movement.objects.filter(decision=OuterRef("pk")))
            .order_by()
            .values("decision")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(movement_count=Coalesce(Subquery(lines), Value(0)))
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": DECISION_FIELDS})]
        if obj is not None:
            fieldsets.append((_("Status"), {"fields": DECISION_STATUS_FIELDS}))
        return fieldsets

    def may_edit_decisions(self, request) -> bool:
        """The right to change decisions at all; issuing and cancelling need it too."""
        return super().has_change_permission(request)

    def has_change_permission(self, request, obj=None):
        # An issued decision is never edited: it is cancelled or amended by another one.
        return (
            super().has_change_permission(request, obj)
            and (obj is None or obj.is_draft)
            and MovementInline.in_area(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return (
            super().has_delete_permission(request, obj)
            and (obj is None or obj.is_draft)
            and MovementInline.in_area(request, obj)
        )

    def change_reason_required(self, obj) -> bool:
        # Only drafts are edited here, and a draft is work in progress: a reason is
        # welcome in its history, not required.
        return not obj.is_draft

    def area_choices(self, request, db_field, queryset, *, also=()):
        # A decision may be issued by a body above the area (the province's standing
        # committee decides about the wards).
        if db_field.name == "issuing_body":
            return area_of(request).issuing_bodies(queryset, also=also)
        return super().area_choices(request, db_field, queryset, also=also)

    @admin.display(description=_("movements"), ordering="movement_count")
    def movement_count(self, decision: Decision) -> int:
        return decision.movement_count

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["show_issue"] = (obj is None or obj.is_draft) and self.may_edit_decisions(request)
        issued = obj is not None and obj.status == DecisionStatus.ISSUED
        if issued and self.may_edit_decisions(request) and MovementInline.in_area(request, obj):
            context["cancel_url"] = reverse(
                f"{self.admin_site.name}:rotation_decision_cancel", args=[obj.pk]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        cancel = path(
            "<path:object_id>/cancel/",
            self.admin_site.admin_view(self.cancel_view),
            name="rotation_decision_cancel",
        )
        return [cancel, *super().get_urls()]

    # ----------------------------------------------------------------- saving

    def save_model(self, request, obj, form, change):
        if change:
            changes = changed_values(form, DECISION_FIELDS)
            saved = decision_update(decision=obj, **changes) if changes else obj
        else:
            saved = decision_create(**{name: form.cleaned_data[name] for name in DECISION_FIELDS})
        adopt(obj, saved)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Movement:
            return super().save_formset(request, form, formset, change)
        return self.save_movements(form.instance, formset)

    def save_movements(self, decision: Decision, formset) -> None:
        """Remove, change and add the lines through the services, numbered in table order.

        Lines already saved come first in the table, by position, so renumbering them from 1
        only ever moves a line to a place that is free by then.
        """
        formset.save(commit=False)  # fills new/changed/deleted_objects for the history
        errors: dict[int, ValidationError] = {}
        for index, row in enumerate(formset.forms):
            if row.instance.pk and formset._should_delete_form(row):
                try:
                    movement_remove(movement=row.instance)
                except ValidationError as error:
                    errors[index] = error
        kept = [
            (index, row)
            for index, row in enumerate(formset.forms)
            if not (formset.can_delete and formset._should_delete_form(row))
            and (row.instance.pk or row.has_changed())
        ]
        taken = dict(decision.movements.values_list("position", "pk"))
        formset.line_forms = {}  # position -> form index, to put issuing errors on their row
        new, changed = [], []
        for line, (index, row) in enumerate(kept, start=1):
            movement = row.instance
            if taken.get(line, movement.pk) != movement.pk:
                errors[index] = ValidationError(
                    _(
                        "Someone else changed the lines of this decision meanwhile; reload "
                        "the page and enter your changes again."
                    )
                )
                continue
            values = {name: row.cleaned_data.get(name) for name in MOVEMENT_VALUES}
            from_post = row.cleaned_data.get("from_post")
            try:
                if movement.pk is None:
                    movement = movement_add(
                        decision=decision, position=line, from_post=from_post, **values
                    )
                    new.append(movement)
                elif row.has_changed() or movement.position != line:
                    taken.pop(movement.position, None)
                    movement = movement_update(
                        movement=movement, from_post=from_post, position=line, **values
                    )
                    changed.append((movement, row.changed_data))
            except ValidationError as error:
                errors[index] = error
                continue
            taken[line] = movement.pk
            formset.line_forms[line] = index
        if errors:
            raise SaveRefused(rows={formset.prefix: errors})
        formset.new_objects, formset.changed_objects = new, changed

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "_issue" in request.POST:
            if not self.may_edit_decisions(request):
                raise PermissionDenied
            try:
                decision_issue(decision=form.instance, by=request.user)
            except ValidationError as error:
                raise SaveRefused(
                    form_error=error, rows=self.issue_errors_by_row(error, formsets)
                ) from error

    @staticmethod
    def issue_errors_by_row(error: ValidationError, formsets) -> dict:
        """The issuing errors about a line, keyed for the row of the table that holds it."""
        formset = next((fs for fs in formsets if fs.model is Movement), None)
        if formset is None or not hasattr(error, "error_dict"):
            return {}
        line_forms = getattr(formset, "line_forms", {})
        by_row: dict[int, dict[str, list]] = {}
        for item in error.error_dict.get("movements", []):
            params = item.params or {}
            index = line_forms.get(params.get("line"))
            if index is not None:
                field = params.get("field") or NON_FIELD_ERRORS
                by_row.setdefault(index, {}).setdefault(field, []).append(item)
        return {formset.prefix: {index: ValidationError(e) for index, e in by_row.items()}}

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        if "_issue" in request.POST:
            message.append({"changed": {"fields": ["status"]}})
        return message

    def response_add(self, request, obj, post_url_continue=None):
        if "_issue" in request.POST:
            return self.issued_response(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_issue" in request.POST:
            return self.issued_response(request, obj)
        return super().response_change(request, obj)

    def issued_response(self, request, decision: Decision):
        self.message_user(
            request,
            _("%(decision)s was issued: the posts it orders are now held.")
            % {"decision": decision},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse(f"{self.admin_site.name}:rotation_decision_change", args=[decision.pk])
        )

    # ----------------------------------------------------------------- deleting

    def delete_model(self, request, obj):
        decision_delete(decision=obj)

    def delete_queryset(self, request, queryset):
        for decision in queryset:
            decision_delete(decision=decision)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # A draft's lines go with it (decision_delete); the movement pages are read-only.
        perms_needed.discard(Movement._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    @admin.action(description=_("Delete selected draft decisions"), permissions=["delete"])
    def delete_selected(self, request, queryset):
        not_drafts = [str(decision) for decision in queryset if not decision.is_draft]
        outside = [str(d) for d in queryset if not MovementInline.in_area(request, d)]
        if outside:
            self.message_user(request, outside_message(outside), messages.ERROR)
            return None
        if not_drafts:
            self.message_user(
                request,
                _(
                    "Only draft decisions can be deleted; an issued decision is cancelled "
                    "instead. Unselect: %(decisions)s."
                )
                % {"decisions": "; ".join(not_drafts)},
                messages.ERROR,
            )
            return None
        try:
            with transaction.atomic(using=router.db_for_write(Decision)):
                return django_delete_selected(self, request, queryset)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None

    # ----------------------------------------------------------------- issuing, cancelling

    @admin.action(description=_("Issue selected draft decisions"), permissions=["change"])
    def issue_selected(self, request, queryset):
        for decision in queryset.order_by("signed_on", "pk"):
            if not decision.is_draft:
                self.message_user(
                    request,
                    _("%(decision)s was not issued: it is %(status)s.")
                    % {"decision": decision, "status": decision.get_status_display()},
                    messages.WARNING,
                )
                continue
            if not MovementInline.in_area(request, decision):
                self.message_user(request, outside_message([str(decision)]), messages.ERROR)
                continue
            try:
                decision_issue(decision=decision, by=request.user)
            except ValidationError as error:
                self.message_user(
                    request,
                    _("%(decision)s was not issued: %(problems)s")
                    % {"decision": decision, "problems": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                self.log_change(request, decision, [{"changed": {"fields": ["status"]}}])
                self.message_user(
                    request,
                    _("%(decision)s was issued.") % {"decision": decision},
                    messages.SUCCESS,
                )

    def cancel_view(self, request, object_id):
        """Cancel an issued decision: its effects are undone, its record is kept."""
        decision = self.get_object(request, unquote(object_id))
        if decision is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.may_edit_decisions(request) or not MovementInline.in_area(request, decision):
            raise PermissionDenied
        change_url = reverse(f"{self.admin_site.name}:rotation_decision_change", args=[decision.pk])
        if decision.status != DecisionStatus.ISSUED:
            self.message_user(
                request,
                _("Only an issued decision can be cancelled; %(decision)s is %(status)s.")
                % {"decision": decision, "status": decision.get_status_display()},
                messages.ERROR,
            )
            return HttpResponseRedirect(change_url)
        form = CancelDecisionForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            try:
                decision_cancel(decision=decision, reason=reason, by=request.user)
            except ValidationError as error:
                add_service_error(form, error, {"cancellation_reason": "reason"})
            else:
                self.log_change(request, decision, _("Cancelled: %(reason)s") % {"reason": reason})
                self.message_user(
                    request,
                    _(
                        "%(decision)s was cancelled: the posts it gave are void and the posts "
                        "it ended are held again."
                    )
                    % {"decision": decision},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Cancel %(decision)s") % {"decision": decision},
            "opts": self.opts,
            "original": decision,
            "form": form,
            "movements": decision.movements.select_related(
                "cadre",
                "from_assignment__post__role",
                "from_assignment__post__organisation",
                "to_post__role",
                "to_post__organisation",
            ).order_by("position"),
            "change_url": change_url,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/rotation/decision/cancel.html", context)


# --------------------------------------------------------------------------- read-only


class ReadOnlyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Records written only by the services: HR staff read them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HeldListFilter(admin.SimpleListFilter):
    title = _("held")
    parameter_name = "held"

    def lookups(self, request, model_admin):
        return [("today", _("held today")), ("ended", _("ended")), ("void", _("void"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "today":
            return queryset.as_of(today)
        if self.value() == "ended":
            return queryset.effective().filter(end_date__lt=today)
        if self.value() == "void":
            return queryset.filter(is_void=True)
        return queryset


class EndAssignmentForm(forms.Form):
    end_date = forms.DateField(
        label=_("last day in the post"),
        help_text=_("The last day the cadre held the post, dd/mm/yyyy."),
    )
    reason = forms.CharField(
        label=_("reason for ending"),
        max_length=200,
        help_text=_("e.g. retirement, dismissal, dissolution of the unit."),
    )


@admin.register(Assignment)
class AssignmentAdmin(InAreaAdminMixin, ServiceErrorsMixin, FoldedSearchMixin, ReadOnlyAdmin):
    """Assignments are opened and closed by decisions. Two things are entered here by hand:
    a post held before the records began ("Add", through ``assignment_record``), and the
    end of a post without a movement — retirement, dismissal — ("End this assignment",
    through ``assignment_end``)."""

    add_fields = ("cadre", "post", "start_date", "end_date", "principal")
    autocomplete_fields = ("cadre", "post")
    list_display = (
        "cadre",
        "post",
        "unit",
        "start_date",
        "end_date",
        "principal",
        "is_void",
        "opened_by_decision",
    )
    list_filter = (HeldListFilter, "principal", "post__role__is_key", "post__role__category")
    search_fields = ("cadre__full_name_folded",)
    search_help_text = _("Name of the cadre, with or without diacritics.")
    list_select_related = (
        "cadre",
        "post__role",
        "post__organisation__unit",
        "opened_by__decision",
    )

    @admin.display(description=_("administrative unit"), ordering="post__organisation__unit__code")
    def unit(self, assignment: Assignment):
        return assignment.post.organisation.unit

    # ----------------------------------------------------------------- recording by hand

    def has_add_permission(self, request):
        return request.user.has_perm("rotation.add_assignment")

    def may_end(self, request) -> bool:
        return request.user.has_perm("rotation.change_assignment")

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.add_fields
        return super().get_fields(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["fields"] = self.add_fields
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None:
            form.base_fields["start_date"].help_text = _(
                "When the cadre took the post. Use this page only for posts held before the "
                "records began; later posts are given by decisions."
            )
        return form

    def save_model(self, request, obj, form, change):
        saved = assignment_record(
            cadre=form.cleaned_data["cadre"],
            post=form.cleaned_data["post"],
            start_date=form.cleaned_data["start_date"],
            end_date=form.cleaned_data.get("end_date"),
            principal=form.cleaned_data.get("principal", True),
        )
        adopt(obj, saved)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.end_date is None and not obj.is_void and self.may_end(request):
            context["end_url"] = reverse(
                f"{self.admin_site.name}:rotation_assignment_end", args=[obj.pk]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        end = path(
            "<path:object_id>/end/",
            self.admin_site.admin_view(self.end_view),
            name="rotation_assignment_end",
        )
        return [end, *super().get_urls()]

    def end_view(self, request, object_id):
        """End an assignment without a movement (retirement, dismissal…)."""
        assignment = self.get_object(request, unquote(object_id))
        if assignment is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.may_end(request):
            raise PermissionDenied
        change_url = reverse(
            f"{self.admin_site.name}:rotation_assignment_change", args=[assignment.pk]
        )
        form = EndAssignmentForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                assignment_end(
                    assignment=assignment,
                    end_date=form.cleaned_data["end_date"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_error(
                    form, error, {"end_reason": "reason", "assignment": NON_FIELD_ERRORS}
                )
            else:
                self.log_change(
                    request,
                    assignment,
                    _("Ended: %(reason)s") % {"reason": form.cleaned_data["reason"]},
                )
                self.message_user(
                    request,
                    _("%(assignment)s has ended.") % {"assignment": assignment},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("End %(assignment)s") % {"assignment": assignment},
            "opts": self.opts,
            "original": assignment,
            "form": form,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/rotation/assignment/end.html", context)

    @admin.display(description=_("opened by"))
    def opened_by_decision(self, assignment: Assignment):
        movement = assignment.opened_by
        return movement.decision.number if movement else "—"


class DirectionListFilter(admin.SimpleListFilter):
    title = _("direction")
    parameter_name = "direction"

    def lookups(self, request, model_admin):
        return Direction.choices

    def queryset(self, request, queryset):
        if self.value() in Direction.values:
            return queryset.filter(direction=self.value())
        return queryset


@admin.register(Movement)
class MovementAdmin(InAreaAdminMixin, FoldedSearchMixin, ReadOnlyAdmin):
    list_display = (
        "decision_number",
        "position",
        "kind",
        "cadre",
        "post_left",
        "to_post",
        "effective_date",
        "direction",
        "decision_status",
    )
    list_filter = ("kind", "decision__status", DirectionListFilter, "effective_date")
    search_fields = ("cadre__full_name_folded", "decision__number")
    search_help_text = _("Name of the cadre (with or without diacritics) or decision number.")
    list_select_related = (
        "decision",
        "cadre",
        "to_post__role",
        "to_post__organisation",
        "from_assignment__post__role",
        "from_assignment__post__organisation",
    )

    def get_queryset(self, request):
        # The autocomplete (returns_from) shows str(movement): cadre and post taken.
        return (
            super()
            .get_queryset(request)
            .with_direction()
            .select_related("cadre", "to_post__role", "to_post__organisation")
        )

    def get_search_results(self, request, queryset, search_term):
        if request.GET.get("field_name") == "returns_from":
            # A return ends a rotation or a secondment that is in force.
            queryset = queryset.filter(kind__in=TIMED_KINDS, decision__status=DecisionStatus.ISSUED)
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("decision"), ordering="decision__signed_on")
    def decision_number(self, movement: Movement) -> str:
        return movement.decision.number

    @admin.display(description=_("decision status"), ordering="decision__status")
    def decision_status(self, movement: Movement) -> str:
        return movement.decision.get_status_display()

    @admin.display(description=_("post left"))
    def post_left(self, movement: Movement):
        return movement.from_assignment.post if movement.from_assignment else "—"

    @admin.display(description=_("direction"), ordering="direction")
    def direction(self, movement: Movement) -> str:
        return Direction(movement.direction).label


@admin.register(Term)
class TermAdmin(InAreaAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """Party terms. There is no rule beyond the model's own (a term ends after it starts),
    which the form checks, so they are saved as the form gives them."""

    list_display = ("name", "start", "end")
    search_fields = ("name",)
    ordering = ("-start",)
