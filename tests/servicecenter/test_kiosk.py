"""Self-service kiosks (自助终端): an instant item (即办件) is filed, accepted and approved in
one call, each step in the timeline; anything else is refused before a row is written."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from servicecenter.choices import Channel
from servicecenter.models import Application
from servicecenter.services import application_self_service
from servicecenter.services.kiosk import NOT_INSTANT
from servicecenter.services.window import STILL_MISSING
from tests.conftest import _persona
from tests.servicecenter.factories import make_item, material_ids, person
from townadmin.audit import timeline
from townadmin.models.audit import Transition

pytestmark = pytest.mark.django_db

# An instant item's guide: the form and the identity document, nothing to wait for.
INSTANT_MATERIALS = (
    ("申请表", "original", True, False, ""),
    ("申请人身份证明", "original_and_copy", True, False, ""),
)


@pytest.fixture
def kiosk_a(unit_a, posting_admin):
    """Town A's kiosk account: it holds the window's and the approver's reach."""
    from townadmin.choices import Role
    from townadmin.services import posting_create

    kiosk = _persona("kiosk_a", "甲镇自助终端", Role.WINDOW_CLERK, unit_a, posting_admin)
    posting_create(
        user=kiosk,
        department=unit_a,
        role=Role.APPROVER,
        valid_from=datetime.date(2026, 1, 1),
        actor=posting_admin,
    )
    return kiosk


@pytest.fixture
def instant_item(town_a):
    return make_item(
        town_a,
        name="农村五保供养证明",
        promised=0,
        statutory=0,
        channels=(Channel.WINDOW, Channel.KIOSK),
        materials=INSTANT_MATERIALS,
    )


def self_service(item, kiosk, *, materials=None, key=""):
    return application_self_service(
        item=item,
        applicant=person(),
        materials=material_ids(item) if materials is None else materials,
        actor=kiosk,
        idempotency_key=key,
    )


def test_an_instant_item_is_approved_in_one_call(instant_item, kiosk_a):
    application, created = self_service(instant_item, kiosk_a)

    application = Application.objects.get(pk=application.pk)
    assert created is True
    assert application.status == Application.Status.APPROVED
    assert application.channel == Channel.KIOSK
    # The kiosk prints one slip: the receipt number is the certificate number.
    assert application.certificate_no == application.receipt_no
    assert application.completed_on_time is True


def test_the_kiosk_records_intake_acceptance_and_approval_in_the_timeline(instant_item, kiosk_a):
    application, _created = self_service(instant_item, kiosk_a)

    assert [(step.from_status, step.to_status) for step in timeline(application)] == [
        ("", "received"),
        ("received", "accepted"),
        ("accepted", "approved"),
    ]


def test_an_instant_items_clocks_start_and_end_on_the_day(instant_item, kiosk_a):
    application, _created = self_service(instant_item, kiosk_a)

    today = timezone.localdate()
    assert (application.due_date, application.statutory_due_date) == (today, today)


def test_a_promised_item_cannot_be_completed_at_a_kiosk(town_a, kiosk_a):
    promised = make_item(town_a, channels=(Channel.WINDOW, Channel.KIOSK))

    with pytest.raises(ValidationError) as raised:
        self_service(promised, kiosk_a)

    assert raised.value.message_dict == {"service_item": [NOT_INSTANT]}
    assert not Application.objects.exists()


def test_a_missing_material_at_the_kiosk_leaves_no_half_filed_application(instant_item, kiosk_a):
    with pytest.raises(ValidationError) as raised:
        self_service(instant_item, kiosk_a, materials=material_ids(instant_item, "申请表"))

    assert raised.value.messages == [STILL_MISSING % {"names": "申请人身份证明"}]
    assert not Application.objects.exists()
    assert not Transition.objects.filter(content_type__model="application").exists()


def test_a_kiosk_retry_with_the_same_key_returns_the_first_application(instant_item, kiosk_a):
    first, _created = self_service(instant_item, kiosk_a, key="kiosk-7")

    again, created = self_service(instant_item, kiosk_a, key="kiosk-7")

    assert (again.pk, created) == (first.pk, False)
    assert Application.objects.count() == 1
