"""Cadres and the overrides of the local/non-local rule over REST.

Every write calls ``cadres.services``. A cadre's record carries an ETag; changing it needs
``If-Match`` with the ETag last read, so that two offices never overwrite each other's
corrections. Cadres are never deleted: a person who leaves the service changes status.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.filters import OrderingFilter

from access.api import AreaFilterBackend, InAreaMixin
from audit.api import HistoryMixin
from cadres.api.serializers import CadreSerializer, LocalityOverrideSerializer
from cadres.filters import CadreFilterSet, LocalityOverrideFilterSet
from cadres.models import Cadre, LocalityOverride
from cadres.services import (
    cadre_create,
    cadre_update,
    locality_override_remove,
    locality_override_set,
)
from config.api.etags import IF_MATCH, ETagMixin
from config.api.schema import errors


class CadreOrdering(OrderingFilter):
    """``ordering=full_name`` sorts by the name without diacritics, so Đinh sits among the D's."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        return [term.replace("full_name", "full_name_folded") for term in ordering]


@extend_schema_view(
    list=extend_schema(
        summary="Cadres (q: name without diacritics, or personal id)",
        responses={200: CadreSerializer(many=True), **errors(400, 404)},
    ),
    retrieve=extend_schema(
        summary="A cadre (with an ETag header)",
        responses={200: CadreSerializer, **errors(404)},
    ),
    create=extend_schema(
        summary="Record a cadre", responses={201: CadreSerializer, **errors(400, 409)}
    ),
    update=extend_schema(
        summary="Correct a cadre's record (If-Match: the ETag last read)",
        parameters=[IF_MATCH],
        responses={200: CadreSerializer, **errors(400, 404, 409, 412, 428)},
    ),
    partial_update=extend_schema(
        summary="Correct part of a cadre's record (If-Match: the ETag last read)",
        parameters=[IF_MATCH],
        responses={200: CadreSerializer, **errors(400, 404, 409, 412, 428)},
    ),
)
class CadreViewSet(
    InAreaMixin,
    HistoryMixin,
    ETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Cadres and civil servants: name, gender, date of birth, places, status.

    Every answer about one cadre carries its `ETag`; a change needs it in `If-Match` (412
    when stale, 428 when missing).
    """

    # Places are answered as ids: no join is needed.
    queryset = Cadre.objects.all()
    serializer_class = CadreSerializer
    filterset_class = CadreFilterSet
    filter_backends = [AreaFilterBackend, CadreOrdering]
    ordering_fields = ("full_name", "date_of_birth", "id")

    def perform_create(self, serializer):
        serializer.instance = cadre_create(**serializer.validated_data)
        self.etag_instance = serializer.instance

    def perform_update(self, serializer):
        serializer.instance = cadre_update(cadre=serializer.instance, **serializer.validated_data)
        self.etag_instance = serializer.instance


@extend_schema_view(
    list=extend_schema(
        summary="HR's overrides of the local/non-local rule",
        responses={200: LocalityOverrideSerializer(many=True), **errors(400, 404)},
    ),
    retrieve=extend_schema(
        summary="An override of the local/non-local rule",
        responses={200: LocalityOverrideSerializer, **errors(404)},
    ),
    create=extend_schema(
        summary="Record HR's verdict for a cadre and a unit (replaces the one recorded)",
        responses={
            201: LocalityOverrideSerializer,
            200: LocalityOverrideSerializer,
            **errors(400, 409),
        },
    ),
    destroy=extend_schema(
        summary="Remove an override: the default rule applies again",
        responses={204: None, **errors(400, 404, 409)},
    ),
)
class LocalityOverrideViewSet(
    InAreaMixin,
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """HR's written exceptions to the local/non-local rule, one per cadre and unit (and that
    unit's successors). Recording a second verdict for the same pair replaces the first."""

    queryset = LocalityOverride.objects.select_related("unit", "created_by").order_by("id")
    serializer_class = LocalityOverrideSerializer
    filterset_class = LocalityOverrideFilterSet
    ordering_fields = ("created_at", "id")

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        if self.replaced:
            response.status_code = status.HTTP_200_OK
        return response

    def perform_create(self, serializer):
        values = serializer.validated_data
        # One override per cadre and unit: a second verdict replaces the first (200, not 201).
        self.replaced = LocalityOverride.objects.filter(
            cadre=values["cadre"], unit=values["unit"]
        ).exists()
        serializer.instance = locality_override_set(**values, by=self.request.user)

    def perform_destroy(self, instance):
        locality_override_remove(override=instance)
