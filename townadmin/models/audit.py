"""The audit trail: workflow transitions, security events and row history (DESIGN.md section 4).

Every audit table is append-only and tamper-evident, both enforced by PostgreSQL
itself so that no code path (the ORM, a bulk insert, raw SQL, a shell) can skip
them:

* ``append_only``: a pgtrigger ``Protect`` trigger refuses UPDATE and DELETE.
* ``hash_chain``: a BEFORE INSERT trigger numbers the row (``chain_seq``) and
  hashes it together with the previous row's hash, so that altering or removing
  a row breaks the chain from that row on; ``manage.py verify_audit`` finds it.

The row history tables that django-pghistory generates get the same two triggers:
``settings.PGHISTORY_BASE_MODEL`` points at :class:`Event`, and the
``class_prepared`` hook below gives each generated event model the triggers.
"""

import pghistory.models
import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Now
from django.db.models.signals import class_prepared
from django.utils.translation import gettext_lazy as _

# The SQL function both the insert trigger and verify_audit hash a row with (installed
# by migration 0002_audit_trail): sha256(prev_hash || the row as JSON, without the hash
# columns and without NULL columns). It runs with a fixed TimeZone and float format
# because to_jsonb renders timestamps and floats by the session's settings: a row
# inserted from a psql session in Asia/Shanghai must hash the same when Django (UTC)
# checks it. Leaving NULLs out lets an audit table gain a nullable column without
# invalidating old rows; dropping, renaming or back-filling a column does invalidate them.
ROW_HASH_FUNCTION = "townadmin_audit_row_hash"

# Why the advisory lock: the chain must be linear, so two transactions may not
# both read the same "last row" and both append after it. The lock serialises the
# inserts into one table until the inserting transaction ends; under READ COMMITTED
# each statement takes a fresh snapshot, so the SELECT after acquiring the lock sees
# the row the previous holder committed. The cost: inserts into the same audit table
# queue behind each other until commit, so keep transactions that write audit rows
# short (the service functions are). Different tables use different locks; write the
# audit rows last in a transaction (status update, then record_transition), because
# two transactions taking the same locks in opposite orders deadlock, and PostgreSQL
# then aborts one of them.
HASH_CHAIN_FUNC = pgtrigger.Func(
    f"""
    PERFORM pg_advisory_xact_lock(hashtext(TG_TABLE_NAME));
    SELECT chain_seq, row_hash INTO last_seq, last_hash
        FROM {{meta.db_table}} ORDER BY chain_seq DESC LIMIT 1;
    NEW.chain_seq := COALESCE(last_seq, 0) + 1;
    NEW.prev_hash := COALESCE(last_hash, '');
    NEW.row_hash := {ROW_HASH_FUNCTION}(NEW.prev_hash, NEW);
    RETURN NEW;
    """
)


def audit_triggers():
    """The two triggers every audit table carries (new instances per model)."""
    return [
        pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        pgtrigger.Trigger(
            name="hash_chain",
            when=pgtrigger.Before,
            operation=pgtrigger.Insert,
            declare=[("last_seq", "bigint"), ("last_hash", "text")],
            func=HASH_CHAIN_FUNC,
        ),
    ]


class Chained(models.Model):
    """Hash chain columns, all filled by the ``hash_chain`` trigger, never by Python.

    ``db_default`` keeps them out of Django's INSERT, and Django reads the values the
    trigger wrote back through RETURNING.
    """

    chain_seq = models.BigIntegerField(_("chain position"), unique=True, db_default=0)
    prev_hash = models.CharField(_("previous hash"), max_length=64, db_default="")
    row_hash = models.CharField(_("row hash"), max_length=64, db_default="")

    class Meta:
        abstract = True


class Event(Chained, pghistory.models.Event):
    """Base of every django-pghistory event model (``settings.PGHISTORY_BASE_MODEL``).

    Named like pghistory's own base so the generated models keep its names
    (``CountyEvent``, ``UserEvent``) and their related name (``county.events``).
    """

    class Meta:
        abstract = True


def _chain_history_events(sender, **kwargs):
    # pghistory builds each event model's Meta itself, so Meta.triggers of an abstract
    # base would not be inherited; add ours as the model is created, before pgtrigger
    # reads Meta.triggers (its ready()) and before makemigrations looks at the model.
    if issubclass(sender, Event) and not sender._meta.abstract:
        triggers = [*getattr(sender._meta, "triggers", [])]
        names = {trigger.name for trigger in triggers}
        triggers += [trigger for trigger in audit_triggers() if trigger.name not in names]
        sender._meta.triggers = triggers
        sender._meta.original_attrs["triggers"] = triggers


class_prepared.connect(_chain_history_events)


class Transition(Chained):
    """One step of a workflow: an object went from one status to another (全程留痕).

    Written by the service functions through ``townadmin.audit.record_transition``
    in the same transaction as the status change; read with ``timeline(obj)``.
    Append-only and hash-chained in the database.
    """

    content_type = models.ForeignKey(
        ContentType, models.PROTECT, related_name="+", verbose_name=_("object type")
    )
    object_id = models.BigIntegerField(_("object id"))
    obj = GenericForeignKey("content_type", "object_id")
    town = models.ForeignKey(
        "townadmin.Town",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="transitions",
        verbose_name=_("town"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="transitions",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("at"), db_default=Now())
    from_status = models.CharField(_("from"), max_length=64, blank=True)
    to_status = models.CharField(_("to"), max_length=64)
    reason = models.TextField(_("reason"), blank=True)
    payload = models.JSONField(_("payload"), encoder=DjangoJSONEncoder, default=dict, blank=True)

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["chain_seq"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "chain_seq"], name="transition_timeline"
            )
        ]
        triggers = audit_triggers()

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id} {self.from_status} → {self.to_status}"


class SecurityEvent(Chained):
    """A security-relevant event: a login, a logout, a failed login, a revealed identity number.

    Append-only and hash-chained in the database (等保三级 asks for an audit trail of
    sign-ins and of access to personal information that cannot be altered).
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("login")
        LOGOUT = "logout", _("logout")
        LOGIN_FAILED = "login_failed", _("failed login")
        IDENTITY_REVEALED = "identity_revealed", _("identity number revealed")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="security_events",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username as typed"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=512, blank=True)
    at = models.DateTimeField(_("at"), db_default=Now())
    content_type = models.ForeignKey(
        ContentType,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("object type"),
    )
    object_id = models.BigIntegerField(_("object id"), null=True, blank=True)
    obj = GenericForeignKey("content_type", "object_id")
    town = models.ForeignKey(
        "townadmin.Town",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="security_events",
        verbose_name=_("town"),
    )
    reason = models.TextField(_("reason"), blank=True)
    payload = models.JSONField(_("payload"), encoder=DjangoJSONEncoder, default=dict, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["chain_seq"]
        indexes = [
            models.Index(fields=["kind", "at"], name="security_event_kind_at"),
            models.Index(fields=["user", "at"], name="security_event_user_at"),
        ]
        triggers = audit_triggers()

    def __str__(self):
        return f"{self.get_kind_display()} {self.username}"
