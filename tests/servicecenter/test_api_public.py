"""The service hall's public API (issue #5 items 5, 6 and 9): the services list, online
pre-submission and the status lookup, with no login."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servicecenter import services
from servicecenter.models import Application, ServiceItem
from servicecenter.services.ratings import (
    rating_submit,
    rectification_call_back,
    rectification_rectify,
)
from tests.servicecenter.factories import make_item, material_ids, person

pytestmark = pytest.mark.django_db

ITEM_KEYS = {
    "id",
    "code",
    "name",
    "kind",
    "promised_days",
    "statutory_days",
    "day_type",
    "fee",
    "channels",
    "max_visits",
    "materials",
}
MATERIAL_KEYS = {"id", "name", "required", "form", "copies", "may_be_pending", "shared_from"}
LOOKUP_KEYS = {
    "receipt_no",
    "item",
    "town",
    "status",
    "status_label",
    "received_at",
    "accepted_at",
    "due_date",
    "statutory_due_date",
    "completed_at",
    "decision",
    "applicant",
    "timeline",
    "may_rate",
}
PRESUBMIT_KEYS = {
    "receipt_no",
    "verification_code",
    "status",
    "status_label",
    "item",
    "town",
    "received_at",
    "warnings",
}


def services_url(town):
    return f"/api/v1/public/towns/{town.code}/services/"


def lookup(client, application, code=None):
    code = application.verification_code if code is None else code
    return client.get(f"/api/v1/public/applications/{application.receipt_no}/", {"code": code})


def presubmit(client, item, applicant, key=None, materials=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    body = {
        "service_item": item.pk,
        "materials": material_ids(item) if materials is None else materials,
        "applicant": applicant,
    }
    return client.post("/api/v1/public/applications/", body, format="json", **headers)


@pytest.fixture
def taken(item_a, clerk_a, applicant):
    application, _created = services.application_intake(
        item=item_a,
        channel="window",
        applicant=applicant,
        materials=material_ids(item_a),
        actor=clerk_a,
    )
    return application


@pytest.fixture
def completed(taken, clerk_a, approver_a):
    services.application_accept(application=taken, actor=clerk_a)
    return services.application_complete(
        application=taken, actor=approver_a, decision="approved", certificate_no="乡字第1号"
    )


# --- The services list --------------------------------------------------------------------


def test_the_services_list_has_exactly_the_contract_keys(citizen, item_a):
    response = citizen.get(services_url(item_a.town))

    assert response.status_code == 200
    [item] = response.json()
    assert set(item) == ITEM_KEYS
    assert all(set(material) == MATERIAL_KEYS for material in item["materials"])
    assert (item["id"], item["promised_days"], item["statutory_days"]) == (item_a.pk, 5, 20)


def test_the_services_list_is_ordered_by_code_with_the_guides_materials_in_order(citizen, town_a):
    second = make_item(town_a, code="XK-B", held=False)
    first = make_item(town_a, code="XK-A", held=False)

    items = citizen.get(services_url(town_a)).json()

    assert [item["id"] for item in items] == [first.pk, second.pk]
    assert [m["name"] for m in items[0]["materials"]][:3] == [
        "申请表",
        "申请人身份证明",
        "建设工程设计方案",
    ]


def test_the_services_list_leaves_out_unpublished_items_and_other_towns(
    citizen, item_a, item_b, town_a
):
    hidden = make_item(town_a, held=False)
    ServiceItem.objects.filter(pk=hidden.pk).update(is_published=False)

    items = citizen.get(services_url(town_a)).json()

    assert [item["id"] for item in items] == [item_a.pk]


def test_a_town_without_published_items_has_an_empty_list(citizen, town_b):
    response = citizen.get(services_url(town_b))

    assert (response.status_code, response.json()) == (200, [])


def test_an_unknown_town_is_404(citizen, db):
    assert citizen.get("/api/v1/public/towns/000000000/services/").status_code == 404


def test_the_services_list_costs_the_same_queries_for_ten_times_the_items(
    citizen, town_a, django_assert_num_queries
):
    for _ in range(3):
        make_item(town_a, held=False)
    with CaptureQueriesContext(connection) as small:
        assert len(citizen.get(services_url(town_a)).json()) == 3

    for _ in range(27):
        make_item(town_a, held=False)
    with django_assert_num_queries(len(small)):
        response = citizen.get(services_url(town_a))

    assert len(response.json()) == 30
    assert len(small) <= 2


# --- The status lookup --------------------------------------------------------------------


def test_the_lookup_with_the_right_code_has_exactly_the_contract_keys(citizen, taken):
    response = lookup(citizen, taken)

    assert response.status_code == 200
    data = response.json()
    assert set(data) == LOOKUP_KEYS
    assert (data["receipt_no"], data["status"]) == (taken.receipt_no, "received")


def test_a_wrong_code_is_404_like_an_unknown_receipt(citizen, taken):
    wrong = lookup(citizen, taken, code="000000" if taken.verification_code != "000000" else "1")
    unknown = citizen.get(
        "/api/v1/public/applications/990100101-20260101-999999/",
        {"code": taken.verification_code},
    )

    assert wrong.status_code == unknown.status_code == 404
    assert wrong.content == unknown.content


def test_a_lookup_without_a_code_is_404(citizen, taken):
    response = citizen.get(f"/api/v1/public/applications/{taken.receipt_no}/")

    assert response.status_code == 404


def test_the_lookup_shows_the_name_masked_and_no_identity_number_or_staff(
    citizen, completed, applicant
):
    response = lookup(citizen, completed)

    content = response.content.decode()
    assert applicant["id_number"] not in content
    assert completed.masked_id_number not in content
    assert "甲镇窗口" not in content and "甲镇审批" not in content
    assert response.json()["applicant"] == applicant["name"][0] + "*" * (len(applicant["name"]) - 1)


def test_the_public_timeline_has_the_statuses_and_their_dates(citizen, completed):
    steps = lookup(citizen, completed).json()["timeline"]

    assert [step["status"] for step in steps] == ["received", "accepted", "approved"]
    assert all(set(step) == {"status", "label", "at"} for step in steps)


def test_a_completed_application_may_be_rated_once(citizen, completed):
    before = lookup(citizen, completed).json()["may_rate"]
    rating_submit(application=completed, level=5)

    after = lookup(citizen, completed).json()["may_rate"]

    assert (before, after) == (True, False)


def test_an_application_in_progress_may_not_be_rated(citizen, taken):
    assert lookup(citizen, taken).json()["may_rate"] is False


def test_a_rectified_bad_rating_may_be_rated_once_more(citizen, completed, clerk_a):
    rating = rating_submit(application=completed, level=1)
    rectification = rectification_call_back(
        rectification=rating.rectification, actor=clerk_a, note="已回访"
    )
    rectification_rectify(rectification=rectification, actor=clerk_a, measures="已整改")

    assert lookup(citizen, completed).json()["may_rate"] is True


# --- Online pre-submission ----------------------------------------------------------------


def test_an_online_presubmission_is_a_draft_with_a_receipt_and_its_code(citizen, item_a, applicant):
    response = presubmit(citizen, item_a, applicant)

    assert response.status_code == 201
    data = response.json()
    assert set(data) == PRESUBMIT_KEYS
    application = Application.objects.get()
    assert (data["receipt_no"], data["verification_code"]) == (
        application.receipt_no,
        application.verification_code,
    )
    assert (data["status"], application.channel, application.filed_by) == ("draft", "online", None)


def test_the_receipt_and_code_of_a_presubmission_open_its_status(citizen, item_a, applicant):
    data = presubmit(citizen, item_a, applicant).json()

    response = citizen.get(
        f"/api/v1/public/applications/{data['receipt_no']}/", {"code": data["verification_code"]}
    )

    assert response.json()["status"] == "draft"


def test_a_presubmission_retried_with_its_key_is_the_same_draft(citizen, item_a, applicant):
    first = presubmit(citizen, item_a, applicant, key="phone-7f3a")

    again = presubmit(citizen, item_a, applicant, key="phone-7f3a")

    assert again.status_code == 200
    assert again.json()["receipt_no"] == first.json()["receipt_no"]
    assert Application.objects.count() == 1


def test_a_presubmission_key_reused_for_another_body_is_422(citizen, item_a, applicant):
    presubmit(citizen, item_a, applicant, key="phone-7f3b")

    response = presubmit(citizen, item_a, person(seed=8), key="phone-7f3b")

    assert response.status_code == 422
    assert Application.objects.count() == 1


def test_a_presubmission_for_an_unpublished_item_is_404(citizen, item_a, applicant):
    ServiceItem.objects.filter(pk=item_a.pk).update(is_published=False)

    response = presubmit(citizen, item_a, applicant)

    assert response.status_code == 404
    assert not Application.objects.exists()


def test_a_presubmission_for_an_item_not_offered_online_is_400(citizen, town_a, applicant):
    window_only = make_item(town_a, channels=("window",))

    response = presubmit(citizen, window_only, applicant)

    assert response.status_code == 400
    assert "channel" in response.json()


def test_a_presubmission_with_a_bad_identity_number_is_400_and_creates_nothing(
    citizen, item_a, applicant
):
    response = presubmit(citizen, item_a, {**applicant, "id_number": "123"})

    assert response.status_code == 400
    assert list(response.json()) == ["applicant.id_number"]
    assert not Application.objects.exists()


def test_no_public_answer_shows_a_full_identity_number(citizen, item_a, applicant):
    answers = [presubmit(citizen, item_a, applicant)]
    application = Application.objects.get()
    answers.append(lookup(citizen, application))
    answers.append(citizen.get(services_url(item_a.town)))

    assert all(answer.status_code in (200, 201) for answer in answers)
    assert not [a for a in answers if applicant["id_number"] in a.content.decode()]
