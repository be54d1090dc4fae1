"""Complaints from the public: linked to an application only with its receipt and code."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from servicecenter.models import Complaint
from servicecenter.services.complaints import complaint_submit
from servicecenter.views_public import COMPLAINT_RECEIVED
from tests.servicecenter.test_ratings import completed
from townadmin.audit import timeline
from townadmin.models.outbox import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(item_a, clerk_a, approver_a, applicant):
    return completed(item_a, clerk_a, approver_a, applicant)


def complain(town, **fields):
    return complaint_submit(
        town=town, name="张三", phone="13900139000", content="窗口人员态度生硬", **fields
    )


def test_a_complaint_with_the_receipt_and_its_code_is_linked_to_the_application(
    town_a, application
):
    complaint = complain(
        town_a, receipt_no=application.receipt_no, code=application.verification_code
    )

    assert complaint.application == application
    assert [step.to_status for step in timeline(complaint)] == ["open"]


def test_a_complaint_with_a_wrong_code_is_kept_without_the_link(town_a, application):
    complaint = complain(town_a, receipt_no=application.receipt_no, code="000000")

    assert complaint.application is None
    assert Complaint.objects.count() == 1


def test_a_complaint_to_another_town_is_not_linked_to_this_town_s_application(town_b, application):
    complaint = complain(
        town_b, receipt_no=application.receipt_no, code=application.verification_code
    )

    assert complaint.application is None


def test_a_complaint_needs_a_phone_to_answer_to(town_a):
    with pytest.raises(ValidationError) as error:
        complaint_submit(town=town_a, name="张三", phone="12", content="太慢")

    assert "phone" in error.value.message_dict
    assert not Complaint.objects.exists()


def test_the_town_s_leaders_and_the_first_clerk_are_told(town_a, application, leader_a, leader_b):
    complain(town_a, receipt_no=application.receipt_no, code=application.verification_code)

    told = set(
        OutboxMessage.objects.filter(channel="inbox", body="窗口人员态度生硬").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"leader_a", "clerk_a"}


def test_the_complaint_form_takes_a_complaint_and_thanks(client, town_a, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("servicecenter:public-complaint", args=[town_a.code])

    response = client.post(
        url, {"name": "李四", "phone": "13900139000", "content": "排队太久"}, follow=True
    )

    assert [str(message) for message in response.context["messages"]] == [str(COMPLAINT_RECEIVED)]
    complaint = Complaint.objects.get()
    assert (complaint.town, complaint.content, complaint.application) == (town_a, "排队太久", None)


def test_the_complaint_form_shows_the_service_s_errors(client, town_a):
    url = reverse("servicecenter:public-complaint", args=[town_a.code])

    response = client.post(url, {"name": "", "phone": "", "content": ""})

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "phone", "content"}
    assert not Complaint.objects.exists()
