"""Who sees what through the staff API, and what its lists cost as data grows tenfold."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servicecenter import services
from tests.servicecenter.factories import make_item, material_ids, person

pytestmark = pytest.mark.django_db

API = "/api/v1/applications/"
ITEMS = "/api/v1/service-items/"

# Every POST action with a body that would be valid for some state of the application.
ACTIONS = {
    "receive": {},
    "notify-missing": {"note": "补齐"},
    "resubmit": {"materials": []},
    "accept": {},
    "supply-pending": {"materials": []},
    "refuse": {"reason": "不符合条件"},
    "pause": {"step": "专家评审"},
    "resume": {},
    "request-extension": {"reason": "需现场核查"},
    "decide-extension": {"approve": True},
    "complete": {"decision": "denied", "reason": "不符合条件"},
    "deliver": {"method": "pickup"},
}


def take(item, clerk, count=1):
    return [
        services.application_intake(
            item=item,
            channel="window",
            applicant=person(),
            materials=material_ids(item),
            actor=clerk,
        )[0]
        for _ in range(count)
    ]


@pytest.fixture
def application_a(item_a, clerk_a):
    return take(item_a, clerk_a)[0]


def test_the_clerk_of_town_b_gets_404_on_an_application_of_town_a(
    api_client_as, clerk_b, application_a
):
    response = api_client_as(clerk_b).get(f"{API}{application_a.pk}/")

    assert response.status_code == 404


@pytest.mark.parametrize("verb", sorted(ACTIONS))
def test_the_clerk_of_town_b_gets_404_on_every_action_and_nothing_changes(
    api_client_as, clerk_b, application_a, verb
):
    response = api_client_as(clerk_b).post(
        f"{API}{application_a.pk}/{verb}/", ACTIONS[verb], format="json"
    )

    assert response.status_code == 404
    application_a.refresh_from_db()
    assert application_a.status == "received"


def test_the_clerk_of_town_b_lists_only_town_bs_applications(
    api_client_as, clerk_b, item_b, application_a
):
    [own] = take(item_b, clerk_b)

    response = api_client_as(clerk_b).get(API)

    assert [row["id"] for row in response.json()["results"]] == [own.pk]


def test_a_reviewer_of_another_county_sees_no_application(
    api_client_as, reviewer_elsewhere, application_a
):
    response = api_client_as(reviewer_elsewhere).get(API)

    assert response.json()["count"] == 0
    assert api_client_as(reviewer_elsewhere).get(f"{API}{application_a.pk}/").status_code == 404


def test_the_county_reviewer_sees_the_applications_of_the_countys_towns(
    api_client_as, reviewer, application_a
):
    response = api_client_as(reviewer).get(API)

    assert [row["id"] for row in response.json()["results"]] == [application_a.pk]


def test_a_village_agent_cannot_read_the_towns_applications(api_client_as, agent_a, application_a):
    assert api_client_as(agent_a).get(API).status_code == 403


def test_the_service_items_are_those_of_the_users_towns(api_client_as, clerk_b, item_a, item_b):
    response = api_client_as(clerk_b).get(ITEMS)

    assert [row["id"] for row in response.json()["results"]] == [item_b.pk]
    assert api_client_as(clerk_b).get(f"{ITEMS}{item_a.pk}/").status_code == 404


def test_a_village_agent_reads_the_guides_of_the_town_it_files_for(
    api_client_as, agent_a, item_a, item_b
):
    response = api_client_as(agent_a).get(ITEMS)

    [row] = response.json()["results"]
    assert row["id"] == item_a.pk
    assert [m["name"] for m in row["materials"]][:2] == ["申请表", "申请人身份证明"]


def _queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_the_application_list_costs_the_same_queries_for_ten_times_the_rows(
    api_client_as, clerk_a, approver_a, item_a, django_assert_num_queries
):
    client = api_client_as(clerk_a)
    first = take(item_a, clerk_a, 3)
    services.application_accept(application=first[0], actor=clerk_a)
    small = _queries(client, API)

    take(item_a, clerk_a, 27)
    with django_assert_num_queries(small):
        response = client.get(API)

    assert response.json()["count"] == 30


def test_the_service_item_list_costs_the_same_queries_for_ten_times_the_rows(
    api_client_as, clerk_a, town_a, django_assert_num_queries
):
    client = api_client_as(clerk_a)
    for _ in range(3):
        make_item(town_a, held=False)
    small = _queries(client, ITEMS)

    for _ in range(27):
        make_item(town_a, held=False)
    with django_assert_num_queries(small):
        response = client.get(ITEMS)

    assert response.json()["count"] == 30


def test_the_list_filters_by_an_item_of_the_users_towns(
    api_client_as, clerk_a, town_a, item_a, application_a
):
    other = make_item(town_a, name="食品经营许可")
    take(other, clerk_a)

    response = api_client_as(clerk_a).get(API, {"item": item_a.pk})

    assert [row["id"] for row in response.json()["results"]] == [application_a.pk]


def test_filtering_by_an_item_of_another_town_is_refused(api_client_as, clerk_b, item_a):
    response = api_client_as(clerk_b).get(API, {"item": item_a.pk})

    assert response.status_code == 400
    assert list(response.json()) == ["item"]
