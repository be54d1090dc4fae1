"""Writes of the devolution register: register, revoke and renew a town's holding of a power.

Approval of a list adjustment registers and revokes through the same steps
(``register`` and ``revoke`` below, without their own permission check and audit
record: the approval checks once and records every devolution it touched at its end).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from powers.choices import DevolutionMode, DevolutionScope
from powers.models import Devolution
from powers.selectors import reach_holders
from townadmin.access import require_reach
from townadmin.audit import record_transition
from townadmin.deadlines import clear_alerts, sweep
from townadmin.models.calendar import DayType
from townadmin.models.deadlines import WarningLevel
from townadmin.workflow import StateConflictError, require_status

NOT_ALLOWED = _("You are not allowed to do this.")
RE_ENTRUSTMENT = _("An entrusted power cannot be entrusted again.")  # 受委托的权力不得再委托
NOT_DEVOLVABLE = _("The county catalogue says this power may not be devolved to towns.")
POWER_OF_ANOTHER_COUNTY = _("This power belongs to another county's catalogue.")
ALREADY_HELD = _("The town already holds this power: revoke that devolution first.")
PARENT_OF_ANOTHER_POWER = _("A re-delegation comes from a devolution of the same power.")
OFFICE_OF_ANOTHER_TOWN = _("The receiving office must be one of the town's own offices.")
REASON_REQUIRED = _("Give the reason.")
ONLY_ENTRUSTMENTS_RENEW = _("Only an entrustment has a term to renew.")
RENEWAL_MUST_EXTEND = _("The renewed term must end after the present one (%(until)s).")
DOCUMENT_REQUIRED = _("Give the document number (文号).")

# DOMAIN.md "Lists and devolution": an entrustment should be renewed at least 15 days
# before its term ends; that day is the due date of its renewal clock, in calendar days.
RENEWAL_NOTICE_DAYS = 15

ONE_ACTIVE = "devolution_one_active_per_power"
REGISTER = "powers.add_devolution"
CHANGE = "powers.change_devolution"
REVIEW_REFORM = "townadmin.review_reform"
Status = Devolution.Status


def require(actor, permission, town, reach):
    """PermissionDenied (403) without the model permission; Http404 outside the reach."""
    if not (actor is not None and actor.is_active and actor.has_perm(permission)):
        raise PermissionDenied(NOT_ALLOWED)
    require_reach(actor, reach, town)


def devolution_register(
    *,
    town,
    power,
    mode,
    exercised_in_name_of,
    effective_from,
    document_no,
    actor,
    effective_until=None,
    scope=DevolutionScope.WHOLE,
    is_partial=False,
    scope_note="",
    receiving_office=None,
    parent=None,
) -> Devolution:
    """Register that ``town`` holds ``power`` from ``effective_from``, by ``mode``.

    Refuses a power the catalogue keeps at county level, a second holding in force
    of the same power, and the re-entrustment of an entrusted power. An entrustment
    starts its renewal clock: due 15 calendar days before its term ends.
    """
    require(actor, REGISTER, town, REVIEW_REFORM)
    with transaction.atomic():
        devolution = register(
            town=town,
            power=power,
            mode=mode,
            exercised_in_name_of=exercised_in_name_of,
            effective_from=effective_from,
            effective_until=effective_until,
            document_no=document_no,
            scope=scope,
            is_partial=is_partial,
            scope_note=scope_note,
            receiving_office=receiving_office,
            parent=parent,
        )
        record_registered(devolution, actor)
    return devolution


def devolution_revoke(*, devolution, on, reason, actor) -> Devolution:
    """Revoke ``devolution`` from ``on``: the town no longer holds the power from that day."""
    require(actor, CHANGE, devolution.town_id, REVIEW_REFORM)
    with transaction.atomic():
        locked = revoke(devolution=devolution, on=on, reason=reason)
        record_transition(
            obj=locked,
            from_status=Status.ACTIVE,
            to_status=Status.REVOKED,
            actor=actor,
            reason=locked.revoke_reason,
            payload={"revoked_on": on},
        )
    return locked


def devolution_renew(*, devolution, effective_until, document_no, actor) -> Devolution:
    """Extend an entrustment's term to ``effective_until`` under a new document.

    The renewal clock restarts from the new end; its open alerts are cleared.
    """
    require(actor, CHANGE, devolution.town_id, REVIEW_REFORM)
    document_no = (document_no or "").strip()
    if not document_no:
        raise ValidationError({"document_no": DOCUMENT_REQUIRED}, code="required")
    with transaction.atomic():
        locked = Devolution.objects.select_for_update().get(pk=devolution.pk)
        require_status(locked, Status.ACTIVE)
        if locked.mode != DevolutionMode.ENTRUST:
            raise ValidationError(ONLY_ENTRUSTMENTS_RENEW, code="not_entrusted")
        if effective_until <= locked.effective_until:
            raise ValidationError(
                {
                    "effective_until": ValidationError(
                        RENEWAL_MUST_EXTEND,
                        code="renewal_must_extend",
                        params={"until": locked.effective_until.isoformat()},
                    )
                }
            )
        previous = {"effective_until": locked.effective_until, "document_no": locked.document_no}
        locked.effective_until, locked.document_no = effective_until, document_no
        _start_renewal_clock(locked)
        locked.warning_level = WarningLevel.NORMAL
        locked.save(
            update_fields=[
                "effective_until",
                "document_no",
                "started_at",
                "day_type",
                "due_date",
                "warning_level",
            ]
        )
        clear_alerts(locked)
        record_transition(
            obj=locked,
            from_status=Status.ACTIVE,
            to_status=Status.ACTIVE,
            actor=actor,
            payload={"step": "renew", "previous": previous, "effective_until": effective_until},
        )
    return locked


def entrustment_renewals_sweep(*, today=None):
    """The daily e-supervision of entrustment terms: yellow when the renewal is due (15
    days before the term ends) within the sweep's window, red once that day has passed.
    New cards go to the town's leaders and the county's reform reviewers. Idempotent."""
    entrustments = Devolution.objects.filter(status=Status.ACTIVE, mode=DevolutionMode.ENTRUST)
    return sweep(entrustments, today=today, recipients=_renewal_watchers)


def _renewal_watchers(alerts):
    watchers = {}
    for alert in alerts:
        if alert.town_id not in watchers:
            leaders = reach_holders(alert.town, "lead_town")
            reviewers = reach_holders(alert.town, "review_reform")
            watchers[alert.town_id] = list({*leaders, *reviewers})
    return {alert: watchers[alert.town_id] for alert in alerts}


# --- The steps, shared with the approval of an adjustment ------------------------------


def register(*, town, power, parent=None, **fields) -> Devolution:
    """Insert the devolution after the register's checks (no permission check, no audit)."""
    if power.county_id != town.county_id:
        raise ValidationError({"power": POWER_OF_ANOTHER_COUNTY}, code="other_county")
    if not power.may_devolve:
        raise ValidationError({"power": NOT_DEVOLVABLE}, code="not_devolvable")
    if parent is not None:
        if parent.power_id != power.pk:
            raise ValidationError({"parent": PARENT_OF_ANOTHER_POWER}, code="other_power")
        if parent.mode == DevolutionMode.ENTRUST and fields["mode"] == DevolutionMode.ENTRUST:
            raise ValidationError({"mode": RE_ENTRUSTMENT}, code="re_entrustment")
    office = fields.get("receiving_office")
    if office is not None and office.town_id != town.pk:
        raise ValidationError({"receiving_office": OFFICE_OF_ANOTHER_TOWN}, code="other_town")
    devolution = Devolution(town=town, power=power, parent=parent, **fields)
    # One holding in force per town and power: checked here for the message, and by the
    # database's partial unique index for two registrations at once.
    devolution.full_clean(validate_constraints=False)
    devolution.validate_constraints(exclude={"town", "power", "status"})
    if devolution.mode == DevolutionMode.ENTRUST:
        _start_renewal_clock(devolution)
    if Devolution.objects.filter(town=town, power=power, status=Status.ACTIVE).exists():
        raise ValidationError({"power": ALREADY_HELD}, code="already_held")
    try:
        with transaction.atomic():
            devolution.save()
    except IntegrityError as error:
        if getattr(error.__cause__, "diag", None) is None or (
            error.__cause__.diag.constraint_name != ONE_ACTIVE
        ):
            raise
        raise StateConflictError(ALREADY_HELD, current={"status": Status.ACTIVE}) from error
    return devolution


def revoke(*, devolution, on, reason) -> Devolution:
    """Lock and revoke ``devolution`` from ``on`` (no permission check, no audit)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED}, code="required")
    locked = Devolution.objects.select_for_update().get(pk=devolution.pk)
    require_status(locked, Status.ACTIVE)
    locked.status, locked.revoked_on, locked.revoke_reason = Status.REVOKED, on, reason
    locked.save(update_fields=["status", "revoked_on", "revoke_reason"])
    # The sweep looks at active entrustments only: its open cards would never clear.
    clear_alerts(locked)
    return locked


def record_registered(devolution, actor, *, adjustment=None):
    payload = {"mode": devolution.mode, "effective_from": devolution.effective_from}
    if adjustment is not None:
        payload["adjustment"] = adjustment.pk
    record_transition(
        obj=devolution,
        from_status="",
        to_status=Status.ACTIVE,
        actor=actor,
        reason=devolution.document_no,
        payload=payload,
    )


def _start_renewal_clock(devolution):
    devolution.started_at = timezone.now()
    devolution.day_type = DayType.CALENDAR
    devolution.due_date = devolution.effective_until - datetime.timedelta(days=RENEWAL_NOTICE_DAYS)
