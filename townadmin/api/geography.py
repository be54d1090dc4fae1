"""Towns and villages in the user's reach: GET /api/v1/towns/, /api/v1/villages/."""

import django_filters
from rest_framework import serializers

from townadmin.api.base import TownScopedReadOnlyViewSet
from townadmin.models import Town, Village

VIEW_RECORDS = "townadmin.view_records"


class TownSerializer(serializers.ModelSerializer):
    county_code = serializers.CharField(source="county.code", read_only=True)
    county_name = serializers.CharField(source="county.name", read_only=True)

    class Meta:
        model = Town
        fields = [
            "code",
            "name",
            "kind",
            "county_code",
            "county_name",
            "is_pilot",
            "pilot_batch",
            "pilot_since",
            "population",
            "area_km2",
        ]


class TownViewSet(TownScopedReadOnlyViewSet):
    """Towns whose records the user may view, by division code."""

    queryset = Town.objects.select_related("county").order_by("code")
    serializer_class = TownSerializer
    reach_permission = VIEW_RECORDS
    town_field = "pk"
    lookup_field = "code"
    lookup_value_regex = r"\d{9}"


class VillageSerializer(serializers.ModelSerializer):
    town_code = serializers.CharField(source="town.code", read_only=True)
    community = serializers.CharField(
        source="community.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Village
        fields = ["id", "code", "name", "town_code", "community"]


class VillageFilter(django_filters.FilterSet):
    town = django_filters.CharFilter(field_name="town__code", label="Town division code")

    class Meta:
        model = Village
        fields = ["town"]


class VillageViewSet(TownScopedReadOnlyViewSet):
    """Villages of the towns whose records the user may view; ``?town=<code>`` narrows."""

    queryset = Village.objects.select_related("town", "community").order_by("town__code", "name")
    serializer_class = VillageSerializer
    filterset_class = VillageFilter
    reach_permission = VIEW_RECORDS
