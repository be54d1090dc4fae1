"""Working days: ``is_workday``, ``add_workdays``, ``workdays_between``, ``add_days``.

The answers come from the holiday table (``townadmin.models.calendar``), never from
the weekday alone: a day in a year that no :class:`CalendarYear` row covers raises
:class:`CalendarYearMissing`.

Semantics (the law counts a period from the day after the event, 民法典 Art. 201):

* ``add_workdays(start, n)`` is the n-th working day after ``start``; ``start``
  itself never counts, whether or not it is a working day. ``add_workdays(d, 0)``
  is ``d``. On an ordinary week ``add_workdays(Friday, 1)`` is the next Monday.
* ``workdays_between(start, end)`` is the number of working days ``d`` with
  ``start < d <= end``, negated when ``end`` is before ``start``. So
  ``add_workdays(start, workdays_between(start, end)) == end`` whenever ``end`` is a
  working day after ``start``.
* ``add_days(start, n, day_type)`` counts working days as ``add_workdays`` does;
  for calendar days it is ``start + n days``, moved to the next working day when
  that day is a rest day (民法典 Art. 203, which 民事诉讼法 Art. 85 repeats).

Each call reads the years it needs in one query (a handful of rows per year), so
an administrator's correction takes effect at once in every process.
"""

from datetime import date, timedelta

from django.apps import apps as global_apps
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townadmin.models.calendar import CalendarSource, CalendarYear, DayKind, DayType, Holiday

ONE_DAY = timedelta(days=1)

YEAR_MISSING = _(
    "The working-day calendar has no data for %(year)s. An administrator must enter that "
    "year's holidays and make-up workdays and mark the year as loaded."
)
NEGATIVE_DAYS = _("The number of days cannot be negative.")


class CalendarYearMissing(ValidationError):  # noqa: N818 (named for the condition, as ObjectDoesNotExist)
    """A date falls in a year the holiday table does not cover: no answer is safer than a guess."""

    def __init__(self, year):
        self.year = year
        super().__init__(YEAR_MISSING, code="calendar_year_missing", params={"year": year})


class _Years:
    """The holidays and make-up workdays of some years, read in one query per span."""

    def __init__(self):
        self._days = {}  # year -> {date: DayKind} for the years the table covers
        self._asked = set()  # years asked for, covered or not

    def read(self, first, last):
        def days_of(kind):
            return ArraySubquery(
                Holiday.objects.filter(date__year=OuterRef("year"), kind=kind)
                .order_by()
                .values("date")
            )

        rows = (
            CalendarYear.objects.filter(year__range=(first, last))
            .annotate(holidays=days_of(DayKind.HOLIDAY), workdays=days_of(DayKind.WORKDAY))
            .values_list("year", "holidays", "workdays")
        )
        for year, holidays, workdays in rows:
            self._days[year] = {
                **dict.fromkeys(holidays, DayKind.HOLIDAY),
                **dict.fromkeys(workdays, DayKind.WORKDAY),
            }
        self._asked.update(range(first, last + 1))
        return self

    def exceptions(self, year):
        """The days of ``year`` that break the weekday rule; raises when the year is not covered."""
        if year not in self._asked:
            self.read(year, year)  # a walk went past the span read up front: rare
        try:
            return self._days[year]
        except KeyError:
            raise CalendarYearMissing(year) from None

    def is_workday(self, day):
        kind = self.exceptions(day.year).get(day)
        if kind is None:
            return day.weekday() < 5
        return kind == DayKind.WORKDAY


def _check_count(n):
    if n < 0:
        raise ValueError(str(NEGATIVE_DAYS))


def _span_end(start, n):
    """A day surely past the n-th working day after ``start`` (China has 245+ working days a
    year, the longest run of rest days is under two weeks), so one read covers the walk."""
    return start + timedelta(days=n * 3 // 2 + 21)


def is_workday(day):
    """Whether ``day`` is a working day (Monday to Friday unless a holiday, or a make-up day)."""
    return _Years().read(day.year, day.year).is_workday(day)


def add_workdays(start, n):
    """The n-th working day after ``start`` (``start`` not counted; ``n >= 0``)."""
    _check_count(n)
    if n == 0:
        return start
    days = _Years().read((start + ONE_DAY).year, _span_end(start, n).year)
    day = start
    while n:
        day += ONE_DAY
        if days.is_workday(day):
            n -= 1
    return day


def workdays_between(start, end):
    """The number of working days after ``start`` up to and including ``end`` (negative if
    ``end`` is before ``start``)."""
    if end < start:
        return -workdays_between(end, start)
    if end == start:
        return 0
    first = start + ONE_DAY
    years = _Years().read(first.year, end.year)
    weeks, rest = divmod((end - start).days, 7)
    count = weeks * 5 + sum(1 for i in range(1, rest + 1) if (start + i * ONE_DAY).weekday() < 5)
    for year in range(first.year, end.year + 1):
        for day, kind in years.exceptions(year).items():
            if not first <= day <= end:
                continue
            if kind == DayKind.WORKDAY and day.weekday() >= 5:
                count += 1
            elif kind == DayKind.HOLIDAY and day.weekday() < 5:
                count -= 1
    return count


def workdays_since(starts, today):
    """{start: working days after ``start`` up to ``today``}, as ``workdays_between`` counts.

    For many starts at once (a queue's "waiting for N working days"): one query for the
    whole span, where calling ``workdays_between`` per start would cost one each.
    """
    if not starts:
        return {}
    first = min(min(starts), today)
    days = _Years().read((first + ONE_DAY).year, today.year)
    counted, running, day = {first: 0}, 0, first
    while day < today:
        day += ONE_DAY
        running += days.is_workday(day)
        counted[day] = running
    # A date after today (a clock set ahead) waited no working day yet.
    return {start: running - counted.get(start, running) for start in starts}


def add_days(start, n, day_type):
    """The end of a period of ``n`` days of ``day_type`` (a :class:`DayType`) from ``start``."""
    if day_type == DayType.WORKING:
        return add_workdays(start, n)
    if day_type != DayType.CALENDAR:
        raise ValueError(f"unknown day type {day_type!r}")
    _check_count(n)
    end = start + timedelta(days=n)
    if n == 0:
        return end
    days = _Years().read(end.year, end.year + 1)
    while not days.is_workday(end):
        end += ONE_DAY
    return end


def missing_years(today=None):
    """This year and next when the table lacks them: what the admin and /healthz warn about.

    Next year is included because deadlines started in December already run into
    it, and the State Council publishes the arrangement only weeks before.
    """
    today = today or timezone.localdate()
    wanted = [today.year, today.year + 1]
    covered = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    return [year for year in wanted if year not in covered]


def load_chinese_calendar(*, holiday_model=Holiday, year_model=CalendarYear, using="default"):
    """Copy the ``chinesecalendar`` package's days into the holiday table; safe to run again.

    Days the package lists are created or refreshed, except where a row of another
    source (a local holiday, an administrator's correction) holds that date; days
    the package no longer lists in its years are removed (a corrected arrangement).
    Each year the package covers is marked loaded. The models are parameters so the
    data migration can pass its historical models. Returns the years the package covers.
    """
    import chinese_calendar

    names = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
    package = {
        day: (DayKind.HOLIDAY, names[name]) for day, name in chinese_calendar.holidays.items()
    }
    package |= {
        day: (DayKind.WORKDAY, names[name]) for day, name in chinese_calendar.workdays.items()
    }
    years = sorted({day.year for day in package})

    holidays, calendar_years = holiday_model.objects.using(using), year_model.objects.using(using)
    kept = set(
        holidays.filter(date__in=list(package))
        .exclude(source=CalendarSource.CHINESECALENDAR)
        .values_list("date", flat=True)
    )
    holidays.bulk_create(
        [
            holiday_model(date=day, kind=kind, name=name, source=CalendarSource.CHINESECALENDAR)
            for day, (kind, name) in sorted(package.items())
            if day not in kept
        ],
        update_conflicts=True,
        unique_fields=["date"],
        update_fields=["kind", "name"],
    )
    holidays.filter(
        source=CalendarSource.CHINESECALENDAR,
        date__gte=date(years[0], 1, 1),
        date__lte=date(years[-1], 12, 31),
    ).exclude(date__in=list(package)).delete()
    calendar_years.bulk_create(
        [year_model(year=year, source=CalendarSource.CHINESECALENDAR) for year in years],
        ignore_conflicts=True,
    )
    return years


def load_chinese_calendar_after_migrate(sender, apps=global_apps, using="default", **kwargs):
    """post_migrate: keep the table in step with the installed package after an upgrade,
    and refill it after a flush (tests that truncate every table)."""
    try:
        holiday_model = apps.get_model("townadmin", "Holiday")
        year_model = apps.get_model("townadmin", "CalendarYear")
    except LookupError:  # migrated back past the calendar's tables
        return
    load_chinese_calendar(holiday_model=holiday_model, year_model=year_model, using=using)
