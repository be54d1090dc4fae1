"""Two clerks at once (issue #5 item 7): one acceptance wins, one intake per key.

Real threads against real PostgreSQL: each thread has its own connection (closed at its
end), the test's data is committed (``transaction=True``), and a barrier releases the
requests together.
"""

import threading

import pytest
from django.db import connection

from servicecenter import services
from servicecenter.choices import NoticeKind
from servicecenter.models import Application, Notice
from tests.servicecenter.factories import material_ids
from townadmin.audit import timeline

API = "/api/v1/applications/"
THREADS = 4


def at_once(calls):
    """Run ``calls`` (functions answering a response) in threads released together."""
    start = threading.Barrier(len(calls))
    answers, errors = [], []

    def run(call):
        try:
            start.wait(timeout=10)
            answers.append(call())
        except Exception as error:  # surfaced by the caller's assertion
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(call,)) for call in calls]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert errors == []
    return answers


@pytest.mark.django_db(transaction=True)
def test_clerks_accepting_at_once_one_wins_and_the_others_get_409_with_the_status(
    api_client_as, clerk_a, clerk_a2, item_a, applicant
):
    application, _created = services.application_intake(
        item=item_a,
        channel="window",
        applicant=applicant,
        materials=material_ids(item_a),
        actor=clerk_a,
    )
    clients = [api_client_as(clerk_a if n % 2 else clerk_a2) for n in range(THREADS)]
    path = f"{API}{application.pk}/accept/"

    answers = at_once([lambda c=c: c.post(path, {}, format="json") for c in clients])

    assert sorted(answer.status_code for answer in answers) == [200] + [409] * (THREADS - 1)
    conflicts = [answer.json() for answer in answers if answer.status_code == 409]
    assert all(body["current"]["status"] == "accepted" for body in conflicts)
    assert timeline(application).filter(to_status="accepted").count() == 1
    assert Notice.objects.filter(application=application, kind=NoticeKind.ACCEPTANCE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_intake_sent_twice_at_once_with_one_key_makes_one_application(
    api_client_as, clerk_a, item_a, applicant
):
    body = {
        "service_item": item_a.pk,
        "channel": "window",
        "materials": material_ids(item_a),
        "applicant": applicant,
    }
    clients = [api_client_as(clerk_a) for _ in range(THREADS)]

    answers = at_once(
        [
            lambda c=c: c.post(API, body, format="json", HTTP_IDEMPOTENCY_KEY="desk-1-0042")
            for c in clients
        ]
    )

    assert sorted(answer.status_code for answer in answers) == [200] * (THREADS - 1) + [201]
    assert len({answer.json()["id"] for answer in answers}) == 1
    assert Application.objects.count() == 1
