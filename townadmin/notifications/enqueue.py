"""notify(): outbox rows in the caller's transaction, and a wake-up for the relay after commit."""

import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import Truncator

from townadmin.models.outbox import OutboxMessage

logger = logging.getLogger(__name__)

Channel = OutboxMessage.Channel
PHONE = re.compile(r"^\+?\d{5,20}$")
SAFE_LINK = re.compile(r"^(/(?!/)|https?://)")
SUBJECT_LENGTH = OutboxMessage._meta.get_field("subject").max_length


def notify(
    *,
    recipients,
    subject,
    body,
    channels=(Channel.INBOX,),
    town=None,
    link="",
    dedupe_key=None,
) -> int:
    """Enqueue one outbox row per recipient and channel; return how many were enqueued.

    ``recipients`` are users, or plain addresses: an email address for the email
    channel, a mobile number for SMS. A channel a recipient cannot receive is
    skipped: a user without an email address gets no email, an address has no
    inbox. ``link`` is a path on this site (or an http(s) URL) shown in the inbox.

    With ``dedupe_key``, a notification already enqueued under that key for the
    same recipient and channel is not enqueued again, by this call or by a
    concurrent transaction (the unique constraints decide; the returned count
    may then include rows the database dropped).

    Call it inside the transaction of the change it reports: the rows commit or
    roll back with it. Raises ValueError for an unknown channel, an unusable
    address or an unsafe link (programming errors, not user input).
    """
    channels = [Channel(channel) for channel in channels]
    if link and not SAFE_LINK.match(link):
        raise ValueError(f"notify() link must be a site path or an http(s) URL, not {link!r}")
    # Messages go to other people than the one acting: render them in the portal's
    # language, not in the language the actor happens to browse in.
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = str(subject), str(body)
    # A subject too long for its column must not fail the change that notifies.
    subject = Truncator(subject).chars(SUBJECT_LENGTH)
    now = timezone.now()
    rows = {}
    for recipient in recipients:
        for channel in channels:
            target = _target(recipient, channel)
            if target is None or target[0] in rows:
                continue
            identity, recipient_id, address = target
            rows[identity] = OutboxMessage(
                channel=channel,
                recipient_id=recipient_id,
                address=address,
                subject=subject,
                body=body,
                link=link,
                town=town,
                dedupe_key=dedupe_key or "",
                created_at=now,
                next_attempt_at=now,
            )
    if dedupe_key:
        for identity in _already_enqueued(dedupe_key, rows):
            del rows[identity]
    if not rows:
        return 0
    # ON CONFLICT DO NOTHING settles a race with a concurrent notify() of the same key.
    OutboxMessage.objects.bulk_create(rows.values(), ignore_conflicts=bool(dedupe_key))
    _wake_relay_on_commit()
    return len(rows)


def _target(recipient, channel):
    """(identity, recipient id, address) of a recipient on a channel, or None if it has none.

    The identity matches the unique constraints: a user is the user on every
    channel; a plain address is the address.
    """
    if isinstance(recipient, str):
        address = _plain_address(recipient)
        wanted = Channel.EMAIL if "@" in address else Channel.SMS
        return ((channel, None, address), None, address) if channel == wanted else None
    if channel == Channel.INBOX:
        address = ""
    elif channel == Channel.EMAIL:
        address = recipient.email.strip()
    else:
        address = re.sub(r"[\s-]", "", recipient.phone)
    if channel != Channel.INBOX and not address:
        return None
    return (channel, recipient.pk, ""), recipient.pk, address


def _plain_address(value):
    if "@" in value:
        try:
            validate_email(value.strip())
        except ValidationError as error:
            raise ValueError(f"not an email address: {value!r}") from error
        return value.strip()
    phone = re.sub(r"[\s-]", "", value)
    if not PHONE.match(phone):
        raise ValueError(f"neither an email address nor a phone number: {value!r}")
    return phone


def _already_enqueued(dedupe_key, rows):
    # One lookup per partial unique index, each with its index's predicate: without the
    # predicates no index serves the lookup, and a sweep that notifies thousands of new
    # cards scans the outbox once per card (bench/sweep.py).
    keyed = OutboxMessage.objects.filter(
        ~Q(dedupe_key=""), dedupe_key=dedupe_key, channel__in={identity[0] for identity in rows}
    ).order_by()
    columns = ("channel", "recipient_id", "address")
    existing = (
        keyed.filter(recipient__isnull=False)
        .values_list(*columns)
        .union(keyed.filter(recipient__isnull=True).values_list(*columns))
    )
    enqueued = {
        (channel, recipient_id, "" if recipient_id else address)
        for channel, recipient_id, address in existing
    }
    return [identity for identity in rows if identity in enqueued]


def _wake_relay_on_commit():
    # One wake-up per transaction is enough, however many notify() calls it makes
    # (a sweep may notify about hundreds of objects). A callback dropped by a
    # rolled-back savepoint leaves the list, so this check never loses a wake-up.
    pending = transaction.get_connection().run_on_commit
    if not any(callback is wake_relay for _, callback, _ in pending):
        transaction.on_commit(wake_relay)


def wake_relay():
    """Ask a worker to relay now. Best effort: the beat entry relays anyway."""
    from townadmin.tasks import relay_outbox  # tasks imports the relay, which imports models

    try:
        relay_outbox.delay()
    except Exception:
        # The change has committed; raising here would turn a saved write into an
        # error page. A stopped Redis raises kombu's OperationalError, a sick one
        # (out of memory, a read-only replica) raises others: all mean "later".
        logger.warning(
            "Could not wake the outbox relay (is the broker down?); "
            "its beat entry will deliver the pending messages.",
            exc_info=True,
        )
