"""POST /api/v1/public/applications/{receipt_no}/rating/: the public rates its application."""

import threading

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from servicecenter.choices import Channel
from servicecenter.models import Rating, Rectification
from servicecenter.services import application_intake
from tests.servicecenter.test_ratings import completed

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(item_a, clerk_a, approver_a, applicant):
    return completed(item_a, clerk_a, approver_a, applicant)


def url(application):
    return reverse("public-application-rating", args=[application.receipt_no])


def rate(client, application, **body):
    body.setdefault("code", application.verification_code)
    return client.post(url(application), body, format="json")


def test_the_public_rates_a_completed_application_with_its_receipt_and_code(citizen, application):
    response = rate(citizen, application, level=5, tags=["friendly", "efficient"], comment="好")

    assert response.status_code == 201
    assert response.json() == {
        "receipt_no": application.receipt_no,
        "round": 1,
        "level": 5,
        "tags": ["friendly", "efficient"],
        "comment": "好",
        "rated_at": response.json()["rated_at"],
        "rectification": None,
    }


def test_a_bad_rating_answers_with_the_rectification_s_due_dates(citizen, application):
    response = rate(citizen, application, level=1, tags=["slow"])

    rectification = Rectification.objects.get()
    assert response.json()["rectification"] == {
        "status": "open",
        "call_back_due": rectification.due_date.isoformat(),
        "fix_due": rectification.fix_due_date.isoformat(),
    }


def test_a_second_rating_is_409_with_the_current_status(citizen, application):
    rate(citizen, application, level=4)

    response = rate(citizen, application, level=1)

    assert response.status_code == 409
    assert response.json()["current"] == {"status": "approved"}
    assert Rating.objects.count() == 1


def test_a_draft_cannot_be_rated_through_the_api(citizen, item_a, applicant):
    draft, _created = application_intake(
        item=item_a, channel=Channel.ONLINE, applicant=applicant, materials=[], actor=None
    )

    response = rate(citizen, draft, level=5)

    assert response.status_code == 409
    assert not Rating.objects.exists()


def test_a_wrong_code_is_the_same_404_as_an_unknown_receipt(citizen, application):
    wrong = rate(citizen, application, code="000000", level=5)
    unknown = citizen.post(
        reverse("public-application-rating", args=["990100101-20260101-999999"]),
        {"code": application.verification_code, "level": 5},
        format="json",
    )

    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    assert not Rating.objects.exists()


def test_an_empty_body_is_404_before_anything_about_the_body_is_said(citizen, application):
    response = citizen.post(url(application), {}, format="json")

    assert response.status_code == 404


def test_a_level_outside_the_five_is_400(citizen, application):
    response = rate(citizen, application, level=6)

    assert response.status_code == 400
    assert "level" in response.json()
    assert not Rating.objects.exists()


def test_an_unknown_tag_is_400(citizen, application):
    response = rate(citizen, application, level=5, tags=["nice"])

    assert response.status_code == 400
    assert "tags" in response.json()


def test_a_clerk_of_another_town_gets_the_same_404_without_the_code(
    api_client_as, clerk_b, application
):
    response = api_client_as(clerk_b).post(url(application), {"level": 1}, format="json")

    assert response.status_code == 404
    assert application.item.name not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_ratings_sent_at_once_make_one_rating_and_one_409(
    item_a, clerk_a, approver_a, applicant
):
    """Double-tapped on a slow phone: the application row lock lets one rating in."""
    application = completed(item_a, clerk_a, approver_a, applicant)
    start, answers = threading.Barrier(2), []

    def send(level):
        try:
            start.wait(timeout=10)
            answers.append(rate(APIClient(), application, level=level).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(level,)) for level in (1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(answers) == [201, 409]
    assert Rating.objects.filter(application=application).count() == 1
    assert Rectification.objects.count() == Rating.objects.filter(level=1).count()
