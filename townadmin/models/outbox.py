"""The notification outbox and the in-app inbox (DESIGN.md section 6).

A write that must tell someone inserts :class:`OutboxMessage` rows in its own
transaction (``townadmin.notifications.notify``), so the notification exists if
and only if the change committed. The relay (``townadmin.tasks.relay_outbox``)
delivers them later; the broker only carries a wake-up call, so losing Redis
loses nothing but latency.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townadmin.models.geography import Town


class OutboxMessage(models.Model):
    """One notification to one recipient on one channel, waiting for (or done with) the relay.

    Transitions: pending -> sent; pending -> pending (a failed attempt, retried
    after ``next_attempt_at``); pending -> failed (after ``OUTBOX_MAX_ATTEMPTS``).
    Only the relay changes ``status``; an administrator may put a failed row back
    to pending from the admin.
    """

    class Channel(models.TextChoices):
        INBOX = "inbox", _("in-app inbox")
        EMAIL = "email", _("email")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    channel = models.CharField(_("channel"), max_length=8, choices=Channel)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("recipient"),
        help_text=_("Empty for an email or SMS to a plain address."),
    )
    # Copied when the message is enqueued: the row records where it went.
    address = models.CharField(_("address"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    town = models.ForeignKey(
        Town,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("town"),
    )
    dedupe_key = models.CharField(
        _("deduplication key"),
        max_length=200,
        blank=True,
        help_text=_(
            "A message with a key is enqueued at most once per key, recipient and channel."
        ),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status, default=Status.PENDING, editable=False
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    next_attempt_at = models.DateTimeField(
        _("next attempt at"), default=timezone.now, editable=False
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The relay's only question is "which pending rows are due?"; sent rows
            # pile up forever, so the index covers the pending ones alone.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="outbox_pending_due_idx",
            ),
        ]
        constraints = [
            # Two constraints because a user's identity is the user (their address
            # may change between two enqueues) and a plain address has no user.
            # notify() inserts with ON CONFLICT DO NOTHING, which honours both.
            models.UniqueConstraint(
                fields=["dedupe_key", "channel", "recipient"],
                condition=~Q(dedupe_key="") & Q(recipient__isnull=False),
                name="outbox_dedupe_per_user",
            ),
            models.UniqueConstraint(
                fields=["dedupe_key", "channel", "address"],
                condition=~Q(dedupe_key="") & Q(recipient__isnull=True),
                name="outbox_dedupe_per_address",
            ),
            models.CheckConstraint(
                condition=~Q(channel="inbox") | Q(recipient__isnull=False),
                name="outbox_inbox_has_recipient",
                violation_error_message=_("An inbox message needs a recipient user."),
            ),
            models.CheckConstraint(
                condition=Q(channel="inbox") | ~Q(address=""),
                name="outbox_email_sms_has_address",
                violation_error_message=_("An email or SMS needs an address."),
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient or self.address}: {self.subject}"


class InboxMessage(models.Model):
    """A message in a user's in-app inbox ("My messages"); unread while ``read_at`` is empty."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="inbox_messages",
        verbose_name=_("user"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    town = models.ForeignKey(
        Town,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("town"),
    )
    # Unique: the database itself refuses a second delivery of one outbox row.
    outbox_message = models.OneToOneField(
        OutboxMessage,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbox_message",
        verbose_name=_("outbox message"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox message")
        verbose_name_plural = _("inbox messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="inbox_user_newest_idx"),
            # The unread badge counts on every page: keep that count on a small index.
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="inbox_user_unread_idx"
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_unread(self):
        return self.read_at is None
