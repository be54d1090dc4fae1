"""The public status page: lookup by receipt and code, the rating form, online pre-submission."""

import pytest
from django.urls import reverse

from servicecenter.choices import RatingLevel, RatingTag
from servicecenter.models import Application, Rating, Rectification
from servicecenter.services.ratings import LOOKUP_ATTEMPTS
from servicecenter.views_public import BAD_NEXT, NOT_FOUND, THANKS
from tests.servicecenter.factories import material_ids
from tests.servicecenter.test_ratings import completed

pytestmark = pytest.mark.django_db

STATUS = reverse("servicecenter:public-status")
RATE = reverse("servicecenter:public-rate")


@pytest.fixture
def client(client, settings):
    """A browser that reads the pages in English, the language the assertions are in."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def application(item_a, clerk_a, approver_a, applicant):
    return completed(item_a, clerk_a, approver_a, applicant)


def look_up(client, receipt_no, code):
    return client.post(STATUS, {"receipt_no": receipt_no, "code": code})


def test_the_receipt_and_its_code_open_the_status_page_without_the_code_in_the_url(
    client, application
):
    response = look_up(client, application.receipt_no, application.verification_code)

    assert response.status_code == 302
    assert response["Location"] == STATUS
    page = client.get(STATUS)
    assert page.context["application"] == application
    assert application.verification_code not in page.content.decode()


def test_the_status_page_shows_the_steps_but_no_staff_names(client, application, clerk_a):
    look_up(client, application.receipt_no, application.verification_code)

    page = client.get(STATUS).content.decode()

    assert "completed: approved" in page and "accepted" in page
    assert clerk_a.display_name not in page
    assert application.applicant_id_number not in page


def test_a_wrong_code_and_an_unknown_receipt_get_the_same_message(client, application):
    wrong = look_up(client, application.receipt_no, "000000")
    unknown = look_up(client, "990100101-20260101-999999", application.verification_code)

    assert wrong.status_code == unknown.status_code == 404
    assert wrong.context["form"].non_field_errors() == [str(NOT_FOUND)]
    assert unknown.context["form"].non_field_errors() == [str(NOT_FOUND)]
    assert client.get(STATUS).context.get("application") is None


def test_a_receipt_tried_with_too_many_wrong_codes_is_locked_for_a_while(client, application):
    for attempt in range(LOOKUP_ATTEMPTS):
        look_up(client, application.receipt_no, f"{attempt:06d}x")

    response = look_up(client, application.receipt_no, application.verification_code)

    assert response.status_code == 404


def test_a_completed_application_shows_the_rating_form_with_the_five_chinese_levels(
    client, application
):
    look_up(client, application.receipt_no, application.verification_code)

    form = client.get(STATUS).context["rating_form"]

    assert [label for _value, label in form.fields["level"].choices] == [
        "非常满意 (very satisfied)",
        "满意 (satisfied)",
        "基本满意 (basically satisfied)",
        "不满意 (dissatisfied)",
        "非常不满意 (very dissatisfied)",
    ]


def test_a_rating_on_the_page_thanks_the_applicant_and_the_form_is_gone(client, application):
    look_up(client, application.receipt_no, application.verification_code)

    response = client.post(
        RATE, {"level": RatingLevel.VERY_SATISFIED, "tags": [RatingTag.FRIENDLY]}, follow=True
    )

    assert [str(message) for message in response.context["messages"]] == [str(THANKS)]
    assert response.context["rating_form"] is None
    rating = Rating.objects.get(application=application)
    assert (rating.level, rating.tags) == (5, ["friendly"])


def test_a_bad_rating_on_the_page_says_what_happens_next(client, application, settings):
    settings.RECTIFICATION_WORKDAYS = 15
    look_up(client, application.receipt_no, application.verification_code)

    response = client.post(RATE, {"level": RatingLevel.DISSATISFIED}, follow=True)

    messages = [str(message) for message in response.context["messages"]]
    assert messages == [str(THANKS), str(BAD_NEXT % {"days": 15})]
    assert Rectification.objects.filter(rating__application=application).exists()


def test_a_rating_needs_a_level(client, application):
    look_up(client, application.receipt_no, application.verification_code)

    response = client.post(RATE, {"tags": [RatingTag.FRIENDLY]})

    assert response.status_code == 400
    assert response.context["rating_form"].errors["level"]
    assert not Rating.objects.exists()


def test_rating_without_a_looked_up_application_rates_nothing(client, application):
    response = client.post(RATE, {"level": RatingLevel.VERY_SATISFIED})

    assert response.status_code == 302
    assert not Rating.objects.exists()


def test_a_second_rating_from_a_stale_page_is_refused_with_a_message(client, application):
    look_up(client, application.receipt_no, application.verification_code)
    client.post(RATE, {"level": RatingLevel.SATISFIED})

    response = client.post(RATE, {"level": RatingLevel.VERY_DISSATISFIED}, follow=True)

    assert response.context["messages"]
    assert list(Rating.objects.values_list("level", flat=True)) == [RatingLevel.SATISFIED]


def test_forgetting_the_application_shows_the_lookup_form_again(client, application):
    look_up(client, application.receipt_no, application.verification_code)

    client.post(reverse("servicecenter:public-status-forget"))

    assert client.get(STATUS).context.get("application") is None


def test_an_online_pre_submission_is_a_draft_whose_receipt_and_code_are_shown(
    client, item_a, applicant
):
    url = reverse("servicecenter:public-apply", args=[item_a.town.code, item_a.code])
    key = client.get(url).context["form"]["idempotency_key"].value()
    body = {
        "applicant_type": "person",
        "name": applicant["name"],
        "id_number": applicant["id_number"],
        "phone": applicant["phone"],
        "materials": [str(pk) for pk in material_ids(item_a, "申请表")],
        "idempotency_key": key,
    }

    response = client.post(url, body, follow=True)

    application = Application.objects.get()
    assert (application.status, application.channel, application.filed_by) == (
        "draft",
        "online",
        None,
    )
    page = response.content.decode()
    assert application.receipt_no in page and application.verification_code in page
    assert response.context["rating_form"] is None


def test_sending_the_online_form_twice_makes_one_application(client, item_a, applicant):
    url = reverse("servicecenter:public-apply", args=[item_a.town.code, item_a.code])
    body = {
        "applicant_type": "person",
        "name": applicant["name"],
        "id_number": applicant["id_number"],
        "phone": applicant["phone"],
        "idempotency_key": "f" * 32,
    }

    client.post(url, body)
    client.post(url, body)

    assert Application.objects.count() == 1


def test_a_mistyped_identity_number_online_creates_nothing(client, item_a, applicant):
    url = reverse("servicecenter:public-apply", args=[item_a.town.code, item_a.code])
    wrong = applicant["id_number"][:-1] + ("0" if applicant["id_number"][-1] != "0" else "1")

    response = client.post(
        url,
        {
            "applicant_type": "person",
            "name": applicant["name"],
            "id_number": wrong,
            "phone": "13800138000",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["id_number"]
    assert not Application.objects.exists()
