"""The supervision page /hall/supervision/: the town leader's and the county reviewer's board.

The applications are accepted on 29 September 2026 and due on 8 October (see
test_supervision_sweep); the sweep of 9 October cards them red. The page counts the
working days overdue up to the real today.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from servicecenter.models import Complaint, Rating, Rectification
from servicecenter.services import (
    application_complete,
    application_extension_request,
    application_pause,
)
from servicecenter.supervision import applications_sweep
from tests.servicecenter.factories import make_item
from tests.servicecenter.test_supervision_sweep import DAY_AFTER, accept, at_ten
from townadmin.models.calendar import DayType
from townadmin.workdays import workdays_between

pytestmark = pytest.mark.django_db

URL = reverse("servicecenter:supervision")


@pytest.fixture
def item(town_a):
    return make_item(town_a, promised=2, statutory=20)


@pytest.fixture
def red(item, clerk_a):
    application = accept(item, clerk_a)
    applications_sweep(today=DAY_AFTER)
    return application


def board(client):
    return client.get(URL).context["board"]


def test_the_town_leader_sees_the_town_s_red_card_with_its_first_clerk(client_as, leader_a, red):
    response = client_as(leader_a).get(URL)

    assert response.status_code == 200
    assert [a.pk for a in response.context["board"].carded["red"]] == [red.pk]
    page = response.content.decode()
    assert red.receipt_no in page and "甲镇窗口" in page


def test_the_counts_table_shows_each_town_s_cards_on_each_clock(client_as, reviewer, red, town_b):
    towns = {town.name: town for town in board(client_as(reviewer)).towns}

    assert (towns["甲镇"].open_count, towns["甲镇"].promised_red, towns["甲镇"].statutory_red) == (
        1,
        1,
        0,
    )
    assert towns["乙镇"].open_count == 0


def test_a_red_card_shows_its_working_days_overdue(client_as, leader_a, red):
    (application,) = board(client_as(leader_a)).carded["red"]

    assert application.overdue_days == workdays_between(red.due_date, timezone.localdate())


def test_the_leader_of_another_town_sees_nothing_of_town_a(client_as, leader_b, red):
    response = client_as(leader_b).get(URL)

    assert response.status_code == 200
    assert red.receipt_no not in response.content.decode()
    assert [town.name for town in response.context["board"].towns] == ["乙镇"]


def test_the_county_reviewer_sees_every_town_of_the_county(client_as, reviewer, red, town_b):
    response = client_as(reviewer).get(URL)

    assert [town.name for town in response.context["board"].towns] == ["甲镇", "乙镇"]
    assert red.receipt_no in response.content.decode()


def test_a_reviewer_of_another_county_sees_nothing_of_it(client_as, reviewer_elsewhere, red):
    response = client_as(reviewer_elsewhere).get(URL)

    assert red.receipt_no not in response.content.decode()


def test_a_clerk_is_not_allowed_to_open_the_supervision_page(client_as, clerk_a):
    assert client_as(clerk_a).get(URL).status_code == 403


def test_the_public_is_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_paused_application_shows_the_reason_of_its_pause(client_as, leader_a, red, approver_a):
    application_pause(application=red, actor=approver_a, step="专家评审", reason="请专家论证")

    response = client_as(leader_a).get(URL)

    (paused,) = response.context["board"].paused
    assert paused.pause_reason == "专家评审：请专家论证"
    assert "专家评审：请专家论证" in response.content.decode()


def test_a_pending_extension_request_is_listed(client_as, leader_a, red, approver_a):
    application_extension_request(application=red, actor=approver_a, reason="需补充现场勘查")

    (extension,) = board(client_as(leader_a)).extensions

    assert (extension.pk, extension.extension_days, extension.extension_reason) == (
        red.pk,
        10,
        "需补充现场勘查",
    )


def make_rectification(application, owner):
    rating = Rating.objects.create(application=application, town=application.town, round=1, level=1)
    rectification = Rectification(town=application.town, rating=rating, owner=owner)
    rectification.start_clocks(
        started_at=at_ten(datetime.date(2026, 10, 12)), day_type=DayType.WORKING, callback=1, fix=15
    )
    rectification.save()
    return rectification


def test_an_open_rectification_is_listed_with_its_due_dates(
    client_as, leader_a, item, clerk_a, approver_a
):
    application = accept(item, clerk_a)
    application_complete(
        application=application, actor=approver_a, decision="approved", certificate_no="甲1号"
    )
    rectification = make_rectification(application, clerk_a)

    response = client_as(leader_a).get(URL)

    assert [r.pk for r in response.context["board"].rectifications] == [rectification.pk]
    assert rectification.fix_due_date.isoformat() in response.content.decode()


def test_an_open_complaint_is_listed_and_an_answered_one_is_not(client_as, leader_a, town_a):
    Complaint.objects.create(town=town_a, name="李四", phone="13800138000", content="窗口无人")
    Complaint.objects.create(
        town=town_a, name="王五", phone="13800138001", content="已答复", status="answered"
    )

    complaints = board(client_as(leader_a)).complaints

    assert [c.content for c in complaints] == ["窗口无人"]


def fill(item, clerk, approver, town, n, first_seed):
    """n red applications, a third of them paused and a third awaiting an extension, n
    complaints and n rectifications: every list of the board grows with n."""
    applications = [accept(item, clerk, seed=first_seed + i) for i in range(n)]
    for application in applications[0::3]:
        application_pause(application=application, actor=approver, step="专家评审")
    for application in applications[1::3]:
        application_extension_request(application=application, actor=approver, reason="延期")
    for application in applications[2::3]:
        application_complete(
            application=application, actor=approver, decision="approved", certificate_no="甲"
        )
        make_rectification(application, clerk)
    for i in range(n):
        Complaint.objects.create(town=town, name="李四", phone="13800138000", content=f"投诉{i}")
    applications_sweep(today=DAY_AFTER)


def test_the_page_costs_the_same_queries_with_three_rows_or_thirty(
    client_as, leader_a, item, clerk_a, approver_a, town_a, django_assert_num_queries
):
    client = client_as(leader_a)
    fill(item, clerk_a, approver_a, town_a, 3, first_seed=100)
    client.get(URL)  # the session and the user's reach, as on any second visit
    with CaptureQueriesContext(connection) as small:
        response = client.get(URL)
    assert len(response.context["board"].paused) == 1

    fill(item, clerk_a, approver_a, town_a, 27, first_seed=200)
    with django_assert_num_queries(len(small)):
        response = client.get(URL)

    board = response.context["board"]
    assert (len(board.paused), len(board.extensions), len(board.complaints)) == (10, 10, 30)
    assert len(board.rectifications) == 10
