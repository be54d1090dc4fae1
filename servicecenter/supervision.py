"""E-supervision of the service hall (电子监察): the beat jobs' sweeps and the supervision board.

The sweeps hand the hall's open objects to the deadline engine (``townadmin.deadlines.sweep``),
which moves the warning levels set-based and raises each new card once; the watchers
callbacks here only say who hears of a new card:

* an application's card goes to its first-contact clerk (首问负责), its approver (while
  undecided, when none is named yet, the town's approvers), and the town's leaders;
* a rectification's card goes to its responsible clerk and the town's leaders.

The callbacks read in bulk (the people of all new cards in one query, the leaders and the
approvers once per town), so a sweep that raises a thousand cards costs what the engine
costs, not a query per card more.

The board (``supervision_board``) is what the town leader and the county reviewer read at
``/hall/supervision/``: a fixed number of queries however many rows it shows.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery, prefetch_related_objects
from django.utils import timezone

from powers.selectors import reach_holders
from servicecenter.models import Application, Complaint, Rectification
from servicecenter.models.applications import OPEN
from townadmin.deadlines import SweepResult, sweep
from townadmin.models import Town
from townadmin.models.deadlines import Alert, DeadlineExtension, DeadlinePause, WarningLevel
from townadmin.workdays import CalendarYearMissing, workdays_since

YELLOW, RED, NORMAL = WarningLevel.YELLOW, WarningLevel.RED, WarningLevel.NORMAL
LEAD_TOWN = "lead_town"
APPROVE_APPLICATION = "approve_application"
RectificationStatus = Rectification.Status

# The fix clock runs until the town reports the rectification done; the call-back clock
# only until the call-back (DOMAIN.md "Service hall": call back within 1 working day).
CALLBACK_RUNS = (RectificationStatus.OPEN,)
FIX_RUNS = (RectificationStatus.OPEN, RectificationStatus.CALLED_BACK)
# What the board lists as "open": everything before the re-rating or an upheld appeal.
RECTIFICATION_OPEN = (*FIX_RUNS, RectificationStatus.RECTIFIED, RectificationStatus.APPEALED)
FIELDS = ("red", "yellow", "normal", "raised", "cleared")  # of a SweepResult

# --- The sweeps (beat jobs) ------------------------------------------------------------


def applications_sweep(*, today=None) -> SweepResult:
    """Card accepted applications on both clocks (promised and statutory). Idempotent:
    a second run the same day changes nothing and notifies nobody again."""
    return sweep(
        Application.objects.filter(status__in=OPEN), today=today, recipients=application_watchers
    )


def rectifications_sweep(*, today=None) -> SweepResult:
    """Card rectifications of bad ratings: the call-back clock while awaiting the call-back,
    the fix clock until the rectification is reported. Idempotent."""
    fixing = Rectification.objects.filter(status__in=set(FIX_RUNS) - set(CALLBACK_RUNS))
    with transaction.atomic():
        result = sweep(
            Rectification.objects.filter(status__in=CALLBACK_RUNS),
            today=today,
            recipients=rectification_watchers,
        )
        # Called back: the call-back clock has stopped, the fix clock runs on.
        more = sweep(fixing, clocks=("fix",), today=today, recipients=rectification_watchers)
        more.cleared += _clear_stopped_callback_cards()
    return SweepResult(**{name: getattr(result, name) + getattr(more, name) for name in FIELDS})


def _clear_stopped_callback_cards():
    """Clear the call-back cards of rectifications past the call-back: that clock stopped,
    so no sweep looks at it again and its card would stay open for ever (one UPDATE)."""
    stopped = Rectification.objects.exclude(status__in=CALLBACK_RUNS).values("pk")
    return Alert.objects.filter(
        content_type=ContentType.objects.get_for_model(Rectification),
        clock="callback",
        cleared_at__isnull=True,
        object_id__in=stopped,
    ).update(cleared_at=timezone.now())


def application_watchers(alerts):
    """{alert: users}: the application's first clerk, its approver (before the decision,
    when nobody is named yet, the town's approvers: whoever may decide it), and the town's
    leaders."""
    applications = [alert.obj for alert in alerts if alert.obj is not None]
    # The engine names each card's object in its message (``str(application)`` reads the
    # item): one query for all of them here rather than one per card there.
    prefetch_related_objects(applications, "item")
    people = _active_users(
        user_id
        for application in applications
        for user_id in (application.first_clerk_id, application.approver_id)
    )
    # ``approver`` is set at completion, so an accepted application awaiting its decision
    # has none: its card goes to everyone who may approve in its town.
    undecided = [alert for alert in alerts if getattr(alert.obj, "approver_id", 0) is None]
    approvers = _holders_by_town(undecided, APPROVE_APPLICATION)
    leaders = _holders_by_town(alerts, LEAD_TOWN)
    watchers = {}
    for alert in alerts:
        application, own, deciders = alert.obj, [], []
        if application is not None:
            own = [application.first_clerk_id, application.approver_id]
            if application.approver_id is None:
                deciders = approvers[alert.town_id]
        watchers[alert] = _merge(people, own, deciders + leaders[alert.town_id])
    return watchers


def rectification_watchers(alerts):
    """{alert: users}: the rectification's responsible clerk and the town's leaders."""
    rectifications = [alert.obj for alert in alerts if alert.obj is not None]
    prefetch_related_objects(rectifications, "rating__application")  # str() reads the receipt
    people = _active_users(rectification.owner_id for rectification in rectifications)
    leaders = _holders_by_town(alerts, LEAD_TOWN)
    return {
        alert: _merge(people, [getattr(alert.obj, "owner_id", None)], leaders[alert.town_id])
        for alert in alerts
    }


def _active_users(ids):
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return {}
    return get_user_model().objects.filter(pk__in=ids, is_active=True).in_bulk()


def _holders_by_town(alerts, reach):
    """{town id: users holding ``reach`` there}, one lookup per town of the alerts."""
    towns = {alert.town_id: alert.town for alert in alerts}
    return {town_id: list(reach_holders(town, reach)) for town_id, town in towns.items()}


def _merge(people, own_ids, town_people):
    """The object's own people first, then the town's, each user once."""
    users = {}
    for user in [people.get(pk) for pk in own_ids] + town_people:
        if user is not None:
            users.setdefault(user.pk, user)
    return list(users.values())


# --- The supervision board (read) ------------------------------------------------------

LIST_LIMIT = 100


@dataclass
class Board:
    """What ``/hall/supervision/`` shows for a set of towns on a day."""

    towns: list
    carded: dict = field(default_factory=dict)  # "red"/"yellow" -> list of applications
    carded_total: dict = field(default_factory=dict)
    paused: list = field(default_factory=list)
    extensions: list = field(default_factory=list)
    rectifications: list = field(default_factory=list)
    complaints: list = field(default_factory=list)
    limit: int = LIST_LIMIT
    calendar_missing: str = ""  # why the overdue days could not be counted


def supervision_board(town_ids, *, today=None, limit=LIST_LIMIT) -> Board:
    """The board of ``town_ids`` (already scoped by the caller through townadmin.access).

    Each list is capped at ``limit`` rows, most urgent first; the card lists say how many
    there are in all. Overdue days are in working days; when the calendar lacks a year
    they are left out and ``calendar_missing`` says why.
    """
    today = today or timezone.localdate()
    town_ids = list(town_ids)
    board = Board(towns=_counts_by_town(town_ids), limit=limit)
    open_applications = Application.objects.filter(status__in=OPEN, town_id__in=town_ids)
    listed = open_applications.select_related("item", "town", "first_clerk")
    red = Q(warning_level=RED) | Q(statutory_warning_level=RED)
    yellow = (Q(warning_level=YELLOW) | Q(statutory_warning_level=YELLOW)) & ~red
    for name, condition in (("red", red), ("yellow", yellow)):
        rows = list(
            listed.filter(condition).order_by("due_date", "statutory_due_date", "pk")[:limit]
        )
        board.carded[name] = rows
    totals = open_applications.aggregate(
        red=Count("pk", filter=red), yellow=Count("pk", filter=yellow)
    )
    board.carded_total = totals
    try:
        _overdue_days(board.carded["red"] + board.carded["yellow"], today)
    except CalendarYearMissing as missing:
        board.calendar_missing = missing.messages[0]
    board.paused = list(_paused(listed)[:limit])
    board.extensions = list(_extensions_pending(listed)[:limit])
    board.rectifications = list(
        Rectification.objects.filter(status__in=RECTIFICATION_OPEN, town_id__in=town_ids)
        .select_related("town", "owner", "rating__application__item")
        .order_by("fix_due_date", "due_date", "pk")[:limit]
    )
    board.complaints = list(
        Complaint.objects.filter(status=Complaint.Status.OPEN, town_id__in=town_ids)
        .select_related("town", "application")
        .order_by("submitted_at", "pk")[:limit]
    )
    return board


def _counts_by_town(town_ids):
    """Each town with its open applications and the cards on each clock (one query)."""
    open_ = Q(applications__status__in=OPEN)

    def count(**lookup):
        return Count(
            "applications", filter=open_ & Q(**{f"applications__{k}": v for k, v in lookup.items()})
        )

    return list(
        Town.objects.filter(pk__in=town_ids)
        .annotate(
            open_count=Count("applications", filter=open_),
            paused_count=count(paused_on__isnull=False),
            promised_yellow=count(warning_level=YELLOW),
            promised_red=count(warning_level=RED),
            statutory_yellow=count(statutory_warning_level=YELLOW),
            statutory_red=count(statutory_warning_level=RED),
        )
        .order_by("code")
    )


def _overdue_days(applications, today):
    """Set ``overdue_days``: working days past the promised (and statutory) due date."""
    dates = {a.due_date for a in applications if a.due_date and a.due_date < today}
    dates |= {
        a.statutory_due_date
        for a in applications
        if a.statutory_due_date and a.statutory_due_date < today
    }
    since = workdays_since(dates, today)
    for application in applications:
        application.overdue_days = since.get(application.due_date)
        application.statutory_overdue_days = since.get(application.statutory_due_date)


def _about_application(model):
    return model.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id=OuterRef("pk")
    )


def _paused(applications):
    """Paused applications with the reason and the day of their open pause."""
    pause = _about_application(DeadlinePause).filter(ended_on__isnull=True)
    return (
        applications.filter(paused_on__isnull=False)
        .annotate(
            pause_reason=Subquery(pause.values("reason")[:1]),
            pause_citation=Subquery(pause.values("citation")[:1]),
        )
        .order_by("paused_on", "pk")
    )


def _extensions_pending(applications):
    """Applications whose extension request awaits the town leader's decision."""
    pending = _about_application(DeadlineExtension).filter(
        status=DeadlineExtension.Status.REQUESTED
    )
    return (
        applications.filter(Exists(pending))
        .annotate(
            extension_days=Subquery(pending.values("days")[:1]),
            extension_reason=Subquery(pending.values("reason")[:1]),
            extension_requested_at=Subquery(pending.values("requested_at")[:1]),
        )
        .order_by("extension_requested_at", "pk")
    )
