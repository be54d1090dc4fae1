"""The deadline steps: pause, resume, extend (DESIGN.md sections 4 and 5).

These are the building blocks the apps' own services call (``application_pause``
calls ``deadline_pause``): each locks the supervised object, checks its clock's
state, moves the due dates, writes the ledger row and a Transition record, all in
one transaction. They do not check the actor's permission: the app's service knows
which permission on which town the step needs and checks it before calling.

A clock step that does not fit the clock's state (pausing a paused object) raises
:class:`DeadlineStateError`, which views answer with 409; bad input raises
``ValidationError``. Either way nothing changes.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townadmin.audit import record_transition
from townadmin.models.calendar import DayType
from townadmin.models.deadlines import ClockState, DeadlineExtension, DeadlinePause
from townadmin.workdays import add_days, workdays_between
from townadmin.workflow import StateConflictError

ALREADY_PAUSED = _("The deadline is already paused.")
NOT_PAUSED = _("The deadline is not paused.")
NOT_STARTED = _("The deadline has not started yet.")
PAUSE_BEFORE_START = _("A deadline cannot be paused before the day it started.")
RESUME_BEFORE_PAUSE = _("A deadline cannot resume before the day it was paused.")
REASON_REQUIRED = _("Give the reason.")
CITATION_REQUIRED = _("Give the legal basis (law and article).")
DAYS_REQUIRED = _("An extension adds at least one day.")
UNKNOWN_CLOCK = _("This object has no deadline called %(clock)s.")
EXTENSION_PENDING = _("An extension of this deadline is already awaiting a decision.")
EXTENSION_DECIDED = _("This extension has already been decided.")

Status = DeadlineExtension.Status


class DeadlineStateError(StateConflictError):
    """The clock is not in the state the step needs: the caller repeated itself or lost a race."""


def deadline_pause(*, obj, reason, citation, actor, on=None):
    """Stop the clocks of ``obj`` from ``on`` (default today) until resumed; returns the pause."""
    reason, citation = _required_text(reason, citation)
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = _lock(obj)
        _require_started(locked)
        if locked.is_paused:
            raise DeadlineStateError(ALREADY_PAUSED, code="already_paused")
        if locked.start_date and on < locked.start_date:
            raise ValidationError(PAUSE_BEFORE_START, code="pause_before_start")
        locked.paused_on = on
        locked.save(update_fields=["paused_on"])
        pause = DeadlinePause.objects.create(
            **_about(locked),
            reason=reason,
            citation=citation,
            started_on=on,
            started_by=actor,
        )
        record_transition(
            obj=locked,
            from_status=ClockState.RUNNING,
            to_status=ClockState.PAUSED,
            actor=actor,
            reason=reason,
            payload={"step": "pause", "citation": citation, "on": on, "pause": pause.pk},
        )
    _copy_clock_fields(locked, obj)
    return pause


def deadline_resume(*, obj, actor, on=None):
    """Restart the clocks of ``obj`` on ``on`` (default today); every due date moves by the
    paused days: working days after the pause day up to and including ``on`` (or calendar
    days, for a calendar-day object). Returns the closed pause."""
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = _lock(obj)
        if not locked.is_paused:
            raise DeadlineStateError(NOT_PAUSED, code="not_paused")
        if on < locked.paused_on:
            raise ValidationError(RESUME_BEFORE_PAUSE, code="resume_before_pause")
        pause = DeadlinePause.objects.select_for_update().get(
            **_about(locked, with_town=False), ended_on__isnull=True
        )
        if locked.day_type == DayType.WORKING:
            paused_days = workdays_between(locked.paused_on, on)
        else:
            paused_days = (on - locked.paused_on).days
        moved = _move_due_dates(locked, paused_days, clock="")
        locked.paused_on = None
        locked.save(update_fields=["paused_on", *moved])
        pause.ended_on, pause.ended_by, pause.paused_days = on, actor, paused_days
        pause.save(update_fields=["ended_on", "ended_by", "paused_days"])
        record_transition(
            obj=locked,
            from_status=ClockState.PAUSED,
            to_status=ClockState.RUNNING,
            actor=actor,
            reason=pause.reason,
            payload={"step": "resume", "on": on, "paused_days": paused_days, "due": moved},
        )
    _copy_clock_fields(locked, obj)
    return pause


def deadline_extension_request(*, obj, days, reason, citation, actor, clock=""):
    """Ask for ``days`` more on ``clock`` of ``obj`` (empty: every clock); nothing moves yet."""
    reason, citation = _required_text(reason, citation)
    _check_extension(obj, days, clock)
    with transaction.atomic():
        locked = _lock(obj)
        _require_started(locked)
        pending = DeadlineExtension.objects.filter(
            **_about(locked, with_town=False), status=Status.REQUESTED
        )
        if pending.exists():
            raise DeadlineStateError(EXTENSION_PENDING, code="extension_pending")
        extension = DeadlineExtension.objects.create(
            **_about(locked),
            clock=clock,
            days=days,
            reason=reason,
            citation=citation,
            requested_by=actor,
        )
        _record_extension_step(locked, extension, actor, "extension_requested")
    return extension


def deadline_extension_decide(*, extension, approve, actor):
    """Approve (the due dates move by its days) or refuse a requested extension."""
    with transaction.atomic():
        # The object first, as every other step does, so two steps never wait on each other.
        locked = _lock(extension.obj)
        extension = _decide(locked, extension, approve, actor)
    return extension


def deadline_extend(*, obj, days, reason, citation, approved_by, clock=""):
    """Extend at once, when the person entitled to approve grants it (request and approval
    in one step, both in the timeline). Returns the approved extension."""
    reason, citation = _required_text(reason, citation)
    _check_extension(obj, days, clock)
    with transaction.atomic():
        extension = deadline_extension_request(
            obj=obj, days=days, reason=reason, citation=citation, actor=approved_by, clock=clock
        )
        locked = _lock(obj)
        extension = _decide(locked, extension, True, approved_by)
    _copy_clock_fields(locked, obj)
    return extension


def _decide(locked, extension, approve, actor):
    extension = DeadlineExtension.objects.select_for_update().get(pk=extension.pk)
    if extension.status != Status.REQUESTED:
        raise DeadlineStateError(EXTENSION_DECIDED, code="extension_decided")
    moved = {}
    if approve:
        moved = _move_due_dates(locked, extension.days, clock=extension.clock)
        locked.save(update_fields=list(moved))
    extension.status = Status.APPROVED if approve else Status.REFUSED
    extension.decided_by, extension.decided_at = actor, timezone.now()
    extension.save(update_fields=["status", "decided_by", "decided_at"])
    _record_extension_step(locked, extension, actor, f"extension_{extension.status}", moved)
    return extension


def _record_extension_step(locked, extension, actor, step, moved=None):
    state = ClockState.PAUSED if locked.is_paused else ClockState.RUNNING
    record_transition(
        obj=locked,
        from_status=state,
        to_status=state,
        actor=actor,
        reason=extension.reason,
        payload={
            "step": step,
            "extension": extension.pk,
            "clock": extension.clock,
            "days": extension.days,
            "citation": extension.citation,
            "due": moved or {},
        },
    )


def _lock(obj):
    return type(obj)._base_manager.select_for_update().get(pk=obj.pk)


def _about(obj, *, with_town=True):
    about = {
        "content_type": ContentType.objects.get_for_model(obj),
        "object_id": obj.pk,
    }
    if with_town:
        about["town_id"] = obj.town_id
    return about


def _require_started(locked):
    if all(getattr(locked, clock.due_field) is None for clock in locked.CLOCKS):
        raise ValidationError(NOT_STARTED, code="not_started")


def _required_text(reason, citation):
    reason, citation = (reason or "").strip(), (citation or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = ValidationError(REASON_REQUIRED, code="required")
    if not citation:
        errors["citation"] = ValidationError(CITATION_REQUIRED, code="required")
    if errors:
        raise ValidationError(errors)
    return reason, citation


def _check_extension(obj, days, clock):
    if days is None or days < 1:
        raise ValidationError({"days": ValidationError(DAYS_REQUIRED, code="min_value")})
    if clock and clock not in {c.name for c in obj.CLOCKS}:
        raise ValidationError(
            {"clock": ValidationError(UNKNOWN_CLOCK, code="invalid", params={"clock": clock})}
        )


def _move_due_dates(locked, days, *, clock):
    """Move the due date of ``clock`` (empty: every clock) by ``days``; returns
    {field: [old, new]} for the fields that moved."""
    moved = {}
    for each in locked.CLOCKS:
        due = getattr(locked, each.due_field)
        if due is None or (clock and each.name != clock) or days == 0:
            continue
        new = add_days(due, days, locked.day_type)
        setattr(locked, each.due_field, new)
        moved[each.due_field] = [due, new]
    return moved


def _copy_clock_fields(locked, obj):
    # The caller keeps working with its instance: give it the committed clock fields.
    obj.paused_on = locked.paused_on
    for clock in locked.CLOCKS:
        setattr(obj, clock.due_field, getattr(locked, clock.due_field))
