"""One application's page in the hall and the window's steps posted from it.

Every step posts to ``/hall/applications/<id>/<verb>/`` with fields prefixed by the verb
(``refuse-reason``): the service acts, the page answers 302 back to the application; bad
input is 400 with nothing changed; a step someone else took first is 409 with the page
as it is now; another town's application is 404.

``item_a``'s guide: 申请表, 申请人身份证明, 建设工程设计方案 (may be pending), 不动产权属证明
(obtained from the land registry) and 村民委员会意见 (optional).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from servicecenter.choices import Channel, NoticeKind
from servicecenter.models import Application, Notice, SubmittedMaterial
from servicecenter.services import (
    application_accept,
    application_intake,
    application_notify_missing,
)
from servicecenter.services.window import REASON_REQUIRED
from tests.servicecenter.factories import material_ids, person
from townadmin.audit import timeline
from townadmin.models.calendar import CalendarYear

pytestmark = pytest.mark.django_db

Status = Application.Status
State = SubmittedMaterial.State
EVERYTHING = ("申请表", "申请人身份证明", "建设工程设计方案")
WITHOUT_DESIGN = ("申请表", "申请人身份证明")


@pytest.fixture(autouse=True)
def next_year_on_the_calendar(db):
    """A clock started today may run into next year, which the chinesecalendar package
    may not carry yet: mark it loaded, as an administrator does once it is published."""
    CalendarYear.objects.get_or_create(year=timezone.localdate().year + 1)


def take(item, actor, *presented, channel=Channel.WINDOW, applicant=None):
    application, _created = application_intake(
        item=item,
        channel=channel,
        applicant=applicant or person(),
        materials=material_ids(item, *(presented or EVERYTHING)),
        actor=actor,
    )
    return application


def page(application):
    return reverse("servicecenter:hall-application", args=[application.pk])


def step(application, verb):
    return reverse(f"servicecenter:hall-{verb}", args=[application.pk])


def refreshed(application):
    application.refresh_from_db()
    return application


# --- The page ----------------------------------------------------------------------------


def test_the_page_shows_the_applicant_masked_and_never_the_full_identity_number(
    client_as, clerk_a, item_a, applicant
):
    application = take(item_a, clerk_a, applicant=applicant)

    response = client_as(clerk_a).get(page(application))

    assert response.status_code == 200
    assert application.masked_id_number in response.content.decode()
    assert applicant["id_number"] not in response.content.decode()


def test_the_page_shows_the_first_contact_clerk_the_materials_and_their_state(
    client_as, clerk_a, item_a
):
    application = take(item_a, clerk_a, *WITHOUT_DESIGN)

    response = client_as(clerk_a).get(page(application))

    body = response.content.decode()
    assert str(clerk_a) in body
    assert "建设工程设计方案" in body
    assert 'class="material-state state-missing"' in body
    assert "不动产登记信息平台" in body


def test_a_clerk_of_another_town_gets_404_on_the_page(client_as, clerk_a, clerk_b, item_a):
    application = take(item_a, clerk_a)

    assert client_as(clerk_b).get(page(application)).status_code == 404


def test_a_clerk_of_another_town_gets_404_on_a_step_and_nothing_changes(
    client_as, clerk_a, clerk_b, item_a
):
    application = take(item_a, clerk_a)

    response = client_as(clerk_b).post(step(application, "accept"))

    assert response.status_code == 404
    assert refreshed(application).status == Status.RECEIVED


def test_a_step_the_page_does_not_know_is_404(client_as, clerk_a, item_a):
    application = take(item_a, clerk_a)

    url = page(application) + "approve-everything/"

    assert client_as(clerk_a).post(url).status_code == 404


def test_the_page_offers_the_clerk_only_the_steps_the_status_allows(client_as, clerk_a, item_a):
    application = take(item_a, clerk_a, *WITHOUT_DESIGN)

    response = client_as(clerk_a).get(page(application))

    verbs = [verb for verb, _step, _form in response.context["steps"]]
    # The design plan is missing: no plain acceptance, but 容缺 and the one-time notice.
    assert verbs == ["notify-missing", "accept-pending", "refuse"]


def test_the_page_offers_an_approver_no_window_step(client_as, clerk_a, approver_a, item_a):
    application = take(item_a, clerk_a)

    response = client_as(approver_a).get(page(application))

    assert response.status_code == 200
    assert response.context["steps"] == []


def test_an_approver_posting_a_window_step_gets_403_and_nothing_changes(
    client_as, clerk_a, approver_a, item_a
):
    application = take(item_a, clerk_a)

    response = client_as(approver_a).post(step(application, "accept"))

    assert response.status_code == 403
    assert refreshed(application).status == Status.RECEIVED


# --- The window's steps ------------------------------------------------------------------


def test_a_clerk_receives_an_agents_draft_and_becomes_its_first_contact_clerk(
    client_as, clerk_a, agent_a, item_a
):
    application = take(item_a, agent_a, channel=Channel.AGENT)

    response = client_as(clerk_a).post(step(application, "receive"))

    assert response.status_code == 302
    assert response.url == page(application)
    application = refreshed(application)
    assert application.status == Status.RECEIVED
    assert application.first_clerk == clerk_a


def test_the_one_time_notice_form_lists_exactly_the_required_materials_missing(
    client_as, clerk_a, item_a
):
    application = take(item_a, clerk_a, "申请表")

    response = client_as(clerk_a).get(page(application))

    missing = [material.name for material in response.context["facts"].missing]
    # Not the optional 村民委员会意见, not the shared 不动产权属证明.
    assert missing == ["申请人身份证明", "建设工程设计方案"]


def test_issuing_the_one_time_notice_moves_the_application_to_correction(
    client_as, clerk_a, item_a
):
    application = take(item_a, clerk_a, *WITHOUT_DESIGN)

    response = client_as(clerk_a).post(
        step(application, "notify-missing"), {"notify-missing-note": "请一周内补齐"}
    )

    assert response.status_code == 302
    assert refreshed(application).status == Status.CORRECTION
    notice = Notice.objects.exclude(kind=NoticeKind.RECEIPT).get(application=application)
    assert notice.kind == NoticeKind.ONE_TIME
    assert [line["name"] for line in notice.content["missing"]] == ["建设工程设计方案"]


def test_the_resubmission_takes_the_ticked_materials_and_counts_a_visit(client_as, clerk_a, item_a):
    application = take(item_a, clerk_a, *WITHOUT_DESIGN)
    application_notify_missing(application=application, actor=clerk_a)

    response = client_as(clerk_a).post(
        step(application, "resubmit"),
        {"resubmit-materials": material_ids(item_a, "建设工程设计方案")},
    )

    assert response.status_code == 302
    application = refreshed(application)
    assert application.status == Status.RECEIVED
    assert application.visits == 2
    assert not application.materials.filter(state=State.MISSING, material__required=True).exists()


def test_accepting_starts_both_clocks(client_as, clerk_a, item_a):
    application = take(item_a, clerk_a)

    response = client_as(clerk_a).post(step(application, "accept"))

    assert response.status_code == 302
    application = refreshed(application)
    assert application.status == Status.ACCEPTED
    assert application.due_date is not None
    assert application.statutory_due_date > application.due_date


def test_accepting_what_another_clerk_accepted_first_answers_409_with_the_current_state(
    client_as, clerk_a, clerk_a2, item_a
):
    application = take(item_a, clerk_a)
    application_accept(application=application, actor=clerk_a2)

    response = client_as(clerk_a).post(step(application, "accept"))

    assert response.status_code == 409
    assert str(Status.ACCEPTED.label) in response.context["conflict"]
    assert response.context["application"].status == Status.ACCEPTED
    assert Notice.objects.filter(application=application, kind=NoticeKind.ACCEPTANCE).count() == 1


def test_a_resubmission_after_another_clerk_took_it_answers_409(
    client_as, clerk_a, clerk_a2, item_a
):
    application = take(item_a, clerk_a, *WITHOUT_DESIGN)
    application_notify_missing(application=application, actor=clerk_a)
    design = material_ids(item_a, "建设工程设计方案")
    client_as(clerk_a2).post(step(application, "resubmit"), {"resubmit-materials": design})

    response = client_as(clerk_a).post(
        step(application, "resubmit"), {"resubmit-materials": design}
    )

    assert response.status_code == 409
    assert refreshed(application).visits == 2


def test_accepting_with_the_design_plan_pending_issues_the_commitment(client_as, clerk_a, item_a):
    application = take(item_a, clerk_a, *WITHOUT_DESIGN)
    until = timezone.localdate() + datetime.timedelta(days=3)

    response = client_as(clerk_a).post(
        step(application, "accept-pending"),
        {
            "accept-pending-pending": material_ids(item_a, "建设工程设计方案"),
            "accept-pending-commitment": "本人承诺三日内补交设计方案。",
            "accept-pending-pending_until": until.isoformat(),
        },
    )

    assert response.status_code == 302
    application = refreshed(application)
    assert application.status == Status.ACCEPTED
    assert application.pending_until == until
    kinds = set(Notice.objects.filter(application=application).values_list("kind", flat=True))
    assert kinds == {NoticeKind.RECEIPT, NoticeKind.ACCEPTANCE, NoticeKind.PENDING}


def test_accepting_with_materials_pending_but_no_commitment_answers_400_and_changes_nothing(
    client_as, clerk_a, item_a
):
    application = take(item_a, clerk_a, *WITHOUT_DESIGN)
    until = timezone.localdate() + datetime.timedelta(days=3)

    response = client_as(clerk_a).post(
        step(application, "accept-pending"),
        {
            "accept-pending-pending": material_ids(item_a, "建设工程设计方案"),
            "accept-pending-pending_until": until.isoformat(),
        },
    )

    assert response.status_code == 400
    form = {verb: form for verb, _step, form in response.context["steps"]}["accept-pending"]
    assert form.errors["commitment"]
    assert refreshed(application).status == Status.RECEIVED
    assert not Notice.objects.filter(application=application).exclude(kind=NoticeKind.RECEIPT)


def test_refusing_without_a_reason_answers_400_with_the_services_message(
    client_as, clerk_a, item_a
):
    application = take(item_a, clerk_a)

    response = client_as(clerk_a).post(step(application, "refuse"), {"refuse-reason": " "})

    assert response.status_code == 400
    assert str(REASON_REQUIRED) in response.content.decode()
    assert refreshed(application).status == Status.RECEIVED


def test_refusing_with_a_reason_issues_the_notice_of_refusal(client_as, clerk_a, item_a):
    application = take(item_a, clerk_a)

    response = client_as(clerk_a).post(
        step(application, "refuse"), {"refuse-reason": "申请事项不属于本镇职权范围"}
    )

    assert response.status_code == 302
    assert refreshed(application).status == Status.REFUSED
    assert (
        Notice.objects.exclude(kind=NoticeKind.RECEIPT).get(application=application).kind
        == NoticeKind.REFUSAL
    )


def test_supplying_the_pending_material_clears_the_way_to_completion(client_as, clerk_a, item_a):
    application = take(item_a, clerk_a, *WITHOUT_DESIGN)
    design = material_ids(item_a, "建设工程设计方案")
    application_accept(
        application=application,
        actor=clerk_a,
        pending=design,
        commitment="三日内补交",
        pending_until=timezone.localdate() + datetime.timedelta(days=3),
    )

    response = client_as(clerk_a).post(
        step(application, "supply-pending"), {"supply-pending-materials": design}
    )

    assert response.status_code == 302
    assert not application.materials.filter(state=State.PENDING).exists()
    assert refreshed(application).pending_until is None


def test_the_timeline_shows_every_step_with_its_actor(client_as, clerk_a, item_a):
    application = take(item_a, clerk_a, *WITHOUT_DESIGN)
    application_notify_missing(application=application, actor=clerk_a)

    response = client_as(clerk_a).get(page(application))

    rows = response.context["timeline"]
    assert len(rows) == timeline(application).count() == 2
    assert all(row["transition"].actor == clerk_a for row in rows)
    details = dict(rows[1]["details"])
    assert "建设工程设计方案" in details.values()


def test_the_page_offers_no_acceptance_while_a_material_that_cannot_wait_is_missing(
    client_as, clerk_a, item_a
):
    application = take(item_a, clerk_a, "申请表")

    response = client_as(clerk_a).get(page(application))

    # 申请人身份证明 may not be left pending: only the one-time notice or a refusal.
    verbs = [verb for verb, _step, _form in response.context["steps"]]
    assert verbs == ["notify-missing", "refuse"]


def test_a_village_agent_follows_their_own_filing(client_as, agent_a, item_a):
    application = take(item_a, agent_a, channel=Channel.AGENT)

    response = client_as(agent_a).get(page(application))

    assert response.status_code == 200
    assert response.context["steps"] == []


def test_a_village_agent_cannot_open_the_towns_other_applications(
    client_as, clerk_a, agent_a, item_a
):
    application = take(item_a, clerk_a)

    assert client_as(agent_a).get(page(application)).status_code == 404
