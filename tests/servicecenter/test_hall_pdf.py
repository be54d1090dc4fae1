"""The notices as PDFs (/hall/notices/<id>.pdf): re-rendered from each notice's content
snapshot, every one carrying the receipt number and its own document number."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from servicecenter.choices import NoticeKind
from servicecenter.models import Notice
from servicecenter.services import (
    application_accept,
    application_complete,
    application_intake,
    application_notify_missing,
    application_refuse,
)
from tests.servicecenter.factories import material_ids, person
from townadmin.models.calendar import CalendarYear

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def next_year_on_the_calendar(db):
    """A clock started today may run into next year: mark it loaded, as an administrator
    does once the State Council publishes it."""
    CalendarYear.objects.get_or_create(year=timezone.localdate().year + 1)


def take(item, clerk, *presented):
    application, _created = application_intake(
        item=item,
        channel="window",
        applicant=person(),
        materials=material_ids(item, *presented),
        actor=clerk,
    )
    return application


def pdf_url(notice):
    return reverse("servicecenter:hall-notice-pdf", args=[notice.pk])


def text_of(response):
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    # Line breaks are where the layout wrapped, not part of the text.
    return "".join(page.extract_text().replace("\n", "").replace(" ", "") for page in pages)


def notice_of(application, kind):
    return Notice.objects.get(application=application, kind=kind)


def test_the_one_time_notice_lists_the_missing_material_with_the_receipt_number(
    client_as, clerk_a, item_a
):
    application = take(item_a, clerk_a, "申请表", "申请人身份证明")
    application_notify_missing(application=application, actor=clerk_a)
    notice = notice_of(application, NoticeKind.ONE_TIME)

    response = client_as(clerk_a).get(pdf_url(notice))

    assert response.status_code == 200
    text = text_of(response)
    assert "建设工程设计方案" in text
    assert application.receipt_no in text
    assert notice.number in text
    assert item_a.exercised_in_name_of in text


def test_the_acceptance_notice_carries_the_verification_code_for_the_public_lookup(
    client_as, clerk_a, item_a
):
    application = take(item_a, clerk_a, "申请表", "申请人身份证明", "建设工程设计方案")
    application_accept(application=application, actor=clerk_a)

    response = client_as(clerk_a).get(pdf_url(notice_of(application, NoticeKind.ACCEPTANCE)))

    text = text_of(response)
    assert application.verification_code in text
    assert application.receipt_no in text


def test_the_commitment_lists_the_pending_material(client_as, clerk_a, item_a):
    application = take(item_a, clerk_a, "申请表", "申请人身份证明")
    application_accept(
        application=application,
        actor=clerk_a,
        pending=material_ids(item_a, "建设工程设计方案"),
        commitment="本人承诺按期补交设计方案",
        pending_until=timezone.localdate() + datetime.timedelta(days=3),
    )

    response = client_as(clerk_a).get(pdf_url(notice_of(application, NoticeKind.PENDING)))

    text = text_of(response)
    assert "建设工程设计方案" in text
    assert "本人承诺按期补交设计方案" in text


def test_the_notice_of_refusal_gives_the_reason_and_the_remedy(client_as, clerk_a, item_a):
    application = take(item_a, clerk_a)
    application_refuse(application=application, actor=clerk_a, reason="不属于本镇受理范围")

    response = client_as(clerk_a).get(pdf_url(notice_of(application, NoticeKind.REFUSAL)))

    text = text_of(response)
    assert "不属于本镇受理范围" in text
    assert item_a.remedy_channel in text


def test_the_decision_carries_the_certificate_number(client_as, clerk_a, approver_a, item_a):
    application = take(item_a, clerk_a, "申请表", "申请人身份证明", "建设工程设计方案")
    application_accept(application=application, actor=clerk_a)
    application_complete(
        application=application, actor=approver_a, decision="approved", certificate_no="乡字第8号"
    )

    response = client_as(approver_a).get(pdf_url(notice_of(application, NoticeKind.DECISION)))

    text = text_of(response)
    assert "乡字第8号" in text
    assert application.receipt_no in text


def test_a_clerk_of_another_town_gets_404_on_the_pdf(client_as, clerk_a, clerk_b, item_a):
    application = take(item_a, clerk_a, "申请表")
    application_notify_missing(application=application, actor=clerk_a)

    response = client_as(clerk_b).get(pdf_url(notice_of(application, NoticeKind.ONE_TIME)))

    assert response.status_code == 404


def test_a_receipt_of_materials_lists_what_was_received(client_as, clerk_a, item_a):
    application = take(item_a, clerk_a, "申请表")
    notice = application.notices.get(kind=NoticeKind.RECEIPT)

    text = text_of(client_as(clerk_a).get(pdf_url(notice)))

    assert "申请表" in text
    assert application.verification_code in text
