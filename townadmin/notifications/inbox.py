"""The in-app inbox: what a user reads ("My messages", the workbench, the nav badge) and marks read.

A user only ever sees and changes their own messages; asking for another
user's message raises ``InboxMessage.DoesNotExist`` (a 404 in the views).
"""

from django.utils import timezone

from townadmin.models.outbox import InboxMessage


def inbox_for(user):
    """The user's messages, newest first, with what a list shows."""
    return (
        InboxMessage.objects.filter(user=user).select_related("town").order_by("-created_at", "-pk")
    )


def unread_count(user):
    return InboxMessage.objects.filter(user=user, read_at__isnull=True).count()


def inbox_message_mark_read(*, message_id, actor):
    """Mark one of the actor's messages read (a no-op if it already is); return it."""
    # Conditional, so a second click keeps the time it was first read.
    InboxMessage.objects.filter(pk=message_id, user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return inbox_for(actor).get(pk=message_id)


def inbox_mark_all_read(*, actor):
    """Mark every unread message of the actor read; return how many were unread."""
    return InboxMessage.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
