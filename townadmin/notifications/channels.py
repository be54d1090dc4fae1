"""Delivery on each channel: the in-app inbox in bulk, email and SMS one message at a time."""

from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME

from townadmin import sms
from townadmin.models.outbox import InboxMessage, OutboxMessage

Channel = OutboxMessage.Channel


def deliver_to_inboxes(messages):
    """Create the inbox messages of a batch of inbox outbox rows (one INSERT)."""
    InboxMessage.objects.bulk_create(
        InboxMessage(
            user_id=message.recipient_id,
            subject=message.subject,
            body=message.body,
            link=message.link,
            town_id=message.town_id,
            outbox_message=message,
            # The time of the event, not of the relay: a delayed relay keeps the order.
            created_at=message.created_at,
        )
        for message in messages
    )


def send_email(message):
    """Send through the configured EMAIL_BACKEND; raises if the backend fails."""
    EmailMessage(
        subject=message.subject,
        body=message.body,
        to=[message.address],
        # The same Message-ID on a resend lets mail servers and clients drop the duplicate.
        headers={"Message-ID": f"<outbox-{message.pk}@{DNS_NAME}>"},
    ).send()


def send_sms(message):
    """Send through settings.SMS_BACKEND; raises if the backend fails."""
    text = f"{message.subject}\n{message.body}" if message.body else message.subject
    sms.get_backend().send(phone=message.address, text=text, reference=f"outbox-{message.pk}")


EXTERNAL_SENDERS = {Channel.EMAIL: send_email, Channel.SMS: send_sms}
