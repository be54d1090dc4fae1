"""The working-day calendar, pinned on the 2026 arrangement (State Council notice, as the
chinesecalendar package carries it): Spring Festival Sun 15 - Mon 23 February with make-up
Saturdays 14 and 28 February; National Day Thu 1 - Wed 7 October with make-up Saturday 10
October (and Sunday 20 September)."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from townadmin.models.calendar import CalendarSource, CalendarYear, DayKind, DayType, Holiday
from townadmin.workdays import (
    YEAR_MISSING,
    CalendarYearMissing,
    add_days,
    add_workdays,
    is_workday,
    load_chinese_calendar,
    missing_years,
    workdays_between,
    workdays_since,
)

pytestmark = pytest.mark.django_db

NATIONAL_DAY = [date(2026, 10, day) for day in range(1, 8)]
SPRING_FESTIVAL = [date(2026, 2, day) for day in range(15, 24)]


@pytest.fixture
def no_2027():
    """2027 is not loaded (the package does not have it yet; make sure whatever happens)."""
    CalendarYear.objects.filter(year=2027).delete()


def test_an_ordinary_weekday_is_a_workday_and_a_weekend_day_is_not():
    assert is_workday(date(2026, 11, 23))  # Monday
    assert not is_workday(date(2026, 11, 22))  # Sunday


def test_the_national_day_holidays_are_not_workdays():
    assert [day for day in NATIONAL_DAY if is_workday(day)] == []


def test_the_spring_festival_holidays_are_not_workdays():
    assert [day for day in SPRING_FESTIVAL if is_workday(day)] == []


def test_the_make_up_saturdays_are_workdays():
    assert is_workday(date(2026, 10, 10))
    assert is_workday(date(2026, 2, 14))
    assert is_workday(date(2026, 2, 28))


def test_add_workdays_does_not_count_the_start_day():
    assert add_workdays(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Friday -> Monday


def test_add_workdays_of_zero_days_is_the_start_day():
    assert add_workdays(date(2026, 10, 3), 0) == date(2026, 10, 3)


def test_add_workdays_skips_the_national_day_holidays():
    assert add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)


def test_add_workdays_counts_the_make_up_saturday_after_national_day():
    assert add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert add_workdays(date(2026, 9, 30), 4) == date(2026, 10, 12)


def test_add_workdays_across_spring_festival_counts_both_make_up_saturdays():
    assert add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_workdays(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert add_workdays(date(2026, 2, 13), 6) == date(2026, 2, 28)


def test_add_workdays_from_a_holiday_starts_counting_after_it():
    assert add_workdays(date(2026, 10, 4), 1) == date(2026, 10, 8)


def test_add_workdays_refuses_a_negative_count():
    with pytest.raises(ValueError):
        add_workdays(date(2026, 10, 1), -1)


def test_workdays_between_counts_after_start_up_to_and_including_end():
    assert workdays_between(date(2026, 9, 30), date(2026, 10, 12)) == 4  # 8, 9, 10 (Sat), 12


def test_workdays_between_across_spring_festival_counts_the_make_up_days():
    assert workdays_between(date(2026, 2, 13), date(2026, 2, 28)) == 6  # 14, 24-27, 28


def test_workdays_between_is_negative_when_end_is_before_start():
    assert workdays_between(date(2026, 10, 12), date(2026, 9, 30)) == -4


def test_workdays_between_a_day_and_itself_is_zero():
    assert workdays_between(date(2026, 10, 1), date(2026, 10, 1)) == 0


def test_workdays_between_a_whole_year_is_the_year_s_working_days():
    walked = sum(
        1 for offset in range(365) if is_workday(date(2026, 1, 1) + timedelta(days=offset))
    )
    assert workdays_between(date(2025, 12, 31), date(2026, 12, 31)) == walked


def test_add_workdays_reaches_every_workday_that_workdays_between_counts():
    start = date(2026, 9, 15)
    for offset in range(1, 50):
        end = start + timedelta(days=offset)
        if is_workday(end):
            assert add_workdays(start, workdays_between(start, end)) == end


def test_a_local_holiday_entered_by_an_administrator_is_not_a_workday():
    Holiday.objects.create(
        date=date(2026, 11, 23), kind=DayKind.HOLIDAY, name="县庆", source=CalendarSource.LOCAL
    )

    assert not is_workday(date(2026, 11, 23))
    assert add_workdays(date(2026, 11, 20), 1) == date(2026, 11, 24)


def test_a_year_without_data_raises_instead_of_guessing_from_weekdays(no_2027):
    with pytest.raises(CalendarYearMissing) as raised:
        is_workday(date(2027, 3, 1))

    assert raised.value.year == 2027
    assert raised.value.messages == [str(YEAR_MISSING % {"year": 2027})]


def test_add_workdays_raises_when_the_count_runs_into_a_missing_year(no_2027):
    assert add_workdays(date(2026, 12, 21), 5) == date(2026, 12, 28)
    with pytest.raises(CalendarYearMissing):
        add_workdays(date(2026, 12, 28), 5)


def test_workdays_between_raises_when_the_span_reaches_a_missing_year(no_2027):
    with pytest.raises(CalendarYearMissing):
        workdays_between(date(2026, 12, 1), date(2027, 1, 5))


def test_days_entered_for_a_year_not_marked_loaded_still_raise(no_2027):
    Holiday.objects.create(date=date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")

    with pytest.raises(CalendarYearMissing):
        is_workday(date(2027, 1, 4))


def test_add_days_in_working_days_is_add_workdays():
    assert add_days(date(2026, 9, 30), 4, DayType.WORKING) == date(2026, 10, 12)


def test_add_days_in_calendar_days_counts_every_day():
    assert add_days(date(2026, 11, 2), 10, DayType.CALENDAR) == date(2026, 11, 12)


def test_a_calendar_day_period_ending_on_a_weekend_ends_on_the_next_workday():
    assert add_days(date(2026, 11, 2), 12, DayType.CALENDAR) == date(2026, 11, 16)  # Sat -> Mon


def test_a_calendar_day_period_ending_in_national_day_ends_after_the_holiday():
    assert add_days(date(2026, 9, 24), 10, DayType.CALENDAR) == date(2026, 10, 8)


def test_a_calendar_day_period_ending_on_a_make_up_saturday_ends_that_day():
    assert add_days(date(2026, 9, 30), 10, DayType.CALENDAR) == date(2026, 10, 10)


def test_each_calendar_answer_costs_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        add_workdays(date(2026, 1, 5), 200)
    with django_assert_num_queries(1):
        workdays_between(date(2024, 1, 1), date(2026, 12, 31))
    with django_assert_num_queries(1):
        is_workday(date(2026, 10, 10))


def test_missing_years_names_this_year_and_next_when_absent(no_2027):
    assert missing_years(today=date(2026, 11, 22)) == [2027]
    assert missing_years(today=date(2025, 6, 1)) == []


def test_a_fresh_database_knows_every_year_the_package_has():
    assert set(range(2004, 2027)) <= set(CalendarYear.objects.values_list("year", flat=True))
    assert Holiday.objects.get(date=date(2026, 10, 10)).kind == DayKind.WORKDAY


def test_loading_the_package_again_changes_nothing():
    before = list(Holiday.objects.values_list("date", "kind", "name", "source"))

    load_chinese_calendar()

    assert list(Holiday.objects.values_list("date", "kind", "name", "source")) == before


def test_loading_the_package_keeps_an_administrator_s_correction():
    Holiday.objects.filter(date=date(2026, 10, 10)).update(
        kind=DayKind.HOLIDAY, name="县里调整", source=CalendarSource.MANUAL
    )

    load_chinese_calendar()

    corrected = Holiday.objects.get(date=date(2026, 10, 10))
    assert (corrected.kind, corrected.source) == (DayKind.HOLIDAY, CalendarSource.MANUAL)


def test_loading_the_package_removes_a_package_day_it_no_longer_lists():
    Holiday.objects.create(
        date=date(2026, 11, 23), kind=DayKind.HOLIDAY, source=CalendarSource.CHINESECALENDAR
    )

    load_chinese_calendar()

    assert not Holiday.objects.filter(date=date(2026, 11, 23)).exists()


def test_load_holidays_reloads_a_deleted_package_day_and_warns_of_missing_years():
    next_year = timezone.localdate().year + 1
    CalendarYear.objects.filter(year=next_year).delete()
    Holiday.objects.filter(date=date(2026, 10, 1)).delete()
    out, err = io.StringIO(), io.StringIO()

    call_command("load_holidays", stdout=out, stderr=err)

    assert Holiday.objects.get(date=date(2026, 10, 1)).name == "国庆节"
    assert "2004-" in out.getvalue()
    assert str(next_year) in err.getvalue()


def test_workdays_since_counts_as_workdays_between_for_many_starts_in_one_query(
    django_assert_num_queries,
):
    starts = {date(2026, 9, 25), date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 12)}
    today = date(2026, 10, 12)

    with django_assert_num_queries(1):
        waited = workdays_since(starts, today)

    assert waited == {start: workdays_between(start, today) for start in starts}
