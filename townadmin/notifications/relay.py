"""The outbox relay: claim due pending rows, deliver them, mark them, in one transaction.

Rows are claimed with ``SELECT ... FOR UPDATE SKIP LOCKED``: any number of
relays (the wake-up after each commit, the beat entry, two workers) can run at
once, each takes rows no other relay holds, and a row committed as sent is no
longer pending for anyone. Running the relay again delivers nothing new.
"""

import logging
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from townadmin.models.outbox import OutboxMessage
from townadmin.notifications.channels import EXTERNAL_SENDERS, deliver_to_inboxes

logger = logging.getLogger(__name__)

Channel = OutboxMessage.Channel
Status = OutboxMessage.Status
INBOX_BATCH_SIZE = 200
MAX_BACKOFF = timedelta(hours=1)


def relay_pending():
    """Deliver every due pending outbox message; return how many were sent."""
    sent = 0
    while claimed := _relay_inbox_batch():
        sent += claimed
    # A failed send is rescheduled into the future, so this loop ends.
    while (delivered := _relay_one_external()) is not None:
        sent += delivered
    return sent


def _claim(channels, limit):
    return list(
        OutboxMessage.objects.select_for_update(skip_locked=True)
        .filter(status=Status.PENDING, next_attempt_at__lte=timezone.now(), channel__in=channels)
        .order_by("pk")[:limit]
    )


def _relay_inbox_batch():
    """Deliver a batch of inbox messages; return how many. Exactly once: the inbox rows
    and the "sent" mark commit together or not at all."""
    with transaction.atomic():
        batch = _claim([Channel.INBOX], INBOX_BATCH_SIZE)
        if batch:
            deliver_to_inboxes(batch)
            _mark_sent(batch)
    return len(batch)


def _relay_one_external():
    """Send one email or SMS; return 1 if sent, 0 if it failed, None if none is due.

    At least once, not exactly once: the message leaves our hands before our
    COMMIT, and if the process dies in between the row is still pending and is
    sent again. Claiming one row per transaction and marking it sent right after
    the send returns keeps that window to one UPDATE and a COMMIT (a batch per
    transaction would resend the whole batch). The stable Message-ID / SMS
    reference lets the receiving side drop such a duplicate.
    """
    with transaction.atomic():
        claimed = _claim(list(EXTERNAL_SENDERS), 1)
        if not claimed:
            return None
        message = claimed[0]
        try:
            EXTERNAL_SENDERS[message.channel](message)
        except SoftTimeLimitExceeded:
            raise  # the task is out of time: roll back and let the next run retry
        except Exception as error:
            # Backends raise whatever their transport raises (SMTP, HTTP, a provider's
            # SDK): every failure of this one message is recorded, none stops the relay.
            _record_failure(message, error)
            return 0
        _mark_sent([message])
        return 1


def _mark_sent(messages):
    OutboxMessage.objects.filter(pk__in=[message.pk for message in messages]).update(
        status=Status.SENT,
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        last_error="",
    )


def _record_failure(message, error):
    attempts = message.attempts + 1
    gives_up = attempts >= settings.OUTBOX_MAX_ATTEMPTS
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=attempts,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        status=Status.FAILED if gives_up else Status.PENDING,
        next_attempt_at=timezone.now() + retry_delay(attempts),
    )
    logger.log(
        logging.ERROR if gives_up else logging.WARNING,
        "Outbox message %s (%s) failed on attempt %s%s: %s",
        message.pk,
        message.channel,
        attempts,
        ", giving up" if gives_up else "",
        error,
    )


def retry_delay(attempts):
    """2, 4, 8, ... minutes after each failed attempt, at most an hour."""
    return min(timedelta(minutes=2**attempts), MAX_BACKOFF)
