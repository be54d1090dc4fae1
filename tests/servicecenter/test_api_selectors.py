"""The selectors behind the API and the hall's pages: the scoped base queryset and the
working queues of the window and the back office."""

import pytest

from servicecenter import selectors, services
from tests.servicecenter.factories import material_ids, person

pytestmark = pytest.mark.django_db


def take(item, clerk, *names, seed=7):
    application, _created = services.application_intake(
        item=item,
        channel="window",
        applicant=person(seed=seed),
        materials=material_ids(item, *names),
        actor=clerk,
    )
    return application


def test_the_window_queue_holds_what_waits_for_the_clerks_town_oldest_first(
    clerk_a, clerk_b, agent_a, item_a, item_b
):
    first = take(item_a, clerk_a)
    draft, _created = services.application_intake(
        item=item_a, channel="agent", applicant=person(), materials=[], actor=agent_a
    )
    accepted = services.application_accept(application=take(item_a, clerk_a), actor=clerk_a)
    take(item_b, clerk_b)

    queued = list(selectors.queue(clerk_a))

    assert queued == [first, draft]
    assert accepted not in queued


def test_the_back_office_queue_holds_the_accepted_applications(approver_a, clerk_a, item_a):
    take(item_a, clerk_a)
    accepted = services.application_accept(application=take(item_a, clerk_a), actor=clerk_a)

    assert list(selectors.queue(approver_a)) == [accepted]


def test_a_queue_of_one_status_is_that_status_in_the_users_towns(clerk_a, item_a):
    waiting = take(item_a, clerk_a, "申请表")
    services.application_notify_missing(application=waiting, actor=clerk_a)
    take(item_a, clerk_a)

    assert list(selectors.queue(clerk_a, status="correction")) == [waiting]


def test_a_user_without_a_working_reach_has_an_empty_queue(reviewer, clerk_a, item_a):
    take(item_a, clerk_a)

    assert list(selectors.queue(reviewer)) == []


def test_applications_for_a_reach_are_those_of_the_towns_holding_it(approver_a, clerk_a, item_a):
    application = take(item_a, clerk_a)

    assert list(selectors.applications_for(approver_a)) == [application]
    assert list(selectors.applications_for(approver_a, "townadmin.handle_application")) == []


def test_a_receipt_opens_with_its_code_only(clerk_a, item_a):
    application = take(item_a, clerk_a)
    wrong = "1" if application.verification_code != "1" else "2"

    assert (
        selectors.application_by_receipt(application.receipt_no, application.verification_code)
        == application
    )
    assert selectors.application_by_receipt(application.receipt_no, wrong) is None
    assert selectors.application_by_receipt(application.receipt_no, "") is None
    assert selectors.application_by_receipt("nope", application.verification_code) is None
