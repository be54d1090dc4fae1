import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from townadmin.access import towns_by_role, towns_for
from townadmin.audit import timeline
from townadmin.choices import DepartmentKind, Role
from townadmin.models import Department, Posting, User
from townadmin.services import (
    NOT_ALLOWED,
    POSTING_ALREADY_ENDED,
    POSTING_END_IN_FUTURE,
    POSTING_TOWN_OUTSIDE_COUNTY,
    POSTING_TOWN_OUTSIDE_UNIT,
    is_posting_ended,
    posting_create,
    posting_end,
    postings_expire,
)

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 1)
HANDLE = "townadmin.handle_application"
APPROVE = "townadmin.approve_application"
VIEW = "townadmin.view_records"


@pytest.fixture
def person(django_user_model):
    return django_user_model.objects.create_user("person", display_name="张三")


def fresh(user):
    return User.objects.get(pk=user.pk)


def post(person, unit, role, actor, **kwargs):
    return posting_create(
        user=person, department=unit, role=role, valid_from=START, actor=actor, **kwargs
    )


def groups_of(user):
    return set(user.groups.values_list("name", flat=True))


def test_a_posting_puts_the_user_in_the_role_group_and_grants_its_reach_on_the_unit_town(
    person, unit_a, town_a, posting_admin
):
    posting = post(person, unit_a, Role.WINDOW_CLERK, posting_admin)

    assert posting.town == town_a
    assert groups_of(person) == {Role.WINDOW_CLERK}
    assert towns_for(fresh(person), HANDLE) == {town_a.pk}
    assert towns_for(fresh(person), VIEW) == {town_a.pk}
    assert towns_for(fresh(person), APPROVE) == frozenset()


def test_a_county_wide_posting_reaches_every_town_of_its_county_and_no_other(
    person, county_unit_a, town_a, town_b, town_elsewhere, posting_admin
):
    posting = post(person, county_unit_a, Role.REVIEWER, posting_admin)

    assert posting.town is None
    assert towns_for(fresh(person), "townadmin.review_reform") == {town_a.pk, town_b.pk}


def test_a_county_department_may_post_someone_to_one_town_of_its_county(
    person, county_unit_a, town_b, posting_admin
):
    post(person, county_unit_a, Role.OFFICER, posting_admin, town=town_b)

    assert towns_for(fresh(person), "townadmin.handle_case") == {town_b.pk}


def test_a_posting_refuses_a_town_other_than_its_unit_town_and_changes_nothing(
    person, unit_a, town_b, posting_admin
):
    with pytest.raises(ValidationError) as error:
        post(person, unit_a, Role.WINDOW_CLERK, posting_admin, town=town_b)

    assert error.value.message_dict == {"town": [str(POSTING_TOWN_OUTSIDE_UNIT)]}
    assert not Posting.objects.exists()
    assert groups_of(person) == set()


def test_a_posting_refuses_a_town_outside_the_unit_county(
    person, county_unit_a, town_elsewhere, posting_admin
):
    with pytest.raises(ValidationError) as error:
        post(person, county_unit_a, Role.OFFICER, posting_admin, town=town_elsewhere)

    assert error.value.message_dict == {"town": [str(POSTING_TOWN_OUTSIDE_COUNTY)]}
    assert not Posting.objects.exists()


def test_a_posting_that_ends_before_it_starts_is_refused_and_grants_nothing(
    person, unit_a, posting_admin
):
    with pytest.raises(ValidationError):
        post(
            person,
            unit_a,
            Role.WINDOW_CLERK,
            posting_admin,
            valid_until=START - datetime.timedelta(days=1),
        )

    assert not Posting.objects.exists()
    assert towns_for(fresh(person), HANDLE) == frozenset()


def test_only_a_system_administrator_may_post_someone(person, unit_a, clerk_a):
    with pytest.raises(PermissionDenied, match=str(NOT_ALLOWED)):
        post(person, unit_a, Role.APPROVER, clerk_a)

    assert not Posting.objects.filter(user=person).exists()
    assert groups_of(person) == set()


def test_a_staff_member_of_the_system_administrators_group_may_post_someone(
    person, unit_a, town_a, django_user_model
):
    administrator = django_user_model.objects.create_user("ops", is_staff=True)
    administrator.groups.add(Group.objects.get(name=Role.SYSTEM_ADMIN))

    post(person, unit_a, Role.APPROVER, administrator)

    assert towns_for(fresh(person), APPROVE) == {town_a.pk}


def test_a_posting_is_written_to_the_audit_trail(person, unit_a, posting_admin):
    posting = post(person, unit_a, Role.WINDOW_CLERK, posting_admin, reason="appointed")

    [step] = timeline(posting)
    assert (step.from_status, step.to_status, step.actor, step.reason) == (
        "",
        "active",
        posting_admin,
        "appointed",
    )
    assert step.town == posting.town
    assert step.payload["reach"] == [VIEW, HANDLE]


def test_a_posting_in_a_staff_role_makes_the_user_staff_until_it_ends(
    person, county_unit_a, posting_admin
):
    posting = post(person, county_unit_a, Role.AUDITOR, posting_admin)
    assert fresh(person).is_staff

    posting_end(posting=posting, actor=posting_admin)

    assert not fresh(person).is_staff


def test_the_caller_user_object_sees_its_new_reach_at_once(person, unit_a, town_a, posting_admin):
    assert towns_for(person, HANDLE) == frozenset()

    post(person, unit_a, Role.WINDOW_CLERK, posting_admin)

    assert towns_for(person, HANDLE) == {town_a.pk}


def test_ending_a_posting_withdraws_its_reach_and_its_role(person, unit_a, posting_admin):
    posting = post(person, unit_a, Role.WINDOW_CLERK, posting_admin)

    posting_end(posting=posting, actor=posting_admin)

    assert towns_for(fresh(person), VIEW) == frozenset()
    assert towns_for(fresh(person), HANDLE) == frozenset()
    assert groups_of(person) == set()
    assert Posting.objects.get(pk=posting.pk).valid_until == timezone.localdate()


def test_ending_a_posting_keeps_the_reach_another_active_posting_still_grants(
    person, unit_a, town_a, posting_admin
):
    clerk = post(person, unit_a, Role.WINDOW_CLERK, posting_admin)
    post(person, unit_a, Role.APPROVER, posting_admin)

    posting_end(posting=clerk, actor=posting_admin)

    user = fresh(person)
    assert towns_for(user, VIEW) == {town_a.pk}  # the approver posting grants it too
    assert towns_for(user, APPROVE) == {town_a.pk}
    assert towns_for(user, HANDLE) == frozenset()
    assert groups_of(person) == {Role.APPROVER}


def test_ending_one_of_two_postings_in_a_role_keeps_the_role_and_the_other_town(
    person, unit_a, unit_b, town_b, posting_admin
):
    in_a = post(person, unit_a, Role.WINDOW_CLERK, posting_admin)
    post(person, unit_b, Role.WINDOW_CLERK, posting_admin)

    posting_end(posting=in_a, actor=posting_admin)

    assert towns_by_role(fresh(person)) == {Role.WINDOW_CLERK: [town_b]}


def test_ending_a_second_posting_the_same_day_withdraws_what_the_first_left(
    person, unit_a, posting_admin
):
    clerk = post(person, unit_a, Role.WINDOW_CLERK, posting_admin)
    approver = post(person, unit_a, Role.APPROVER, posting_admin)

    posting_end(posting=clerk, actor=posting_admin)
    posting_end(posting=approver, actor=posting_admin)

    assert towns_for(fresh(person), VIEW) == frozenset()


def test_a_posting_cannot_be_ended_twice(person, unit_a, posting_admin):
    posting = post(person, unit_a, Role.WINDOW_CLERK, posting_admin)
    posting_end(posting=posting, actor=posting_admin)

    with pytest.raises(ValidationError) as error:
        posting_end(posting=posting, actor=posting_admin)

    assert error.value.messages == [str(POSTING_ALREADY_ENDED)]
    assert [step.to_status for step in timeline(posting)] == ["active", "ended"]


def test_a_posting_cannot_be_ended_in_advance(person, unit_a, town_a, posting_admin):
    posting = post(person, unit_a, Role.WINDOW_CLERK, posting_admin)

    with pytest.raises(ValidationError) as error:
        posting_end(
            posting=posting,
            on=timezone.localdate() + datetime.timedelta(days=1),
            actor=posting_admin,
        )

    assert error.value.messages == [str(POSTING_END_IN_FUTURE)]
    assert towns_for(fresh(person), HANDLE) == {town_a.pk}


def test_only_a_system_administrator_may_end_a_posting(
    person, unit_a, town_a, posting_admin, clerk_a
):
    posting = post(person, unit_a, Role.WINDOW_CLERK, posting_admin)

    with pytest.raises(PermissionDenied):
        posting_end(posting=posting, actor=clerk_a)

    assert towns_for(fresh(person), HANDLE) == {town_a.pk}
    assert not is_posting_ended(posting)


def test_ending_is_written_to_the_audit_trail_with_the_reach_withdrawn(
    person, unit_a, posting_admin
):
    clerk = post(person, unit_a, Role.WINDOW_CLERK, posting_admin)
    post(person, unit_a, Role.APPROVER, posting_admin)

    posting_end(posting=clerk, actor=posting_admin, reason="transferred")

    step = list(timeline(clerk))[-1]
    assert (step.from_status, step.to_status, step.reason) == ("active", "ended", "transferred")
    assert step.payload["revoked"] == [HANDLE]


def test_expiry_ends_a_fixed_term_posting_after_its_last_day_once(person, unit_a, posting_admin):
    posting = post(
        person,
        unit_a,
        Role.WINDOW_CLERK,
        posting_admin,
        valid_until=datetime.date(2026, 3, 31),
    )

    assert postings_expire(today=datetime.date(2026, 3, 31)) == 0
    assert postings_expire(today=datetime.date(2026, 4, 1)) == 1
    assert postings_expire(today=datetime.date(2026, 4, 2)) == 0

    assert is_posting_ended(posting)
    assert towns_for(fresh(person), HANDLE) == frozenset()
    assert list(timeline(posting))[-1].actor is None


def test_expiry_leaves_open_postings_and_their_shared_reach_alone(
    person, unit_a, town_a, posting_admin
):
    open_posting = post(person, unit_a, Role.APPROVER, posting_admin)
    post(person, unit_a, Role.WINDOW_CLERK, posting_admin, valid_until=datetime.date(2026, 3, 31))

    postings_expire(today=datetime.date(2026, 4, 1))

    assert not is_posting_ended(open_posting)
    assert towns_for(fresh(person), VIEW) == {town_a.pk}
    assert towns_for(fresh(person), HANDLE) == frozenset()


def test_a_county_wide_posting_ended_withdraws_the_county_reach(
    person, county_unit_a, town_a, posting_admin
):
    posting = post(person, county_unit_a, Role.REVIEWER, posting_admin)

    posting_end(posting=posting, actor=posting_admin)

    assert towns_for(fresh(person), "townadmin.review_reform") == frozenset()


def test_a_town_office_belongs_to_a_town_so_its_posting_is_not_county_wide(
    person, town_a, posting_admin
):
    office = Department.objects.create(
        county=town_a.county, town=town_a, name="甲镇党政办", kind=DepartmentKind.TOWN_OFFICE
    )

    posting = post(person, office, Role.TOWN_LEADER, posting_admin)

    assert posting.town == town_a
    assert towns_for(fresh(person), "townadmin.lead_town") == {town_a.pk}
