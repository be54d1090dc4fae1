"""Pluggable SMS sending, chosen by ``settings.SMS_BACKEND`` (a dotted class path).

A backend is any class whose instances have ``send(*, phone, text, reference)``
and raise on failure. ``reference`` is stable per outbox row: pass it to the
provider as the client-side message id (Aliyun's ``OutId``, Tencent's
``SessionContext``) so a retried send can be recognised as the same message.

The default, :class:`LoggingSmsBackend`, sends nothing and writes the message to
the log: right for development and for an intranet without an SMS gateway.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class BaseSmsBackend:
    """The interface the outbox relay calls."""

    def send(self, *, phone, text, reference):
        raise NotImplementedError


class LoggingSmsBackend(BaseSmsBackend):
    """Writes each message to the ``townadmin.sms`` logger instead of sending it."""

    def send(self, *, phone, text, reference):
        # A phone number is personal information: the log keeps only its ends.
        logger.info("SMS %s to %s: %s", reference, mask_phone(phone), text)


def mask_phone(phone):
    """138****5678: the usual Chinese masking of a mobile number."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def get_backend():
    """A new instance of the configured backend (read on each call, so settings can change)."""
    return import_string(settings.SMS_BACKEND)()
