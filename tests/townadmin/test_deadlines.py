"""The deadline engine's steps: start, pause, resume, extend (DESIGN.md section 5).

The supervised models are the test-only app's (``tests/supervision_testapp``):
``SupervisedThing`` has the mixin's single clock, ``TwoClockThing`` a promised and
a statutory clock, as a service application has. Dates are around 2026 National
Day (1-7 October, make-up Saturday 10 October).
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test.utils import isolate_apps

from tests.supervision_testapp.factories import accepted_on, make_town, make_user
from tests.supervision_testapp.models import SupervisedThing, TwoClockThing
from townadmin.audit import timeline
from townadmin.deadlines import (
    DeadlineStateError,
    deadline_extend,
    deadline_extension_decide,
    deadline_extension_request,
    deadline_pause,
    deadline_resume,
)
from townadmin.deadlines.services import (
    ALREADY_PAUSED,
    CITATION_REQUIRED,
    EXTENSION_DECIDED,
    EXTENSION_PENDING,
    NOT_PAUSED,
    NOT_STARTED,
    REASON_REQUIRED,
)
from townadmin.models.calendar import DayType
from townadmin.models.deadlines import (
    ClockState,
    DeadlineExtension,
    DeadlinePause,
    DeadlineRule,
    Supervised,
)

pytestmark = pytest.mark.django_db

ART_45 = "《中华人民共和国行政许可法》第四十五条"
ART_42 = "《中华人民共和国行政许可法》第四十二条第一款"


@pytest.fixture
def town():
    return make_town()


@pytest.fixture
def clerk():
    return make_user("clerk_xiazhuang", "窗口受理员")


@pytest.fixture
def approver():
    return make_user("approver_xiazhuang", "镇长")


@pytest.fixture
def thing(town):
    """Accepted Monday 21 September, due Friday 16 October."""
    return SupervisedThing.objects.create(
        town=town,
        name="申请 1",
        started_at=accepted_on(date(2026, 9, 21)),
        due_date=date(2026, 10, 16),
    )


@pytest.fixture
def two_clocks(town):
    thing = TwoClockThing(town=town, name="申请 2")
    thing.start_clocks(
        started_at=accepted_on(date(2026, 9, 21)),
        day_type=DayType.WORKING,
        promised=5,
        statutory=20,
    )
    thing.save()
    return thing


def test_starting_the_clocks_counts_each_limit_in_working_days_from_the_next_day(two_clocks):
    # 22-24 September, then Mid-Autumn (25-27), 28 and 29 September.
    assert two_clocks.due_date == date(2026, 9, 29)
    # ... 30 September, National Day (1-7 October), 8, 9, 10 (Saturday, make-up), 12 ...
    assert two_clocks.statutory_due_date == date(2026, 10, 26)


def test_starting_an_unknown_clock_is_a_programming_error(town):
    with pytest.raises(ValueError):
        SupervisedThing(town=town).start_clocks(
            started_at=accepted_on(date(2026, 9, 21)), day_type=DayType.WORKING, statutory=20
        )


def test_a_rule_computes_its_due_date_in_its_own_day_type():
    licence = DeadlineRule(
        code="l", name="许可", day_type=DayType.WORKING, days=20, law="l", article="a"
    )
    penalty = DeadlineRule(
        code="p", name="处罚", day_type=DayType.CALENDAR, days=90, law="p", article="a"
    )

    assert licence.due_from(date(2026, 9, 21)) == date(2026, 10, 26)
    assert penalty.due_from(date(2026, 9, 21)) == date(2026, 12, 21)
    assert licence.citation == "《l》a"


def test_pausing_stops_the_clock_and_opens_a_ledger_entry(thing, clerk):
    pause = deadline_pause(
        obj=thing, reason="补正材料", citation=ART_45, actor=clerk, on=date(2026, 9, 29)
    )

    thing.refresh_from_db()
    assert thing.paused_on == date(2026, 9, 29)
    assert (pause.town, pause.obj, pause.started_on, pause.ended_on) == (
        thing.town,
        thing,
        date(2026, 9, 29),
        None,
    )
    step = timeline(thing).get()
    assert (step.from_status, step.to_status, step.actor) == (
        ClockState.RUNNING,
        ClockState.PAUSED,
        clerk,
    )


def test_resuming_moves_the_due_date_by_the_paused_working_days(thing, clerk):
    deadline_pause(obj=thing, reason="专家评审", citation=ART_45, actor=clerk, on=date(2026, 9, 29))

    pause = deadline_resume(obj=thing, actor=clerk, on=date(2026, 10, 9))

    # Paused working days: 30 September, 8 and 9 October (1-7 October are holidays).
    assert pause.paused_days == 3
    assert pause.ended_on == date(2026, 10, 9)
    thing.refresh_from_db()
    assert thing.paused_on is None
    # 16 October + 3 working days: 19, 20, 21 October.
    assert thing.due_date == date(2026, 10, 21)
    assert [step.to_status for step in timeline(thing)] == [ClockState.PAUSED, ClockState.RUNNING]


def test_resuming_on_the_day_of_the_pause_moves_nothing(thing, clerk):
    deadline_pause(obj=thing, reason="补正", citation=ART_45, actor=clerk, on=date(2026, 9, 29))

    pause = deadline_resume(obj=thing, actor=clerk, on=date(2026, 9, 29))

    assert pause.paused_days == 0
    assert thing.due_date == date(2026, 10, 16)


def test_resuming_moves_every_clock_of_the_object(two_clocks, clerk):
    deadline_pause(
        obj=two_clocks, reason="检测", citation=ART_45, actor=clerk, on=date(2026, 9, 25)
    )

    deadline_resume(obj=two_clocks, actor=clerk, on=date(2026, 9, 29))

    two_clocks.refresh_from_db()
    # Paused working days: 28 and 29 September (26 and 27 are Mid-Autumn holidays).
    assert two_clocks.due_date == date(2026, 10, 8)
    assert two_clocks.statutory_due_date == date(2026, 10, 28)


def test_a_calendar_day_object_resumes_by_calendar_days(town, clerk):
    case = SupervisedThing.objects.create(
        town=town,
        name="案件",
        started_at=accepted_on(date(2026, 9, 1)),
        day_type=DayType.CALENDAR,
        due_date=date(2026, 11, 30),
    )
    deadline_pause(
        obj=case,
        reason="听证",
        citation="《行政处罚法》第六十五条",
        actor=clerk,
        on=date(2026, 10, 1),
    )

    pause = deadline_resume(obj=case, actor=clerk, on=date(2026, 10, 11))

    assert pause.paused_days == 10
    assert case.due_date == date(2026, 12, 10)


def test_it_refuses_to_pause_a_paused_object_and_changes_nothing(thing, clerk):
    deadline_pause(obj=thing, reason="补正", citation=ART_45, actor=clerk, on=date(2026, 9, 29))

    with pytest.raises(DeadlineStateError) as refused:
        deadline_pause(
            obj=thing, reason="again", citation=ART_45, actor=clerk, on=date(2026, 9, 30)
        )

    assert refused.value.messages == [str(ALREADY_PAUSED)]
    thing.refresh_from_db()
    assert thing.paused_on == date(2026, 9, 29)
    assert DeadlinePause.objects.count() == 1
    assert timeline(thing).count() == 1


def test_it_refuses_to_resume_a_running_object(thing, clerk):
    with pytest.raises(DeadlineStateError) as refused:
        deadline_resume(obj=thing, actor=clerk, on=date(2026, 9, 30))

    assert refused.value.messages == [str(NOT_PAUSED)]
    assert thing.due_date == date(2026, 10, 16)
    assert not timeline(thing).exists()


def test_it_refuses_a_pause_without_reason_or_legal_basis(thing, clerk):
    with pytest.raises(ValidationError) as refused:
        deadline_pause(obj=thing, reason=" ", citation="", actor=clerk, on=date(2026, 9, 29))

    assert refused.value.message_dict == {
        "reason": [str(REASON_REQUIRED)],
        "citation": [str(CITATION_REQUIRED)],
    }
    thing.refresh_from_db()
    assert thing.paused_on is None


def test_it_refuses_to_pause_an_object_whose_clock_has_not_started(town, clerk):
    lead = SupervisedThing.objects.create(town=town, name="线索")

    with pytest.raises(ValidationError) as refused:
        deadline_pause(obj=lead, reason="补正", citation=ART_45, actor=clerk)

    assert refused.value.messages == [str(NOT_STARTED)]
    assert not DeadlinePause.objects.exists()


def test_it_refuses_to_resume_before_the_day_of_the_pause(thing, clerk):
    deadline_pause(obj=thing, reason="补正", citation=ART_45, actor=clerk, on=date(2026, 9, 29))

    with pytest.raises(ValidationError):
        deadline_resume(obj=thing, actor=clerk, on=date(2026, 9, 28))

    thing.refresh_from_db()
    assert thing.paused_on == date(2026, 9, 29)


def test_extending_moves_the_due_date_by_working_days_and_records_the_approval(thing, approver):
    extension = deadline_extend(
        obj=thing, days=10, reason="情况复杂", citation=ART_42, approved_by=approver
    )

    assert thing.due_date == date(2026, 10, 30)
    thing.refresh_from_db()
    assert thing.due_date == date(2026, 10, 30)
    assert (extension.status, extension.decided_by, extension.days) == (
        DeadlineExtension.Status.APPROVED,
        approver,
        10,
    )
    assert [step.payload["step"] for step in timeline(thing)] == [
        "extension_requested",
        "extension_approved",
    ]


def test_an_extension_of_one_clock_leaves_the_other_alone(two_clocks, approver):
    deadline_extend(
        obj=two_clocks,
        days=10,
        reason="情况复杂",
        citation=ART_42,
        approved_by=approver,
        clock="statutory",
    )

    two_clocks.refresh_from_db()
    assert two_clocks.due_date == date(2026, 9, 29)
    assert two_clocks.statutory_due_date == date(2026, 11, 9)


def test_a_requested_extension_moves_nothing_until_it_is_approved(thing, clerk, approver):
    extension = deadline_extension_request(
        obj=thing, days=5, reason="情况复杂", citation=ART_42, actor=clerk
    )
    thing.refresh_from_db()
    assert thing.due_date == date(2026, 10, 16)

    deadline_extension_decide(extension=extension, approve=True, actor=approver)

    thing.refresh_from_db()
    assert thing.due_date == date(2026, 10, 23)


def test_a_refused_extension_moves_nothing(thing, clerk, approver):
    extension = deadline_extension_request(
        obj=thing, days=5, reason="情况复杂", citation=ART_42, actor=clerk
    )

    refused = deadline_extension_decide(extension=extension, approve=False, actor=approver)

    assert refused.status == DeadlineExtension.Status.REFUSED
    thing.refresh_from_db()
    assert thing.due_date == date(2026, 10, 16)


def test_it_refuses_to_decide_an_extension_twice(thing, clerk, approver):
    extension = deadline_extension_request(
        obj=thing, days=5, reason="情况复杂", citation=ART_42, actor=clerk
    )
    deadline_extension_decide(extension=extension, approve=True, actor=approver)

    with pytest.raises(DeadlineStateError) as refused:
        deadline_extension_decide(extension=extension, approve=True, actor=approver)

    assert refused.value.messages == [str(EXTENSION_DECIDED)]
    thing.refresh_from_db()
    assert thing.due_date == date(2026, 10, 23)


def test_it_refuses_a_second_extension_request_while_one_is_pending(thing, clerk):
    deadline_extension_request(obj=thing, days=5, reason="情况复杂", citation=ART_42, actor=clerk)

    with pytest.raises(DeadlineStateError) as refused:
        deadline_extension_request(obj=thing, days=3, reason="再延", citation=ART_42, actor=clerk)

    assert refused.value.messages == [str(EXTENSION_PENDING)]
    assert DeadlineExtension.objects.count() == 1


def test_it_refuses_an_extension_of_no_days_or_of_an_unknown_clock(thing, approver):
    with pytest.raises(ValidationError) as no_days:
        deadline_extend(obj=thing, days=0, reason="r", citation=ART_42, approved_by=approver)
    with pytest.raises(ValidationError) as no_clock:
        deadline_extend(
            obj=thing, days=5, reason="r", citation=ART_42, approved_by=approver, clock="statutory"
        )

    assert set(no_days.value.message_dict) == {"days"}
    assert set(no_clock.value.message_dict) == {"clock"}
    assert not DeadlineExtension.objects.exists()


def test_a_supervised_model_without_a_town_fails_the_system_check():
    with isolate_apps("tests.supervision_testapp"):

        class Townless(Supervised):
            class Meta:
                app_label = "supervision_testapp"

        errors = Townless.check()

    assert [error.id for error in errors] == ["townadmin.E101"]
