"""An application's two clocks across the 2026 National Day holiday (行政许可法 Art. 82:
licensing periods are working days, statutory holidays excluded).

The arrangement is read from the holiday table that ``chinesecalendar`` seeds, and the
first test pins what it says: Mid-Autumn Festival 25-27 September, National Day 1-7
October, make-up working days on Sunday 20 September and Saturday 10 October. A period
counts from the day after acceptance (民法典 Art. 201); a make-up working day counts.

The services read today's date, so the date arithmetic is checked through
``Application.start_clocks`` (what ``application_accept`` calls) with fixed acceptance
times, the pause ledger and the sweep with explicit dates, and one test accepts through
the service and compares with ``add_workdays``.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from servicecenter.choices import Channel
from servicecenter.models import Application
from servicecenter.services import application_accept, application_intake
from tests.servicecenter.factories import material_ids, person
from townadmin.deadlines import deadline_pause, deadline_resume, sweep
from townadmin.models.calendar import CalendarYear, DayKind, DayType, Holiday
from townadmin.models.deadlines import WarningLevel
from townadmin.workdays import add_workdays

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
ART_45 = "《中华人民共和国行政许可法》第四十五条"


def accepted_on(day, hour=9):
    """A moment on ``day`` in Beijing time (the hall's office hours)."""
    return datetime(day.year, day.month, day.day, hour, 30, tzinfo=SHANGHAI)


def clocks(day, *, promised=5, statutory=20, day_type=DayType.WORKING, hour=9):
    """(promised due, statutory due) of an application accepted on ``day``."""
    application = Application()
    application.start_clocks(
        started_at=accepted_on(day, hour), day_type=day_type, promised=promised, statutory=statutory
    )
    return application.due_date, application.statutory_due_date


def test_the_holiday_table_holds_the_2026_mid_autumn_and_national_day_arrangement():
    autumn = Holiday.objects.filter(date__range=(date(2026, 9, 14), date(2026, 10, 18)))

    days = dict(autumn.values_list("date", "kind"))

    holidays = [date(2026, 9, day) for day in (25, 26, 27)]
    holidays += [date(2026, 10, day) for day in range(1, 8)]
    assert days == {
        date(2026, 9, 20): DayKind.WORKDAY,  # Sunday
        date(2026, 10, 10): DayKind.WORKDAY,  # Saturday
        **dict.fromkeys(holidays, DayKind.HOLIDAY),
    }
    assert CalendarYear.objects.filter(year=2026).exists()


def test_accepted_the_tuesday_before_national_day_both_clocks_skip_the_week_off():
    # 30 Sep (1), 1-7 Oct off, 8 (2), 9 (3), Saturday 10 (4), 12 (5) ... 2 Nov (20).
    assert clocks(date(2026, 9, 29)) == (date(2026, 10, 12), date(2026, 11, 2))


def test_the_make_up_saturday_counts_so_the_promise_is_not_a_day_later():
    promised, _statutory = clocks(date(2026, 9, 29))

    # Without Saturday 10 October as a working day the fifth day would be 13 October.
    assert promised == date(2026, 10, 12)
    assert promised != date(2026, 10, 13)


def test_accepted_on_the_last_day_before_the_holiday_the_first_day_counted_is_8_october():
    assert clocks(date(2026, 9, 30), promised=1, statutory=20) == (
        date(2026, 10, 8),
        date(2026, 11, 3),
    )


def test_accepted_on_the_friday_before_the_make_up_saturday_one_day_ends_on_that_saturday():
    assert clocks(date(2026, 10, 9), promised=1, statutory=5) == (
        date(2026, 10, 10),
        date(2026, 10, 15),
    )


def test_accepted_on_the_make_up_saturday_itself_the_period_starts_on_monday():
    assert clocks(date(2026, 10, 10), promised=1, statutory=5) == (
        date(2026, 10, 12),
        date(2026, 10, 16),
    )


@pytest.mark.parametrize(
    "holiday",
    [date(2026, 10, 1), date(2026, 10, 3), date(2026, 10, 5), date(2026, 10, 7)],
    ids=["thursday 1st", "saturday 3rd", "monday 5th", "wednesday 7th"],
)
def test_accepted_on_a_holiday_the_period_starts_with_the_next_working_day(holiday):
    # An online draft accepted during the holiday: 8 (1), 9 (2), 10 (3), 12 (4), 13 (5);
    # the same days as an acceptance on 30 September, the last working day before it.
    assert clocks(holiday) == (date(2026, 10, 13), date(2026, 11, 3))
    assert clocks(holiday) == clocks(date(2026, 9, 30))


def test_an_acceptance_late_in_the_evening_counts_from_the_next_beijing_day():
    # 23:30 in Beijing is 15:30 UTC: the local day decides, not the server's.
    assert clocks(date(2026, 9, 30), promised=1, hour=23)[0] == date(2026, 10, 8)


def test_the_mid_autumn_festival_and_the_make_up_sunday_before_it():
    assert clocks(date(2026, 9, 18), promised=1, statutory=1) == (
        date(2026, 9, 20),  # the make-up Sunday is a working day
        date(2026, 9, 20),
    )
    assert clocks(date(2026, 9, 24), promised=1, statutory=1) == (
        date(2026, 9, 28),  # Friday 25 to Sunday 27 off
        date(2026, 9, 28),
    )


def test_a_calendar_day_limit_that_ends_in_the_holiday_moves_to_the_next_working_day():
    # 15 Sep + 20 days = 5 Oct, a holiday: the period ends on 8 Oct (民法典 Art. 203).
    assert clocks(date(2026, 9, 15), promised=20, statutory=20, day_type=DayType.CALENDAR) == (
        date(2026, 10, 8),
        date(2026, 10, 8),
    )


# --- the clocks of a stored application -------------------------------------------------


@pytest.fixture
def accepted_0929(item_a, clerk_a):
    """An application accepted at the window on Tuesday 29 September 2026 (the acceptance
    moment is set as test data: the service itself stamps today)."""
    application, _created = application_intake(
        item=item_a,
        channel=Channel.WINDOW,
        applicant=person(),
        materials=material_ids(item_a),
        actor=clerk_a,
    )
    application = Application.objects.get(pk=application.pk)
    application.status = Application.Status.ACCEPTED
    application.start_clocks(
        started_at=accepted_on(date(2026, 9, 29)),
        day_type=DayType.WORKING,
        promised=item_a.promised_days,
        statutory=item_a.statutory_days,
    )
    application.save()
    return application


def test_a_special_step_over_the_holiday_moves_both_due_dates_by_its_two_working_days(
    accepted_0929, approver_a
):
    deadline_pause(
        obj=accepted_0929,
        reason="专家评审",
        citation=ART_45,
        actor=approver_a,
        on=date(2026, 9, 30),
    )

    pause = deadline_resume(obj=accepted_0929, actor=approver_a, on=date(2026, 10, 9))

    # Paused after 30 Sep up to 9 Oct: only 8 and 9 October were working days.
    assert pause.paused_days == 2
    application = Application.objects.get(pk=accepted_0929.pk)
    assert (application.due_date, application.statutory_due_date) == (
        date(2026, 10, 14),
        date(2026, 11, 4),
    )


def test_the_yellow_card_skips_the_holiday_one_working_day_before_the_promise(accepted_0929):
    Application.objects.filter(pk=accepted_0929.pk).update(due_date=date(2026, 10, 8))
    open_applications = Application.objects.filter(pk=accepted_0929.pk)

    sweep(open_applications, today=date(2026, 9, 30), yellow_workdays=1)

    # Due 8 October is the very next working day after 30 September: yellow already.
    assert open_applications.get().warning_level == WarningLevel.YELLOW


def test_the_red_card_comes_the_day_after_a_due_date_on_the_make_up_saturday(accepted_0929):
    Application.objects.filter(pk=accepted_0929.pk).update(due_date=date(2026, 10, 10))
    open_applications = Application.objects.filter(pk=accepted_0929.pk)

    sweep(open_applications, today=date(2026, 10, 10), yellow_workdays=1)
    assert open_applications.get().warning_level == WarningLevel.YELLOW

    sweep(open_applications, today=date(2026, 10, 11), yellow_workdays=1)
    assert open_applications.get().warning_level == WarningLevel.RED


def test_the_acceptance_service_counts_both_clocks_in_the_calendars_working_days(item_a, clerk_a):
    CalendarYear.objects.get_or_create(year=timezone.localdate().year + 1)
    application, _created = application_intake(
        item=item_a,
        channel=Channel.WINDOW,
        applicant=person(),
        materials=material_ids(item_a),
        actor=clerk_a,
    )

    application = application_accept(application=application, actor=clerk_a)

    accepted_day = timezone.localdate(application.started_at)
    assert accepted_day == timezone.localdate()
    assert application.due_date == add_workdays(accepted_day, item_a.promised_days)
    assert application.statutory_due_date == add_workdays(accepted_day, item_a.statutory_days)
    assert application.statutory_due_date - application.due_date >= timedelta(days=15)
