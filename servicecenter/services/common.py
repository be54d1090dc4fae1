"""What every service of the hall shares: the permission check, the lock, the records."""

import secrets
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from servicecenter.models import Notice
from townadmin.access import in_reach
from townadmin.audit import record_transition

NOT_ALLOWED = _("You are not allowed to do this.")

# (model permission, reach): what each kind of step needs, on the application's town.
INTAKE = ("servicecenter.add_application", "townadmin.handle_application")
AGENT = ("servicecenter.add_application", "townadmin.file_as_agent")
HANDLE = ("servicecenter.change_application", "townadmin.handle_application")
APPROVE = ("servicecenter.change_application", "townadmin.approve_application")
EXTENSION = ("servicecenter.approve_extension", "townadmin.lead_town")
# Who sees a town's records: they learn nothing new from a 403 on one of its applications.
SEES = "townadmin.view_records"

INVALID_CHOICE = _("“%(value)s” is not one of the choices.")
IDS_INVALID = _("Materials are given by their numeric ids.")

Record = TypeVar("Record", bound=models.Model)


def require(actor, needs, town):
    """Http404 when ``town`` is outside the actor's reach altogether (DESIGN.md section 3:
    never confirm that a record exists); PermissionDenied (403) when the actor sees the
    town's records but lacks the step's reach or model permission (an approver asked to
    accept, a clerk asked to decide), or is nobody."""
    permission, reach = needs
    if actor is None or not actor.is_active:
        raise PermissionDenied(NOT_ALLOWED)
    if in_reach(actor, reach, town):
        if not actor.has_perm(permission):
            raise PermissionDenied(NOT_ALLOWED)
        return
    if in_reach(actor, SEES, town):
        raise PermissionDenied(NOT_ALLOWED)
    raise Http404


def choice(choices, value, field):
    """``value`` as a member of the TextChoices ``choices``; a ValidationError on ``field``
    (400, not a server error) for a value from outside the list."""
    try:
        return choices(value)
    except ValueError:
        raise ValidationError(
            {field: ValidationError(INVALID_CHOICE, code="invalid_choice", params={"value": value})}
        ) from None


def id_set(values, field):
    """The set of integer ids in ``values`` (materials ticked on a form or posted to the
    API); a ValidationError on ``field`` when one is not a number."""
    try:
        return {int(pk) for pk in values or ()}
    except (TypeError, ValueError):
        raise ValidationError({field: ValidationError(IDS_INVALID, code="invalid")}) from None


def in_portal_language(message, params):
    """``message % params`` in the portal's language: the SMS or inbox message goes to
    someone else than the actor, whose browser language must not decide it."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % {key: str(value) for key, value in params.items()}


def lock(record: Record, *, related=("item", "town")) -> Record:
    """``record`` read again and locked to the end of the transaction, with the ``related``
    rows its service reads next (an application's item and town unless told)."""
    # OF self: without it PostgreSQL also locks the joined item and town rows, and every
    # window of a town would queue behind one clerk's step on one item.
    rows = type(record)._default_manager.select_for_update(of=("self",))
    return rows.select_related(*related).get(pk=record.pk)


def move(record, to_status, *, actor, reason="", payload=None, fields=()):
    """Write the new status and its transition record (the service checked the old one).
    A record that keeps ``status_since`` (an application: the queues sort by it) has it
    stamped too."""
    from_status = record.status
    record.status = to_status
    fields = ["status", *fields]
    if hasattr(record, "status_since"):
        record.status_since = timezone.now()
        fields.append("status_since")
    record.save(update_fields=fields)
    record_transition(
        obj=record,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        payload=payload,
    )


def next_receipt_no(town, on) -> str:
    """``<town code>-<date>-<sequence>``: one database sequence for all towns, so two
    windows never wait on each other for a number and none is given twice."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('servicecenter_receipt_no')")
        (sequence,) = cursor.fetchone()
    return f"{town.code}-{on:%Y%m%d}-{sequence:06d}"


def verification_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def issue(application, kind, *, actor, content, first=False) -> Notice:
    """A written notice on ``application``; its number extends the receipt number.
    ``first``: the application was created in this transaction, so there is none before."""
    count = 0 if first else Notice.objects.filter(application=application).count()
    return Notice.objects.create(
        application=application,
        town_id=application.town_id,
        kind=kind,
        number=f"{application.receipt_no}-{count + 1:02d}",
        issued_at=timezone.now(),
        issued_by=actor,
        content=content,
    )


def material_line(material):
    """A material as a notice prints it (a snapshot: the guide may change later)."""
    return {
        "id": material.pk,
        "name": material.name,
        "form": material.form,
        "copies": material.copies,
        "note": material.note,
    }
