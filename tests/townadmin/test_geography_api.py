import pytest

from townadmin.models import Community, Town, Village

pytestmark = pytest.mark.django_db


@pytest.fixture
def villages(town_a, town_b):
    east = Community.objects.create(town=town_a, name="东社区")
    return (
        Village.objects.create(town=town_a, community=east, name="甲东村", code="990100101001"),
        Village.objects.create(town=town_b, name="乙村"),
    )


def test_the_town_list_holds_the_towns_whose_records_the_user_views(
    api_client_as, clerk_a, town_a, town_b
):
    body = api_client_as(clerk_a).get("/api/v1/towns/").json()

    assert [town["code"] for town in body["results"]] == [town_a.code]
    assert body["results"][0] == {
        "code": "990100101",
        "name": "甲镇",
        "kind": "town",
        "county_code": "990100",
        "county_name": "甲县",
        "is_pilot": True,
        "pilot_batch": "第一批",
        "pilot_since": None,
        "population": None,
        "area_km2": None,
    }


def test_a_county_reviewer_lists_every_town_of_the_county(api_client_as, reviewer, town_a, town_b):
    body = api_client_as(reviewer).get("/api/v1/towns/").json()

    assert [town["name"] for town in body["results"]] == ["甲镇", "乙镇"]


def test_a_town_is_found_by_its_code_inside_reach_and_is_404_outside(
    api_client_as, clerk_a, town_a, town_b
):
    client = api_client_as(clerk_a)

    assert client.get(f"/api/v1/towns/{town_a.code}/").json()["name"] == "甲镇"
    assert client.get(f"/api/v1/towns/{town_b.code}/").status_code == 404


def test_the_village_list_holds_villages_of_reached_towns_with_their_community(
    api_client_as, clerk_a, villages
):
    body = api_client_as(clerk_a).get("/api/v1/villages/").json()

    assert body["results"] == [
        {
            "id": villages[0].pk,
            "code": "990100101001",
            "name": "甲东村",
            "town_code": "990100101",
            "community": "东社区",
        }
    ]


def test_the_village_list_narrows_to_one_town_by_code(api_client_as, reviewer, villages, town_b):
    body = api_client_as(reviewer).get("/api/v1/villages/", {"town": town_b.code}).json()

    assert [village["name"] for village in body["results"]] == ["乙村"]


def test_the_village_of_another_town_is_404(api_client_as, clerk_a, villages):
    assert api_client_as(clerk_a).get(f"/api/v1/villages/{villages[1].pk}/").status_code == 404


def test_the_lists_cost_the_same_queries_with_ten_times_the_rows(
    api_client_as, reviewer, county_a, town_a, django_assert_num_queries
):
    client = api_client_as(reviewer)
    Village.objects.create(town=town_a, name="村")

    def count_queries():
        # token and user, reach, count, page
        with django_assert_num_queries(4):
            client.get("/api/v1/towns/")
        with django_assert_num_queries(4):
            client.get("/api/v1/villages/")

    count_queries()
    towns = Town.objects.bulk_create(
        Town(county=county_a, code=f"9901003{number:02d}", name=f"镇{number}")
        for number in range(10)
    )
    for town in towns:
        community = Community.objects.create(town=town, name="社区")
        Village.objects.bulk_create(
            Village(town=town, community=community, name=f"村{number}") for number in range(3)
        )
    count_queries()


def test_an_anonymous_caller_gets_no_town(citizen, town_a):
    assert citizen.get("/api/v1/towns/").status_code == 401
