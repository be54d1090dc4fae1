"""notify() and the outbox table: rows in the caller's transaction, deduplicated, well-formed."""

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from townadmin.models import County, Town, User
from townadmin.models.outbox import OutboxMessage
from townadmin.notifications import notify
from townadmin.notifications.enqueue import wake_relay

pytestmark = pytest.mark.django_db

Channel = OutboxMessage.Channel


@pytest.fixture
def town():
    county = County.objects.create(code="371122", name="莒县", province="山东省")
    return Town.objects.create(county=county, code="371122104", name="夏庄镇")


@pytest.fixture
def clerk():
    return User.objects.create_user(
        "clerk", email="clerk@xiazhuang.example.cn", phone="138 0013 8000"
    )


@pytest.fixture
def approver():
    return User.objects.create_user("approver", email="", phone="")


def test_it_enqueues_one_pending_row_per_recipient_and_channel(clerk, town):
    count = notify(
        recipients=[clerk],
        subject="Application due",
        body="Due tomorrow.",
        channels=("inbox", "email", "sms"),
        town=town,
        link="/hall/applications/1/",
    )

    rows = OutboxMessage.objects.order_by("channel")
    assert count == 3
    assert [(row.channel, row.address) for row in rows] == [
        ("email", "clerk@xiazhuang.example.cn"),
        ("inbox", ""),
        ("sms", "13800138000"),
    ]
    assert {row.status for row in rows} == {OutboxMessage.Status.PENDING}
    assert {(row.recipient_id, row.town_id, row.subject) for row in rows} == {
        (clerk.pk, town.pk, "Application due")
    }


def test_the_inbox_is_the_default_channel(clerk):
    notify(recipients=[clerk], subject="Hello", body="")

    assert list(OutboxMessage.objects.values_list("channel", flat=True)) == [Channel.INBOX]


def test_a_user_without_an_email_address_or_phone_gets_only_the_inbox(approver):
    count = notify(
        recipients=[approver], subject="Hello", body="", channels=("inbox", "email", "sms")
    )

    assert count == 1
    assert OutboxMessage.objects.get().channel == Channel.INBOX


def test_a_plain_address_gets_email_or_sms_but_has_no_inbox():
    count = notify(
        recipients=["villager@example.cn", "139-0000-1111"],
        subject="Your licence is ready",
        body="",
        channels=("inbox", "email", "sms"),
    )

    assert count == 2
    assert set(OutboxMessage.objects.values_list("channel", "recipient", "address")) == {
        ("email", None, "villager@example.cn"),
        ("sms", None, "13900001111"),
    }


def test_a_recipient_listed_twice_is_notified_once(clerk):
    assert notify(recipients=[clerk, clerk], subject="Hello", body="") == 1


def test_the_same_dedupe_key_is_never_enqueued_twice(clerk, approver):
    first = notify(
        recipients=[clerk], subject="Red", body="", channels=("inbox", "email"), dedupe_key="k1"
    )
    second = notify(
        recipients=[clerk, approver],
        subject="Red",
        body="",
        channels=("inbox", "email"),
        dedupe_key="k1",
    )

    assert (first, second) == (2, 1)  # only the approver's inbox is new
    assert OutboxMessage.objects.filter(dedupe_key="k1").count() == 3


def test_a_dedupe_key_applies_to_plain_addresses_too():
    notify(recipients=["a@example.cn"], subject="x", body="", channels=("email",), dedupe_key="k")

    again = notify(
        recipients=["a@example.cn"], subject="x", body="", channels=("email",), dedupe_key="k"
    )

    assert again == 0
    assert OutboxMessage.objects.count() == 1


def test_the_database_refuses_a_duplicate_that_bypasses_notify(clerk):
    OutboxMessage.objects.create(
        channel=Channel.INBOX, recipient=clerk, subject="x", dedupe_key="k"
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxMessage.objects.create(
            channel=Channel.INBOX, recipient=clerk, subject="x", dedupe_key="k"
        )


def test_without_a_dedupe_key_the_same_text_may_be_sent_again(clerk):
    notify(recipients=[clerk], subject="Reminder", body="")
    notify(recipients=[clerk], subject="Reminder", body="")

    assert OutboxMessage.objects.count() == 2


def test_the_rows_roll_back_with_the_change_that_notified(clerk):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[clerk], subject="Accepted", body="")
        raise RuntimeError("the service failed after notifying")

    assert not OutboxMessage.objects.exists()


def test_it_wakes_the_relay_once_after_commit_however_often_it_notifies(
    clerk, approver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        notify(recipients=[clerk], subject="One", body="")
        notify(recipients=[approver], subject="Two", body="")

    assert callbacks == [wake_relay]


def test_it_does_not_wake_the_relay_when_nothing_was_enqueued(
    approver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        count = notify(recipients=[approver], subject="x", body="", channels=("email",))

    assert (count, callbacks) == (0, [])


def test_messages_are_written_in_the_portal_language_not_the_actors(clerk):
    with translation.override("en"):
        notify(recipients=[clerk], subject=_("Home"), body="")

    with translation.override(settings.LANGUAGE_CODE):
        expected = str(_("Home"))
    assert OutboxMessage.objects.get().subject == expected


@pytest.mark.parametrize("channel", ["fax", "wechat"])
def test_it_refuses_an_unknown_channel(clerk, channel):
    with pytest.raises(ValueError):
        notify(recipients=[clerk], subject="x", body="", channels=(channel,))
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("address", ["not-an-address", "a@b", "12"])
def test_it_refuses_a_plain_address_that_is_neither_email_nor_phone(address):
    with pytest.raises(ValueError):
        notify(recipients=[address], subject="x", body="", channels=("email", "sms"))


@pytest.mark.parametrize("link", ["javascript:alert(1)", "//evil.example/", "data:text/html,x"])
def test_it_refuses_a_link_that_is_not_a_site_path_or_web_address(clerk, link):
    with pytest.raises(ValueError):
        notify(recipients=[clerk], subject="x", body="", link=link)


def test_an_inbox_row_without_a_recipient_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxMessage.objects.create(channel=Channel.INBOX, subject="x")


def test_an_email_row_without_an_address_is_refused_by_the_database(clerk):
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxMessage.objects.create(channel=Channel.EMAIL, recipient=clerk, subject="x")


def test_a_subject_too_long_for_its_column_is_shortened_not_refused(clerk):
    notify(recipients=[clerk], subject="长" * 300, body="")

    subject = OutboxMessage.objects.get().subject
    assert len(subject) == 200
    assert subject.startswith("长" * 190)
