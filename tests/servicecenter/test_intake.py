"""Intake (收件): what ``application_intake`` makes of a filing, and what it refuses.

Town A's licence (``item_a``) has five materials: 申请表, 申请人身份证明, 建设工程设计方案
(may be pending), 不动产权属证明 (obtained from the land registry) and 村民委员会意见
(optional). A refused intake leaves no application and no transition behind.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from servicecenter.choices import Channel, NoticeKind
from servicecenter.models import Application, SubmittedMaterial
from servicecenter.services import IdempotencyKeyReusedError, application_intake
from servicecenter.services.intake import (
    CHANNEL_NOT_OFFERED,
    ITEM_NOT_PUBLISHED,
    MATERIAL_OF_ANOTHER_ITEM,
    NAME_REQUIRED,
)
from tests.servicecenter.factories import make_item, material_ids, person
from townadmin.audit import timeline
from townadmin.demo_people import identity_number
from townadmin.identity import UNKNOWN_KIND, WRONG_CHECKSUM, WRONG_LENGTH
from townadmin.models.audit import Transition
from townadmin.workflow import StateConflictError

pytestmark = pytest.mark.django_db

State = SubmittedMaterial.State


def intake(item, actor, *, channel=Channel.WINDOW, applicant=None, materials=None, key=""):
    application, _created = application_intake(
        item=item,
        channel=channel,
        applicant=applicant or person(),
        materials=material_ids(item) if materials is None else materials,
        actor=actor,
        idempotency_key=key,
    )
    return application


def nothing_was_created():
    return (
        not Application.objects.exists()
        and not Transition.objects.filter(content_type__model="application").exists()
    )


def test_a_window_intake_is_received_with_the_filing_clerk_as_first_contact(item_a, clerk_a):
    application = intake(item_a, clerk_a)

    assert application.status == Application.Status.RECEIVED
    assert (application.filed_by, application.first_clerk) == (clerk_a, clerk_a)
    assert application.visits == 1
    assert application.town == item_a.town
    assert application.receipt_no.startswith(f"{item_a.town.code}-")
    assert len(application.verification_code) == 6


def test_the_intake_writes_one_transition_from_nothing_to_received_by_the_clerk(item_a, clerk_a):
    application = intake(item_a, clerk_a)

    (step,) = timeline(application)
    assert (step.from_status, step.to_status, step.actor) == ("", "received", clerk_a)
    assert step.payload["channel"] == "window"


def test_a_village_agent_filing_is_a_draft_the_hall_receives_later(item_a, agent_a):
    application = intake(item_a, agent_a, channel=Channel.AGENT)

    assert application.status == Application.Status.DRAFT
    assert (application.filed_by, application.first_clerk) == (agent_a, None)
    # The applicant has not been to the hall: the agent went for them (代办).
    assert application.visits == 0


def test_an_online_pre_submission_by_the_public_is_a_draft_without_a_filer(item_a):
    application = intake(item_a, None, channel=Channel.ONLINE)

    assert application.status == Application.Status.DRAFT
    assert (application.filed_by, application.first_clerk, application.visits) == (None, None, 0)
    (step,) = timeline(application)
    assert (step.from_status, step.to_status, step.actor) == ("", "draft", None)


def test_every_guide_material_gets_a_state_presented_shared_or_missing(item_a, clerk_a):
    application = intake(
        item_a, clerk_a, materials=material_ids(item_a, "申请表", "申请人身份证明")
    )

    states = dict(application.materials.values_list("material__name", "state"))
    assert states == {
        "申请表": State.PRESENTED,
        "申请人身份证明": State.PRESENTED,
        "建设工程设计方案": State.MISSING,
        "不动产权属证明": State.SHARED,
        "村民委员会意见": State.MISSING,
    }


def test_a_shared_material_the_applicant_brought_anyway_counts_as_presented(item_a, clerk_a):
    application = intake(item_a, clerk_a, materials=material_ids(item_a, "不动产权属证明"))

    assert application.materials.get(material__name="不动产权属证明").state == State.PRESENTED


def test_a_material_of_another_item_is_refused_and_named(item_a, item_b, clerk_a):
    foreign = material_ids(item_b, "申请表")

    with pytest.raises(ValidationError) as raised:
        intake(item_a, clerk_a, materials=[*material_ids(item_a), *foreign])

    assert raised.value.message_dict["materials"] == [
        MATERIAL_OF_ANOTHER_ITEM % {"ids": str(foreign[0])}
    ]
    assert nothing_was_created()


def test_a_material_id_that_is_not_a_number_is_a_validation_error(item_a, clerk_a):
    with pytest.raises(ValidationError) as raised:
        intake(item_a, clerk_a, materials=["申请表"])

    assert "materials" in raised.value.message_dict
    assert nothing_was_created()


def test_an_unpublished_item_takes_no_applications(item_a, clerk_a):
    item_a.is_published = False
    item_a.save()

    with pytest.raises(ValidationError) as raised:
        intake(item_a, clerk_a)

    assert raised.value.message_dict == {"service_item": [ITEM_NOT_PUBLISHED]}
    assert nothing_was_created()


def test_a_channel_the_item_does_not_offer_is_refused(town_a):
    window_only = make_item(town_a, channels=[Channel.WINDOW])

    with pytest.raises(ValidationError) as raised:
        intake(window_only, None, channel=Channel.ONLINE)

    assert raised.value.message_dict == {"channel": [CHANNEL_NOT_OFFERED]}
    assert nothing_was_created()


def test_a_channel_that_does_not_exist_is_a_validation_error_not_a_crash(item_a, clerk_a):
    with pytest.raises(ValidationError) as raised:
        intake(item_a, clerk_a, channel="fax")

    assert "channel" in raised.value.message_dict


def test_a_town_without_the_power_is_told_to_send_the_applicant_to_the_county_centre(
    town_a, clerk_a
):
    kept_by_county = make_item(town_a, held=False)

    with pytest.raises(ValidationError) as raised:
        intake(kept_by_county, clerk_a)

    (message,) = raised.value.messages
    assert "甲县" in message
    assert "县政务服务中心" in message
    assert "甲镇" in message
    assert raised.value.code == "not_held"
    assert nothing_was_created()


def test_a_devolution_that_starts_tomorrow_does_not_let_the_town_accept_today(town_a, clerk_a):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    not_yet = make_item(town_a, held_from=tomorrow)

    with pytest.raises(ValidationError) as raised:
        intake(not_yet, clerk_a)

    assert raised.value.code == "not_held"
    assert nothing_was_created()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"id_number": "371122199306156033"}, "applicant.id_number", WRONG_CHECKSUM),
        ({"id_number": "37112219930615603"}, "applicant.id_number", WRONG_LENGTH % {"length": 17}),
        ({"type": "alien"}, "applicant.id_number", UNKNOWN_KIND),
        ({"name": "  "}, "applicant.name", NAME_REQUIRED),
    ],
    ids=["check digit", "length", "applicant type", "name"],
)
def test_an_applicant_error_changes_nothing(item_a, clerk_a, change, field, message):
    applicant = {**person(), **change}

    with pytest.raises(ValidationError) as raised:
        intake(item_a, clerk_a, applicant=applicant)

    assert raised.value.message_dict[field] == [message]
    assert nothing_was_created()


def test_an_area_code_the_table_does_not_know_is_a_warning_flag_not_a_refusal(item_a, clerk_a):
    unknown_area = identity_number("990100", datetime.date(1980, 5, 1), 21)

    application = intake(item_a, clerk_a, applicant={**person(), "id_number": unknown_area})

    assert application.area_unknown is True
    assert timeline(application).get().payload["area_unknown"] is True


def test_a_known_area_code_raises_no_flag(item_a, clerk_a):
    assert intake(item_a, clerk_a).area_unknown is False


def test_the_identity_number_is_stored_as_typed_with_full_width_digits_normalised(item_a, clerk_a):
    number = person()["id_number"]
    typed = " ".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number)

    application = intake(item_a, clerk_a, applicant={**person(), "id_number": typed})

    assert application.applicant_id_number == number


def test_a_retry_with_the_same_key_and_body_returns_the_first_application(item_a, clerk_a):
    first, first_created = application_intake(
        item=item_a,
        channel=Channel.WINDOW,
        applicant=person(),
        materials=material_ids(item_a),
        actor=clerk_a,
        idempotency_key="retry-1",
    )
    again, again_created = application_intake(
        item=item_a,
        channel=Channel.WINDOW,
        applicant=person(),
        materials=list(reversed(material_ids(item_a))),
        actor=clerk_a,
        idempotency_key="retry-1",
    )

    assert (first_created, again_created) == (True, False)
    assert again.pk == first.pk
    assert Application.objects.count() == 1
    assert timeline(first).count() == 1


def test_the_same_key_with_a_different_body_is_refused_as_reused(item_a, clerk_a):
    intake(item_a, clerk_a, key="retry-2")

    with pytest.raises(IdempotencyKeyReusedError) as raised:
        intake(item_a, clerk_a, key="retry-2", applicant=person(seed=8))

    assert isinstance(raised.value, StateConflictError)
    assert raised.value.code == "idempotency_key_reused"
    assert Application.objects.count() == 1


def test_the_key_belongs_to_its_filer_so_two_clerks_may_use_the_same_one(item_a, clerk_a, clerk_a2):
    mine = intake(item_a, clerk_a, key="morning-1")
    theirs = intake(item_a, clerk_a2, key="morning-1", applicant=person(seed=8))

    assert mine.pk != theirs.pk
    assert Application.objects.count() == 2


def test_a_clerk_of_town_b_cannot_file_for_town_a(item_a, clerk_b):
    with pytest.raises(Http404):
        intake(item_a, clerk_b)

    assert nothing_was_created()


def test_an_approver_does_not_take_applications_at_the_window(item_a, approver_a):
    with pytest.raises(PermissionDenied):
        intake(item_a, approver_a)


def test_nobody_files_at_the_window_without_signing_in(item_a):
    with pytest.raises(PermissionDenied):
        intake(item_a, None, channel=Channel.WINDOW)


def test_a_clerk_typing_in_a_village_agents_paper_filing_receives_it_at_the_window(item_a, clerk_a):
    application = intake(item_a, clerk_a, channel=Channel.AGENT)

    assert application.status == Application.Status.RECEIVED
    assert application.first_clerk == clerk_a


def test_a_window_intake_issues_a_receipt_of_the_materials_presented(item_a, clerk_a):
    application = intake(item_a, clerk_a)

    receipt = application.notices.get(kind=NoticeKind.RECEIPT)
    assert receipt.number == f"{application.receipt_no}-01"
    assert {line["name"] for line in receipt.content["materials"]} == {
        m.name for m in item_a.materials.all() if not m.shared_from
    }


def test_a_village_agents_filing_is_a_draft_without_a_receipt(item_a, agent_a):
    application = intake(item_a, agent_a, channel=Channel.AGENT)

    assert not application.notices.exists()
