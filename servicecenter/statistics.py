"""Statistics of the service hall (政务服务统计), per town, item or month (selectors).

Every figure is a set-based SQL aggregate: three queries (applications, ratings, items)
per grouping, whatever the number of applications. Each call is scoped by the caller to a
set of town ids (through ``townadmin.access`` for staff, one published town for the
public), and optionally to one service item and a period.

Definitions (issue #5 item 8; DOMAIN.md "Service hall" and "Real-world targets"):

* the applications counted are those taken in (every status but an unreviewed draft),
  in the period by the local day they were received;
* on-time rate: completed on time (by the promised due date) among completed;
* average handling time: working days from acceptance to completion (the holiday table's
  calendar, computed in SQL as ``townadmin.workdays.workdays_between`` counts), among
  completed applications; paused days are not taken off, it is what the applicant waited;
* time compression (承诺时限压缩比): 1 - promised/statutory, as the ratio of the sums of
  the limits: over the published items, and over the accepted applications (each weighs
  its item's limits, so busy items count more);
* online share: applications filed online (网上申请) among applications;
* zero-visit share: applications for which the applicant never came to the hall;
* good-rating share: the applications' last rating (round 2 once re-rated) that is not a
  bad one (非常满意, 满意, 基本满意: DOMAIN.md says the last two levels are the bad ratings),
  among those ratings; ratings excluded as malicious count nowhere;
* instant-item share (即办件占比): instant items among published items.
"""

from dataclasses import dataclass, fields
from datetime import date

from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.functions import TruncDate, TruncMonth
from django.utils.translation import gettext_lazy as _

from servicecenter.choices import BAD_RATINGS, Channel, ItemKind
from servicecenter.models import Application, Rating, ServiceItem
from servicecenter.models.applications import COMPLETED
from townadmin.models.calendar import DayKind, Holiday

Status = Application.Status


@dataclass(frozen=True)
class Target:
    """A published real-world figure, shown as a reference line (DOMAIN.md)."""

    indicator: str
    value: float
    source: str


HANGZHOU = _("Hangzhou 2020")
SHANGHAI = _("Shanghai 2022")
TARGETS = (
    Target("zero_visit_share", 0.954, HANGZHOU),
    Target("instant_share", 0.830, HANGZHOU),
    Target("compression_items", 0.946, HANGZHOU),
    Target("online_share", 0.983, HANGZHOU),
    Target("online_share", 0.840, SHANGHAI),
    Target("good_rating_share", 0.9996, SHANGHAI),
)

# The shares, in the order pages and charts show them.
SHARES = {
    "on_time_rate": _("On-time rate"),
    "compression_items": _("Time compression (items)"),
    "compression_applications": _("Time compression (applications)"),
    "online_share": _("Online share"),
    "zero_visit_share": _("Zero-visit share"),
    "good_rating_share": _("Good-rating share"),
    "instant_share": _("Instant-item share"),
}


def _ratio(part, whole):
    return part / whole if whole else None


@dataclass
class Indicators:
    """The counts of one group; the shares and averages are derived (None without data)."""

    applications: int = 0
    completed: int = 0
    completed_on_time: int = 0
    handled: int = 0  # completed with a start: the handling time's denominator
    handling_days: int = 0  # their working days, summed
    accepted: int = 0
    promised_days: int = 0  # of the accepted applications' items, summed
    statutory_days: int = 0
    online: int = 0
    zero_visit: int = 0
    ratings: int = 0
    good_ratings: int = 0
    items: int = 0
    instant_items: int = 0
    item_promised_days: int = 0
    item_statutory_days: int = 0

    @property
    def on_time_rate(self):
        return _ratio(self.completed_on_time, self.completed)

    @property
    def average_handling_days(self):
        return _ratio(self.handling_days, self.handled)

    @property
    def compression_applications(self):
        ratio = _ratio(self.promised_days, self.statutory_days)
        return None if ratio is None else 1 - ratio

    @property
    def compression_items(self):
        ratio = _ratio(self.item_promised_days, self.item_statutory_days)
        return None if ratio is None else 1 - ratio

    @property
    def online_share(self):
        return _ratio(self.online, self.applications)

    @property
    def zero_visit_share(self):
        return _ratio(self.zero_visit, self.applications)

    @property
    def good_rating_share(self):
        return _ratio(self.good_ratings, self.ratings)

    @property
    def instant_share(self):
        return _ratio(self.instant_items, self.items)

    def shares(self):
        """(key, label, value) of each share, in display order."""
        return [(key, label, getattr(self, key)) for key, label in SHARES.items()]


COUNTS = frozenset(field.name for field in fields(Indicators))


class WorkdaysBetween(Func):
    """Working days ``d`` with ``start < d <= end``, as ``townadmin.workdays.workdays_between``
    counts them, in SQL: the weekdays of the span, less the holidays on weekdays, plus the
    make-up workdays on weekends, from the holiday table (one index range scan per row).

    The weekdays come from a closed form: ``f(d)``, the weekdays from Monday 5 January
    1970 up to ``d``, is five a week plus the weekdays of the last partial week.
    """

    output_field = IntegerField()
    arity = 2
    EPOCH = "DATE '1970-01-05'"

    def as_sql(self, compiler, connection, **extra):
        (start, start_params), (end, end_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )

        def weekdays_to(day):
            n = f"(({day}) - {self.EPOCH} + 1)"
            return f"(5 * ({n} / 7) + LEAST(MOD({n}, 7), 5))"

        table = connection.ops.quote_name(Holiday._meta.db_table)
        sql = f"""(
            {weekdays_to(end)} - {weekdays_to(start)} + (
                SELECT COALESCE(SUM(CASE
                    WHEN h.kind = %s AND EXTRACT(ISODOW FROM h.date) >= 6 THEN 1
                    WHEN h.kind = %s AND EXTRACT(ISODOW FROM h.date) < 6 THEN -1
                    ELSE 0 END), 0)
                FROM {table} h WHERE h.date > ({start}) AND h.date <= ({end})
            )
        )"""
        params = [
            *end_params,
            *end_params,
            *start_params,
            *start_params,
            DayKind.WORKDAY,
            DayKind.HOLIDAY,
            *start_params,
            *end_params,
        ]
        return sql, params


def _applications(towns, item, start, end):
    queryset = Application.objects.filter(town_id__in=towns).exclude(status=Status.DRAFT)
    if item is not None:
        queryset = queryset.filter(item=item)
    if start is not None:
        queryset = queryset.filter(received_at__date__gte=start)
    if end is not None:
        queryset = queryset.filter(received_at__date__lte=end)
    return queryset


def _application_counts():
    completed = Q(status__in=COMPLETED)
    handled = completed & Q(started_at__isnull=False, completed_at__isnull=False)
    started = Q(started_at__isnull=False)
    days = WorkdaysBetween(TruncDate("started_at"), TruncDate("completed_at"))
    return {
        "applications": Count("pk"),
        "completed": Count("pk", filter=completed),
        "completed_on_time": Count("pk", filter=completed & Q(completed_on_time=True)),
        "handled": Count("pk", filter=handled),
        "handling_days": Sum(days, filter=handled),
        "accepted": Count("pk", filter=started),
        "promised_days": Sum("item__promised_days", filter=started),
        "statutory_days": Sum("item__statutory_days", filter=started),
        "online": Count("pk", filter=Q(channel=Channel.ONLINE)),
        "zero_visit": Count("pk", filter=Q(visits=0)),
    }


def _last_ratings(towns, item, start, end):
    """Each counted application's last rating that is not excluded."""
    later = Rating.objects.filter(
        application=OuterRef("application"), round__gt=OuterRef("round"), excluded=False
    )
    applications = _applications(towns, item, start, end).order_by().values("pk")
    return Rating.objects.filter(
        town_id__in=towns, excluded=False, application__in=applications
    ).exclude(Exists(later))


def _items(towns, item):
    queryset = ServiceItem.objects.filter(town_id__in=towns, is_published=True)
    return queryset if item is None else queryset.filter(pk=getattr(item, "pk", item))


# How each grouping names its key on each queryset ("" for no grouping).
GROUPS = {
    "town": ("town_id", "town_id", "town_id"),
    "item": ("item_id", "application__item_id", "pk"),
    "month": (
        TruncMonth("received_at"),
        TruncMonth("application__received_at"),
        None,  # items have no month: the compression over items is not split by month
    ),
}


def _grouped(queryset, key, aggregates):
    """{group key: {name: value}} of one aggregate query (key None: one group, None)."""
    if key is None:
        return {None: queryset.aggregate(**aggregates)}
    keyed = queryset.order_by().annotate(group_key=key if not isinstance(key, str) else F(key))
    rows = keyed.values("group_key").annotate(**aggregates)
    return {row.pop("group_key"): row for row in rows}


def indicators_by(by=None, *, towns, item=None, start=None, end=None) -> dict:
    """{key: Indicators} grouped ``by`` "town" (town id), "item" (item id) or "month" (the
    first day of the month); ``by=None`` gives one group, keyed None. Three queries.

    ``towns``: the town ids the caller may show; ``item``: a ServiceItem or its id;
    ``start``/``end``: the period (dates, inclusive) of receipt.
    """
    towns = list(towns)
    if isinstance(start, date) and isinstance(end, date) and end < start:
        start, end = end, start
    app_key, rating_key, item_key = GROUPS[by] if by else (None, None, None)
    groups = {}

    def merge(rows):
        for key, values in rows.items():
            counts = groups.setdefault(key, Indicators())
            for name, value in values.items():
                setattr(counts, name, value or 0)

    merge(_grouped(_applications(towns, item, start, end), app_key, _application_counts()))
    merge(
        _grouped(
            _last_ratings(towns, item, start, end),
            rating_key,
            {
                "ratings": Count("pk"),
                "good_ratings": Count("pk", filter=~Q(level__in=BAD_RATINGS)),
            },
        )
    )
    if not by or item_key:
        merge(
            _grouped(
                _items(towns, item),
                item_key,
                {
                    "items": Count("pk"),
                    "instant_items": Count("pk", filter=Q(kind=ItemKind.INSTANT)),
                    "item_promised_days": Sum("promised_days"),
                    "item_statutory_days": Sum("statutory_days"),
                },
            )
        )
    if by == "month":
        groups = {_month(key): value for key, value in groups.items()}
    return dict(sorted(groups.items(), key=lambda pair: (pair[0] is None, pair[0])))


def indicators(*, towns, item=None, start=None, end=None) -> Indicators:
    """The indicators of all ``towns`` together (see :func:`indicators_by`)."""
    return indicators_by(towns=towns, item=item, start=start, end=end).get(None, Indicators())


def _month(value):
    # TruncMonth of a timestamp gives the local midnight of the first day: keep the date.
    return value.date() if hasattr(value, "date") else value
