"""The working-day calendar over HTTP: the API, the admin's warning and /healthz."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone, translation

from tests.supervision_testapp.factories import make_user
from townadmin.api.calendar import MAX_DAYS
from townadmin.deadlines.admin import MISSING_YEARS
from townadmin.models.calendar import CalendarSource, CalendarYear, Holiday
from townadmin.workdays import YEAR_MISSING

pytestmark = pytest.mark.django_db

ADD = "/api/v1/calendar/add-workdays/"
BETWEEN = "/api/v1/calendar/workdays-between/"


@pytest.fixture
def clerk_client(api_client):
    api_client.force_authenticate(make_user("clerk_xiazhuang"))
    return api_client


@pytest.fixture
def next_year_missing():
    next_year = timezone.localdate().year + 1
    CalendarYear.objects.filter(year=next_year).delete()
    return next_year


@pytest.fixture
def this_and_next_year_loaded():
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        CalendarYear.objects.get_or_create(year=year)


def english(message):
    with translation.override("en"):
        return str(message)


def test_add_workdays_answers_the_date_counting_the_make_up_saturday(clerk_client):
    response = clerk_client.get(ADD, {"start": "2026-09-30", "days": 3})

    assert response.status_code == 200
    assert response.json() == {"date": "2026-10-10"}


def test_workdays_between_answers_the_number_of_working_days(clerk_client):
    response = clerk_client.get(BETWEEN, {"start": "2026-09-30", "end": "2026-10-12"})

    assert response.status_code == 200
    assert response.json() == {"days": 4}


def test_the_calendar_api_refuses_an_anonymous_caller(api_client):
    assert api_client.get(ADD, {"start": "2026-09-30", "days": 3}).status_code == 401


def test_it_refuses_a_malformed_date_with_a_message_for_that_parameter(clerk_client):
    response = clerk_client.get(ADD, {"start": "30/09/2026", "days": 3})

    assert response.status_code == 400
    assert set(response.json()) == {"start"}


def test_it_refuses_a_negative_or_huge_number_of_days(clerk_client):
    negative = clerk_client.get(ADD, {"start": "2026-09-30", "days": -1})
    huge = clerk_client.get(ADD, {"start": "2026-09-30", "days": MAX_DAYS + 1})

    assert (negative.status_code, huge.status_code) == (400, 400)
    assert set(negative.json()) == set(huge.json()) == {"days"}


def test_it_refuses_missing_parameters(clerk_client):
    response = clerk_client.get(BETWEEN, {"start": "2026-09-30"})

    assert response.status_code == 400
    assert set(response.json()) == {"end"}


def test_it_answers_400_with_the_calendar_s_message_for_a_year_without_data(clerk_client):
    response = clerk_client.get(ADD, {"start": "2099-01-05", "days": 1}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [english(YEAR_MISSING % {"year": 2099})]}


def test_the_admin_warns_while_next_year_has_no_calendar_data(admin_client, next_year_missing):
    response = admin_client.get("/admin/townadmin/holiday/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    warnings = [str(message) for message in get_messages(response.wsgi_request)]
    assert warnings == [english(MISSING_YEARS % {"years": str(next_year_missing)})]


def test_the_admin_does_not_warn_when_this_and_next_year_are_loaded(
    admin_client, this_and_next_year_loaded
):
    response = admin_client.get("/admin/townadmin/calendaryear/")

    assert response.status_code == 200
    assert list(get_messages(response.wsgi_request)) == []


def test_a_package_day_edited_in_the_admin_becomes_the_administrator_s(admin_client):
    day = Holiday.objects.get(date=date(2026, 10, 10))

    response = admin_client.post(
        f"/admin/townadmin/holiday/{day.pk}/change/",
        {"date": "2026-10-10", "kind": "holiday", "name": "县里调整", "source": "chinesecalendar"},
    )

    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.kind, day.source) == ("holiday", CalendarSource.MANUAL)


def test_healthz_reports_a_missing_calendar_year_as_degraded_and_still_serves(
    client, next_year_missing
):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["calendar"] == {"status": "missing_year", "missing": [next_year_missing]}
    assert response.json()["status"] == "degraded"


def test_healthz_reports_the_calendar_ok_when_this_and_next_year_are_loaded(
    client, this_and_next_year_loaded
):
    response = client.get("/healthz")

    assert response.json()["calendar"] == {"status": "ok", "missing": []}
