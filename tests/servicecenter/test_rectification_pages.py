"""Staff pages that follow ratings and complaints up: scoped lists, steps, 404/403/409."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from servicecenter.choices import RatingLevel
from servicecenter.models import Complaint, Rectification
from servicecenter.services.complaints import complaint_submit
from servicecenter.services.ratings import rating_submit, rectification_appeal
from tests.servicecenter.factories import person
from tests.servicecenter.test_ratings import completed

pytestmark = pytest.mark.django_db

Status = Rectification.Status
LIST = reverse("servicecenter:rectifications")
APPEALS = reverse("servicecenter:rating-appeals")
COMPLAINTS = reverse("servicecenter:complaints")


def badly_rated(item, clerk, approver, seed=7):
    application = completed(item, clerk, approver, person(seed=seed))
    rating = rating_submit(application=application, level=RatingLevel.VERY_DISSATISFIED)
    return Rectification.objects.get(rating=rating)


@pytest.fixture
def rectification(item_a, clerk_a, approver_a):
    return badly_rated(item_a, clerk_a, approver_a)


def detail(rectification):
    return reverse("servicecenter:rectification", args=[rectification.pk])


def step(rectification, name):
    return reverse("servicecenter:rectification-step", args=[rectification.pk, name])


def offered(response):
    return [name for name, _step, _form in response.context["steps"]]


def test_the_clerk_sees_the_town_s_rectifications_with_their_due_dates(
    client_as, clerk_a, rectification
):
    response = client_as(clerk_a).get(LIST)

    assert list(response.context["rectifications"]) == [rectification]
    assert rectification.due_date.isoformat() in response.content.decode()


def test_the_leader_of_another_town_sees_none_of_them(client_as, leader_b, rectification):
    response = client_as(leader_b).get(LIST)

    assert response.status_code == 200
    assert list(response.context["rectifications"]) == []


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_for_three_or_thirty_rectifications(
    client_as, clerk_a, approver_a, item_a
):
    client = client_as(clerk_a)
    for seed in range(3):
        badly_rated(item_a, clerk_a, approver_a, seed=seed)
    small = queries(client, LIST)
    for seed in range(3, 30):
        badly_rated(item_a, clerk_a, approver_a, seed=seed)

    assert queries(client, LIST) == small


def test_the_complaints_cost_the_same_queries_for_three_or_thirty(client_as, clerk_a, town_a):
    client = client_as(clerk_a)
    for _ in range(3):
        complaint_submit(town=town_a, name="王五", phone="13700137000", content="太慢")
    small = queries(client, COMPLAINTS)
    for _ in range(27):
        complaint_submit(town=town_a, name="王五", phone="13700137000", content="太慢")

    assert queries(client, COMPLAINTS) == small


def test_a_stranger_is_sent_to_log_in(client, rectification):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_clerk_is_offered_the_call_back_and_not_the_appeal(client_as, clerk_a, rectification):
    response = client_as(clerk_a).get(detail(rectification))

    assert offered(response) == ["call-back"]


def test_the_town_leader_is_offered_the_call_back_and_the_appeal(
    client_as, leader_a, rectification
):
    response = client_as(leader_a).get(detail(rectification))

    assert offered(response) == ["call-back", "appeal"]


def test_the_leader_of_another_town_gets_404_on_the_page_and_the_steps(
    client_as, leader_b, rectification
):
    client = client_as(leader_b)

    assert client.get(detail(rectification)).status_code == 404
    assert client.post(step(rectification, "appeal"), {"reason": "恶意"}).status_code == 404
    rectification.refresh_from_db()
    assert rectification.status == Status.OPEN


def test_the_clerk_records_the_call_back_on_the_page(client_as, clerk_a, rectification):
    response = client_as(clerk_a).post(step(rectification, "call-back"), {"note": "已致电道歉"})

    assert response.status_code == 302
    rectification.refresh_from_db()
    assert (rectification.status, rectification.call_back_note) == (
        Status.CALLED_BACK,
        "已致电道歉",
    )


def test_a_call_back_without_a_record_is_shown_again_with_the_error(
    client_as, clerk_a, rectification
):
    response = client_as(clerk_a).post(step(rectification, "call-back"), {"note": ""})

    assert response.status_code == 400
    forms = {name: form for name, _step, form in response.context["steps"]}
    assert forms["call-back"].errors["note"]
    rectification.refresh_from_db()
    assert rectification.status == Status.OPEN


def test_a_second_call_back_from_a_stale_page_is_409_with_the_page_as_it_is(
    client_as, clerk_a, leader_a, rectification
):
    client_as(leader_a).post(step(rectification, "call-back"), {"note": "镇长已回访"})

    response = client_as(clerk_a).post(step(rectification, "call-back"), {"note": "窗口回访"})

    assert response.status_code == 409
    assert response.context["conflict"]
    assert offered(response) == ["rectify"]


def test_an_approver_who_does_not_follow_ratings_up_cannot_find_it(
    client_as, approver_a, rectification
):
    assert client_as(approver_a).get(detail(rectification)).status_code == 404


def test_the_reviewer_finds_the_appeal_in_the_queue_and_upholds_it(
    client_as, leader_a, reviewer, rectification
):
    rectification_appeal(rectification=rectification, actor=leader_a, reason="申请人误评")
    client = client_as(reviewer)

    queue = client.get(APPEALS)
    response = client.post(
        step(rectification, "decide-appeal"), {"uphold": "yes", "reason": "查证属实"}
    )

    assert list(queue.context["rectifications"]) == [rectification]
    assert response.status_code == 302
    rectification.refresh_from_db()
    assert rectification.status == Status.UPHELD
    assert rectification.rating.excluded


def test_a_reviewer_of_another_county_has_an_empty_queue_and_cannot_decide(
    client_as, leader_a, reviewer_elsewhere, rectification
):
    rectification_appeal(rectification=rectification, actor=leader_a, reason="申请人误评")
    client = client_as(reviewer_elsewhere)

    queue = client.get(APPEALS)
    response = client.post(
        step(rectification, "decide-appeal"), {"uphold": "yes", "reason": "同意"}
    )

    assert list(queue.context["rectifications"]) == []
    assert response.status_code == 404
    rectification.refresh_from_db()
    assert rectification.status == Status.APPEALED


def test_a_clerk_has_no_appeals_queue(client_as, clerk_a):
    assert client_as(clerk_a).get(APPEALS).status_code == 403


def test_the_clerk_answers_a_complaint_of_the_town(client_as, clerk_a, town_a):
    complaint = complaint_submit(town=town_a, name="王五", phone="13700137000", content="太慢")
    client = client_as(clerk_a)

    listed = client.get(COMPLAINTS)
    response = client.post(
        reverse("servicecenter:complaint-answer", args=[complaint.pk]),
        {f"c{complaint.pk}-answer": "已核实并改进"},
    )

    assert list(listed.context["complaints"]) == [complaint]
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.answer, complaint.answered_by) == (
        Complaint.Status.ANSWERED,
        "已核实并改进",
        clerk_a,
    )


def test_an_empty_answer_is_shown_again_with_the_error(client_as, clerk_a, town_a):
    complaint = complaint_submit(town=town_a, name="王五", phone="13700137000", content="太慢")

    response = client_as(clerk_a).post(
        reverse("servicecenter:complaint-answer", args=[complaint.pk]), {}
    )

    assert response.status_code == 400
    (shown,) = response.context["complaints"]
    assert shown.answer_form.errors["answer"]
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.OPEN


def test_the_clerk_of_another_town_neither_sees_nor_answers_its_complaints(
    client_as, clerk_b, town_a
):
    complaint = complaint_submit(town=town_a, name="王五", phone="13700137000", content="太慢")
    client = client_as(clerk_b)

    listed = client.get(COMPLAINTS)
    response = client.post(
        reverse("servicecenter:complaint-answer", args=[complaint.pk]),
        {f"c{complaint.pk}-answer": "答复"},
    )

    assert list(listed.context["complaints"]) == []
    assert response.status_code == 404
