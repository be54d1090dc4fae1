"""The back office: special steps pause both clocks, extension by the town leader's approval,
and the decision (办结) with its certificate or reasons, alert clearing and SMS."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from servicecenter.choices import Channel, Decision, NoticeKind
from servicecenter.models import Application
from servicecenter.services import (
    application_accept,
    application_complete,
    application_extension_decide,
    application_extension_request,
    application_intake,
    application_pause,
    application_resume,
    application_supply_pending,
)
from servicecenter.services.back_office import (
    CERTIFICATE_REQUIRED,
    NO_EXTENSION_REQUESTED,
    PAUSED,
    PENDING_MATERIALS,
    REASONS_REQUIRED,
    UNKNOWN_STEP,
)
from tests.servicecenter.factories import make_item, material_ids, person
from townadmin.audit import timeline
from townadmin.deadlines import DeadlineStateError, sweep
from townadmin.models.deadlines import Alert, DeadlineExtension, DeadlinePause
from townadmin.models.outbox import OutboxMessage
from townadmin.workdays import add_workdays, workdays_between
from townadmin.workflow import StateConflictError

pytestmark = pytest.mark.django_db


Status = Application.Status
CERTIFICATE = "乡字第371122202600001号"
EXPERT_REVIEW = "专家评审"


def accepted(item, clerk, *, applicant=None):
    application, _created = application_intake(
        item=item,
        channel=Channel.WINDOW,
        applicant=applicant or person(),
        materials=material_ids(item),
        actor=clerk,
    )
    return application_accept(application=application, actor=clerk)


@pytest.fixture
def application(item_a, clerk_a):
    return accepted(item_a, clerk_a)


def refreshed(application):
    return Application.objects.get(pk=application.pk)


def approve(application, actor, certificate_no=CERTIFICATE):
    return application_complete(
        application=application,
        actor=actor,
        decision=Decision.APPROVED,
        certificate_no=certificate_no,
    )


def started_pause_earlier(application, days):
    """Move the open pause ``days`` calendar days back, as if the expert review had
    begun then (the clock reads today's date; the ledger row is test data)."""
    earlier = timezone.localdate() - datetime.timedelta(days=days)
    Application.objects.filter(pk=application.pk).update(paused_on=earlier)
    DeadlinePause.objects.filter(object_id=application.pk, ended_on__isnull=True).update(
        started_on=earlier
    )
    return earlier


# --- special steps (行政许可法 Art. 45) -----------------------------------------------------


def test_a_special_step_of_the_guide_pauses_both_clocks(application, approver_a):
    application_pause(application=application, actor=approver_a, step=EXPERT_REVIEW, reason="林地")

    application = refreshed(application)
    assert application.paused_on == timezone.localdate()
    pause = DeadlinePause.objects.get(object_id=application.pk)
    assert pause.reason == f"{EXPERT_REVIEW}：林地"
    assert pause.citation == "《中华人民共和国行政许可法》第四十五条"


def test_a_step_the_guide_does_not_list_cannot_pause_the_clocks(application, approver_a):
    with pytest.raises(ValidationError) as raised:
        application_pause(application=application, actor=approver_a, step="领导出差")

    assert raised.value.message_dict == {"step": [UNKNOWN_STEP % {"step": "领导出差"}]}
    assert refreshed(application).paused_on is None


def test_a_paused_application_cannot_be_paused_again(application, approver_a):
    application_pause(application=application, actor=approver_a, step=EXPERT_REVIEW)

    with pytest.raises(DeadlineStateError):
        application_pause(application=application, actor=approver_a, step=EXPERT_REVIEW)


def test_completion_is_refused_while_the_clocks_are_paused(application, approver_a):
    application_pause(application=application, actor=approver_a, step=EXPERT_REVIEW)

    with pytest.raises(StateConflictError) as raised:
        approve(application, approver_a)

    assert raised.value.messages == [PAUSED]
    assert raised.value.current == {"status": "accepted"}
    assert refreshed(application).status == Status.ACCEPTED


def test_resuming_moves_both_due_dates_by_the_paused_working_days(application, approver_a):
    promised, statutory = application.due_date, application.statutory_due_date
    application_pause(application=application, actor=approver_a, step=EXPERT_REVIEW)
    paused_on = started_pause_earlier(application, days=7)
    paused = workdays_between(paused_on, timezone.localdate())
    assert paused > 0

    application_resume(application=application, actor=approver_a)

    application = refreshed(application)
    assert application.paused_on is None
    assert application.due_date == add_workdays(promised, paused)
    assert application.statutory_due_date == add_workdays(statutory, paused)
    assert DeadlinePause.objects.get(object_id=application.pk).paused_days == paused


def test_a_pause_resumed_the_same_day_moves_nothing(application, approver_a):
    application_pause(application=application, actor=approver_a, step=EXPERT_REVIEW)

    application_resume(application=application, actor=approver_a)

    after = refreshed(application)
    assert (after.due_date, after.statutory_due_date) == (
        application.due_date,
        application.statutory_due_date,
    )


def test_an_application_that_is_not_paused_cannot_resume(application, approver_a):
    with pytest.raises(DeadlineStateError):
        application_resume(application=application, actor=approver_a)


# --- extension by approval (行政许可法 Art. 42) ---------------------------------------------


@pytest.fixture
def item_with_extension(town_a):
    item = make_item(town_a)
    item.extension_days = 7  # data, not code: the guide says how many
    item.save()
    return item


def test_an_approved_extension_moves_both_due_dates_by_the_items_extension_days(
    item_with_extension, clerk_a, approver_a, leader_a
):
    application = accepted(item_with_extension, clerk_a)
    promised, statutory = application.due_date, application.statutory_due_date
    application_extension_request(application=application, actor=approver_a, reason="需现场踏勘")

    extension = application_extension_decide(application=application, actor=leader_a, approve=True)

    assert (extension.status, extension.days) == (DeadlineExtension.Status.APPROVED, 7)
    application = refreshed(application)
    assert application.due_date == add_workdays(promised, 7)
    assert application.statutory_due_date == add_workdays(statutory, 7)


def test_a_refused_extension_moves_nothing(application, approver_a, leader_a):
    application_extension_request(application=application, actor=approver_a, reason="需现场踏勘")

    extension = application_extension_decide(application=application, actor=leader_a, approve=False)

    assert extension.status == DeadlineExtension.Status.REFUSED
    after = refreshed(application)
    assert (after.due_date, after.statutory_due_date) == (
        application.due_date,
        application.statutory_due_date,
    )


def test_an_extension_request_tells_the_town_leader_with_a_link_to_the_application(
    application, approver_a, leader_a
):
    application_extension_request(application=application, actor=approver_a, reason="需现场踏勘")

    message = OutboxMessage.objects.get(recipient=leader_a)
    assert application.receipt_no in message.subject
    assert message.link == application.get_absolute_url()


def test_an_extension_request_needs_a_reason(application, approver_a):
    with pytest.raises(ValidationError):
        application_extension_request(application=application, actor=approver_a, reason="")

    assert not DeadlineExtension.objects.exists()


@pytest.mark.parametrize("decider", ["clerk_a", "approver_a"])
def test_only_the_town_leader_decides_an_extension(application, approver_a, decider, request):
    application_extension_request(application=application, actor=approver_a, reason="需现场踏勘")

    with pytest.raises(PermissionDenied):
        application_extension_decide(
            application=application, actor=request.getfixturevalue(decider), approve=True
        )

    assert DeadlineExtension.objects.get().status == DeadlineExtension.Status.REQUESTED


def test_the_leader_of_town_b_cannot_decide_town_as_extension(application, approver_a, leader_b):
    application_extension_request(application=application, actor=approver_a, reason="需现场踏勘")

    with pytest.raises(Http404):
        application_extension_decide(application=application, actor=leader_b, approve=True)


def test_deciding_without_a_requested_extension_is_a_conflict(application, leader_a):
    with pytest.raises(StateConflictError) as raised:
        application_extension_decide(application=application, actor=leader_a, approve=True)

    assert raised.value.messages == [NO_EXTENSION_REQUESTED]
    assert raised.value.current == {"status": "accepted"}


def test_a_second_request_while_one_awaits_a_decision_is_a_conflict(application, approver_a):
    application_extension_request(application=application, actor=approver_a, reason="需现场踏勘")

    with pytest.raises(StateConflictError):
        application_extension_request(application=application, actor=approver_a, reason="再延")


# --- completion (办结) ------------------------------------------------------------------


def test_an_approval_needs_the_certificate_number(application, approver_a):
    with pytest.raises(ValidationError) as raised:
        approve(application, approver_a, certificate_no=" ")

    assert raised.value.message_dict == {"certificate_no": [CERTIFICATE_REQUIRED]}
    assert refreshed(application).status == Status.ACCEPTED


def test_a_denial_needs_its_reasons(application, approver_a):
    with pytest.raises(ValidationError) as raised:
        application_complete(application=application, actor=approver_a, decision="denied")

    assert raised.value.message_dict == {"reason": [REASONS_REQUIRED]}


def test_an_unknown_decision_is_a_validation_error(application, approver_a):
    with pytest.raises(ValidationError) as raised:
        application_complete(application=application, actor=approver_a, decision="maybe")

    assert "decision" in raised.value.message_dict


def test_an_approval_records_the_certificate_the_approver_and_the_decision_notice(
    application, approver_a
):
    approve(application, approver_a)

    application = refreshed(application)
    assert application.status == Status.APPROVED
    assert (application.decision, application.certificate_no) == (Decision.APPROVED, CERTIFICATE)
    assert application.approver == approver_a
    assert application.completed_at is not None
    notice = application.notices.get(kind=NoticeKind.DECISION)
    assert notice.content["certificate_no"] == CERTIFICATE
    assert notice.content["decided_in_name_of"] == application.item.exercised_in_name_of


def test_a_denial_records_its_reasons(application, approver_a):
    application_complete(
        application=application, actor=approver_a, decision="denied", reason="不符合村庄规划"
    )

    application = refreshed(application)
    assert (application.status, application.decision_reason) == (Status.DENIED, "不符合村庄规划")


def test_a_decision_by_the_promised_due_date_is_on_time(application, approver_a):
    assert approve(application, approver_a).completed_on_time is True


def test_a_decision_after_the_promised_due_date_is_late(application, approver_a):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Application.objects.filter(pk=application.pk).update(due_date=yesterday)

    assert approve(application, approver_a).completed_on_time is False


def test_the_decision_clears_the_applications_open_alerts(application, approver_a):
    overdue = application.statutory_due_date + datetime.timedelta(days=1)
    sweep(Application.objects.filter(pk=application.pk), today=overdue)
    alerts = Alert.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id=application.pk
    )
    assert alerts.filter(cleared_at__isnull=True).count() == 2  # red on both clocks

    approve(application, approver_a)

    assert not alerts.filter(cleared_at__isnull=True).exists()


def test_the_decision_queues_an_sms_to_the_applicant(application, approver_a):
    approve(application, approver_a)

    sms = OutboxMessage.objects.get(channel=OutboxMessage.Channel.SMS)
    assert sms.address == "13800138000"
    assert application.receipt_no in sms.subject
    assert sms.recipient is None


def test_an_applicant_without_a_phone_gets_no_sms(item_a, clerk_a, approver_a):
    application = accepted(item_a, clerk_a, applicant={**person(), "phone": ""})

    approve(application, approver_a)

    assert not OutboxMessage.objects.filter(channel=OutboxMessage.Channel.SMS).exists()


def test_completion_waits_for_the_materials_accepted_as_pending(item_a, clerk_a, approver_a):
    application, _created = application_intake(
        item=item_a,
        channel=Channel.WINDOW,
        applicant=person(),
        materials=material_ids(item_a, "申请表", "申请人身份证明"),
        actor=clerk_a,
    )
    design = material_ids(item_a, "建设工程设计方案")
    application_accept(
        application=application,
        actor=clerk_a,
        pending=design,
        commitment="三日内补交",
        pending_until=timezone.localdate() + datetime.timedelta(days=1),
    )

    with pytest.raises(ValidationError) as raised:
        approve(application, approver_a)
    assert raised.value.messages == [PENDING_MATERIALS]

    application_supply_pending(application=application, actor=clerk_a, materials=design)
    assert approve(application, approver_a).status == Status.APPROVED


def test_a_received_application_cannot_be_decided(item_a, clerk_a, approver_a):
    application, _created = application_intake(
        item=item_a,
        channel=Channel.WINDOW,
        applicant=person(),
        materials=material_ids(item_a),
        actor=clerk_a,
    )

    with pytest.raises(StateConflictError) as raised:
        approve(application, approver_a)

    assert raised.value.current == {"status": "received"}


def test_a_decided_application_cannot_be_decided_again(application, approver_a):
    approve(application, approver_a)

    with pytest.raises(StateConflictError) as raised:
        approve(application, approver_a, certificate_no="另一个证号")

    assert raised.value.current == {"status": "approved"}


# --- every back-office step: one transition, reach, role ---------------------------------

# (the step, its from, its to, who may take it)
OFFICE_STEPS = {
    "pause": (
        lambda app, actor: application_pause(application=app, actor=actor, step=EXPERT_REVIEW),
        "deadline_running",
        "deadline_paused",
        "approver_a",
    ),
    "resume": (
        lambda app, actor: application_resume(application=app, actor=actor),
        "deadline_paused",
        "deadline_running",
        "approver_a",
    ),
    "request extension": (
        lambda app, actor: application_extension_request(
            application=app, actor=actor, reason="需现场踏勘"
        ),
        "deadline_running",
        "deadline_running",
        "approver_a",
    ),
    "decide extension": (
        lambda app, actor: application_extension_decide(application=app, actor=actor, approve=1),
        "deadline_running",
        "deadline_running",
        "leader_a",
    ),
    "complete": (
        lambda app, actor: approve(app, actor),
        "accepted",
        "approved",
        "approver_a",
    ),
}


@pytest.fixture(params=list(OFFICE_STEPS))
def office_step(request, application, approver_a):
    step, from_status, to_status, who = OFFICE_STEPS[request.param]
    if request.param == "resume":
        application_pause(application=application, actor=approver_a, step=EXPERT_REVIEW)
    if request.param == "decide extension":
        application_extension_request(application=application, actor=approver_a, reason="踏勘")
    return application, step, from_status, to_status, request.getfixturevalue(who)


def test_every_back_office_step_records_exactly_one_transition_by_its_actor(office_step):
    application, step, from_status, to_status, actor = office_step
    before = timeline(application).count()

    step(application, actor)

    assert timeline(application).count() == before + 1
    recorded = timeline(application).last()
    assert (recorded.from_status, recorded.to_status, recorded.actor) == (
        from_status,
        to_status,
        actor,
    )


def test_a_clerk_of_town_b_gets_404_on_every_back_office_step_in_town_a(office_step, clerk_b):
    application, step, *_rest = office_step
    before = timeline(application).count()

    with pytest.raises(Http404):
        step(application, clerk_b)

    assert timeline(application).count() == before


def test_a_window_clerk_cannot_take_back_office_steps(office_step, clerk_a):
    application, step, *_rest = office_step

    with pytest.raises(PermissionDenied):
        step(application, clerk_a)
