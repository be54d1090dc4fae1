import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.supervision_testapp.models import SupervisedThing
from townadmin.choices import DepartmentKind, Role
from townadmin.models import Department
from townadmin.models.deadlines import Alert, WarningLevel
from townadmin.models.outbox import InboxMessage
from townadmin.services import posting_create

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def alert(town, name, level=WarningLevel.YELLOW, due=TODAY, cleared=False):
    thing = SupervisedThing.objects.create(town=town, name=name, due_date=due)
    return Alert.objects.create(
        town=town,
        content_type=ContentType.objects.get_for_model(SupervisedThing),
        object_id=thing.pk,
        clock="due",
        level=level,
        due_date=due,
        cleared_at=timezone.now() if cleared else None,
    )


def message(user, subject, read=False):
    return InboxMessage.objects.create(
        user=user, subject=subject, read_at=timezone.now() if read else None
    )


def test_signing_in_lands_on_the_workbench(client, clerk_a, persona_password):
    response = client.post(
        "/accounts/login/", {"username": "clerk_a", "password": persona_password}
    )

    assert response.status_code == 302
    assert response["Location"] == "/workbench/"


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/workbench/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_workbench_shows_each_role_with_its_towns(client_as, clerk_a, town_a):
    response = client_as(clerk_a).get("/workbench/")

    roles = response.context["roles"]
    assert [(role.role, role.towns) for role in roles] == [(Role.WINDOW_CLERK, [town_a])]
    assert f'href="/towns/{town_a.code}/organisation/"' in response.content.decode()


def test_a_county_reviewer_sees_every_town_of_the_county(client_as, reviewer, town_a, town_b):
    roles = client_as(reviewer).get("/workbench/").context["roles"]

    assert [role.towns for role in roles] == [[town_a, town_b]]


def test_a_town_the_user_may_not_view_is_named_but_not_linked(
    client_as, town_a, posting_admin, django_user_model
):
    grid_worker = django_user_model.objects.create_user("grid_a")
    unit = Department.objects.create(
        county=town_a.county, town=town_a, name="社会事务办公室", kind=DepartmentKind.TOWN_OFFICE
    )
    posting_create(
        user=grid_worker,
        department=unit,
        role=Role.GRID_WORKER,
        valid_from=TODAY,
        actor=posting_admin,
    )

    content = client_as(grid_worker).get("/workbench/").content.decode()

    assert town_a.name in content
    assert f"/towns/{town_a.code}/organisation/" not in content


def test_the_workbench_shows_only_the_users_unread_messages(client_as, clerk_a, clerk_b):
    message(clerk_a, "待受理：营业执照申请")
    message(clerk_a, "已读的通知", read=True)
    message(clerk_b, "别人的通知")

    response = client_as(clerk_a).get("/workbench/")

    assert response.context["unread_count"] == 1
    assert [m.subject for m in response.context["unread_messages"]] == ["待受理：营业执照申请"]


def test_what_is_due_shows_open_cards_of_the_users_towns_only(client_as, clerk_a, town_a, town_b):
    mine = alert(town_a, "甲镇的申请")
    alert(town_a, "已解除的申请", cleared=True)
    alert(town_b, "乙镇的申请")

    response = client_as(clerk_a).get("/workbench/")

    assert list(response.context["alerts"]) == [mine]
    assert "甲镇的申请" in response.content.decode()


def test_what_is_due_puts_overdue_cards_first(client_as, clerk_a, town_a):
    yellow = alert(town_a, "明天到期", due=TODAY + datetime.timedelta(days=1))
    red = alert(town_a, "已超期", level=WarningLevel.RED, due=TODAY - datetime.timedelta(days=3))

    alerts = client_as(clerk_a).get("/workbench/").context["alerts"]

    assert list(alerts) == [red, yellow]


def test_the_navigation_offers_the_workbench_to_signed_in_users_only(client, client_as, clerk_a):
    assert b'href="/workbench/"' not in client.get("/").content
    assert b'href="/workbench/"' in client_as(clerk_a).get("/").content


def test_the_workbench_costs_as_many_queries_with_ten_times_the_messages_and_cards(
    client_as, clerk_a, town_a, django_assert_num_queries
):
    client = client_as(clerk_a)
    for number in range(2):
        message(clerk_a, f"消息{number}")
        alert(town_a, f"事项{number}")
    with CaptureQueriesContext(connection) as small:
        client.get("/workbench/")

    for number in range(2, 20):
        message(clerk_a, f"消息{number}")
        alert(town_a, f"事项{number}")

    with django_assert_num_queries(len(small)):
        response = client.get("/workbench/")
    assert response.context["alert_count"] == 20


def test_a_system_administrator_sees_the_role_and_every_towns_cards(
    client_as, posting_admin, town_a, town_elsewhere
):
    alert(town_a, "甲镇的申请")
    alert(town_elsewhere, "丙镇的申请")

    response = client_as(posting_admin).get("/workbench/")

    assert response.status_code == 200
    assert response.context["alert_count"] == 2
