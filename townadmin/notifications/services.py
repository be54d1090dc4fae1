"""What an administrator does with the outbox: put messages that gave up back in the queue."""

from django.db import transaction
from django.utils import timezone

from townadmin.audit import record_transition
from townadmin.models.outbox import OutboxMessage
from townadmin.notifications.enqueue import wake_relay

Status = OutboxMessage.Status


def outbox_messages_retry(*, message_ids, actor):
    """Give failed messages a fresh set of attempts; return how many were failed.

    Messages that are not failed (pending, sent) are left as they are: retrying a
    sent message would send it twice.
    """
    with transaction.atomic():
        failed = list(
            OutboxMessage.objects.select_for_update()
            .filter(pk__in=message_ids, status=Status.FAILED)
            .order_by("pk")
        )
        OutboxMessage.objects.filter(pk__in=[message.pk for message in failed]).update(
            status=Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        for message in failed:
            record_transition(
                obj=message,
                from_status=Status.FAILED,
                to_status=Status.PENDING,
                actor=actor,
                payload={"last_error": message.last_error},
            )
        if failed:
            transaction.on_commit(wake_relay)
    return len(failed)
