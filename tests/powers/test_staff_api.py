"""The staff API of the catalogue, the register and the list adjustment workflow."""

import datetime
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from powers.models import Adjustment, AdjustmentItem, Devolution, ListVersion
from powers.selectors import current_version
from tests.powers.workflow import (
    draft,
    first_list,
    make_power,
    power_data,
    to_approval,
    walk_objects,
)
from townadmin.choices import DepartmentKind, Role
from townadmin.models import Department, User
from townadmin.services import posting_create

pytestmark = pytest.mark.django_db

ADJUSTMENTS = "/api/v1/powers/adjustments/"
NEW = "QR-990100-007"


def url(adjustment, step=""):
    return f"{ADJUSTMENTS}{adjustment.pk}/{step + '/' if step else ''}"


@pytest.fixture
def v1(town_a, leader_a, reviewer):
    return first_list(town_a, leader_a, reviewer)


@pytest.fixture
def awaiting(v1, town_a, leader_a, reviewer):
    """An adjustment of town A awaiting approval: it removes CF-990100-001."""
    return to_approval(
        draft(town_a, leader_a, [("remove", "CF-990100-001", None)]), leader_a, reviewer
    )


@pytest.fixture
def second_reviewer(county_unit_a, posting_admin):
    user = User.objects.create_user("reviewer_2", display_name="甲县审核二")
    posting_create(
        user=user,
        department=county_unit_a,
        role=Role.REVIEWER,
        valid_from=datetime.date(2026, 1, 1),
        actor=posting_admin,
    )
    return user


# --- Catalogue and register ---------------------------------------------------------------


def test_the_catalogue_shows_the_powers_of_the_counties_of_the_user_s_towns(
    api_client_as, reviewer, town_a, town_elsewhere
):
    make_power(town_a.county, code="XK-990100-001")
    make_power(town_elsewhere.county, code="XK-990200-001")

    response = api_client_as(reviewer).get("/api/v1/powers/catalogue/")

    assert [row["code"] for row in response.json()["results"]] == ["XK-990100-001"]


def test_a_window_clerk_cannot_read_the_catalogue(api_client_as, clerk_a, county_a):
    assert api_client_as(clerk_a).get("/api/v1/powers/catalogue/").status_code == 403


def test_the_register_filters_by_town_and_mode(api_client_as, reviewer, v1, town_a):
    client = api_client_as(reviewer)

    devolved = client.get("/api/v1/powers/register/", {"town": town_a.code, "mode": "devolve"})
    entrusted = client.get("/api/v1/powers/register/", {"town": town_a.code, "mode": "entrust"})

    assert sorted(row["power_code"] for row in devolved.json()["results"]) == [
        "CF-990100-001",
        "XK-990100-001",
    ]
    assert entrusted.json()["count"] == 0


def test_a_holding_of_another_town_is_not_found(api_client_as, leader_b, v1):
    devolution = Devolution.objects.first()

    client = api_client_as(leader_b)

    assert client.get(f"/api/v1/powers/register/{devolution.pk}/").status_code == 404
    assert client.get("/api/v1/powers/register/").json()["count"] == 0


# --- Drafting --------------------------------------------------------------------------


def test_a_town_leader_opens_a_draft_and_adds_an_item(api_client_as, leader_a, v1, town_a):
    client = api_client_as(leader_a)

    created = client.post(ADJUSTMENTS, {"town": town_a.code, "title": "调整"}, format="json")
    item = {"action": "add", "code": NEW, "reason": "新增", "data": power_data(name="光荣证")}
    added = client.post(f"{ADJUSTMENTS}{created.json()['id']}/items/", item, format="json")

    assert created.status_code == 201
    assert (created.json()["status"], created.json()["base_version"]) == ("draft", 1)
    assert added.status_code == 201
    assert [row["code"] for row in added.json()["items"]] == [NEW]


def test_bad_item_data_answers_400_per_field_and_adds_nothing(api_client_as, leader_a, v1, town_a):
    adjustment = draft(town_a, leader_a, [])
    item = {"action": "add", "code": NEW, "reason": "新增", "data": power_data(mode="seize")}

    response = api_client_as(leader_a).post(url(adjustment, "items"), item, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["mode"]
    assert not AdjustmentItem.objects.filter(adjustment=adjustment).exists()


def test_an_item_can_be_taken_out_of_a_draft(api_client_as, leader_a, v1, town_a):
    adjustment = draft(town_a, leader_a, [("remove", "CF-990100-001", None)])
    item = adjustment.items.get()

    response = api_client_as(leader_a).delete(url(adjustment, f"items/{item.pk}"))

    assert response.status_code == 200
    assert response.json()["items"] == []


def test_a_window_clerk_cannot_open_an_adjustment(api_client_as, clerk_a, town_a):
    response = api_client_as(clerk_a).post(
        ADJUSTMENTS, {"town": town_a.code, "title": "调整"}, format="json"
    )

    assert response.status_code == 403
    assert not Adjustment.objects.exists()


def test_a_town_leader_cannot_open_an_adjustment_for_another_town(api_client_as, leader_b, town_a):
    response = api_client_as(leader_b).post(
        ADJUSTMENTS, {"town": town_a.code, "title": "调整"}, format="json"
    )

    assert response.status_code == 404


# --- Review and approval ---------------------------------------------------------------


def test_the_workflow_through_the_api_publishes_the_next_version(
    api_client_as, leader_a, reviewer, v1, town_a
):
    adjustment = draft(town_a, leader_a, [("remove", "CF-990100-001", None)])
    leader, county = api_client_as(leader_a), api_client_as(reviewer)

    submitted = leader.post(url(adjustment, "submit"))
    reviewed = county.post(url(adjustment, "pass-legal-review"), {"opinion": "合法"}, format="json")
    approved = county.post(url(adjustment, "approve"), {"document_no": "甲编办〔2026〕2号"})

    assert [submitted.json()["status"], reviewed.json()["status"]] == ["legal_review", "submitted"]
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["published_version"]) == ("approved", 2)
    assert current_version(town_a).number == 2


def test_a_return_comes_back_with_the_comments_and_can_be_revised(
    api_client_as, leader_a, reviewer, awaiting
):
    returned = api_client_as(reviewer).post(
        url(awaiting, "return"), {"comments": "补充理由"}, format="json"
    )
    revised = api_client_as(leader_a).post(url(awaiting, "revise"))

    assert (returned.json()["status"], returned.json()["review_comments"]) == (
        "returned",
        "补充理由",
    )
    assert revised.json()["status"] == "draft"


def test_a_window_clerk_cannot_approve(api_client_as, clerk_a, awaiting):
    response = api_client_as(clerk_a).post(url(awaiting, "approve"), {"document_no": "文号"})

    assert response.status_code == 403
    assert Adjustment.objects.get(pk=awaiting.pk).status == "submitted"


def test_a_reviewer_of_another_county_does_not_find_the_adjustment(
    api_client_as, reviewer_elsewhere, awaiting
):
    client = api_client_as(reviewer_elsewhere)

    assert client.get(url(awaiting)).status_code == 404
    assert client.post(url(awaiting, "approve"), {"document_no": "文号"}).status_code == 404


def test_a_town_leader_of_another_town_does_not_find_the_adjustment(
    api_client_as, leader_b, awaiting
):
    assert api_client_as(leader_b).get(url(awaiting)).status_code == 404


def test_approving_twice_answers_409_with_the_current_status(api_client_as, reviewer, awaiting):
    client = api_client_as(reviewer)
    client.post(url(awaiting, "approve"), {"document_no": "甲编办〔2026〕2号"})

    again = client.post(url(awaiting, "approve"), {"document_no": "甲编办〔2026〕3号"})

    assert again.status_code == 409
    assert again.json()["current"] == {"status": "approved"}
    assert ListVersion.objects.count() == 2


def test_approval_after_another_publication_answers_409(
    api_client_as, leader_a, reviewer, awaiting, town_a
):
    other = to_approval(
        draft(town_a, leader_a, [("change", "XK-990100-001", {"fees": "不收费"})]),
        leader_a,
        reviewer,
    )
    client = api_client_as(reviewer)
    client.post(url(awaiting, "approve"), {"document_no": "甲编办〔2026〕2号"})

    response = client.post(url(other, "approve"), {"document_no": "甲编办〔2026〕3号"})

    assert response.status_code == 409
    assert response.json()["current"] == {"status": "submitted", "current_version": 2}


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_one_wins_and_the_other_gets_409(
    api_client_as, reviewer, second_reviewer, awaiting
):
    start = threading.Barrier(2)
    answers, errors = [], []

    def approve(user, document_no):
        try:
            client = api_client_as(user)
            start.wait(timeout=10)
            answers.append(client.post(url(awaiting, "approve"), {"document_no": document_no}))
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    workers = [
        threading.Thread(target=approve, args=(reviewer, "甲编办〔2026〕2号")),
        threading.Thread(target=approve, args=(second_reviewer, "甲编办〔2026〕3号")),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert errors == []
    assert sorted(answer.status_code for answer in answers) == [200, 409]
    assert ListVersion.objects.count() == 2


# --- Query counts ------------------------------------------------------------------------


def _grow(town, office, times):
    """``times`` more powers held by ``town`` and adjustments of it with an item each."""
    for n in range(times):
        power = walk_objects(town, office, suffix=f"{times}-{n:03d}")[0]
        power.legal_bases.create(law="《中华人民共和国行政许可法》", article=f"第{n + 1}条")
        power.accountability_cases.create(text="不依法受理的。")


def _queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path", ["/api/v1/powers/catalogue/", "/api/v1/powers/register/", ADJUSTMENTS]
)
def test_each_list_costs_the_same_queries_for_ten_times_the_rows(
    api_client_as, reviewer, town_a, path
):
    office = Department.objects.create(
        county=town_a.county, town=town_a, name="甲镇办", kind=DepartmentKind.TOWN_OFFICE
    )
    client = api_client_as(reviewer)
    _grow(town_a, office, 2)
    small = _queries(client, path)

    _grow(town_a, office, 18)

    assert _queries(client, path) == small
