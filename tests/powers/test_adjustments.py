"""The list adjustment workflow: draft, legal review, approval or return, revision."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from powers import services
from powers.models import Adjustment, AdjustmentItem
from powers.services.adjustments import (
    ALREADY_LISTED,
    COMMENTS_REQUIRED,
    EMPTY_ADJUSTMENT,
    NOT_LISTED,
)
from powers.services.item_data import ENTRUSTMENT_NEEDS_TERM, UNKNOWN_DEPARTMENT, UNKNOWN_FIELDS
from tests.powers.workflow import draft, first_list, power_data, to_approval
from townadmin.audit import timeline
from townadmin.models.outbox import OutboxMessage
from townadmin.workflow import StateConflictError

pytestmark = pytest.mark.django_db

Status = Adjustment.Status
NEW = "QR-990100-007"


@pytest.fixture
def listed(town_a, leader_a, reviewer):
    """Town A's version 1: XK-990100-001 and CF-990100-001."""
    return first_list(town_a, leader_a, reviewer)


def messages_so_far():
    return OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def recipients_since(last):
    messages = OutboxMessage.objects.filter(pk__gt=last)
    return list(messages.values_list("recipient__username", flat=True))


def add_new(town, leader, **data):
    return draft(town, leader, [("add", NEW, power_data(name="独生子女父母光荣证发放", **data))])


def test_a_new_adjustment_is_a_draft_based_on_the_current_version(town_a, leader_a, listed):
    adjustment = services.adjustment_create(town=town_a, title="第二批调整", actor=leader_a)

    assert adjustment.status == Status.DRAFT
    assert adjustment.base_version == listed
    assert adjustment.drafted_by == leader_a


def test_it_refuses_to_add_a_power_already_on_the_list(town_a, leader_a, listed):
    adjustment = services.adjustment_create(town=town_a, title="调整", actor=leader_a)

    with pytest.raises(ValidationError) as refused:
        services.adjustment_item_add(
            adjustment=adjustment,
            action="add",
            code="XK-990100-001",
            reason="重复",
            data=power_data(),
            actor=leader_a,
        )

    assert refused.value.message_dict["code"] == [str(ALREADY_LISTED) % {"code": "XK-990100-001"}]


def test_it_refuses_to_remove_a_power_not_on_the_list(town_a, leader_a, listed):
    adjustment = services.adjustment_create(town=town_a, title="调整", actor=leader_a)

    with pytest.raises(ValidationError) as refused:
        services.adjustment_item_add(
            adjustment=adjustment, action="remove", code=NEW, reason="取消", actor=leader_a
        )

    assert refused.value.message_dict["code"] == [str(NOT_LISTED) % {"code": NEW}]


def test_bad_item_data_is_refused_field_by_field_and_nothing_is_written(town_a, leader_a, listed):
    adjustment = services.adjustment_create(town=town_a, title="调整", actor=leader_a)
    data = power_data(department="不存在的局", mode="entrust", legal_bases=[{"article": "第一条"}])

    with pytest.raises(ValidationError) as refused:
        services.adjustment_item_add(
            adjustment=adjustment, action="add", code=NEW, reason="新增", data=data, actor=leader_a
        )

    errors = refused.value.message_dict
    assert errors["department"] == [str(UNKNOWN_DEPARTMENT) % {"department": "不存在的局"}]
    assert "legal_bases.0.law" in errors
    assert not AdjustmentItem.objects.filter(adjustment=adjustment).exists()


def test_an_entrustment_without_the_end_of_its_term_is_refused(town_a, leader_a, listed):
    adjustment = services.adjustment_create(town=town_a, title="调整", actor=leader_a)

    with pytest.raises(ValidationError) as refused:
        services.adjustment_item_add(
            adjustment=adjustment,
            action="add",
            code=NEW,
            reason="委托",
            data=power_data(mode="entrust"),
            actor=leader_a,
        )

    assert refused.value.message_dict["effective_until"] == [str(ENTRUSTMENT_NEEDS_TERM)]


def test_a_change_keeps_only_the_fields_it_changes(town_a, leader_a, listed):
    adjustment = draft(town_a, leader_a, [("change", "CF-990100-001", {"fees": "不收费"})])

    assert adjustment.items.get().data == {"fees": "不收费"}


def test_a_change_refuses_a_field_the_power_does_not_have(town_a, leader_a, listed):
    with pytest.raises(ValidationError) as refused:
        draft(town_a, leader_a, [("change", "CF-990100-001", {"colour": "红"})])

    assert refused.value.message_dict["data"] == [str(UNKNOWN_FIELDS) % {"fields": "colour"}]


def test_an_empty_adjustment_cannot_be_submitted(town_a, leader_a, listed):
    adjustment = services.adjustment_create(town=town_a, title="空调整", actor=leader_a)

    with pytest.raises(ValidationError) as refused:
        services.adjustment_submit(adjustment=adjustment, actor=leader_a)

    assert refused.value.messages == [str(EMPTY_ADJUSTMENT)]
    adjustment.refresh_from_db()
    assert adjustment.status == Status.DRAFT


def test_items_cannot_be_added_once_the_adjustment_is_submitted(town_a, leader_a, listed):
    adjustment = add_new(town_a, leader_a)
    services.adjustment_submit(adjustment=adjustment, actor=leader_a)

    with pytest.raises(StateConflictError) as conflict:
        services.adjustment_item_add(
            adjustment=adjustment,
            action="remove",
            code="CF-990100-001",
            reason="取消",
            actor=leader_a,
        )

    assert conflict.value.current == {"status": Status.LEGAL_REVIEW}


def test_a_return_needs_comments(town_a, leader_a, reviewer, listed):
    adjustment = to_approval(add_new(town_a, leader_a), leader_a, reviewer)

    with pytest.raises(ValidationError) as refused:
        services.adjustment_return(adjustment=adjustment, comments=" ", actor=reviewer)

    assert refused.value.message_dict["comments"] == [str(COMMENTS_REQUIRED)]


def test_a_returned_adjustment_can_be_revised_and_submitted_again(
    town_a, leader_a, reviewer, listed
):
    adjustment = to_approval(add_new(town_a, leader_a), leader_a, reviewer)
    services.adjustment_return(adjustment=adjustment, comments="补充法律依据", actor=reviewer)

    services.adjustment_revise(adjustment=adjustment, actor=leader_a)
    services.adjustment_submit(adjustment=adjustment, actor=leader_a)

    adjustment.refresh_from_db()
    assert adjustment.status == Status.LEGAL_REVIEW
    assert adjustment.review_comments == "补充法律依据"


def test_a_draft_can_be_withdrawn_and_then_nothing_more_happens_to_it(town_a, leader_a, listed):
    adjustment = add_new(town_a, leader_a)

    services.adjustment_withdraw(adjustment=adjustment, actor=leader_a)

    with pytest.raises(StateConflictError):
        services.adjustment_submit(adjustment=adjustment, actor=leader_a)
    assert Adjustment.objects.get(pk=adjustment.pk).status == Status.WITHDRAWN


def test_every_step_leaves_a_transition_record(town_a, leader_a, reviewer, listed):
    adjustment = to_approval(add_new(town_a, leader_a), leader_a, reviewer)
    services.adjustment_return(adjustment=adjustment, comments="补充依据", actor=reviewer)
    services.adjustment_revise(adjustment=adjustment, actor=leader_a)
    to_approval(adjustment, leader_a, reviewer)
    services.adjustment_approve(
        adjustment=adjustment, document_no="甲编办〔2026〕9号", actor=reviewer
    )

    steps = [
        (t.from_status, t.to_status, t.actor.username)
        for t in timeline(adjustment)
        if t.from_status != t.to_status
    ]
    assert steps == [
        ("", "draft", "leader_a"),
        ("draft", "legal_review", "leader_a"),
        ("legal_review", "submitted", "reviewer"),
        ("submitted", "returned", "reviewer"),
        ("returned", "draft", "leader_a"),
        ("draft", "legal_review", "leader_a"),
        ("legal_review", "submitted", "reviewer"),
        ("submitted", "approved", "reviewer"),
    ]


def test_adding_an_item_is_in_the_timeline_with_its_reason(town_a, leader_a, listed):
    adjustment = add_new(town_a, leader_a)

    step = timeline(adjustment).last()

    assert step.payload == {"step": "item_added", "action": "add", "code": NEW}
    assert step.reason == f"add {NEW}"


def test_passing_the_legal_review_notifies_the_county_s_reviewers(
    town_a, leader_a, reviewer, listed
):
    adjustment = add_new(town_a, leader_a)
    services.adjustment_submit(adjustment=adjustment, actor=leader_a)
    before = messages_so_far()

    services.adjustment_pass_legal_review(adjustment=adjustment, opinion="合法", actor=reviewer)

    assert recipients_since(before) == ["reviewer"]


def test_a_return_notifies_the_drafter(town_a, leader_a, reviewer, listed):
    adjustment = to_approval(add_new(town_a, leader_a), leader_a, reviewer)
    before = messages_so_far()

    services.adjustment_return(adjustment=adjustment, comments="补充依据", actor=reviewer)

    assert recipients_since(before) == ["leader_a"]


def test_a_notification_links_to_the_adjustment_s_page(town_a, leader_a, reviewer, listed):
    adjustment = to_approval(add_new(town_a, leader_a), leader_a, reviewer)
    before = messages_so_far()

    services.adjustment_return(adjustment=adjustment, comments="补充依据", actor=reviewer)

    (message,) = OutboxMessage.objects.filter(pk__gt=before)
    assert message.link == f"/review/adjustments/{adjustment.pk}/"


def test_a_window_clerk_cannot_draft_an_adjustment(town_a, clerk_a):
    with pytest.raises(PermissionDenied):
        services.adjustment_create(town=town_a, title="调整", actor=clerk_a)


def test_a_town_leader_cannot_draft_for_another_town(town_b, leader_a):
    with pytest.raises(Http404):
        services.adjustment_create(town=town_b, title="调整", actor=leader_a)


def test_a_town_leader_cannot_approve_the_town_s_own_adjustment(town_a, leader_a, reviewer, listed):
    adjustment = to_approval(add_new(town_a, leader_a), leader_a, reviewer)

    with pytest.raises(PermissionDenied):
        services.adjustment_approve(adjustment=adjustment, document_no="文号", actor=leader_a)


def test_a_reviewer_of_another_county_cannot_reach_the_adjustment(
    town_a, leader_a, reviewer, reviewer_elsewhere, listed
):
    adjustment = to_approval(add_new(town_a, leader_a), leader_a, reviewer)

    with pytest.raises(Http404):
        services.adjustment_approve(
            adjustment=adjustment, document_no="文号", actor=reviewer_elsewhere
        )
