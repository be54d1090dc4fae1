"""The hall's e-supervision sweeps: applications on both clocks, rectifications of bad ratings.

The applications are accepted on Tuesday 29 September 2026 with a promise of two working
days: the first is Wednesday 30 September, then the National Day holiday runs from 1 to 7
October, so the promise falls due on Thursday 8 October. With one working day of warning
the card turns yellow on the eve of the holiday, eight calendar days before the due date.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servicecenter.choices import Decision
from servicecenter.models import Application, Rating, Rectification
from servicecenter.services import (
    application_accept,
    application_complete,
    application_intake,
    application_pause,
    rectification_appeal,
    rectification_decide_appeal,
)
from servicecenter.supervision import applications_sweep, rectifications_sweep
from servicecenter.tasks import sweep_applications, sweep_rectifications
from tests.servicecenter.factories import make_item, material_ids, person
from townadmin.models.calendar import DayType
from townadmin.models.deadlines import Alert, WarningLevel
from townadmin.models.outbox import InboxMessage, OutboxMessage
from townadmin.notifications.relay import relay_pending

pytestmark = pytest.mark.django_db

YELLOW, RED, NORMAL = WarningLevel.YELLOW, WarningLevel.RED, WarningLevel.NORMAL
SHANGHAI = ZoneInfo("Asia/Shanghai")
ACCEPTED_ON = datetime.date(2026, 9, 29)
EVE = datetime.date(2026, 9, 30)
DUE = datetime.date(2026, 10, 8)
DAY_AFTER = datetime.date(2026, 10, 9)


def at_ten(day):
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=SHANGHAI)


@pytest.fixture
def item(town_a):
    return make_item(town_a, promised=2, statutory=20)


def accept(item, clerk, *, on=ACCEPTED_ON, seed=7):
    """An application taken and accepted by ``clerk``, its clocks started on ``on``.

    The services start the clocks now; the start moves to ``on`` through the model's own
    ``start_clocks`` so the due dates are those the calendar gives for that day.
    """
    application, _created = application_intake(
        item=item,
        channel="window",
        applicant=person(seed=seed),
        materials=material_ids(item),
        actor=clerk,
    )
    application = application_accept(application=application, actor=clerk)
    application.start_clocks(
        started_at=at_ten(on),
        day_type=item.day_type,
        promised=item.promised_days,
        statutory=item.statutory_days,
    )
    application.save(update_fields=["started_at", "due_date", "statutory_due_date"])
    return application


def level(application):
    return Application.objects.values_list("warning_level", flat=True).get(pk=application.pk)


def card_messages():
    # Inbox messages only: deciding an application also texts the applicant.
    return OutboxMessage.objects.filter(channel=OutboxMessage.Channel.INBOX)


def card_recipients():
    return sorted(card_messages().values_list("recipient__username", flat=True))


# --- Applications ----------------------------------------------------------------------


def test_a_promise_due_after_national_day_is_due_on_the_first_working_day_after_it(item, clerk_a):
    application = accept(item, clerk_a)

    assert application.due_date == DUE


def test_the_card_stays_normal_two_working_days_before_the_due_date(item, clerk_a):
    application = accept(item, clerk_a)

    applications_sweep(today=ACCEPTED_ON)

    assert level(application) == NORMAL


def test_the_card_turns_yellow_one_working_day_before_the_due_date_across_the_holiday(
    item, clerk_a
):
    application = accept(item, clerk_a)

    result = applications_sweep(today=EVE)

    assert level(application) == YELLOW
    assert (result.yellow, result.raised) == (1, 1)


def test_the_card_stays_yellow_through_the_holiday_and_on_the_due_date(item, clerk_a):
    application = accept(item, clerk_a)

    applications_sweep(today=datetime.date(2026, 10, 5))
    on_holiday = level(application)
    applications_sweep(today=DUE)

    assert (on_holiday, level(application)) == (YELLOW, YELLOW)


def test_the_card_turns_red_the_day_after_the_due_date(item, clerk_a):
    application = accept(item, clerk_a)

    applications_sweep(today=DAY_AFTER)

    assert level(application) == RED
    assert Alert.objects.get().level == RED


def test_the_statutory_clock_is_carded_on_its_own_due_date(item, clerk_a):
    application = accept(item, clerk_a)

    applications_sweep(today=application.statutory_due_date + datetime.timedelta(days=1))

    application.refresh_from_db()
    assert (application.warning_level, application.statutory_warning_level) == (RED, RED)
    assert sorted(Alert.objects.values_list("clock", flat=True)) == ["promised", "statutory"]


def test_a_paused_application_keeps_its_level(item, clerk_a, approver_a):
    application = accept(item, clerk_a)
    applications_sweep(today=EVE)
    application_pause(application=application, actor=approver_a, step="专家评审")

    result = applications_sweep(today=DAY_AFTER)

    assert level(application) == YELLOW
    assert (result.red, result.raised) == (0, 0)


def test_running_the_sweep_twice_raises_no_second_card_and_notifies_once(item, clerk_a, leader_a):
    accept(item, clerk_a)
    applications_sweep(today=DAY_AFTER)
    alerts, messages = Alert.objects.count(), OutboxMessage.objects.count()

    again = applications_sweep(today=DAY_AFTER)

    assert (again.raised, again.red, again.yellow) == (0, 0, 0)
    assert (Alert.objects.count(), OutboxMessage.objects.count()) == (alerts, messages)
    assert messages == 2  # the clerk and the leader, once each


def test_a_completed_application_is_not_swept(item, clerk_a, approver_a):
    application = accept(item, clerk_a)
    application_complete(
        application=application,
        actor=approver_a,
        decision=Decision.APPROVED,
        certificate_no="甲规许〔2026〕1号",
    )

    result = applications_sweep(today=DAY_AFTER)

    assert result.raised == result.red == 0
    assert level(application) == NORMAL
    assert not Alert.objects.exists()


def test_the_clerk_the_approver_and_the_town_leader_find_the_card_in_their_inbox(
    item, clerk_a, approver_a, leader_a, leader_b, clerk_b, reviewer
):
    application = accept(item, clerk_a)
    # The approver working the application (the services set it when deciding).
    Application.objects.filter(pk=application.pk).update(approver=approver_a)

    applications_sweep(today=DAY_AFTER)
    relay_pending()

    inbox = InboxMessage.objects.select_related("user")
    assert sorted(message.user.username for message in inbox) == [
        "approver_a",
        "clerk_a",
        "leader_a",
    ]
    assert all(application.receipt_no in message.subject for message in inbox)


def test_a_card_on_an_accepted_application_reaches_the_town_s_approvers(
    item, clerk_a, approver_a, leader_a
):
    # Accepted, not decided: nobody is the application's approver yet.
    accept(item, clerk_a)

    applications_sweep(today=DAY_AFTER)

    assert card_recipients() == ["approver_a", "clerk_a", "leader_a"]


def test_nobody_of_another_town_hears_of_a_card(item, clerk_a, leader_b, clerk_b, town_b):
    accept(item, clerk_a)
    item_b = make_item(town_b, promised=2, statutory=20)
    accept(item_b, clerk_b, on=datetime.date(2026, 11, 2), seed=8)

    applications_sweep(today=DAY_AFTER)

    assert card_recipients() == ["clerk_a"]


def sweep_queries(today):
    with CaptureQueriesContext(connection) as queries:
        result = applications_sweep(today=today)
    return len(queries), result.raised


def test_the_watchers_cost_no_query_per_card_beyond_the_outbox_s_own(item, clerk_a, leader_a):
    for seed in range(3):
        accept(item, clerk_a, seed=seed)
    small, raised_small = sweep_queries(DAY_AFTER)
    for seed in range(3, 15):
        accept(item, clerk_a, seed=seed)
    large, raised_large = sweep_queries(DAY_AFTER)

    # The engine hands each new card to notify(): its dedupe check and its INSERT.
    assert (raised_small, raised_large) == (3, 12)
    assert large - small == 2 * (raised_large - raised_small)


def test_the_beat_job_runs_the_application_sweep_hourly(item, clerk_a):
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-applications"]

    assert entry["task"] == sweep_applications.name
    assert entry["schedule"] == datetime.timedelta(hours=1)
    assert sweep_applications()["red"] == 0


# --- Rectifications of bad ratings -----------------------------------------------------
#
# A bad rating on Tuesday 29 September: the call-back is due the next working day,
# Wednesday 30 September; the rectification 15 working days later, Monday 26 October.

CALLBACK_DUE = datetime.date(2026, 9, 30)
FIX_DUE = datetime.date(2026, 10, 26)


@pytest.fixture
def rectification(item, clerk_a, approver_a):
    application = accept(item, clerk_a)
    application_complete(
        application=application,
        actor=approver_a,
        decision=Decision.APPROVED,
        certificate_no="甲规许〔2026〕2号",
    )
    rating = Rating.objects.create(application=application, town=application.town, round=1, level=1)
    rectification = Rectification(town=application.town, rating=rating, owner=clerk_a)
    rectification.start_clocks(
        started_at=at_ten(ACCEPTED_ON), day_type=DayType.WORKING, callback=1, fix=15
    )
    rectification.save()
    return rectification


def rectification_levels(rectification):
    return tuple(
        Rectification.objects.values_list("warning_level", "fix_warning_level").get(
            pk=rectification.pk
        )
    )


def rectification_cards():
    rectification_type = ContentType.objects.get_for_model(Rectification)
    return sorted(
        Alert.objects.filter(content_type=rectification_type, cleared_at__isnull=True).values_list(
            "clock", "level"
        )
    )


def test_the_call_back_and_the_fix_fall_due_in_working_days(rectification):
    assert (rectification.due_date, rectification.fix_due_date) == (CALLBACK_DUE, FIX_DUE)


def test_a_call_back_not_made_by_its_day_turns_red_and_tells_the_clerk_and_the_leader(
    rectification, leader_a, leader_b
):
    rectifications_sweep(today=datetime.date(2026, 10, 8))

    assert rectification_levels(rectification) == (RED, NORMAL)
    assert rectification_cards() == [("callback", RED)]
    assert card_recipients() == ["clerk_a", "leader_a"]


def test_a_called_back_rectification_is_carded_on_its_fix_clock_only(rectification):
    Rectification.objects.filter(pk=rectification.pk).update(
        status=Rectification.Status.CALLED_BACK
    )

    rectifications_sweep(today=FIX_DUE)

    assert rectification_levels(rectification) == (NORMAL, YELLOW)
    assert rectification_cards() == [("fix", YELLOW)]


def test_the_call_back_card_is_cleared_once_the_call_back_is_made(rectification):
    rectifications_sweep(today=datetime.date(2026, 10, 8))
    Rectification.objects.filter(pk=rectification.pk).update(
        status=Rectification.Status.CALLED_BACK
    )

    result = rectifications_sweep(today=datetime.date(2026, 10, 9))

    assert result.cleared == 1
    assert rectification_cards() == []


def test_a_rectification_back_from_a_dismissed_appeal_is_carded_again(
    rectification, leader_a, reviewer
):
    rectifications_sweep(today=datetime.date(2026, 10, 8))
    rectification_appeal(rectification=rectification, actor=leader_a, reason="恶意差评")
    rectification_decide_appeal(
        rectification=rectification, actor=reviewer, uphold=False, reason="证据不足"
    )

    rectifications_sweep(today=datetime.date(2026, 10, 9))

    assert rectification_cards() == [("callback", RED)]


def test_a_rectified_rectification_is_not_swept(rectification):
    Rectification.objects.filter(pk=rectification.pk).update(status=Rectification.Status.RECTIFIED)

    result = rectifications_sweep(today=datetime.date(2026, 11, 2))

    assert (result.red, result.yellow, result.raised) == (0, 0, 0)
    assert rectification_levels(rectification) == (NORMAL, NORMAL)


def test_running_the_rectification_sweep_twice_notifies_once(rectification, leader_a):
    rectifications_sweep(today=datetime.date(2026, 11, 2))
    messages = card_messages().count()

    again = rectifications_sweep(today=datetime.date(2026, 11, 2))

    assert again.raised == 0
    assert card_messages().count() == messages == 4  # two cards, two people each


def test_the_beat_job_runs_the_rectification_sweep_hourly():
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-rectifications"]

    assert entry["task"] == sweep_rectifications.name
    assert entry["schedule"] == datetime.timedelta(hours=1)
    assert sweep_rectifications()["raised"] == 0
