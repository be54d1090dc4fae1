"""The staff API's workflow actions, detail and list (issue #5 items 2, 3, 7 and 9)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from servicecenter import services
from servicecenter.models import Application, Notice
from tests.servicecenter.factories import make_item, material_ids, person
from townadmin.workdays import add_workdays

pytestmark = pytest.mark.django_db

API = "/api/v1/applications/"


def url(application, verb=None):
    return f"{API}{application.pk}/" + (f"{verb}/" if verb else "")


def take(item, clerk, *names, seed=7):
    """An application taken at the window through the service, with ``names`` presented
    (every material the applicant brings when none are named)."""
    application, _created = services.application_intake(
        item=item,
        channel="window",
        applicant=person(seed=seed),
        materials=material_ids(item, *names),
        actor=clerk,
    )
    return application


@pytest.fixture
def received(item_a, clerk_a):
    return take(item_a, clerk_a)


@pytest.fixture
def accepted(received, clerk_a):
    return services.application_accept(application=received, actor=clerk_a)


def test_accepting_gives_both_due_dates(api_client_as, clerk_a, received):
    response = api_client_as(clerk_a).post(url(received, "accept"), {}, format="json")

    assert response.status_code == 200
    data = response.json()
    today = timezone.localdate()
    assert data["status"] == "accepted"
    assert data["due_date"] == add_workdays(today, 5).isoformat()
    assert data["statutory_due_date"] == add_workdays(today, 20).isoformat()


def test_a_second_accept_is_409_with_the_current_status(api_client_as, clerk_a2, accepted):
    response = api_client_as(clerk_a2).post(url(accepted, "accept"), {}, format="json")

    assert response.status_code == 409
    assert response.json()["current"] == {"status": "accepted"}


def test_the_one_time_notice_resubmission_and_acceptance_take_the_application_through(
    api_client_as, clerk_a, item_a
):
    application = take(item_a, clerk_a, "申请表", "申请人身份证明")
    client = api_client_as(clerk_a)

    notified = client.post(url(application, "notify-missing"), {"note": "请补齐"}, format="json")
    back = client.post(
        url(application, "resubmit"),
        {"materials": material_ids(item_a, "建设工程设计方案")},
        format="json",
    )
    accepted = client.post(url(application, "accept"), {}, format="json")

    assert [notified.json()["status"], back.json()["status"], accepted.json()["status"]] == [
        "correction",
        "received",
        "accepted",
    ]
    kinds = [notice["kind"] for notice in accepted.json()["notices"]]
    assert kinds == ["receipt", "one_time", "acceptance"]


def test_acceptance_with_a_material_pending_records_the_commitment(api_client_as, clerk_a, item_a):
    application = take(item_a, clerk_a, "申请表", "申请人身份证明")
    pending = material_ids(item_a, "建设工程设计方案")
    due = add_workdays(timezone.localdate(), 2)

    response = api_client_as(clerk_a).post(
        url(application, "accept"),
        {"pending": pending, "commitment": "三日内补交", "pending_until": due.isoformat()},
        format="json",
    )

    assert response.status_code == 200
    data = response.json()
    assert data["pending_until"] == due.isoformat()
    assert {row["name"]: row["state"] for row in data["materials"]}["建设工程设计方案"] == "pending"
    assert [notice["kind"] for notice in data["notices"]] == ["receipt", "acceptance", "pending"]


def test_a_refusal_without_a_reason_is_400_and_changes_nothing(api_client_as, clerk_a, received):
    response = api_client_as(clerk_a).post(url(received, "refuse"), {}, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()
    received.refresh_from_db()
    assert received.status == "received"


def test_the_approver_pauses_resumes_and_completes(api_client_as, approver_a, accepted):
    client = api_client_as(approver_a)

    paused = client.post(url(accepted, "pause"), {"step": "专家评审"}, format="json")
    resumed = client.post(url(accepted, "resume"), {}, format="json")
    completed = client.post(
        url(accepted, "complete"),
        {"decision": "approved", "certificate_no": "乡字第2026001号"},
        format="json",
    )

    assert paused.json()["paused_on"] == timezone.localdate().isoformat()
    assert resumed.json()["paused_on"] is None
    assert completed.status_code == 200
    assert completed.json()["status"] == "approved"
    assert completed.json()["certificate_no"] == "乡字第2026001号"


def test_the_town_leader_decides_the_extension_the_approver_requested(
    api_client_as, clerk_a, approver_a, leader_a, town_a
):
    # Short limits keep the extended date inside the years the holiday table covers.
    quick = make_item(town_a, promised=1, statutory=2)
    accepted = services.application_accept(application=take(quick, clerk_a), actor=clerk_a)
    statutory = accepted.statutory_due_date
    api_client_as(approver_a).post(
        url(accepted, "request-extension"), {"reason": "需现场核查"}, format="json"
    )

    response = api_client_as(leader_a).post(
        url(accepted, "decide-extension"), {"approve": True}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["statutory_due_date"] == add_workdays(statutory, 10).isoformat()


def test_deciding_an_extension_nobody_requested_is_409(api_client_as, leader_a, accepted):
    response = api_client_as(leader_a).post(
        url(accepted, "decide-extension"), {"approve": True}, format="json"
    )

    assert response.status_code == 409


def test_a_clerk_cannot_complete_an_application(api_client_as, clerk_a, accepted):
    response = api_client_as(clerk_a).post(
        url(accepted, "complete"), {"decision": "denied", "reason": "不符合条件"}, format="json"
    )

    assert response.status_code == 403
    accepted.refresh_from_db()
    assert accepted.status == "accepted"


def test_the_result_is_delivered_by_post_to_the_address(
    api_client_as, clerk_a, approver_a, accepted
):
    services.application_complete(
        application=accepted, actor=approver_a, decision="denied", reason="不符合规划"
    )

    response = api_client_as(clerk_a).post(
        url(accepted, "deliver"), {"method": "mail", "address": "甲镇东村1号"}, format="json"
    )

    assert response.json()["status"] == "delivered"
    assert response.json()["delivery"] == "mail"


def test_pending_materials_supplied_are_recorded(api_client_as, clerk_a, item_a):
    application = take(item_a, clerk_a, "申请表", "申请人身份证明")
    pending = material_ids(item_a, "建设工程设计方案")
    services.application_accept(
        application=application,
        actor=clerk_a,
        pending=pending,
        commitment="三日内补交",
        pending_until=add_workdays(timezone.localdate(), 2),
    )

    response = api_client_as(clerk_a).post(
        url(application, "supply-pending"), {"materials": pending}, format="json"
    )

    assert response.json()["pending_until"] is None
    assert {row["name"]: row["state"] for row in response.json()["materials"]}[
        "建设工程设计方案"
    ] == "presented"


def test_a_draft_is_received_at_the_window_by_its_first_clerk(
    api_client_as, agent_a, clerk_a, item_a
):
    draft, _created = services.application_intake(
        item=item_a, channel="agent", applicant=person(), materials=[], actor=agent_a
    )

    response = api_client_as(clerk_a).post(url(draft, "receive"), {}, format="json")

    assert response.json()["status"] == "received"
    assert response.json()["first_clerk"] == "甲镇窗口"


def test_the_detail_shows_the_whole_timeline_with_who_acted(
    api_client_as, approver_a, clerk_a, accepted
):
    response = api_client_as(approver_a).get(url(accepted))

    steps = [(step["from"], step["to"], step["actor"]) for step in response.json()["timeline"]]
    assert steps == [("", "received", "甲镇窗口"), ("received", "accepted", "甲镇窗口")]


def test_the_detail_never_shows_the_verification_code_or_the_full_identity_number(
    api_client_as, clerk_a, accepted
):
    response = api_client_as(clerk_a).get(url(accepted))

    assert "verification_code" not in response.json()
    assert accepted.verification_code not in response.content.decode()
    assert accepted.applicant_id_number not in response.content.decode()


def test_each_notice_is_listed_with_its_number_and_kind(api_client_as, clerk_a, accepted):
    notice = Notice.objects.get(application=accepted, kind="acceptance")

    notices = api_client_as(clerk_a).get(url(accepted)).json()["notices"]

    [listed] = [listed for listed in notices if listed["kind"] == "acceptance"]
    assert listed["number"] == notice.number
    assert listed["url"] == reverse("servicecenter:hall-notice-pdf", args=[notice.pk])


def test_the_list_is_filtered_by_status_and_receipt_number(
    api_client_as, clerk_a, item_a, accepted
):
    other = take(item_a, clerk_a, seed=9)
    client = api_client_as(clerk_a)

    by_status = client.get(API, {"status": ["received", "correction"]}).json()
    by_receipt = client.get(API, {"q": accepted.receipt_no}).json()

    assert [row["id"] for row in by_status["results"]] == [other.pk]
    assert [row["id"] for row in by_receipt["results"]] == [accepted.pk]


def test_the_list_finds_an_applicant_by_part_of_the_name(api_client_as, clerk_a, received):
    response = api_client_as(clerk_a).get(API, {"q": received.applicant_name[1:]})

    assert [row["id"] for row in response.json()["results"]] == [received.pk]


def test_the_list_filters_by_the_local_day_of_receipt(api_client_as, clerk_a, received):
    today = timezone.localdate()
    client = api_client_as(clerk_a)

    today_only = client.get(API, {"received_after": today, "received_before": today}).json()
    tomorrow = client.get(API, {"received_after": add_workdays(today, 1)}).json()

    assert today_only["count"] == 1
    assert tomorrow["count"] == 0


def test_an_unknown_action_on_an_application_is_not_allowed(api_client_as, clerk_a, received):
    response = api_client_as(clerk_a).get(url(received, "accept"))

    assert response.status_code == 405
    assert Application.objects.get().status == "received"


def test_a_kiosk_decides_an_instant_item_at_once(api_client_as, posting_admin, town_a):
    """The kiosk's account holds the window's and the approver's reach (here: a superuser)."""
    instant = make_item(town_a, promised=0, statutory=20, channels=("kiosk",))

    response = api_client_as(posting_admin).post(
        API,
        {
            "service_item": instant.pk,
            "channel": "kiosk",
            "materials": material_ids(instant),
            "applicant": person(),
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["status"] == "approved"
