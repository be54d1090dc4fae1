import pytest
from django.contrib.auth.models import Group

from townadmin.choices import Role
from townadmin.models import Town

pytestmark = pytest.mark.django_db


def test_me_tells_a_clerk_their_roles_and_towns(api_client_as, clerk_a):
    response = api_client_as(clerk_a).get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json() == {
        "username": "clerk_a",
        "display_name": "甲镇窗口",
        "roles": ["window_clerk"],
        "towns": {"window_clerk": [{"code": "990100101", "name": "甲镇"}]},
    }


def test_me_lists_every_town_of_a_county_reviewer_county_in_code_order(
    api_client_as, reviewer, town_a, town_b, town_elsewhere
):
    towns = api_client_as(reviewer).get("/api/v1/me/").json()["towns"]

    assert towns == {
        "reviewer": [{"code": "990100101", "name": "甲镇"}, {"code": "990100102", "name": "乙镇"}]
    }


def test_me_shows_a_role_without_reach_with_no_towns(api_client_as, django_user_model):
    user = django_user_model.objects.create_user("ops", display_name="运维")
    user.groups.add(Group.objects.get(name=Role.SYSTEM_ADMIN))

    body = api_client_as(user).get("/api/v1/me/").json()

    assert (body["roles"], body["towns"]) == (["system_admin"], {"system_admin": []})


def test_me_falls_back_to_the_username_without_a_display_name(api_client_as, django_user_model):
    user = django_user_model.objects.create_user("nobody")

    assert api_client_as(user).get("/api/v1/me/").json() == {
        "username": "nobody",
        "display_name": "nobody",
        "roles": [],
        "towns": {},
    }


def test_me_refuses_an_anonymous_caller(citizen):
    assert citizen.get("/api/v1/me/").status_code == 401


def test_me_costs_the_same_few_queries_for_one_town_or_twenty(
    api_client_as, reviewer, county_a, town_a, django_assert_num_queries
):
    client = api_client_as(reviewer)
    # token and user, roles, reach, towns
    with django_assert_num_queries(4):
        assert len(client.get("/api/v1/me/").json()["towns"]["reviewer"]) == 1
    Town.objects.bulk_create(
        Town(county=county_a, code=f"9901002{number:02d}", name=f"镇{number}")
        for number in range(20)
    )

    with django_assert_num_queries(4):
        assert len(client.get("/api/v1/me/").json()["towns"]["reviewer"]) == 21


def test_me_with_a_session_answers_the_same(client_as, clerk_a):
    response = client_as(clerk_a).get("/api/v1/me/")

    assert response.json()["towns"] == {"window_clerk": [{"code": "990100101", "name": "甲镇"}]}
