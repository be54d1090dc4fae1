"""The hall's statistics on a small hand-made data set, with the numbers worked out by hand.

Town A publishes a promised item (5 of 20 working days) and an instant item (0 of 10).
Its applications, all received in autumn 2026 (the National Day holiday runs from 1 to 7
October, Saturday 10 October is a make-up working day):

====  ========  =======  ======  ==========  ===========  =======  ===========================
app   item      channel  visits  status      accepted     decided  working days, on time, rating
====  ========  =======  ======  ==========  ===========  =======  ===========================
1     promised  window   1       approved    Tue 29 Sep   Fri 9 Oct   3, yes, 1 then 5
2     promised  online   0       denied      Thu 8 Oct    Mon 12 Oct  3, no,  2
3     promised  online   0       accepted    Mon 12 Oct   -
4     instant   kiosk    0       delivered   Mon 12 Oct   Mon 12 Oct  0, yes, 3
5     promised  window   1       received    -            -
6     promised  online   0       draft       (not counted: the hall has not taken it in)
7     promised  window   1       approved    Thu 8 Oct    Fri 9 Oct   1, yes, 1 (excluded)
====  ========  =======  ======  ==========  ===========  =======  ===========================

Application 1 was received on 29 September, the others in October. Town B has one
application of its own that town A's figures must not count.
"""

import datetime
import itertools
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Value
from django.db.models.fields import DateField

from servicecenter.choices import Channel, ItemKind
from servicecenter.models import Application, Rating
from servicecenter.statistics import WorkdaysBetween, indicators, indicators_by
from tests.servicecenter.factories import make_item
from townadmin.models import Town
from townadmin.workdays import workdays_between

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
Status = Application.Status
_numbers = itertools.count(1)


def at(month, day, hour=10):
    return datetime.datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def application(
    item,
    *,
    status,
    channel=Channel.WINDOW,
    visits=1,
    received=None,
    accepted=None,
    completed=None,
    on_time=None,
):
    """An application row as the services leave it (the statistics only read rows)."""
    received = received or accepted or at(10, 12, 9)
    number = next(_numbers)
    return Application.objects.create(
        town=item.town,
        item=item,
        receipt_no=f"{item.town.code}-STAT-{number:04d}",
        verification_code="123456",
        channel=channel,
        status=status,
        status_since=completed or accepted or received,
        applicant_type="person",
        applicant_name="张三",
        applicant_id_number="110101199003077777",
        received_at=received,
        visits=visits,
        started_at=accepted,
        completed_at=completed,
        completed_on_time=on_time,
        decision="approved"
        if status in (Status.APPROVED, Status.DELIVERED)
        else "denied"
        if status == Status.DENIED
        else "",
    )


def rate(app, level, *, round=1, excluded=False):
    return Rating.objects.create(
        application=app, town=app.town, round=round, level=level, excluded=excluded
    )


def build_hall(town_a, town_b):
    """The data set of the table above; returns town A and its two items."""
    promised = make_item(town_a, promised=5, statutory=20)
    instant = make_item(
        town_a, name="个体工商户名称自主申报", promised=0, statutory=10, kind=ItemKind.INSTANT
    )
    first = application(
        promised, status=Status.APPROVED, accepted=at(9, 29), completed=at(10, 9, 15), on_time=True
    )
    rate(first, 1)
    rate(first, 5, round=2)
    second = application(
        promised,
        status=Status.DENIED,
        channel=Channel.ONLINE,
        visits=0,
        accepted=at(10, 8),
        completed=at(10, 12, 16),
        on_time=False,
    )
    rate(second, 2)
    application(
        promised, status=Status.ACCEPTED, channel=Channel.ONLINE, visits=0, accepted=at(10, 12)
    )
    fourth = application(
        instant,
        status=Status.DELIVERED,
        channel=Channel.KIOSK,
        visits=0,
        accepted=at(10, 12),
        completed=at(10, 12, 10),
        on_time=True,
    )
    rate(fourth, 3)
    application(promised, status=Status.RECEIVED)
    application(promised, status=Status.DRAFT, channel=Channel.ONLINE, visits=0)
    seventh = application(
        promised, status=Status.APPROVED, accepted=at(10, 8), completed=at(10, 9), on_time=True
    )
    rate(seventh, 1, excluded=True)
    elsewhere = make_item(town_b, promised=1, statutory=20)
    application(
        elsewhere, status=Status.APPROVED, accepted=at(10, 8), completed=at(10, 20), on_time=False
    )
    return SimpleNamespace(town=town_a, promised=promised, instant=instant)


@pytest.fixture
def data(town_a, town_b):
    return build_hall(town_a, town_b)


@pytest.fixture
def hall(data):
    return data.town


def test_the_applications_counted_are_those_the_hall_took_in(hall):
    figures = indicators(towns=[hall.pk])

    assert (figures.applications, figures.completed, figures.accepted) == (6, 4, 5)


def test_the_on_time_rate_is_completed_on_time_among_completed(hall):
    assert indicators(towns=[hall.pk]).on_time_rate == 3 / 4


def test_the_average_handling_time_counts_working_days_across_the_holiday(hall):
    figures = indicators(towns=[hall.pk])

    assert (figures.handling_days, figures.handled) == (3 + 3 + 0 + 1, 4)
    assert figures.average_handling_days == 1.75


def test_time_compression_over_items_is_one_minus_promised_over_statutory_limits(hall):
    assert indicators(towns=[hall.pk]).compression_items == pytest.approx(1 - 5 / 30)


def test_time_compression_over_applications_weighs_each_accepted_application(hall):
    # Four accepted promised applications (5 of 20) and one instant one (0 of 10).
    assert indicators(towns=[hall.pk]).compression_applications == pytest.approx(1 - 20 / 90)


def test_the_online_share_counts_applications_filed_online(hall):
    assert indicators(towns=[hall.pk]).online_share == pytest.approx(2 / 6)


def test_the_zero_visit_share_counts_applications_without_a_visit_to_the_hall(hall):
    assert indicators(towns=[hall.pk]).zero_visit_share == pytest.approx(3 / 6)


def test_the_good_rating_share_reads_each_last_rating_and_skips_excluded_ones(hall):
    figures = indicators(towns=[hall.pk])

    assert (figures.ratings, figures.good_ratings) == (3, 2)
    assert figures.good_rating_share == pytest.approx(2 / 3)


def test_the_instant_item_share_counts_published_items(hall):
    assert indicators(towns=[hall.pk]).instant_share == 1 / 2


def test_a_period_counts_the_applications_received_in_it(hall):
    figures = indicators(towns=[hall.pk], start=datetime.date(2026, 10, 1))

    assert (figures.applications, figures.completed, figures.ratings) == (5, 3, 2)


def test_one_item_s_figures_leave_the_other_items_out(hall, data):
    figures = indicators(towns=[hall.pk], item=data.instant)

    assert (figures.applications, figures.on_time_rate, figures.average_handling_days) == (
        1,
        1.0,
        0.0,
    )
    assert (figures.items, figures.compression_items) == (1, 1.0)


def test_figures_by_town_keep_each_town_apart(hall, town_b):
    by_town = indicators_by("town", towns=[hall.pk, town_b.pk])

    assert {pk: figures.applications for pk, figures in by_town.items()} == {
        hall.pk: 6,
        town_b.pk: 1,
    }
    assert by_town[town_b.pk].on_time_rate == 0.0


def test_figures_by_item_count_each_item_s_applications(hall, data):
    by_item = indicators_by("item", towns=[hall.pk])

    assert by_item[data.promised.pk].applications == 5
    assert by_item[data.instant.pk].good_rating_share == 1.0


def test_figures_by_month_split_the_applications_by_their_month_of_receipt(hall):
    by_month = indicators_by("month", towns=[hall.pk])

    assert {month: figures.applications for month, figures in by_month.items()} == {
        datetime.date(2026, 9, 1): 1,
        datetime.date(2026, 10, 1): 5,
    }


def test_a_town_without_applications_has_no_shares_rather_than_zero(town_elsewhere):
    figures = indicators(towns=[town_elsewhere.pk])

    assert (figures.applications, figures.on_time_rate, figures.good_rating_share) == (
        0,
        None,
        None,
    )


def test_the_figures_take_three_queries_however_many_applications(hall, django_assert_num_queries):
    with django_assert_num_queries(3):
        indicators_by("item", towns=[hall.pk])


def test_working_days_in_sql_agree_with_the_calendar_across_the_holiday(town_a):
    days = [datetime.date(2026, 9, 20) + datetime.timedelta(days=n) for n in range(30)]
    pairs = [(start, end) for start in days[::3] for end in days if end >= start]
    expected = [workdays_between(start, end) for start, end in pairs]

    counted = [
        Town.objects.filter(pk=town_a.pk)
        .annotate(
            days=WorkdaysBetween(
                Value(start, output_field=DateField()), Value(end, output_field=DateField())
            )
        )
        .values_list("days", flat=True)
        .get()
        for start, end in pairs
    ]

    assert counted == expected
