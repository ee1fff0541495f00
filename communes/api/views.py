"""Administrative units, organisations, roles and posts over REST.

Every write calls ``communes.services``, so a client gets the same refusals as HR staff in
the admin. Nothing is deleted here: a unit that is merged or renamed ends and gets a
successor (``unit_succeed``), and records made earlier keep pointing at it.
``GET /units/{id}/holders/?date=…`` answers "who held the posts of this unit that day".
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from access.api import InAreaMixin
from access.areas import area_of
from audit.api import HistoryMixin
from cadres.locality import LocalityRule
from communes.api.serializers import (
    HoldersQuerySerializer,
    OrganisationSerializer,
    PostSerializer,
    RoleSerializer,
    UnitHoldersSerializer,
    UnitSerializer,
)
from communes.filters import OrganisationFilterSet, PostFilterSet, RoleFilterSet, UnitFilterSet
from communes.models import PROVINCE_KINDS, AdministrativeUnit, Organisation, Post, Role
from communes.selectors import posts_with_holders
from communes.services import (
    organisation_create,
    organisation_update,
    post_create,
    post_update,
    role_create,
    role_update,
    unit_create,
    unit_update,
)
from config.api.permissions import ModelPermissions
from config.api.schema import errors


class HoldersPermission(ModelPermissions):
    """Who holds a post is a personnel record: besides the unit's view permission, reading
    it needs the view permissions of cadres and assignments."""

    required = ("cadres.view_cadre", "rotation.view_assignment")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_perms(self.required)


def unit_holders(unit: AdministrativeUnit, day, *, key_only: bool) -> dict:
    """The posts of ``unit`` valid on ``day``, each with its holders that day and whether they
    are local to the unit. Constant queries: posts, holders, then the locality rule's loads."""
    posts = posts_with_holders(unit, day)
    if key_only:
        posts = posts.filter(role__is_key=True)
    posts = list(posts)
    cadres = {a.cadre_id: a.cadre for post in posts for a in post.holders}
    rule = LocalityRule(day).prepare(cadres.values())
    answer = []
    for post in posts:
        holders = []
        for assignment in post.holders:
            verdict = rule.verdict(assignment.cadre, unit)
            holders.append(
                {
                    "assignment": assignment.pk,
                    "cadre": assignment.cadre_id,
                    "full_name": assignment.cadre.full_name,
                    "seat": assignment.seat,
                    "start_date": assignment.start_date,
                    "end_date": assignment.end_date,
                    "principal": assignment.principal,
                    "is_local": verdict.is_local,
                    "locality_basis": verdict.basis,
                    "locality_basis_label": verdict.basis_label,
                    "locality_reason": verdict.reason,
                }
            )
        answer.append(
            {
                "post": post.pk,
                "title": str(post),
                "organisation": post.organisation_id,
                "organisation_name": post.organisation.name,
                "role": post.role_id,
                "role_code": post.role.code,
                "is_key": post.role.is_key,
                "seats": post.seats,
                "holders": holders,
            }
        )
    return {
        "unit": unit.pk,
        "unit_code": unit.code,
        "unit_name": unit.name,
        "date": day,
        "key_only": key_only,
        "posts": answer,
    }


@extend_schema_view(
    list=extend_schema(
        summary="Administrative units (as_of: those valid on a day)",
        responses={200: UnitSerializer(many=True), **errors(400, 404)},
    ),
    retrieve=extend_schema(
        summary="An administrative unit", responses={200: UnitSerializer, **errors(404)}
    ),
    create=extend_schema(
        summary="Record an administrative unit",
        responses={201: UnitSerializer, **errors(400, 409)},
    ),
    update=extend_schema(
        summary="Correct the record of a unit (a merge or rename is a succession, not this)",
        responses={200: UnitSerializer, **errors(400, 404, 409)},
    ),
    partial_update=extend_schema(
        summary="Correct part of the record of a unit",
        responses={200: UnitSerializer, **errors(400, 404, 409)},
    ),
)
class UnitViewSet(
    InAreaMixin,
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Provinces, districts and commune-level units, each record one period of a unit.

    A code names different units over time (Lê Hồ commune, then Lê Hồ ward): `as_of` gives
    the units of one day, `predecessors`/`successors` link the versions. Units are never
    deleted, and a merge or rename is recorded as a succession, not as a correction.
    """

    queryset = AdministrativeUnit.objects.select_related("parent").prefetch_related(
        "predecessors", "successors"
    )
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    ordering_fields = ("code", "name", "valid_from", "id")

    def get_queryset(self):
        if self.action == "holders":
            # Neither parent nor links are answered.
            return area_of(self.request).filter(AdministrativeUnit.objects.all())
        return super().get_queryset()

    def perform_create(self, serializer):
        values = serializer.validated_data
        if (
            values.get("parent") is None
            and values.get("kind") in PROVINCE_KINDS
            and not area_of(self.request).unrestricted
        ):
            # A new province would lie outside every area but the administrators'.
            raise exceptions.ValidationError(
                {"kind": [_("Only administrators record a province-level unit.")]}
            )
        serializer.instance = unit_create(**values)

    def perform_update(self, serializer):
        serializer.instance = unit_update(unit=serializer.instance, **serializer.validated_data)

    @extend_schema(
        summary="Who held the posts of the unit on a day, and whether they are local",
        parameters=[HoldersQuerySerializer],
        responses={200: UnitHoldersSerializer, **errors(400, 404)},
    )
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[HoldersPermission],
        filter_backends=[],
        pagination_class=None,
    )
    def holders(self, request, pk=None):
        """The posts of the unit's organisations valid on `date`, each with its holders that
        day (a concurrent post has `principal` false), and whether each holder is local to
        the unit under the configured rule or an HR override. Needs the view permissions of
        units, cadres and assignments."""
        unit = self.get_object()
        query = HoldersQuerySerializer(
            data=request.query_params, context=self.get_serializer_context()
        )
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("date") or timezone.localdate()
        if not unit.is_valid_on(day):
            raise exceptions.ValidationError(
                {
                    "date": [
                        _("%(unit)s exists %(period)s; ask about a day in that period.")
                        % {"unit": unit.name, "period": unit.period_display()}
                    ]
                }
            )
        answer = unit_holders(unit, day, key_only=query.validated_data["key_only"])
        return Response(UnitHoldersSerializer(answer).data)


@extend_schema_view(
    list=extend_schema(
        summary="Organisations of the units (as_of: those valid on a day)",
        responses={200: OrganisationSerializer(many=True), **errors(400, 404)},
    ),
    retrieve=extend_schema(
        summary="An organisation", responses={200: OrganisationSerializer, **errors(404)}
    ),
    create=extend_schema(
        summary="Record an organisation of a unit",
        responses={201: OrganisationSerializer, **errors(400, 409)},
    ),
    update=extend_schema(
        summary="Correct an organisation (its unit never changes)",
        responses={200: OrganisationSerializer, **errors(400, 404, 409)},
    ),
    partial_update=extend_schema(
        summary="Correct part of an organisation",
        responses={200: OrganisationSerializer, **errors(400, 404, 409)},
    ),
)
class OrganisationViewSet(
    InAreaMixin,
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The bodies of a unit that hold posts: its Party committee, People's Committee, a
    department. An organisation stays in its unit; its period lies within the unit's."""

    queryset = Organisation.objects.select_related("unit")
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    ordering_fields = ("name", "valid_from", "id")

    def perform_create(self, serializer):
        serializer.instance = organisation_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = organisation_update(
            organisation=serializer.instance, **serializer.validated_data
        )


@extend_schema_view(
    list=extend_schema(
        summary="Roles (the catalogue of kinds of posts)",
        responses={200: RoleSerializer(many=True), **errors(400, 404)},
    ),
    retrieve=extend_schema(summary="A role", responses={200: RoleSerializer, **errors(404)}),
    create=extend_schema(
        summary="Add a role to the catalogue", responses={201: RoleSerializer, **errors(400, 409)}
    ),
    update=extend_schema(
        summary="Correct a role (its code never changes)",
        responses={200: RoleSerializer, **errors(400, 404, 409)},
    ),
    partial_update=extend_schema(
        summary="Correct part of a role",
        responses={200: RoleSerializer, **errors(400, 404, 409)},
    ),
)
class RoleViewSet(
    InAreaMixin,
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The catalogue of kinds of posts (`party_secretary`, …). A role's `code` never changes:
    reports and other systems rely on it."""

    queryset = Role.objects.all()
    serializer_class = RoleSerializer
    filterset_class = RoleFilterSet
    ordering_fields = ("code", "sort_order", "id")

    def perform_create(self, serializer):
        serializer.instance = role_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = role_update(role=serializer.instance, **serializer.validated_data)


@extend_schema_view(
    list=extend_schema(
        summary="Posts (as_of: those valid on a day)",
        responses={200: PostSerializer(many=True), **errors(400, 404)},
    ),
    retrieve=extend_schema(summary="A post", responses={200: PostSerializer, **errors(404)}),
    create=extend_schema(
        summary="Record a post of an organisation",
        responses={201: PostSerializer, **errors(400, 409)},
    ),
    update=extend_schema(
        summary="Correct a post's period or seats (organisation and role never change)",
        responses={200: PostSerializer, **errors(400, 404, 409)},
    ),
    partial_update=extend_schema(
        summary="Correct part of a post",
        responses={200: PostSerializer, **errors(400, 404, 409)},
    ),
)
class PostViewSet(
    InAreaMixin,
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A role in an organisation with its number of seats; who holds it is an assignment.
    Organisation and role are set once; the period and the seats can be corrected."""

    queryset = Post.objects.select_related("role", "organisation")
    serializer_class = PostSerializer
    filterset_class = PostFilterSet
    ordering_fields = ("valid_from", "id")

    def perform_create(self, serializer):
        serializer.instance = post_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = post_update(post=serializer.instance, **serializer.validated_data)
