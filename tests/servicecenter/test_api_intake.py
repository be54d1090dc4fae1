"""Intake through the staff API: POST /api/v1/applications/ (issue #5 items 2, 7 and 9)."""

import datetime

import pytest
from stdnum.cn import uscc

from servicecenter.models import Application, SubmittedMaterial
from tests.servicecenter.factories import make_item, material_ids, person
from townadmin.demo_people import identity_number
from townadmin.models.audit import Transition

pytestmark = pytest.mark.django_db

API = "/api/v1/applications/"

# The contract (issue #5 item 9) and what the clerk prints on the receipt.
INTAKE_KEYS = {
    "id",
    "receipt_no",
    "verification_code",
    "status",
    "status_label",
    "channel",
    "item",
    "town",
    "applicant",
    "area_unknown",
    "warnings",
    "materials",
    "received_at",
    "started_at",
    "due_date",
    "statutory_due_date",
    "warning_level",
    "statutory_warning_level",
    "paused_on",
    "decision",
    "first_clerk",
}


def body(item, applicant, materials=None, channel="window"):
    return {
        "service_item": item.pk,
        "channel": channel,
        "materials": material_ids(item) if materials is None else materials,
        "applicant": applicant,
    }


def post(client, data, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(API, data, format="json", **headers)


def test_intake_answers_201_with_a_receipt_number_and_no_due_dates_until_accepted(
    api_client_as, clerk_a, item_a, applicant
):
    response = post(api_client_as(clerk_a), body(item_a, applicant))

    assert response.status_code == 201
    data = response.json()
    assert data["receipt_no"].startswith(f"{item_a.town.code}-")
    assert data["status"] == "received"
    assert data["due_date"] is None
    assert data["statutory_due_date"] is None


def test_the_intake_answer_has_the_contract_keys_and_the_receipts_verification_code(
    api_client_as, clerk_a, item_a, applicant
):
    data = post(api_client_as(clerk_a), body(item_a, applicant)).json()

    assert set(data) == INTAKE_KEYS
    assert data["item"] == {"id": item_a.pk, "code": item_a.code, "name": item_a.name}
    assert data["verification_code"] == Application.objects.get().verification_code


def test_the_intake_answer_shows_the_applicant_masked(api_client_as, clerk_a, item_a, applicant):
    response = post(api_client_as(clerk_a), body(item_a, applicant))

    assert applicant["id_number"] not in response.content.decode()
    assert response.json()["applicant"] == {
        "type": "person",
        "name": applicant["name"],
        "id_number": applicant["id_number"][:6] + "********" + applicant["id_number"][-4:],
        "phone": "138****8000",
    }


def test_the_intake_answer_says_which_materials_are_missing(
    api_client_as, clerk_a, item_a, applicant
):
    presented = material_ids(item_a, "申请表", "申请人身份证明")

    data = post(api_client_as(clerk_a), body(item_a, applicant, presented)).json()

    states = {row["name"]: row["state"] for row in data["materials"]}
    assert states == {
        "申请表": "presented",
        "申请人身份证明": "presented",
        "建设工程设计方案": "missing",
        "不动产权属证明": "shared",
        "村民委员会意见": "missing",
    }


def test_a_retry_with_the_same_key_and_body_answers_200_with_the_same_application(
    api_client_as, clerk_a, item_a, applicant
):
    client = api_client_as(clerk_a)
    first = post(client, body(item_a, applicant), key="desk-3-0001")

    again = post(client, body(item_a, applicant), key="desk-3-0001")

    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["verification_code"] == first.json()["verification_code"]
    assert Application.objects.count() == 1


def test_the_same_key_with_another_body_is_422_and_creates_nothing(
    api_client_as, clerk_a, item_a, applicant
):
    client = api_client_as(clerk_a)
    post(client, body(item_a, applicant), key="desk-3-0002")

    response = post(client, body(item_a, person(seed=8)), key="desk-3-0002")

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Application.objects.count() == 1


def test_an_idempotency_key_longer_than_64_characters_is_refused(
    api_client_as, clerk_a, item_a, applicant
):
    response = post(api_client_as(clerk_a), body(item_a, applicant), key="k" * 65)

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not Application.objects.exists()


def _wrong_check_digit():
    number = person()["id_number"]
    return number[:-1] + ("1" if number[-1] != "1" else "2")


def _bad_uscc():
    body = "91371122MA3C4B5D6"
    right = uscc.calc_check_digit(body)
    return body + next(c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != right)


@pytest.mark.parametrize(
    ("kind", "number"),
    [
        ("person", _wrong_check_digit()),
        ("person", "37112219900101123"),  # 17 characters
        ("organisation", _bad_uscc()),
    ],
    ids=["wrong check digit", "wrong length", "bad credit code"],
)
def test_a_bad_identity_number_is_400_under_its_field_and_changes_nothing(
    api_client_as, clerk_a, item_a, kind, number
):
    applicant = {**person(), "type": kind, "id_number": number}
    transitions = Transition.objects.count()

    response = post(api_client_as(clerk_a), body(item_a, applicant))

    assert response.status_code == 400
    assert list(response.json()) == ["applicant.id_number"]
    assert not Application.objects.exists()
    assert not SubmittedMaterial.objects.exists()
    assert Transition.objects.count() == transitions


def test_an_area_code_unknown_to_the_table_is_taken_with_a_warning(api_client_as, clerk_a, item_a):
    number = identity_number("999999", datetime.date(1980, 5, 1), 123)
    applicant = {**person(), "id_number": number}

    response = post(api_client_as(clerk_a), body(item_a, applicant))

    assert response.status_code == 201
    assert response.json()["area_unknown"] is True
    [warning] = response.json()["warnings"]
    assert "999999" in warning


def test_a_town_that_does_not_hold_the_power_is_sent_to_the_county_hall(
    api_client_as, clerk_a, town_a, applicant
):
    kept_by_county = make_item(town_a, held=False)

    response = post(api_client_as(clerk_a), body(kept_by_county, applicant))

    assert response.status_code == 400
    [message] = response.json()["detail"]
    assert town_a.county.name in message
    assert "县政务服务中心" in message
    assert not Application.objects.exists()


def test_the_clerk_of_town_b_cannot_take_an_application_for_an_item_of_town_a(
    api_client_as, clerk_b, item_a, applicant
):
    response = post(api_client_as(clerk_b), body(item_a, applicant))

    assert response.status_code == 404
    assert not Application.objects.exists()


def test_the_county_reviewer_cannot_take_applications(api_client_as, reviewer, item_a, applicant):
    response = post(api_client_as(reviewer), body(item_a, applicant))

    assert response.status_code == 404
    assert not Application.objects.exists()


def test_a_village_agents_filing_is_a_draft_for_the_hall(api_client_as, agent_a, item_a, applicant):
    response = post(api_client_as(agent_a), body(item_a, applicant, channel="agent"))

    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    assert response.json()["channel"] == "agent"


def test_a_material_of_another_item_is_refused(api_client_as, clerk_a, item_a, town_a, applicant):
    other = make_item(town_a, name="食品经营许可")

    response = post(api_client_as(clerk_a), body(item_a, applicant, material_ids(other)))

    assert response.status_code == 400
    assert "materials" in response.json()
    assert not Application.objects.exists()


def test_an_anonymous_caller_cannot_take_applications(citizen, item_a, applicant):
    response = post(citizen, body(item_a, applicant))

    assert response.status_code == 401
    assert not Application.objects.exists()
