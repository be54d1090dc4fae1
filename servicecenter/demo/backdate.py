"""Moving the stamps the services wrote "now" to each story's planned past.

The audit trail is append-only and hash-chained in the database, so its records keep the
time the seed ran; everything else moves, one bulk UPDATE per table.
"""

from django.conf import settings
from django.db import connection
from django.utils import timezone
from psycopg2.extras import execute_values

from servicecenter.demo.common import add_days, update_rows
from servicecenter.models import (
    Application,
    Complaint,
    Notice,
    Rating,
    Rectification,
    SubmittedMaterial,
)
from townadmin.models.calendar import DayType
from townadmin.models.deadlines import DeadlineExtension, DeadlinePause
from townadmin.models.outbox import OutboxMessage

# The steps that write the application's status (and so its ``status_since``).
MOVES = {"received", "taken_in", "notified", "resubmitted", "refused", "accepted"}
MOVES |= {"supplied", "completed", "delivered"}
ISSUED = {
    "receipt": "received",
    "one_time": "notified",
    "acceptance": "accepted",
    "pending": "accepted",
    "refusal": "refused",
    "decision": "completed",
}
BACKDATED = [
    "receipt_no",
    "certificate_no",
    "received_at",
    "status_since",
    "started_at",
    "due_date",
    "statutory_due_date",
    "paused_on",
    "pending_until",
    "completed_at",
    "completed_on_time",
    "delivered_at",
]


def backdate(stories, rated, complaints):
    """Move every stamp the services wrote "now" to the story's planned time: one bulk
    UPDATE per table. Due dates are recomputed from the planned acceptance as the
    deadline engine would have: the period, then the paused days and any extension."""
    stories = {story.application.pk: story for story in stories}
    applications = list(Application.objects.filter(pk__in=stories).select_related("item"))
    numbers = {}
    for application in applications:
        story = stories[application.pk]
        old = application.receipt_no
        town, _day, sequence = old.split("-")
        numbers[old] = f"{town}-{timezone.localdate(story.at['received']):%Y%m%d}-{sequence}"
        application.receipt_no = numbers[old]
        if application.certificate_no == old:
            application.certificate_no = numbers[old]
        application.received_at = story.at["received"]
        application.status_since = max(at for step, at in story.at.items() if step in MOVES)
        if "accepted" in story.at:
            _clocks(application, story)
    update_rows(Application, applications, BACKDATED)
    _renumber_messages(numbers)
    _backdate_records(stories, numbers)
    _backdate_ratings(rated, complaints)


def _renumber_messages(numbers):
    """The notifications the services queued (to staff, SMS to applicants) name the
    receipt numbers of the seed's day: give them the numbers the applications now carry.
    A number is unique, so a message that holds one was queued by this seed."""
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    sql = f"""
        UPDATE {table} AS m
        SET subject = replace(m.subject, v.old, v.new), body = replace(m.body, v.old, v.new)
        FROM (VALUES %s) AS v (old, new)
        WHERE strpos(m.subject, v.old) > 0 OR strpos(m.body, v.old) > 0
    """
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, list(numbers.items()), page_size=len(numbers))


def _clocks(application, story):
    at, item = story.at, story.item
    start, day_type = timezone.localdate(at["accepted"]), item.day_type
    promised = add_days(start, item.promised_days, day_type)
    statutory = add_days(start, item.statutory_days, day_type)
    story.first_due = promised, statutory  # as the acceptance notice printed them
    extra = story.paused_days + (item.extension_days if story.extension_approved else 0)
    application.started_at = at["accepted"]
    application.due_date = add_days(promised, extra, day_type) if extra else promised
    application.statutory_due_date = add_days(statutory, extra, day_type) if extra else statutory
    if application.paused_on:
        application.paused_on = timezone.localdate(at["paused"])
    story.pending_until = (
        min(add_days(start, 3, DayType.WORKING), promised) if story.pending else None
    )
    if application.pending_until:
        application.pending_until = story.pending_until
    if "completed" in at:
        application.completed_at = at["completed"]
        application.completed_on_time = timezone.localdate(at["completed"]) <= application.due_date
    if "delivered" in at:
        application.delivered_at = at["delivered"]


def _backdate_records(stories, numbers):
    """The notices, supplied materials, pauses and extensions of the applications."""
    notices = list(Notice.objects.filter(application__in=stories))
    for notice in notices:
        story = stories[notice.application_id]
        receipt, _dash, position = notice.number.rpartition("-")
        notice.number = f"{numbers[receipt]}-{position}"
        notice.issued_at = story.at[ISSUED[notice.kind]]
        if notice.kind == "acceptance":
            promised, statutory = story.first_due
            notice.content |= {
                "accepted_at": story.at["accepted"].isoformat(),
                "promised_due": promised.isoformat(),
                "statutory_due": statutory.isoformat(),
            }
        elif notice.kind == "pending":
            notice.content["pending_until"] = story.pending_until.isoformat()
    update_rows(Notice, notices, ["number", "issued_at", "content"])
    supplied = list(
        SubmittedMaterial.objects.filter(application__in=stories, supplied_at__isnull=False)
    )
    for row in supplied:
        at = stories[row.application_id].at
        row.supplied_at = at.get("resubmitted") or at["supplied"]
    update_rows(SubmittedMaterial, supplied, ["supplied_at"])
    about = {"content_type__model": "application", "object_id__in": list(stories)}
    pauses = list(DeadlinePause.objects.filter(content_type__app_label="servicecenter", **about))
    for pause in pauses:
        story = stories[pause.object_id]
        pause.started_on = timezone.localdate(story.at["paused"])
        if pause.ended_on:
            pause.ended_on = timezone.localdate(story.at["resumed"])
            pause.paused_days = story.paused_days
    update_rows(DeadlinePause, pauses, ["started_on", "ended_on", "paused_days"])
    extensions = list(
        DeadlineExtension.objects.filter(content_type__app_label="servicecenter", **about)
    )
    for extension in extensions:
        at = stories[extension.object_id].at
        extension.requested_at = at["extension_requested"]
        extension.decided_at = at.get("extension_decided")
    update_rows(DeadlineExtension, extensions, ["requested_at", "decided_at"])


def _backdate_ratings(rated, complaints):
    ratings, rectifications = [], []
    for entry in rated:
        entry.rating.rated_at = entry.at["rated"]
        ratings.append(entry.rating)
        if entry.rerating is not None:
            entry.rerating.rated_at = entry.at["rerated"]
            ratings.append(entry.rerating)
        if entry.rectification is not None:
            rectification = entry.rectification
            on = timezone.localdate(entry.at["rated"])
            rectification.started_at = entry.at["rated"]
            rectification.due_date = add_days(on, 1, DayType.WORKING)
            rectification.fix_due_date = add_days(
                on, settings.RECTIFICATION_WORKDAYS, DayType.WORKING
            )
            rectifications.append(rectification)
    update_rows(Rating, ratings, ["rated_at"])
    update_rows(Rectification, rectifications, ["started_at", "due_date", "fix_due_date"])
    for complaint, at in complaints:
        complaint.submitted_at, complaint.answered_at = at["submitted"], at.get("answered")
    update_rows(Complaint, [c for c, _at in complaints], ["submitted_at", "answered_at"])
