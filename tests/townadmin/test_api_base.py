"""The base viewset and the filter backend, on a viewset of villages defined here."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import include, path
from rest_framework import generics, mixins, serializers
from rest_framework.routers import SimpleRouter

from townadmin.api.base import (
    TownScopedModelViewSet,
    TownScopedViewSet,
    TownScopeFilterBackend,
)
from townadmin.models import Village

pytestmark = pytest.mark.django_db


class VillageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Village
        fields = ["id", "name", "town"]


class VillageViewSet(TownScopedModelViewSet):
    queryset = Village.objects.order_by("name")
    serializer_class = VillageSerializer
    reach_permission = "townadmin.view_records"
    write_reach_permission = "townadmin.handle_application"


class VillageListView(generics.ListAPIView):
    queryset = Village.objects.order_by("name")
    serializer_class = VillageSerializer
    filter_backends = [TownScopeFilterBackend]
    reach_permission = "townadmin.view_records"


router = SimpleRouter()
router.register("villages", VillageViewSet, basename="test-village")
urlpatterns = [
    path("plain/villages/", VillageListView.as_view()),
    path("", include(router.urls)),
]


@pytest.fixture
def villages(town_a, town_b):
    return (
        Village.objects.create(town=town_a, name="甲村"),
        Village.objects.create(town=town_b, name="乙村"),
    )


def names(response):
    return [row["name"] for row in response.json()["results"]]


@pytest.mark.urls(__name__)
def test_the_list_holds_only_rows_of_reached_towns(api_client_as, clerk_a, villages):
    assert names(api_client_as(clerk_a).get("/villages/")) == ["甲村"]


@pytest.mark.urls(__name__)
def test_detail_update_and_delete_of_a_row_outside_reach_answer_404(
    api_client_as, clerk_a, villages
):
    client = api_client_as(clerk_a)
    theirs = f"/villages/{villages[1].pk}/"

    assert client.get(theirs).status_code == 404
    assert client.patch(theirs, {"name": "x"}, format="json").status_code == 404
    assert client.delete(theirs).status_code == 404
    assert Village.objects.get(pk=villages[1].pk).name == "乙村"


@pytest.mark.urls(__name__)
def test_creating_a_row_in_another_town_answers_404_and_saves_nothing(
    api_client_as, clerk_a, town_b
):
    response = api_client_as(clerk_a).post(
        "/villages/", {"name": "越界村", "town": town_b.pk}, format="json"
    )

    assert response.status_code == 404
    assert not Village.objects.filter(name="越界村").exists()


@pytest.mark.urls(__name__)
def test_moving_a_row_into_another_town_answers_404_and_changes_nothing(
    api_client_as, clerk_a, villages, town_b
):
    mine = villages[0]

    response = api_client_as(clerk_a).patch(
        f"/villages/{mine.pk}/", {"town": town_b.pk, "name": "搬走村"}, format="json"
    )

    assert response.status_code == 404
    mine.refresh_from_db()
    assert (mine.town_id, mine.name) == (villages[0].town_id, "甲村")


@pytest.mark.urls(__name__)
def test_a_write_inside_reach_is_saved(api_client_as, clerk_a, town_a):
    response = api_client_as(clerk_a).post(
        "/villages/", {"name": "新村", "town": town_a.pk}, format="json"
    )

    assert response.status_code == 201
    assert Village.objects.get(name="新村").town == town_a


@pytest.mark.urls(__name__)
def test_a_write_needs_the_write_reach_not_only_the_read_reach(api_client_as, reviewer, villages):
    client = api_client_as(reviewer)  # views the county's records, takes no applications

    assert client.get(f"/villages/{villages[0].pk}/").status_code == 200
    response = client.patch(f"/villages/{villages[0].pk}/", {"name": "x"}, format="json")

    assert response.status_code == 404
    assert Village.objects.get(pk=villages[0].pk).name == "甲村"


@pytest.mark.urls(__name__)
def test_the_list_costs_the_same_queries_for_one_row_or_many(
    api_client_as, clerk_a, town_a, django_assert_num_queries
):
    client = api_client_as(clerk_a)
    Village.objects.create(town=town_a, name="村0")
    # token + user, reach, count, page
    with django_assert_num_queries(4):
        client.get("/villages/")
    Village.objects.bulk_create(Village(town=town_a, name=f"村{n}") for n in range(1, 30))
    with django_assert_num_queries(4):
        assert len(names(client.get("/villages/"))) == 30


@pytest.mark.urls(__name__)
def test_the_filter_backend_scopes_a_plain_generic_view(api_client_as, clerk_a, villages):
    assert names(api_client_as(clerk_a).get("/plain/villages/")) == ["甲村"]


def test_a_viewset_listing_a_drf_mixin_before_the_base_is_refused():
    with pytest.raises(ImproperlyConfigured, match="before DRF's mixins"):

        class Careless(mixins.CreateModelMixin, TownScopedViewSet):
            reach_permission = "townadmin.view_records"


@pytest.mark.urls(__name__)
def test_a_viewset_without_reach_permission_is_a_configuration_error(
    api_client_as, clerk_a, villages, monkeypatch
):
    monkeypatch.setattr(VillageViewSet, "reach_permission", "")

    with pytest.raises(ImproperlyConfigured, match="reach_permission"):
        api_client_as(clerk_a).get("/villages/")
