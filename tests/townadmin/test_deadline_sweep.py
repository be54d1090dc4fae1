"""The e-supervision sweep: levels, alerts, idempotence, concurrency, cost.

Today is Wednesday 30 September 2026, the eve of National Day: with the default
one working day of warning, the yellow window runs to the next working day,
Thursday 8 October, across the seven days of holiday.
"""

import threading
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from tests.supervision_testapp.factories import make_things, make_town, make_user
from tests.supervision_testapp.models import SupervisedThing, TwoClockThing
from townadmin.deadlines import SweepResult, clear_alerts, deadline_extend, sweep
from townadmin.deadlines.sweep import SUBJECTS
from townadmin.models.calendar import CalendarYear
from townadmin.models.deadlines import Alert, WarningLevel
from townadmin.models.outbox import OutboxMessage
from townadmin.workdays import CalendarYearMissing

pytestmark = pytest.mark.django_db

TODAY = date(2026, 9, 30)
YELLOW, RED, NORMAL = WarningLevel.YELLOW, WarningLevel.RED, WarningLevel.NORMAL


@pytest.fixture
def town():
    return make_town()


def levels(things):
    by_pk = dict(SupervisedThing.objects.values_list("pk", "warning_level"))
    return [by_pk[thing.pk] for thing in things]


def extend(thing, *, days):
    """A licence-law extension (Art. 42) of ``thing``'s clock by ``days``."""
    deadline_extend(
        obj=thing,
        days=days,
        reason="情况复杂",
        citation="行政许可法第四十二条",
        approved_by=make_user("a"),
    )


def open_alerts():
    return sorted(
        Alert.objects.filter(cleared_at__isnull=True).values_list("object_id", "clock", "level")
    )


def test_a_clock_due_on_the_first_working_day_after_national_day_is_yellow_on_its_eve(town):
    things = make_things(town, date(2026, 10, 8), date(2026, 10, 9))

    sweep(SupervisedThing, today=TODAY)

    assert levels(things) == [YELLOW, NORMAL]


def test_a_clock_due_today_is_yellow_and_one_due_yesterday_is_red(town):
    things = make_things(town, TODAY, date(2026, 9, 29))

    sweep(SupervisedThing, today=TODAY)

    assert levels(things) == [YELLOW, RED]


def test_the_yellow_window_counts_the_configured_working_days(town, settings):
    settings.SUPERVISION_YELLOW_WORKDAYS = 3
    things = make_things(town, date(2026, 10, 10), date(2026, 10, 12))

    sweep(SupervisedThing, today=TODAY)

    # 8, 9 and the make-up Saturday 10 October are the three working days.
    assert levels(things) == [YELLOW, NORMAL]


def test_a_paused_clock_keeps_its_level(town):
    (paused,) = make_things(town, date(2026, 9, 1), paused_on=date(2026, 8, 31))

    result = sweep(SupervisedThing, today=TODAY)

    assert levels([paused]) == [NORMAL]
    assert result == SweepResult()


def test_the_sweep_counts_its_changes_and_raises_one_alert_per_carded_clock(town):
    red, yellow, normal = make_things(town, date(2026, 9, 29), date(2026, 10, 8), date(2026, 10, 9))

    result = sweep(SupervisedThing, today=TODAY)

    assert result == SweepResult(red=1, yellow=1, normal=0, raised=2, cleared=0)
    assert open_alerts() == [(red.pk, "due", RED), (yellow.pk, "due", YELLOW)]
    alert = Alert.objects.get(object_id=red.pk)
    assert (alert.town, alert.obj, alert.due_date) == (town, red, date(2026, 9, 29))


def test_running_the_sweep_twice_changes_nothing_the_second_time(town):
    make_things(town, date(2026, 9, 29), date(2026, 10, 8), date(2026, 10, 9))
    sweep(SupervisedThing, today=TODAY)
    alerts = list(Alert.objects.order_by("pk").values())

    again = sweep(SupervisedThing, today=TODAY)

    assert again == SweepResult()
    assert list(Alert.objects.order_by("pk").values()) == alerts


def test_a_clock_turning_red_keeps_its_yellow_alert_and_gets_a_red_one(town):
    (thing,) = make_things(town, date(2026, 10, 8))
    sweep(SupervisedThing, today=TODAY)

    result = sweep(SupervisedThing, today=date(2026, 10, 9))

    assert result == SweepResult(red=1, raised=1)
    assert open_alerts() == [(thing.pk, "due", RED), (thing.pk, "due", YELLOW)]


def test_an_extension_clears_the_alert_and_a_later_approach_raises_a_new_one(town):
    (thing,) = make_things(town, date(2026, 10, 8))
    sweep(SupervisedThing, today=TODAY)
    extend(thing, days=10)

    cleared = sweep(SupervisedThing, today=TODAY)
    later = sweep(SupervisedThing, today=date(2026, 10, 21))

    assert cleared == SweepResult(normal=1, cleared=1)
    assert later == SweepResult(yellow=1, raised=1)
    assert Alert.objects.filter(object_id=thing.pk, level=YELLOW).count() == 2
    assert open_alerts() == [(thing.pk, "due", YELLOW)]


def test_a_clock_falling_from_red_to_yellow_trades_its_red_card_for_a_yellow_one(town):
    (thing,) = make_things(town, date(2026, 10, 8))
    sweep(SupervisedThing, today=date(2026, 10, 9))
    extend(thing, days=1)

    result = sweep(SupervisedThing, today=date(2026, 10, 9))

    assert result == SweepResult(yellow=1, raised=1, cleared=1)
    assert open_alerts() == [(thing.pk, "due", YELLOW)]


def test_a_clock_falling_back_to_yellow_keeps_its_open_yellow_card_and_raises_no_second(town):
    (thing,) = make_things(town, date(2026, 10, 8))
    sweep(SupervisedThing, today=TODAY)
    sweep(SupervisedThing, today=date(2026, 10, 9))
    extend(thing, days=1)

    result = sweep(SupervisedThing, today=date(2026, 10, 9))

    assert result == SweepResult(yellow=1, cleared=1)
    assert open_alerts() == [(thing.pk, "due", YELLOW)]
    assert Alert.objects.count() == 2


def test_each_clock_of_an_object_has_its_own_level_and_alert(town):
    thing = TwoClockThing.objects.create(
        town=town, name="申请", due_date=date(2026, 9, 29), statutory_due_date=date(2026, 10, 26)
    )

    sweep(TwoClockThing, today=TODAY)

    thing.refresh_from_db()
    assert (thing.warning_level, thing.statutory_warning_level) == (RED, NORMAL)
    assert open_alerts() == [(thing.pk, "promised", RED)]


def test_only_the_named_clocks_are_swept(town):
    thing = TwoClockThing.objects.create(
        town=town, name="申请", due_date=date(2026, 9, 29), statutory_due_date=date(2026, 9, 29)
    )

    result = sweep(TwoClockThing, today=TODAY, clocks=("statutory",))

    thing.refresh_from_db()
    assert (thing.warning_level, thing.statutory_warning_level) == (NORMAL, RED)
    assert result == SweepResult(red=1, raised=1)
    assert open_alerts() == [(thing.pk, "statutory", RED)]


def test_a_clock_the_model_lacks_is_refused_and_nothing_changes(town):
    (thing,) = make_things(town, date(2026, 9, 29))

    with pytest.raises(ValueError, match="no clock"):
        sweep(SupervisedThing, today=TODAY, clocks=("statutory",))

    assert levels([thing]) == [NORMAL]


def test_only_the_given_objects_are_swept(town):
    swept, left = make_things(town, date(2026, 9, 29), date(2026, 9, 29))

    sweep(SupervisedThing.objects.filter(pk=swept.pk), today=TODAY)

    assert levels([swept, left]) == [RED, NORMAL]
    assert open_alerts() == [(swept.pk, "due", RED)]


def test_clearing_a_finished_object_s_alerts_closes_them(town):
    (thing,) = make_things(town, date(2026, 9, 29))
    sweep(SupervisedThing, today=TODAY)

    assert clear_alerts(thing) == 1
    assert open_alerts() == []


def test_new_alerts_are_handed_to_the_outbox_once(town):
    leader = make_user("leader_xiazhuang", "镇长")
    red, yellow = make_things(town, date(2026, 9, 29), date(2026, 10, 8))

    def town_leader(alerts):
        return {alert: [leader] for alert in alerts}

    sweep(SupervisedThing, today=TODAY, recipients=town_leader)
    sweep(SupervisedThing, today=TODAY, recipients=town_leader)

    messages = OutboxMessage.objects.order_by("dedupe_key")
    assert [(m.recipient, m.town, m.channel) for m in messages] == [(leader, town, "inbox")] * 2
    assert sorted(m.dedupe_key for m in messages) == sorted(
        f"alert:{alert.pk}" for alert in Alert.objects.all()
    )
    # Notifications are written in the portal's language (zh-hans), whoever triggers them.
    assert sorted(m.subject for m in messages) == sorted(
        [
            str(SUBJECTS[RED]) % {"object": red.name, "date": "2026-09-29"},
            str(SUBJECTS[YELLOW]) % {"object": yellow.name, "date": "2026-10-08"},
        ]
    )


def test_the_sweep_changes_nothing_when_the_yellow_window_reaches_a_missing_year(town):
    CalendarYear.objects.filter(year=2027).delete()
    (overdue,) = make_things(town, date(2026, 12, 1))

    with pytest.raises(CalendarYearMissing):
        sweep(SupervisedThing, today=date(2026, 12, 31))

    assert levels([overdue]) == [NORMAL]
    assert not Alert.objects.exists()


@pytest.mark.parametrize("objects", [10, 100])
def test_the_sweep_costs_the_same_queries_for_ten_or_a_hundred_objects(
    town, objects, django_assert_num_queries
):
    thirds = [date(2026, 9, 29), date(2026, 10, 8), date(2026, 10, 9)]
    make_things(town, *(thirds * objects)[:objects])
    ContentType.objects.get_for_model(SupervisedThing)  # cached per process, like in a worker

    # A savepoint and its release, the calendar, the statements' settings (read, set, put
    # back), then one statement for the clock: it moves the levels and clears or raises
    # the moved clocks' alerts.
    with django_assert_num_queries(2 + 1 + 3 + 1):
        result = sweep(SupervisedThing, today=TODAY)

    assert result.raised == len([day for day in (thirds * objects)[:objects] if day < thirds[2]])


def test_the_sweep_puts_back_the_session_settings_it_changes(town):
    make_things(town, date(2026, 9, 29))
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('work_mem'), current_setting('jit')")
        before = cursor.fetchone()

        sweep(SupervisedThing, today=TODAY)

        cursor.execute("SELECT current_setting('work_mem'), current_setting('jit')")
        assert cursor.fetchone() == before


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_raise_each_alert_once():
    town = make_town()
    things = make_things(town, *[date(2026, 9, 29), date(2026, 10, 8), date(2026, 10, 9)] * 20)
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            start.wait(timeout=10)
            results.append(sweep(SupervisedThing, today=TODAY))
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert errors == []
    assert sum(result.red for result in results) == 20
    assert sum(result.yellow for result in results) == 20
    assert sum(result.raised for result in results) == 40
    assert Alert.objects.count() == 40
    carded = [thing.pk for thing in things if thing.due_date < date(2026, 10, 9)]
    assert sorted(Alert.objects.values_list("object_id", flat=True)) == sorted(carded)
