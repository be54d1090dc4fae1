"""Renewal of entrustments: a card at least 15 days before the term ends, raised once.

Today is Wednesday 10 June 2026; the entrustment ends on Tuesday 30 June, in 20 days,
so its renewal is due on Monday 15 June.
"""

import datetime

import pytest
from django.conf import settings

from powers.choices import DevolutionMode
from powers.services import devolution_register, devolution_renew, devolution_revoke
from powers.services.register import entrustment_renewals_sweep
from powers.tasks import sweep_entrustment_renewals
from tests.powers.workflow import make_power
from townadmin.models.deadlines import Alert, WarningLevel
from townadmin.models.outbox import OutboxMessage

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 10)
END = TODAY + datetime.timedelta(days=20)


@pytest.fixture
def entrustment(town_a, reviewer):
    return devolution_register(
        town=town_a,
        power=make_power(town_a.county),
        mode=DevolutionMode.ENTRUST,
        exercised_in_name_of="甲县市场监督管理局",
        effective_from=datetime.date(2025, 7, 1),
        effective_until=END,
        document_no="甲市监委〔2025〕5号",
        actor=reviewer,
    )


def days(start, end):
    while start <= end:
        yield start
        start += datetime.timedelta(days=1)


def test_an_entrustment_ending_in_20_days_is_carded_at_least_15_days_before_its_end(
    entrustment,
):
    first_card = next(
        day for day in days(TODAY, END) if entrustment_renewals_sweep(today=day).raised
    )

    assert first_card <= END - datetime.timedelta(days=15)
    assert Alert.objects.get().level == WarningLevel.YELLOW


def test_nothing_is_carded_while_the_renewal_is_further_off_than_the_warning(entrustment):
    result = entrustment_renewals_sweep(today=TODAY)

    assert result.raised == 0
    assert not Alert.objects.exists()


def test_a_renewal_not_made_by_its_day_turns_red(entrustment):
    entrustment_renewals_sweep(today=END - datetime.timedelta(days=14))

    entrustment.refresh_from_db()
    assert entrustment.warning_level == WarningLevel.RED


def test_running_the_sweep_twice_raises_nothing_new(entrustment):
    day = END - datetime.timedelta(days=15)
    entrustment_renewals_sweep(today=day)
    alerts, messages = Alert.objects.count(), OutboxMessage.objects.count()

    again = entrustment_renewals_sweep(today=day)

    assert (again.raised, again.yellow, again.red) == (0, 0, 0)
    assert (Alert.objects.count(), OutboxMessage.objects.count()) == (alerts, messages)


def test_the_card_goes_to_the_town_s_leaders_and_the_county_s_reviewers(
    entrustment, leader_a, leader_b, reviewer
):
    entrustment_renewals_sweep(today=END - datetime.timedelta(days=15))

    recipients = OutboxMessage.objects.values_list("recipient__username", flat=True)
    assert sorted(recipients) == ["leader_a", "reviewer"]


def test_a_renewal_clears_the_card_and_moves_the_renewal_day(entrustment, reviewer):
    entrustment_renewals_sweep(today=END - datetime.timedelta(days=15))

    renewed = devolution_renew(
        devolution=entrustment,
        effective_until=datetime.date(2028, 6, 30),
        document_no="甲市监委〔2026〕8号",
        actor=reviewer,
    )

    assert renewed.due_date == datetime.date(2028, 6, 15)
    assert not Alert.objects.filter(cleared_at__isnull=True).exists()
    assert entrustment_renewals_sweep(today=END - datetime.timedelta(days=14)).raised == 0


def test_a_revoked_entrustment_is_not_carded(entrustment, reviewer):
    devolution_revoke(devolution=entrustment, on=TODAY, reason="收回", actor=reviewer)

    assert entrustment_renewals_sweep(today=END).raised == 0


def test_the_renewal_sweep_runs_daily_from_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-entrustment-renewals"]

    assert entry["task"] == sweep_entrustment_renewals.name
    assert entry["schedule"] == datetime.timedelta(days=1)
