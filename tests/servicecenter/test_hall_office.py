"""The back office: its queue (/hall/office/), its steps on an application's page (pause,
resume, extension, completion, delivery) and the list of all applications."""

import pytest
from django.urls import reverse
from django.utils import timezone

from servicecenter.choices import Decision, NoticeKind
from servicecenter.models import Application, Notice
from servicecenter.services import (
    application_accept,
    application_complete,
    application_extension_request,
    application_intake,
    application_pause,
)
from servicecenter.services.back_office import CERTIFICATE_REQUIRED
from servicecenter.services.window import ADDRESS_REQUIRED
from tests.servicecenter.factories import make_item, material_ids, person
from townadmin.models.calendar import CalendarYear
from townadmin.models.deadlines import DeadlineExtension, WarningLevel

pytestmark = pytest.mark.django_db

Status = Application.Status
OFFICE = reverse("servicecenter:hall-office")
LIST = reverse("servicecenter:hall-applications")


@pytest.fixture(autouse=True)
def next_year_on_the_calendar(db):
    """A clock started today may run into next year: mark it loaded, as an administrator
    does once the State Council publishes it."""
    CalendarYear.objects.get_or_create(year=timezone.localdate().year + 1)


def take(item, clerk, *, seed=7):
    application, _created = application_intake(
        item=item,
        channel="window",
        applicant=person(seed=seed),
        materials=material_ids(item),
        actor=clerk,
    )
    return application


def accepted(item, clerk, *, seed=7):
    application = take(item, clerk, seed=seed)
    return application_accept(application=application, actor=clerk)


def page(application):
    return reverse("servicecenter:hall-application", args=[application.pk])


def step(application, verb):
    return reverse(f"servicecenter:hall-{verb}", args=[application.pk])


def refreshed(application):
    application.refresh_from_db()
    return application


def bound_form(response, verb):
    return {name: form for name, _step, form in response.context["steps"]}[verb]


# --- The queue ---------------------------------------------------------------------------


def test_the_office_queue_puts_red_cards_first_then_yellow_then_the_nearest_due_date(
    client_as, clerk_a, approver_a, item_a
):
    calm, yellow, red = (accepted(item_a, clerk_a, seed=seed) for seed in (1, 2, 3))
    Application.objects.filter(pk=yellow.pk).update(warning_level=WarningLevel.YELLOW)
    Application.objects.filter(pk=red.pk).update(statutory_warning_level=WarningLevel.RED)

    response = client_as(approver_a).get(OFFICE)

    assert response.status_code == 200
    assert [a.pk for a in response.context["applications"]] == [red.pk, yellow.pk, calm.pk]


def test_the_office_queue_marks_paused_applications(client_as, clerk_a, approver_a, item_a):
    application = accepted(item_a, clerk_a)
    application_pause(application=application, actor=approver_a, step="专家评审")

    response = client_as(approver_a).get(OFFICE)

    assert b'class="paused"' in response.content


def test_the_office_queue_leaves_out_other_towns_and_applications_not_accepted(
    client_as, clerk_a, clerk_b, approver_a, item_a, item_b
):
    mine = accepted(item_a, clerk_a)
    take(item_a, clerk_a, seed=2)
    accepted(item_b, clerk_b)

    response = client_as(approver_a).get(OFFICE)

    assert [a.pk for a in response.context["applications"]] == [mine.pk]


def test_a_window_clerk_has_no_office_queue(client_as, clerk_a):
    assert client_as(clerk_a).get(OFFICE).status_code == 403


def test_the_office_queue_costs_the_same_queries_at_3_and_30_applications(
    client_as, clerk_a, approver_a, item_a, django_assert_max_num_queries
):
    for seed in range(3):
        accepted(item_a, clerk_a, seed=seed)
    client = client_as(approver_a)
    with django_assert_max_num_queries(100) as small:
        client.get(OFFICE)
    for seed in range(3, 30):
        accepted(item_a, clerk_a, seed=seed)

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(OFFICE)

    assert len(response.context["applications"]) == 30


# --- The back office's steps -------------------------------------------------------------


def test_the_page_offers_the_approver_pause_extension_and_completion(
    client_as, clerk_a, approver_a, item_a
):
    application = accepted(item_a, clerk_a)

    response = client_as(approver_a).get(page(application))

    verbs = [verb for verb, _step, _form in response.context["steps"]]
    assert verbs == ["pause", "request-extension", "complete"]


def test_pausing_for_a_special_step_stops_the_clocks(client_as, clerk_a, approver_a, item_a):
    application = accepted(item_a, clerk_a)

    response = client_as(approver_a).post(
        step(application, "pause"), {"pause-step": "专家评审", "pause-reason": "组织专家论证"}
    )

    assert response.status_code == 302
    assert refreshed(application).paused_on == timezone.localdate()


def test_the_page_of_a_paused_application_shows_the_step_and_offers_to_resume(
    client_as, clerk_a, approver_a, item_a
):
    application = accepted(item_a, clerk_a)
    application_pause(application=application, actor=approver_a, step="专家评审", reason="论证")

    response = client_as(approver_a).get(page(application))

    assert "专家评审：论证" in response.content.decode()
    assert [verb for verb, _s, _f in response.context["steps"]] == ["resume", "request-extension"]


def test_pausing_for_a_step_the_guide_does_not_have_answers_400(
    client_as, clerk_a, approver_a, item_a
):
    application = accepted(item_a, clerk_a)

    response = client_as(approver_a).post(step(application, "pause"), {"pause-step": "听证"})

    assert response.status_code == 400
    assert bound_form(response, "pause").errors["step"]
    assert refreshed(application).paused_on is None


def test_resuming_restarts_the_clocks(client_as, clerk_a, approver_a, item_a):
    application = accepted(item_a, clerk_a)
    application_pause(application=application, actor=approver_a, step="专家评审")

    response = client_as(approver_a).post(step(application, "resume"))

    assert response.status_code == 302
    assert refreshed(application).paused_on is None


def test_resuming_what_another_approver_resumed_answers_409(client_as, clerk_a, approver_a, item_a):
    application = accepted(item_a, clerk_a)
    application_pause(application=application, actor=approver_a, step="专家评审")
    client_as(approver_a).post(step(application, "resume"))

    response = client_as(approver_a).post(step(application, "resume"))

    assert response.status_code == 409


def test_an_extension_requested_by_the_approver_waits_for_the_leader(
    client_as, clerk_a, approver_a, leader_a, item_a
):
    application = accepted(item_a, clerk_a)

    response = client_as(approver_a).post(
        step(application, "request-extension"),
        {"request-extension-reason": "需补充现场勘验"},
    )

    assert response.status_code == 302
    leader_page = client_as(leader_a).get(page(application))
    assert [verb for verb, _s, _f in leader_page.context["steps"]] == ["decide-extension"]


def test_the_leader_approving_the_extension_moves_both_due_dates(
    client_as, clerk_a, approver_a, leader_a, item_a
):
    application = accepted(item_a, clerk_a)
    application_extension_request(application=application, actor=approver_a, reason="现场勘验")
    before = (application.due_date, application.statutory_due_date)

    response = client_as(leader_a).post(
        step(application, "decide-extension"), {"decide-extension-approve": "yes"}
    )

    assert response.status_code == 302
    application = refreshed(application)
    assert application.due_date > before[0]
    assert application.statutory_due_date > before[1]
    assert DeadlineExtension.objects.get().status == DeadlineExtension.Status.APPROVED


def test_an_approver_cannot_decide_the_extension(client_as, clerk_a, approver_a, item_a):
    application = accepted(item_a, clerk_a)
    application_extension_request(application=application, actor=approver_a, reason="现场勘验")

    response = client_as(approver_a).post(
        step(application, "decide-extension"), {"decide-extension-approve": "yes"}
    )

    assert response.status_code == 403
    assert DeadlineExtension.objects.get().status == DeadlineExtension.Status.REQUESTED


def test_completing_with_approval_records_the_certificate_and_issues_the_decision(
    client_as, clerk_a, approver_a, item_a
):
    application = accepted(item_a, clerk_a)

    response = client_as(approver_a).post(
        step(application, "complete"),
        {"complete-decision": Decision.APPROVED, "complete-certificate_no": "乡字第2026001号"},
    )

    assert response.status_code == 302
    application = refreshed(application)
    assert application.status == Status.APPROVED
    assert application.certificate_no == "乡字第2026001号"
    assert Notice.objects.filter(application=application, kind=NoticeKind.DECISION).exists()


def test_the_page_of_a_completed_application_shows_the_decision_and_offers_delivery(
    client_as, clerk_a, approver_a, item_a
):
    application = accepted(item_a, clerk_a)
    application_complete(
        application=application, actor=approver_a, decision="approved", certificate_no="乡字第9号"
    )

    response = client_as(clerk_a).get(page(application))

    assert "乡字第9号" in response.content.decode()
    assert [verb for verb, _s, _f in response.context["steps"]] == ["deliver"]


def test_approving_without_a_certificate_number_answers_400_and_changes_nothing(
    client_as, clerk_a, approver_a, item_a
):
    application = accepted(item_a, clerk_a)

    response = client_as(approver_a).post(
        step(application, "complete"), {"complete-decision": Decision.APPROVED}
    )

    assert response.status_code == 400
    assert bound_form(response, "complete").errors["certificate_no"] == [str(CERTIFICATE_REQUIRED)]
    assert refreshed(application).status == Status.ACCEPTED


def test_a_clerk_cannot_complete_an_application(client_as, clerk_a, item_a):
    application = accepted(item_a, clerk_a)

    response = client_as(clerk_a).post(
        step(application, "complete"),
        {"complete-decision": Decision.APPROVED, "complete-certificate_no": "乡字第1号"},
    )

    assert response.status_code == 403
    assert refreshed(application).status == Status.ACCEPTED


def test_delivery_by_post_needs_an_address(client_as, clerk_a, approver_a, item_a):
    application = accepted(item_a, clerk_a)
    application_complete(
        application=application, actor=approver_a, decision="approved", certificate_no="1号"
    )

    response = client_as(clerk_a).post(step(application, "deliver"), {"deliver-method": "mail"})

    assert response.status_code == 400
    assert bound_form(response, "deliver").errors["address"] == [str(ADDRESS_REQUIRED)]
    assert refreshed(application).status == Status.APPROVED


def test_delivery_at_the_window_closes_the_application(client_as, clerk_a, approver_a, item_a):
    application = accepted(item_a, clerk_a)
    application_complete(
        application=application, actor=approver_a, decision="approved", certificate_no="1号"
    )

    response = client_as(clerk_a).post(step(application, "deliver"), {"deliver-method": "pickup"})

    assert response.status_code == 302
    assert refreshed(application).status == Status.DELIVERED


# --- The list of all applications --------------------------------------------------------


def test_the_list_shows_the_applications_of_the_users_towns_only(
    client_as, clerk_a, clerk_b, item_a, item_b
):
    mine = take(item_a, clerk_a)
    take(item_b, clerk_b)

    response = client_as(clerk_a).get(LIST)

    assert [a.pk for a in response.context["applications"]] == [mine.pk]


def test_the_list_filters_by_status(client_as, clerk_a, item_a):
    waiting = take(item_a, clerk_a, seed=1)
    accepted(item_a, clerk_a, seed=2)

    response = client_as(clerk_a).get(LIST, {"status": Status.RECEIVED})

    assert [a.pk for a in response.context["applications"]] == [waiting.pk]


def test_the_list_finds_an_application_by_its_receipt_number(client_as, clerk_a, item_a):
    wanted = take(item_a, clerk_a, seed=1)
    take(item_a, clerk_a, seed=2)

    response = client_as(clerk_a).get(LIST, {"q": wanted.receipt_no})

    assert [a.pk for a in response.context["applications"]] == [wanted.pk]


def test_a_village_agent_has_no_list_of_the_towns_applications(client_as, agent_a):
    assert client_as(agent_a).get(LIST).status_code == 403


def test_the_list_costs_the_same_queries_at_3_and_30_applications(
    client_as, clerk_a, approver_a, item_a, django_assert_max_num_queries
):
    other = make_item(item_a.town, name="农村村民宅基地审批")
    for seed in range(3):
        take(other if seed % 2 else item_a, clerk_a, seed=seed)
    client = client_as(clerk_a)
    with django_assert_max_num_queries(100) as small:
        client.get(LIST)
    for seed in range(3, 30):
        take(other if seed % 2 else item_a, clerk_a, seed=seed)

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(LIST)

    assert response.context["paginator"].count == 30
