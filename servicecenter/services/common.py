"""What every service of the hall shares: the permission check, the lock, the records."""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicecenter.models import Application, Notice
from townadmin.access import require_reach
from townadmin.audit import record_transition

NOT_ALLOWED = _("You are not allowed to do this.")

# (model permission, reach): what each kind of step needs, on the application's town.
INTAKE = ("servicecenter.add_application", "townadmin.handle_application")
AGENT = ("servicecenter.add_application", "townadmin.file_as_agent")
HANDLE = ("servicecenter.change_application", "townadmin.handle_application")
APPROVE = ("servicecenter.change_application", "townadmin.approve_application")
EXTENSION = ("servicecenter.approve_extension", "townadmin.lead_town")


def require(actor, needs, town):
    """PermissionDenied (403) without the model permission; Http404 outside the reach."""
    permission, reach = needs
    if not (actor is not None and actor.is_active and actor.has_perm(permission)):
        raise PermissionDenied(NOT_ALLOWED)
    require_reach(actor, reach, town)


def lock(application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("item", "town")
        .get(pk=application.pk)
    )


def move(application, to_status, *, actor, reason="", payload=None, fields=()):
    """Write the new status and its transition record (the service checked the old one)."""
    from_status = application.status
    application.status = to_status
    application.status_since = timezone.now()
    application.save(update_fields=["status", "status_since", *fields])
    record_transition(
        obj=application,
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


def issue(application, kind, *, actor, content) -> Notice:
    """A written notice on ``application``; its number extends the receipt number."""
    count = Notice.objects.filter(application=application).count()
    return Notice.objects.create(
        application=application,
        town_id=application.town_id,
        kind=kind,
        number=f"{application.receipt_no}-{count + 1:02d}",
        issued_at=timezone.now(),
        issued_by=actor,
        content=content,
    )
