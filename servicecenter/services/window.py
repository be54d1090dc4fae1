"""The window's steps after intake: receive a draft, the one-time notice, resubmission,
acceptance (容缺 included), refusal, and delivery of the result.

Each locks the application, checks its status, writes the change, issues the notice the
law asks for (行政许可法 Arts. 32, 38) and records the transition last.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicecenter.choices import Delivery, NoticeKind
from servicecenter.models import Application, SubmittedMaterial
from servicecenter.services.common import (
    HANDLE,
    choice,
    id_set,
    issue,
    lock,
    material_line,
    move,
    require,
)
from servicecenter.services.intake import require_held
from townadmin.workflow import require_status

Status = Application.Status
State = SubmittedMaterial.State

NOTHING_MISSING = _("Every required material is here: accept the application instead.")
STILL_MISSING = _("Required materials are still missing: %(names)s.")
NOT_PENDABLE = _("These materials cannot be left pending (容缺): %(names)s.")
COMMITMENT_REQUIRED = _("Record the applicant's signed commitment for the pending materials.")
PENDING_UNTIL_REQUIRED = _("Give the date by which the pending materials will be supplied.")
PENDING_UNTIL_PAST = _("The pending materials' due date must be after today.")
PENDING_UNTIL_LATE = _("The pending materials must come before the promised due date (%(date)s).")
REASON_REQUIRED = _("Give the reason.")
ADDRESS_REQUIRED = _("Give the postal address for delivery by post.")
NOTHING_PENDING = _("No material of this application is pending.")
NOT_PENDING = _("None of these materials is pending.")

# 行政许可法 Art. 38 / 行政复议法 Art. 20 / 行政诉讼法 Art. 46: how to challenge a refusal.
DEFAULT_REMEDY = _(
    "If you disagree, you may apply for administrative reconsideration to the county "
    "government within 60 days of receiving this notice, or bring an administrative "
    "lawsuit before the people's court within 6 months."
)


def application_receive(*, application, actor) -> Application:
    """Take a draft (online or from a village agent) in at the window: the receiving
    clerk becomes its first-contact clerk (首问负责)."""
    require(actor, HANDLE, application.town_id)
    with transaction.atomic():
        locked = lock(application)
        require_status(locked, Status.DRAFT)
        locked.first_clerk = locked.first_clerk or actor
        move(locked, Status.RECEIVED, actor=actor, fields=["first_clerk"])
    return locked


def application_notify_missing(*, application, actor, note="") -> Application:
    """Issue the one-time notice (一次性告知书) listing every required material missing."""
    require(actor, HANDLE, application.town_id)
    with transaction.atomic():
        locked = lock(application)
        require_status(locked, Status.DRAFT, Status.RECEIVED)
        missing = _missing(locked)
        if not missing:
            raise ValidationError(NOTHING_MISSING, code="nothing_missing")
        locked.first_clerk = locked.first_clerk or actor
        notice = issue(
            locked,
            NoticeKind.ONE_TIME,
            actor=actor,
            content={
                "missing": [material_line(material) for material in missing],
                "note": (note or "").strip(),
            },
        )
        move(
            locked,
            Status.CORRECTION,
            actor=actor,
            reason=note,
            payload={"notice": notice.number, "missing": [m.pk for m in missing]},
            fields=["first_clerk"],
        )
    return locked


def application_resubmit(*, application, actor, materials) -> Application:
    """Take the missing materials the applicant brought back: received again."""
    require(actor, HANDLE, application.town_id)
    ids = id_set(materials, "materials")
    with transaction.atomic():
        locked = lock(application)
        require_status(locked, Status.CORRECTION)
        now = timezone.now()
        supplied = locked.materials.filter(
            material_id__in=ids, state__in=[State.MISSING, State.PENDING]
        ).update(state=State.PRESENTED, supplied_at=now)
        locked.visits += 1
        move(
            locked,
            Status.RECEIVED,
            actor=actor,
            payload={"supplied": sorted(ids), "count": supplied},
            fields=["visits"],
        )
    return locked


def application_accept(
    *, application, actor, pending=(), commitment="", pending_until=None
) -> Application:
    """Accept: both clocks start. With ``pending`` material ids, accept under 容缺 with
    the applicant's ``commitment`` to bring them by ``pending_until``."""
    require(actor, HANDLE, application.town_id)
    pending = id_set(pending, "pending")
    with transaction.atomic():
        locked = lock(application)
        require_status(locked, Status.DRAFT, Status.RECEIVED)
        now = timezone.now()
        require_held(locked.item, timezone.localdate(now))
        rows = list(locked.materials.select_related("material"))
        missing = [row.material for row in rows if row.state == State.MISSING]
        _check_pending(missing, pending, commitment)
        item = locked.item
        locked.start_clocks(
            started_at=now,
            day_type=item.day_type,
            promised=item.promised_days,
            statutory=item.statutory_days,
        )
        if pending:
            _check_pending_until(pending_until, locked.due_date)
            locked.materials.filter(material_id__in=pending).update(state=State.PENDING)
            locked.pending_until = pending_until
            locked.commitment = commitment.strip()
        locked.first_clerk = locked.first_clerk or actor
        content = _acceptance(locked)
        notice = issue(locked, NoticeKind.ACCEPTANCE, actor=actor, content=content)
        if pending:
            issue(
                locked,
                NoticeKind.PENDING,
                actor=actor,
                content={
                    "pending": [material_line(m) for m in missing if m.pk in pending],
                    "commitment": locked.commitment,
                    "pending_until": pending_until.isoformat(),
                },
            )
        move(
            locked,
            Status.ACCEPTED,
            actor=actor,
            payload={"notice": notice.number, "pending": sorted(pending), **content},
            fields=[
                "started_at",
                "day_type",
                "due_date",
                "statutory_due_date",
                "pending_until",
                "commitment",
                "first_clerk",
            ],
        )
    return locked


def application_supply_pending(*, application, actor, materials) -> Application:
    """Record the pending (容缺) materials the applicant brought as committed."""
    require(actor, HANDLE, application.town_id)
    ids = id_set(materials, "materials")
    with transaction.atomic():
        locked = lock(application)
        require_status(locked, Status.ACCEPTED)
        pending = set(
            locked.materials.filter(state=State.PENDING).values_list("material_id", flat=True)
        )
        if not pending:
            raise ValidationError(NOTHING_PENDING, code="nothing_pending")
        supplied = sorted(pending & ids)
        if not supplied:
            raise ValidationError({"materials": ValidationError(NOT_PENDING, code="not_pending")})
        locked.materials.filter(material_id__in=supplied).update(
            state=State.PRESENTED, supplied_at=timezone.now()
        )
        if pending <= ids:
            locked.pending_until = None
        move(
            locked,
            Status.ACCEPTED,
            actor=actor,
            payload={"step": "pending_supplied", "supplied": supplied},
            fields=["pending_until"],
        )
    return locked


def application_refuse(*, application, actor, reason) -> Application:
    """Refuse to accept (不予受理), with the reason and the applicant's remedy rights."""
    require(actor, HANDLE, application.town_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(REASON_REQUIRED, code="required")})
    with transaction.atomic():
        locked = lock(application)
        require_status(locked, Status.DRAFT, Status.RECEIVED, Status.CORRECTION)
        locked.refusal_reason = reason
        locked.first_clerk = locked.first_clerk or actor
        remedy = locked.item.remedy_channel or str(DEFAULT_REMEDY)
        notice = issue(
            locked, NoticeKind.REFUSAL, actor=actor, content={"reason": reason, "remedy": remedy}
        )
        move(
            locked,
            Status.REFUSED,
            actor=actor,
            reason=reason,
            payload={"notice": notice.number},
            fields=["refusal_reason", "first_clerk"],
        )
    return locked


def application_deliver(*, application, actor, method, address="") -> Application:
    """Hand over the result: at the window, or by post to ``address``."""
    require(actor, HANDLE, application.town_id)
    method = choice(Delivery, method, "method")
    address = (address or "").strip()
    if method == Delivery.MAIL and not address:
        raise ValidationError({"address": ValidationError(ADDRESS_REQUIRED, code="required")})
    with transaction.atomic():
        locked = lock(application)
        require_status(locked, Status.APPROVED, Status.DENIED)
        locked.delivery, locked.delivery_address = method, address
        locked.delivered_at = timezone.now()
        move(
            locked,
            Status.DELIVERED,
            actor=actor,
            payload={"delivery": method},
            fields=["delivery", "delivery_address", "delivered_at"],
        )
    return locked


def _missing(locked):
    return [
        row.material
        for row in locked.materials.select_related("material")
        if row.state == State.MISSING and row.material.required
    ]


def _check_pending(missing, pending, commitment):
    required_missing = [m for m in missing if m.required]
    unexplained = [m for m in required_missing if m.pk not in pending]
    if unexplained:
        raise ValidationError(
            STILL_MISSING,
            code="missing",
            params={"names": "、".join(m.name for m in unexplained)},
        )
    # Only a material the guide marks as pendable: an optional one is simply not brought.
    not_pendable = [m for m in missing if m.pk in pending and not m.may_be_pending]
    unknown = pending - {m.pk for m in missing}
    if not_pendable or unknown:
        names = [m.name for m in not_pendable] + [str(pk) for pk in sorted(unknown)]
        raise ValidationError(
            {
                "pending": ValidationError(
                    NOT_PENDABLE, code="not_pendable", params={"names": "、".join(names)}
                )
            }
        )
    if pending and not (commitment or "").strip():
        raise ValidationError({"commitment": ValidationError(COMMITMENT_REQUIRED, code="required")})


def _check_pending_until(pending_until, due_date):
    if pending_until is None:
        raise ValidationError(
            {"pending_until": ValidationError(PENDING_UNTIL_REQUIRED, code="required")}
        )
    if pending_until <= timezone.localdate():
        raise ValidationError({"pending_until": ValidationError(PENDING_UNTIL_PAST, code="past")})
    # Strictly before: the approver needs the material to decide within the promise.
    if due_date and pending_until >= due_date:
        raise ValidationError(
            {
                "pending_until": ValidationError(
                    PENDING_UNTIL_LATE, code="late", params={"date": due_date.isoformat()}
                )
            }
        )


def _acceptance(locked):
    return {
        "accepted_at": locked.started_at.isoformat(),
        "promised_due": locked.due_date.isoformat(),
        "statutory_due": locked.statutory_due_date.isoformat(),
        "day_type": locked.day_type,
    }
