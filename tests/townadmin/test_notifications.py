"""The outbox relay and its channels: inbox exactly once, email and SMS through their backends,
failures retried then given up, and concurrent relays that never deliver a message twice."""

import logging
import socket
import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from townadmin.audit import timeline
from townadmin.models import User
from townadmin.models.outbox import InboxMessage, OutboxMessage
from townadmin.notifications import notify, relay
from townadmin.notifications.relay import relay_pending, retry_delay
from townadmin.notifications.services import outbox_messages_retry
from townadmin.tasks import relay_outbox

Status = OutboxMessage.Status


class RecordingSmsBackend:
    """An SMS gateway that keeps what it was given (the provider is outside our system)."""

    sent = []

    def send(self, *, phone, text, reference):
        self.sent.append((phone, text, reference))


@pytest.fixture
def clerk(db):
    return User.objects.create_user("clerk", email="clerk@example.cn", phone="13800138000")


@pytest.fixture
def recording_sms(settings):
    settings.SMS_BACKEND = f"{__name__}.RecordingSmsBackend"
    RecordingSmsBackend.sent = []
    return RecordingSmsBackend.sent


@pytest.fixture
def unreachable_smtp(settings):
    """Django's SMTP backend pointed at a port nobody listens on: a real delivery failure."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2


def test_the_relay_delivers_an_inbox_message_and_marks_its_row_sent(clerk):
    notify(recipients=[clerk], subject="Accepted", body="Your request was accepted.", link="/x/")

    assert relay_pending() == 1

    row = OutboxMessage.objects.get()
    inbox = InboxMessage.objects.get()
    assert (row.status, row.attempts, row.sent_at is not None) == (Status.SENT, 1, True)
    assert (inbox.user, inbox.subject, inbox.body, inbox.link, inbox.outbox_message) == (
        clerk,
        "Accepted",
        "Your request was accepted.",
        "/x/",
        row,
    )


def test_running_the_relay_again_delivers_nothing_new(clerk):
    notify(recipients=[clerk], subject="Accepted", body="", channels=("inbox", "email"))
    relay_pending()

    assert relay_pending() == 0
    assert InboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_relay_task_runs_the_relay(clerk):
    notify(recipients=[clerk], subject="Accepted", body="")

    relay_outbox.apply()

    assert InboxMessage.objects.filter(user=clerk).count() == 1


def test_an_inbox_message_keeps_the_time_of_the_notification_not_of_the_relay(clerk):
    notify(recipients=[clerk], subject="Accepted", body="")
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(hours=3))

    relay_pending()

    assert InboxMessage.objects.get().created_at == OutboxMessage.objects.get().created_at


def test_email_goes_through_the_configured_email_backend_with_a_stable_message_id(clerk):
    notify(recipients=[clerk], subject="Due tomorrow", body="Please act.", channels=("email",))

    relay_pending()

    row = OutboxMessage.objects.get()
    [email] = mail.outbox
    assert (email.to, email.subject, email.body) == (
        ["clerk@example.cn"],
        "Due tomorrow",
        "Please act.",
    )
    assert email.extra_headers["Message-ID"].startswith(f"<outbox-{row.pk}@")
    assert row.status == Status.SENT


def test_sms_goes_through_the_backend_named_in_settings(clerk, recording_sms):
    notify(recipients=[clerk], subject="Due tomorrow", body="Please act.", channels=("sms",))

    relay_pending()

    row = OutboxMessage.objects.get()
    assert recording_sms == [("13800138000", "Due tomorrow\nPlease act.", f"outbox-{row.pk}")]
    assert row.status == Status.SENT


def test_the_default_sms_backend_logs_the_message_with_the_number_masked(clerk, caplog):
    assert settings.SMS_BACKEND == "townadmin.sms.LoggingSmsBackend"
    notify(recipients=[clerk], subject="Due tomorrow", body="", channels=("sms",))

    with caplog.at_level(logging.INFO, logger="townadmin.sms"):
        relay_pending()

    assert "138****8000" in caplog.text
    assert "Due tomorrow" in caplog.text
    assert "13800138000" not in caplog.text


def test_a_failed_email_stays_pending_with_its_error_and_waits_before_the_next_attempt(
    clerk, unreachable_smtp
):
    notify(recipients=[clerk], subject="Due", body="", channels=("email",))

    assert relay_pending() == 0

    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert row.last_error
    assert row.next_attempt_at > timezone.now()


def test_a_message_that_is_not_yet_due_for_retry_is_left_alone(clerk):
    notify(recipients=[clerk], subject="Due", body="", channels=("email",))
    OutboxMessage.objects.update(next_attempt_at=timezone.now() + timedelta(minutes=5))

    assert relay_pending() == 0
    assert mail.outbox == []


def test_a_message_that_keeps_failing_is_given_up_after_the_maximum_attempts(
    clerk, unreachable_smtp, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    notify(recipients=[clerk], subject="Due", body="", channels=("email",))
    relay_pending()
    OutboxMessage.objects.update(next_attempt_at=timezone.now())

    relay_pending()

    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == (Status.FAILED, 2)
    assert relay_pending() == 0


def test_a_failing_message_does_not_hold_up_the_others(clerk, unreachable_smtp, recording_sms):
    notify(recipients=[clerk], subject="Due", body="", channels=("email", "sms", "inbox"))

    assert relay_pending() == 2

    assert dict(OutboxMessage.objects.values_list("channel", "status")) == {
        "email": Status.PENDING,
        "sms": Status.SENT,
        "inbox": Status.SENT,
    }


def test_the_wait_between_attempts_doubles_up_to_an_hour():
    assert [retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 6, 7, 12)] == [
        2,
        4,
        8,
        60,
        60,
        60,
    ]


def test_the_relay_claims_rows_with_skip_locked(clerk):
    notify(recipients=[clerk], subject="Due", body="")

    with CaptureQueriesContext(connection) as queries:
        relay_pending()

    claims = [
        q["sql"] for q in queries if "townadmin_outboxmessage" in q["sql"] and "SELECT" in q["sql"]
    ]
    assert claims and all("FOR UPDATE SKIP LOCKED" in sql for sql in claims)


def test_relaying_ten_times_as_many_inbox_messages_costs_no_more_queries(db):
    users = User.objects.bulk_create(User(username=f"u{n}") for n in range(100))

    def queries_to_relay(recipients):
        notify(recipients=recipients, subject="Due", body="")
        with CaptureQueriesContext(connection) as queries:
            relay_pending()
        return len(queries)

    assert queries_to_relay(users[:10]) == queries_to_relay(users[10:])


def test_the_beat_schedule_relays_the_outbox_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["relay-outbox"]

    assert entry["task"] == relay_outbox.name
    assert entry["schedule"] == timedelta(seconds=60)
    assert entry["options"]["expires"] < 60


def test_two_relays_running_at_once_deliver_each_message_exactly_once(
    transactional_db, monkeypatch
):
    # Small batches, so that the two relays interleave on the inbox rows too.
    monkeypatch.setattr(relay, "INBOX_BATCH_SIZE", 10)
    users = User.objects.bulk_create(
        User(username=f"u{n}", email=f"u{n}@example.cn") for n in range(150)
    )
    # Rows only: notify() would also publish a wake-up to the broker, which this test
    # does not need (it runs the relays itself).
    OutboxMessage.objects.bulk_create(
        OutboxMessage(channel=channel, recipient=user, address=address, subject="Due")
        for user in users
        for channel, address in (("inbox", ""), ("email", user.email))
    )
    start = threading.Barrier(2)
    delivered = []

    def run_relay():
        try:
            start.wait()
            delivered.append(relay_pending())
        finally:
            connection.close()

    threads = [threading.Thread(target=run_relay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(delivered) == 300
    assert InboxMessage.objects.count() == 150
    assert len(mail.outbox) == 150
    assert len({email.to[0] for email in mail.outbox}) == 150
    assert not OutboxMessage.objects.exclude(status=Status.SENT).exists()


def test_an_administrator_puts_a_message_that_gave_up_back_in_the_queue(clerk, admin_user):
    notify(recipients=[clerk], subject="Due", body="", channels=("email",))
    OutboxMessage.objects.update(status=Status.FAILED, attempts=8, last_error="SMTP down")
    row = OutboxMessage.objects.get()

    assert outbox_messages_retry(message_ids=[row.pk], actor=admin_user) == 1

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 0)
    [step] = timeline(row)
    assert (step.from_status, step.to_status, step.actor) == ("failed", "pending", admin_user)
    relay_pending()
    assert len(mail.outbox) == 1


def test_retrying_leaves_sent_messages_alone(clerk, admin_user):
    notify(recipients=[clerk], subject="Due", body="")
    relay_pending()
    row = OutboxMessage.objects.get()

    assert outbox_messages_retry(message_ids=[row.pk], actor=admin_user) == 0

    row.refresh_from_db()
    assert row.status == Status.SENT


def test_the_admin_retries_the_selected_failed_messages(clerk, admin_client):
    notify(recipients=[clerk], subject="Due", body="", channels=("email",))
    OutboxMessage.objects.update(status=Status.FAILED)
    row = OutboxMessage.objects.get()

    admin_client.post(
        reverse("admin:townadmin_outboxmessage_changelist"),
        {"action": "retry", "_selected_action": [row.pk]},
    )

    row.refresh_from_db()
    assert row.status == Status.PENDING


def test_the_outbox_admin_lists_messages_read_only(clerk, admin_client):
    notify(recipients=[clerk], subject="Due", body="")
    row = OutboxMessage.objects.get()

    listing = admin_client.get(reverse("admin:townadmin_outboxmessage_changelist"))
    detail = admin_client.get(reverse("admin:townadmin_outboxmessage_change", args=[row.pk]))

    assert listing.status_code == detail.status_code == 200
    assert b"Due" in listing.content
    assert b'name="subject"' not in detail.content
