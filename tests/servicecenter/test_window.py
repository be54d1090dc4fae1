"""The window's steps after intake: receive, one-time notice, resubmission, acceptance (容缺
included), refusal, delivery; each checks reach, role and status, and records one step.

``item_a``'s guide: 申请表, 申请人身份证明, 建设工程设计方案 (may be pending), 不动产权属证明
(obtained from the land registry) and 村民委员会意见 (optional).
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from servicecenter.choices import Channel, Decision, NoticeKind
from servicecenter.models import Application, SubmittedMaterial
from servicecenter.services import (
    application_accept,
    application_complete,
    application_deliver,
    application_intake,
    application_notify_missing,
    application_receive,
    application_refuse,
    application_resubmit,
    application_supply_pending,
)
from servicecenter.services.window import (
    ADDRESS_REQUIRED,
    COMMITMENT_REQUIRED,
    DEFAULT_REMEDY,
    NOT_PENDABLE,
    NOT_PENDING,
    NOTHING_MISSING,
    PENDING_UNTIL_LATE,
    PENDING_UNTIL_PAST,
    PENDING_UNTIL_REQUIRED,
    REASON_REQUIRED,
    STILL_MISSING,
)
from tests.servicecenter.factories import make_item, material_ids, person
from townadmin.audit import timeline
from townadmin.workdays import add_workdays
from townadmin.workflow import StateConflictError

pytestmark = pytest.mark.django_db


Status = Application.Status
State = SubmittedMaterial.State
EVERYTHING = ("申请表", "申请人身份证明", "建设工程设计方案")
WITHOUT_DESIGN = ("申请表", "申请人身份证明")


def issued_notices(application):
    """The notices of a step after intake (the window's receipt of materials left out)."""
    return application.notices.exclude(kind=NoticeKind.RECEIPT)


def issued(application):
    return issued_notices(application).get()


def take(item, clerk, *presented, channel=Channel.WINDOW):
    """An application for ``item`` with the named materials presented (all required ones
    brought by the applicant when none are named)."""
    application, _created = application_intake(
        item=item,
        channel=channel,
        applicant=person(),
        materials=material_ids(item, *(presented or EVERYTHING)),
        actor=clerk,
    )
    return application


def pending_acceptance(item, clerk, **changes):
    """Accept with the design plan pending (容缺), as a clerk would; ``changes`` overrides."""
    application = take(item, clerk, *WITHOUT_DESIGN)
    arguments = {
        "pending": material_ids(item, "建设工程设计方案"),
        "commitment": "本人承诺三个工作日内补交设计方案。",
        "pending_until": timezone.localdate() + datetime.timedelta(days=1),
        **changes,
    }
    return application_accept(application=application, actor=clerk, **arguments)


def refreshed(application):
    return Application.objects.get(pk=application.pk)


def last_step(application):
    return timeline(application).last()


def steps(application):
    return timeline(application).count()


# --- receive ----------------------------------------------------------------------


def test_receiving_a_draft_makes_the_receiving_clerk_its_first_contact(item_a, agent_a, clerk_a):
    draft = take(item_a, agent_a, channel=Channel.AGENT)

    received = application_receive(application=draft, actor=clerk_a)

    assert received.status == Status.RECEIVED
    assert refreshed(draft).first_clerk == clerk_a


def test_only_a_draft_can_be_received(item_a, clerk_a):
    application = take(item_a, clerk_a)

    with pytest.raises(StateConflictError) as raised:
        application_receive(application=application, actor=clerk_a)

    assert raised.value.current == {"status": "received"}


# --- one-time notice ----------------------------------------------------------------


def test_the_one_time_notice_lists_every_missing_required_material_at_once(item_a, clerk_a):
    application = take(item_a, clerk_a, "申请表")

    application_notify_missing(application=application, actor=clerk_a, note="请一次带齐")

    application = refreshed(application)
    assert application.status == Status.CORRECTION
    notice = issued(application)
    assert notice.kind == NoticeKind.ONE_TIME
    assert [line["name"] for line in notice.content["missing"]] == [
        "申请人身份证明",
        "建设工程设计方案",
    ]
    assert notice.content["note"] == "请一次带齐"
    # -01 is the receipt of materials the window issued at intake.
    assert notice.number == f"{application.receipt_no}-02"


def test_the_one_time_notice_leaves_out_optional_and_shared_materials(item_a, clerk_a):
    application = take(item_a, clerk_a, "申请表")

    application_notify_missing(application=application, actor=clerk_a)

    names = [line["name"] for line in issued(application).content["missing"]]
    assert "村民委员会意见" not in names
    assert "不动产权属证明" not in names


def test_a_one_time_notice_with_nothing_missing_is_refused(item_a, clerk_a):
    application = take(item_a, clerk_a)

    with pytest.raises(ValidationError) as raised:
        application_notify_missing(application=application, actor=clerk_a)

    assert raised.value.messages == [NOTHING_MISSING]
    assert refreshed(application).status == Status.RECEIVED
    assert not issued_notices(application).exists()
    assert steps(application) == 1


def test_a_draft_can_get_its_one_time_notice_before_it_is_received(item_a, agent_a, clerk_a):
    draft = take(item_a, agent_a, "申请表", channel=Channel.AGENT)

    application = application_notify_missing(application=draft, actor=clerk_a)

    assert application.status == Status.CORRECTION
    assert application.first_clerk == clerk_a


# --- resubmission -------------------------------------------------------------------


def test_a_resubmission_counts_a_visit_and_marks_the_brought_materials(item_a, clerk_a):
    application = take(item_a, clerk_a, "申请表")
    application_notify_missing(application=application, actor=clerk_a)

    application = application_resubmit(
        application=application,
        actor=clerk_a,
        materials=material_ids(item_a, "申请人身份证明", "建设工程设计方案"),
    )

    assert application.status == Status.RECEIVED
    assert refreshed(application).visits == 2
    states = dict(application.materials.values_list("material__name", "state"))
    assert states["申请人身份证明"] == states["建设工程设计方案"] == State.PRESENTED
    assert application.materials.get(material__name="建设工程设计方案").supplied_at is not None


def test_a_material_not_brought_back_stays_missing(item_a, clerk_a):
    application = take(item_a, clerk_a, "申请表")
    application_notify_missing(application=application, actor=clerk_a)

    application_resubmit(
        application=application, actor=clerk_a, materials=material_ids(item_a, "申请人身份证明")
    )

    assert application.materials.get(material__name="建设工程设计方案").state == State.MISSING


def test_only_an_application_awaiting_materials_takes_a_resubmission(item_a, clerk_a):
    application = take(item_a, clerk_a)

    with pytest.raises(StateConflictError) as raised:
        application_resubmit(application=application, actor=clerk_a, materials=[])

    assert raised.value.current == {"status": "received"}


# --- acceptance -----------------------------------------------------------------------


def test_acceptance_starts_both_clocks_in_working_days(item_a, clerk_a):
    application = take(item_a, clerk_a)

    accepted = application_accept(application=application, actor=clerk_a)

    today = timezone.localdate()
    application = refreshed(application)
    assert application.status == Status.ACCEPTED
    assert application.started_at == accepted.started_at
    assert application.due_date == add_workdays(today, 5)
    assert application.statutory_due_date == add_workdays(today, 20)


def test_acceptance_issues_the_acceptance_notice_with_both_due_dates(item_a, clerk_a):
    application = application_accept(application=take(item_a, clerk_a), actor=clerk_a)

    notice = issued(application)
    assert notice.kind == NoticeKind.ACCEPTANCE
    assert notice.content["promised_due"] == application.due_date.isoformat()
    assert notice.content["statutory_due"] == application.statutory_due_date.isoformat()
    assert notice.content["day_type"] == "working"


def test_an_optional_material_missing_does_not_stop_acceptance(item_a, clerk_a):
    application = take(item_a, clerk_a, *EVERYTHING)  # 村民委员会意见 not brought

    assert application_accept(application=application, actor=clerk_a).status == Status.ACCEPTED


def test_acceptance_is_refused_while_a_required_material_is_missing(item_a, clerk_a):
    application = take(item_a, clerk_a, *WITHOUT_DESIGN)

    with pytest.raises(ValidationError) as raised:
        application_accept(application=application, actor=clerk_a)

    assert raised.value.messages == [STILL_MISSING % {"names": "建设工程设计方案"}]
    application = refreshed(application)
    assert (application.status, application.due_date) == (Status.RECEIVED, None)
    assert not issued_notices(application).exists()


def test_an_online_draft_can_be_accepted_directly(item_a, clerk_a):
    draft = take(item_a, None, channel=Channel.ONLINE)

    application = application_accept(application=draft, actor=clerk_a)

    assert application.status == Status.ACCEPTED
    assert application.first_clerk == clerk_a


def test_acceptance_is_refused_when_the_town_no_longer_holds_the_power(item_a, clerk_a):
    from powers.models import Devolution

    application = take(item_a, clerk_a)
    # The county took the power back today: from today on the town cannot accept it.
    Devolution.objects.filter(town=item_a.town, power=item_a.power).update(
        status=Devolution.Status.REVOKED, revoked_on=timezone.localdate()
    )

    with pytest.raises(ValidationError) as raised:
        application_accept(application=application, actor=clerk_a)

    assert raised.value.code == "not_held"
    assert refreshed(application).status == Status.RECEIVED


# --- acceptance with materials pending (容缺受理) ----------------------------------------


def test_a_pending_acceptance_marks_the_material_pending_under_the_commitment(item_a, clerk_a):
    application = pending_acceptance(item_a, clerk_a)

    application = refreshed(application)
    assert application.status == Status.ACCEPTED
    assert application.materials.get(material__name="建设工程设计方案").state == State.PENDING
    assert application.commitment == "本人承诺三个工作日内补交设计方案。"
    assert application.pending_until == timezone.localdate() + datetime.timedelta(days=1)


def test_a_pending_acceptance_issues_the_acceptance_notice_and_the_commitment(item_a, clerk_a):
    application = pending_acceptance(item_a, clerk_a)

    acceptance, commitment = issued_notices(application).order_by("number")
    assert (acceptance.kind, commitment.kind) == (NoticeKind.ACCEPTANCE, NoticeKind.PENDING)
    assert [line["name"] for line in commitment.content["pending"]] == ["建设工程设计方案"]
    assert commitment.content["pending_until"] == application.pending_until.isoformat()


def test_a_material_the_guide_does_not_allow_pending_cannot_be_left_pending(item_a, clerk_a):
    application = take(item_a, clerk_a, "申请表")

    with pytest.raises(ValidationError) as raised:
        application_accept(
            application=application,
            actor=clerk_a,
            pending=material_ids(item_a, "申请人身份证明", "建设工程设计方案"),
            commitment="承诺补交",
            pending_until=timezone.localdate() + datetime.timedelta(days=1),
        )

    assert raised.value.message_dict["pending"] == [NOT_PENDABLE % {"names": "申请人身份证明"}]
    assert refreshed(application).status == Status.RECEIVED


def test_an_optional_material_cannot_be_accepted_as_pending(item_a, clerk_a):
    application = take(item_a, clerk_a, *EVERYTHING)

    with pytest.raises(ValidationError) as raised:
        application_accept(
            application=application,
            actor=clerk_a,
            pending=material_ids(item_a, "村民委员会意见"),
            commitment="承诺补交",
            pending_until=timezone.localdate() + datetime.timedelta(days=1),
        )

    assert raised.value.message_dict["pending"] == [NOT_PENDABLE % {"names": "村民委员会意见"}]


def test_a_pending_acceptance_needs_the_applicants_commitment(item_a, clerk_a):
    with pytest.raises(ValidationError) as raised:
        pending_acceptance(item_a, clerk_a, commitment="  ")

    assert raised.value.message_dict == {"commitment": [COMMITMENT_REQUIRED]}
    assert Application.objects.get().status == Status.RECEIVED


def test_a_pending_acceptance_needs_a_date_for_the_pending_material(item_a, clerk_a):
    with pytest.raises(ValidationError) as raised:
        pending_acceptance(item_a, clerk_a, pending_until=None)

    assert raised.value.message_dict == {"pending_until": [PENDING_UNTIL_REQUIRED]}


def test_the_pending_materials_date_must_be_after_today(item_a, clerk_a):
    with pytest.raises(ValidationError) as raised:
        pending_acceptance(item_a, clerk_a, pending_until=timezone.localdate())

    assert raised.value.message_dict == {"pending_until": [PENDING_UNTIL_PAST]}


def test_the_pending_materials_date_must_be_before_the_promised_due_date(item_a, clerk_a):
    promised_due = add_workdays(timezone.localdate(), item_a.promised_days)

    with pytest.raises(ValidationError) as raised:
        pending_acceptance(item_a, clerk_a, pending_until=promised_due)

    assert raised.value.message_dict == {
        "pending_until": [PENDING_UNTIL_LATE % {"date": promised_due.isoformat()}]
    }
    application = Application.objects.get()
    assert (application.status, application.due_date) == (Status.RECEIVED, None)
    assert not issued_notices(application).exists()


def test_supplying_the_pending_material_clears_the_commitment_date(item_a, clerk_a):
    application = pending_acceptance(item_a, clerk_a)

    application_supply_pending(
        application=application, actor=clerk_a, materials=material_ids(item_a, "建设工程设计方案")
    )

    application = refreshed(application)
    assert application.pending_until is None
    assert application.materials.get(material__name="建设工程设计方案").state == State.PRESENTED
    step = last_step(application)
    assert (step.from_status, step.to_status) == ("accepted", "accepted")
    assert step.payload["supplied"] == material_ids(item_a, "建设工程设计方案")


def test_supplying_a_material_that_is_not_pending_is_refused(item_a, clerk_a):
    application = pending_acceptance(item_a, clerk_a)

    with pytest.raises(ValidationError) as raised:
        application_supply_pending(
            application=application, actor=clerk_a, materials=material_ids(item_a, "申请表")
        )

    assert raised.value.message_dict == {"materials": [NOT_PENDING]}
    assert refreshed(application).pending_until is not None


# --- refusal --------------------------------------------------------------------------


def test_a_refusal_needs_a_reason(item_a, clerk_a):
    application = take(item_a, clerk_a)

    with pytest.raises(ValidationError) as raised:
        application_refuse(application=application, actor=clerk_a, reason=" ")

    assert raised.value.message_dict == {"reason": [REASON_REQUIRED]}
    assert refreshed(application).status == Status.RECEIVED


def test_a_refusal_gives_the_reason_and_the_items_remedy(item_a, clerk_a):
    application = take(item_a, clerk_a)

    application_refuse(application=application, actor=clerk_a, reason="不属于本镇受理范围")

    application = refreshed(application)
    assert (application.status, application.refusal_reason) == (
        Status.REFUSED,
        "不属于本镇受理范围",
    )
    notice = issued(application)
    assert notice.kind == NoticeKind.REFUSAL
    assert notice.content == {"reason": "不属于本镇受理范围", "remedy": item_a.remedy_channel}


def test_a_refusal_for_an_item_without_a_remedy_channel_states_the_legal_remedy(town_a, clerk_a):
    item = make_item(town_a)
    item.remedy_channel = ""
    item.save()
    application = take(item, clerk_a)

    application_refuse(application=application, actor=clerk_a, reason="申请事项依法不需要取得许可")

    assert issued(application).content["remedy"] == str(DEFAULT_REMEDY)


def test_an_application_awaiting_materials_can_be_refused(item_a, clerk_a):
    application = take(item_a, clerk_a, "申请表")
    application_notify_missing(application=application, actor=clerk_a)

    assert application_refuse(
        application=application, actor=clerk_a, reason="逾期未补正"
    ).status == (Status.REFUSED)


def test_an_accepted_application_cannot_be_refused(item_a, clerk_a):
    application = application_accept(application=take(item_a, clerk_a), actor=clerk_a)

    with pytest.raises(StateConflictError) as raised:
        application_refuse(application=application, actor=clerk_a, reason="迟到的拒绝")

    assert raised.value.current == {"status": "accepted"}


# --- delivery -------------------------------------------------------------------------


@pytest.fixture
def decided(item_a, clerk_a, approver_a):
    application = application_accept(application=take(item_a, clerk_a), actor=clerk_a)
    return application_complete(
        application=application,
        actor=approver_a,
        decision=Decision.APPROVED,
        certificate_no="乡字第371122202600001号",
    )


def test_delivery_by_post_needs_an_address(decided, clerk_a):
    with pytest.raises(ValidationError) as raised:
        application_deliver(application=decided, actor=clerk_a, method="mail", address="")

    assert raised.value.message_dict == {"address": [ADDRESS_REQUIRED]}
    assert refreshed(decided).status == Status.APPROVED


def test_delivery_by_post_records_the_address(decided, clerk_a):
    application_deliver(
        application=decided, actor=clerk_a, method="mail", address="甲镇幸福村3组12号"
    )

    application = refreshed(decided)
    assert application.status == Status.DELIVERED
    assert (application.delivery, application.delivery_address) == ("mail", "甲镇幸福村3组12号")
    assert application.delivered_at is not None


def test_a_result_picked_up_at_the_window_needs_no_address(decided, clerk_a):
    assert application_deliver(application=decided, actor=clerk_a, method="pickup").status == (
        Status.DELIVERED
    )


def test_an_unknown_delivery_method_is_a_validation_error(decided, clerk_a):
    with pytest.raises(ValidationError) as raised:
        application_deliver(application=decided, actor=clerk_a, method="pigeon")

    assert "method" in raised.value.message_dict


def test_an_undecided_application_cannot_be_delivered(item_a, clerk_a):
    application = application_accept(application=take(item_a, clerk_a), actor=clerk_a)

    with pytest.raises(StateConflictError) as raised:
        application_deliver(application=application, actor=clerk_a, method="pickup")

    assert raised.value.current == {"status": "accepted"}


# --- every window step: one transition, reach, role -------------------------------------

# (name, how to get the application ready, the step, from, to)
WINDOW_STEPS = {
    "receive": (
        lambda item, clerk, agent, approver: take(item, agent, channel=Channel.AGENT),
        lambda app, actor: application_receive(application=app, actor=actor),
        "draft",
        "received",
    ),
    "notify missing": (
        lambda item, clerk, agent, approver: take(item, clerk, "申请表"),
        lambda app, actor: application_notify_missing(application=app, actor=actor),
        "received",
        "correction",
    ),
    "resubmit": (
        lambda item, clerk, agent, approver: application_notify_missing(
            application=take(item, clerk, "申请表"), actor=clerk
        ),
        lambda app, actor: application_resubmit(
            application=app, actor=actor, materials=material_ids(app.item)
        ),
        "correction",
        "received",
    ),
    "accept": (
        lambda item, clerk, agent, approver: take(item, clerk),
        lambda app, actor: application_accept(application=app, actor=actor),
        "received",
        "accepted",
    ),
    "supply pending": (
        lambda item, clerk, agent, approver: pending_acceptance(item, clerk),
        lambda app, actor: application_supply_pending(
            application=app, actor=actor, materials=material_ids(app.item)
        ),
        "accepted",
        "accepted",
    ),
    "refuse": (
        lambda item, clerk, agent, approver: take(item, clerk),
        lambda app, actor: application_refuse(application=app, actor=actor, reason="材料虚假"),
        "received",
        "refused",
    ),
    "deliver": (
        lambda item, clerk, agent, approver: application_complete(
            application=application_accept(application=take(item, clerk), actor=clerk),
            actor=approver,
            decision=Decision.DENIED,
            reason="不符合村庄规划",
        ),
        lambda app, actor: application_deliver(application=app, actor=actor, method="pickup"),
        "denied",
        "delivered",
    ),
}


@pytest.fixture(params=list(WINDOW_STEPS))
def window_step(request, item_a, clerk_a, agent_a, approver_a):
    prepare, step, from_status, to_status = WINDOW_STEPS[request.param]
    return prepare(item_a, clerk_a, agent_a, approver_a), step, from_status, to_status


def test_every_window_step_records_exactly_one_transition_by_its_clerk(window_step, clerk_a2):
    application, step, from_status, to_status = window_step
    before = steps(application)

    step(application, clerk_a2)

    assert steps(application) == before + 1
    recorded = last_step(application)
    assert (recorded.from_status, recorded.to_status, recorded.actor) == (
        from_status,
        to_status,
        clerk_a2,
    )
    assert refreshed(application).status == to_status


def test_a_clerk_of_town_b_gets_404_on_every_window_step_in_town_a(window_step, clerk_b):
    application, step, from_status, _to_status = window_step
    before = steps(application)

    with pytest.raises(Http404):
        step(application, clerk_b)

    assert (refreshed(application).status, steps(application)) == (from_status, before)


def test_an_approver_cannot_take_window_steps(window_step, approver_a):
    application, step, from_status, _to_status = window_step

    with pytest.raises(PermissionDenied):
        step(application, approver_a)

    assert refreshed(application).status == from_status


def test_the_first_clerk_stays_the_first_when_a_colleague_accepts(item_a, clerk_a, clerk_a2):
    application = application_accept(application=take(item_a, clerk_a), actor=clerk_a2)

    assert application.first_clerk == clerk_a
