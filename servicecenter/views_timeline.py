"""An application's timeline as its page shows it (全程留痕): every step, who, when, why,
and what the step recorded, in words rather than as the stored payload."""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from servicecenter.choices import Channel, Delivery
from servicecenter.models import Application
from townadmin.audit import timeline
from townadmin.models.calendar import DayType
from townadmin.models.deadlines import ClockState

Status = Application.Status

TAKEN_IN = _("Taken in")
STEPS = {
    "pending_supplied": _("Pending materials supplied"),
    "pause": _("Clocks paused for a special step"),
    "resume": _("Clocks resumed"),
    "extension_requested": _("Extension requested"),
    "extension_approved": _("Extension approved"),
    "extension_refused": _("Extension refused"),
}
YES, NO = _("yes"), _("no")

# Each payload key the services write, with its label; the rest are shown as stored.
LABELS = {
    "channel": _("Channel"),
    "area_unknown": _("Area code unknown"),
    "notice": _("Notice"),
    "missing": _("Missing materials"),
    "supplied": _("Materials supplied"),
    "count": _("Materials recorded"),
    "pending": _("Materials pending"),
    "accepted_at": _("Accepted at"),
    "promised_due": _("Promised due date"),
    "statutory_due": _("Statutory due date"),
    "day_type": _("Counted in"),
    "citation": _("Legal basis"),
    "on": _("On"),
    "paused_days": _("Days not counted"),
    "days": _("Days"),
    "due": _("Due dates moved"),
    "delivery": _("Delivery"),
    "on_time": _("On time"),
}
HIDDEN = ("step", "extension", "pause", "clock")
DUE_FIELDS = {
    "due_date": _("Promised due date"),
    "statutory_due_date": _("Statutory due date"),
}


def status_label(status):
    for choices in (Status, ClockState):
        if status in choices.values:
            return choices(status).label
    return status


def timeline_rows(application):
    """The application's transitions, oldest first: {transition, what, details}."""
    names = {row.material_id: row.material.name for row in application.materials.all()}
    rows = []
    for transition in timeline(application):
        payload = transition.payload or {}
        if payload.get("step") in STEPS:
            what = STEPS[payload["step"]]
        elif not transition.from_status:
            what = f"{TAKEN_IN}: {status_label(transition.to_status)}"
        else:
            what = f"{status_label(transition.from_status)} → {status_label(transition.to_status)}"
        details = [
            (LABELS.get(key, key), shown(key, value, names))
            for key, value in payload.items()
            if key not in HIDDEN and value not in (None, "", [], {}) and not _quiet(key, value)
        ]
        rows.append({"transition": transition, "what": what, "details": details})
    return rows


def _quiet(key, value):
    # A flag that only matters when raised: "area code unknown: no" is noise.
    return key == "area_unknown" and value is False


def shown(key, value, names):
    """One payload value in words."""
    if isinstance(value, bool):
        return YES if value else NO
    if key in ("missing", "supplied", "pending") and isinstance(value, list):
        return "、".join(names.get(pk, str(pk)) for pk in value)
    if key == "channel" and value in Channel.values:
        return Channel(value).label
    if key == "delivery" and value in Delivery.values:
        return Delivery(value).label
    if key == "day_type" and value in DayType.values:
        return DayType(value).label
    if key == "due" and isinstance(value, dict):
        return "; ".join(
            f"{DUE_FIELDS.get(field, field)}: {moved[0]} → {moved[1]}"
            for field, moved in value.items()
        )
    if isinstance(value, str):
        return _moment(value)
    return value


def _moment(text):
    """An ISO date or time as the page shows dates; any other text unchanged."""
    try:
        at = parse_datetime(text) if "T" in text else None
        day = parse_date(text)
    except ValueError:
        at = day = None
    if at is not None:
        if timezone.is_aware(at):
            at = timezone.localtime(at)
        return date_format(at, "Y-m-d H:i")
    if isinstance(day, datetime.date):
        return day.isoformat()
    return text
