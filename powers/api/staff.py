"""Staff API of the powers app: the county catalogue, the devolution register and the list
adjustment workflow (transitions as POST actions named after the verb).

Every answer is scoped by ``townadmin.access``: an adjustment or a holding of a town
outside the user's reach is 404; the catalogue shows the counties of the user's towns.
A role without the model's view permission (a window clerk) gets 403. Writes go
through ``powers.services``, whose refusals become 400, 403 and 409.
"""

import django_filters
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from powers import services
from powers.api import staff_serializers as s
from powers.choices import Category, DevolutionMode
from powers.models import Adjustment, AdjustmentItem, Devolution, Power
from townadmin import access
from townadmin.api.base import TownScopedReadOnlyViewSet, TownScopedViewSet
from townadmin.models import Town

VIEW_RECORDS = "townadmin.view_records"


class MayViewModel(BasePermission):
    """The user's role reads this kind of record at all: the model's view permission."""

    def has_permission(self, request, view):
        options = view.queryset.model._meta
        return request.user.has_perm(f"{options.app_label}.view_{options.model_name}")


PERMISSIONS = [IsAuthenticated, MayViewModel]


class PowerFilter(django_filters.FilterSet):
    county = django_filters.CharFilter(field_name="county__code", label="County division code")
    category = django_filters.ChoiceFilter(choices=Category.choices)
    department = django_filters.NumberFilter(field_name="department_id", label="Department id")
    code = django_filters.CharFilter(label="Power code")

    class Meta:
        model = Power
        fields = ["county", "category", "department", "code"]


class CatalogueViewSet(viewsets.ReadOnlyModelViewSet):
    """The power catalogues of the counties of the towns whose records the user may view."""

    queryset = (
        Power.objects.select_related("county", "department", "parent")
        .prefetch_related("legal_bases", "responsibility_items", "accountability_cases")
        .order_by("county__code", "code")
    )
    serializer_class = s.PowerSerializer
    permission_classes = PERMISSIONS
    filterset_class = PowerFilter

    def get_queryset(self):
        towns = access.towns_for(self.request.user, VIEW_RECORDS)
        counties = Town.objects.filter(pk__in=towns).values("county_id")
        return super().get_queryset().filter(county_id__in=counties)


class DevolutionFilter(django_filters.FilterSet):
    town = django_filters.CharFilter(field_name="town__code", label="Town division code")
    mode = django_filters.ChoiceFilter(choices=DevolutionMode.choices)
    status = django_filters.ChoiceFilter(choices=Devolution.Status.choices)
    power = django_filters.CharFilter(field_name="power__code", label="Power code")

    class Meta:
        model = Devolution
        fields = ["town", "mode", "status", "power"]


class RegisterViewSet(TownScopedReadOnlyViewSet):
    """The devolution register of the towns whose records the user may view."""

    queryset = Devolution.objects.select_related("town", "power", "receiving_office").order_by(
        "town__code", "power__code", "-effective_from", "-pk"
    )
    serializer_class = s.DevolutionSerializer
    permission_classes = PERMISSIONS
    filterset_class = DevolutionFilter
    reach_permission = VIEW_RECORDS


class AdjustmentFilter(django_filters.FilterSet):
    town = django_filters.CharFilter(field_name="town__code", label="Town division code")
    status = django_filters.ChoiceFilter(choices=Adjustment.Status.choices)

    class Meta:
        model = Adjustment
        fields = ["town", "status"]


def _body(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


ITEM_ID = OpenApiParameter("item_id", OpenApiTypes.INT, OpenApiParameter.PATH)


class AdjustmentViewSet(TownScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """List adjustments of the towns whose records the user may view, and their workflow."""

    queryset = (
        Adjustment.objects.select_related("town", "drafted_by", "base_version", "published_version")
        .prefetch_related("items")
        .order_by("-created_at", "-pk")
    )
    serializer_class = s.AdjustmentSerializer
    permission_classes = PERMISSIONS
    filterset_class = AdjustmentFilter
    reach_permission = VIEW_RECORDS

    def _answer(self, adjustment, code=status.HTTP_200_OK):
        # Read back through the scoped queryset: the answer shows what the user may see.
        fresh = get_object_or_404(self.get_queryset(), pk=adjustment.pk)
        return Response(s.AdjustmentSerializer(fresh).data, status=code)

    @extend_schema(request=s.AdjustmentCreateSerializer, responses={201: s.AdjustmentSerializer})
    def create(self, request):
        """Open a draft adjustment of a town's lists (town leaders of that town)."""
        body = _body(s.AdjustmentCreateSerializer, request)
        town = Town.objects.filter(code=body["town"]).first()
        if town is None:
            raise Http404
        adjustment = services.adjustment_create(
            town=town, title=body["title"], document_no=body["document_no"], actor=request.user
        )
        return self._answer(adjustment, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.AdjustmentItemCreateSerializer, responses={201: s.AdjustmentSerializer}
    )
    @action(detail=True, methods=["post"], url_path="items")
    def items(self, request, pk=None):
        """Add an item (add, remove or change a power) to a draft."""
        adjustment = self.get_object()
        body = _body(s.AdjustmentItemCreateSerializer, request)
        services.adjustment_item_add(adjustment=adjustment, actor=request.user, **body)
        return self._answer(adjustment, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.AdjustmentSerializer, parameters=[ITEM_ID])
    @action(detail=True, methods=["delete"], url_path=r"items/(?P<item_id>\d+)")
    def remove_item(self, request, pk=None, item_id=None):
        """Take an item out of a draft."""
        adjustment = self.get_object()
        item = get_object_or_404(AdjustmentItem, pk=item_id, adjustment=adjustment)
        services.adjustment_item_remove(item=item, actor=request.user)
        return self._answer(adjustment)

    @extend_schema(request=None, responses=s.AdjustmentSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send a draft to legal review."""
        adjustment = self.get_object()
        services.adjustment_submit(adjustment=adjustment, actor=request.user)
        return self._answer(adjustment)

    @extend_schema(request=s.OpinionSerializer, responses=s.AdjustmentSerializer)
    @action(detail=True, methods=["post"], url_path="pass-legal-review")
    def pass_legal_review(self, request, pk=None):
        """Record the legal review's opinion: the adjustment awaits approval."""
        adjustment = self.get_object()
        body = _body(s.OpinionSerializer, request)
        services.adjustment_pass_legal_review(adjustment=adjustment, actor=request.user, **body)
        return self._answer(adjustment)

    @extend_schema(request=s.CommentsSerializer, responses=s.AdjustmentSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Return the adjustment to its drafter with what must be corrected."""
        adjustment = self.get_object()
        body = _body(s.CommentsSerializer, request)
        services.adjustment_return(adjustment=adjustment, actor=request.user, **body)
        return self._answer(adjustment)

    @extend_schema(request=None, responses=s.AdjustmentSerializer)
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        """Reopen a returned adjustment as a draft on the current list."""
        adjustment = self.get_object()
        services.adjustment_revise(adjustment=adjustment, actor=request.user)
        return self._answer(adjustment)

    @extend_schema(request=None, responses=s.AdjustmentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw a draft or returned adjustment."""
        adjustment = self.get_object()
        services.adjustment_withdraw(adjustment=adjustment, actor=request.user)
        return self._answer(adjustment)

    @extend_schema(request=s.ApprovalSerializer, responses=s.AdjustmentSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve: the town's next list version is published and the register updated."""
        adjustment = self.get_object()
        body = _body(s.ApprovalSerializer, request)
        services.adjustment_approve(adjustment=adjustment, actor=request.user, **body)
        return self._answer(adjustment)
