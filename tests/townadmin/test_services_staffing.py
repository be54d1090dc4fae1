import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from townadmin.audit import timeline
from townadmin.choices import DepartmentKind, QuotaKind
from townadmin.models import County, Department, StaffingQuota, Town
from townadmin.selectors import county_staffing
from townadmin.services import (
    STAFFING_FILLED_EXCEEDS_APPROVED,
    STAFFING_QUOTA_EXCEEDS_TOTAL,
    STAFFING_TOTAL_BELOW_APPROVED,
    STAFFING_TOTAL_CANNOT_GROW,
    STAFFING_TRANSFER_ACROSS_COUNTIES,
    STAFFING_TRANSFER_MORE_THAN_VACANT,
    county_staffing_total_set,
    staffing_quota_set,
    staffing_quota_transfer,
)

ADMIN = QuotaKind.ADMINISTRATIVE
INST = QuotaKind.INSTITUTIONAL


def office(town, name):
    return Department.objects.create(
        county=town.county, town=town, name=name, kind=DepartmentKind.TOWN_OFFICE
    )


@pytest.fixture
def party_office(town_a):
    return office(town_a, "甲镇党政办")


@pytest.fixture
def b_office(town_b):
    return office(town_b, "乙镇党政办")


def message(error, constant, **params):
    return error.value.messages == [str(constant) % params]


@pytest.mark.django_db
def test_a_county_total_can_be_lowered_and_the_change_is_audited(county_a, posting_admin):
    county_staffing_total_set(
        county=county_a, kind=ADMIN, total=180, actor=posting_admin, reason="精简"
    )

    county_a.refresh_from_db()
    assert county_a.administrative_posts_total == 180
    [step] = timeline(county_a)
    assert (step.from_status, step.to_status, step.reason, step.payload) == (
        "200",
        "180",
        "精简",
        {"kind": "administrative"},
    )


@pytest.mark.django_db
def test_a_county_total_never_grows_and_the_refusal_changes_nothing(county_a, posting_admin):
    with pytest.raises(ValidationError) as error:
        county_staffing_total_set(county=county_a, kind=INST, total=301, actor=posting_admin)

    assert message(error, STAFFING_TOTAL_CANNOT_GROW, current=300, requested=301)
    assert error.value.error_list[0].code == "total_cannot_grow"
    county_a.refresh_from_db()
    assert county_a.institutional_posts_total == 300
    assert list(timeline(county_a)) == []


@pytest.mark.django_db
def test_a_county_total_cannot_fall_below_what_its_units_hold(
    county_a, party_office, posting_admin
):
    staffing_quota_set(
        department=party_office, kind=ADMIN, approved=150, filled=140, actor=posting_admin
    )

    with pytest.raises(ValidationError) as error:
        county_staffing_total_set(county=county_a, kind=ADMIN, total=149, actor=posting_admin)

    assert message(error, STAFFING_TOTAL_BELOW_APPROVED, approved=150, requested=149)


@pytest.mark.django_db
def test_only_a_system_administrator_changes_a_county_total(county_a, clerk_a):
    with pytest.raises(PermissionDenied):
        county_staffing_total_set(county=county_a, kind=ADMIN, total=1, actor=clerk_a)

    county_a.refresh_from_db()
    assert county_a.administrative_posts_total == 200


@pytest.mark.django_db
def test_a_unit_quota_within_the_county_total_is_set_and_audited(party_office, posting_admin):
    quota = staffing_quota_set(
        department=party_office, kind=ADMIN, approved=9, filled=8, actor=posting_admin
    )
    staffing_quota_set(
        department=party_office, kind=ADMIN, approved=10, filled=9, actor=posting_admin
    )

    quota.refresh_from_db()
    assert (quota.approved, quota.filled) == (10, 9)
    assert [(step.from_status, step.to_status) for step in timeline(quota)] == [
        ("", "8/9"),
        ("8/9", "9/10"),
    ]
    assert timeline(quota).first().town == party_office.town


@pytest.mark.django_db
def test_a_unit_quota_that_would_exceed_the_county_total_is_refused(
    party_office, b_office, posting_admin
):
    staffing_quota_set(
        department=party_office, kind=ADMIN, approved=150, filled=0, actor=posting_admin
    )

    with pytest.raises(ValidationError) as error:
        staffing_quota_set(
            department=b_office, kind=ADMIN, approved=51, filled=0, actor=posting_admin
        )

    assert message(error, STAFFING_QUOTA_EXCEEDS_TOTAL, approved=201, total=200)
    assert not StaffingQuota.objects.filter(department=b_office).exists()


@pytest.mark.django_db
def test_a_unit_may_be_set_to_exactly_the_rest_of_the_county_total(
    party_office, b_office, posting_admin
):
    staffing_quota_set(
        department=party_office, kind=ADMIN, approved=150, filled=0, actor=posting_admin
    )
    staffing_quota_set(department=b_office, kind=ADMIN, approved=50, filled=0, actor=posting_admin)

    assert county_staffing(party_office.county)[ADMIN].vacant_in_county == 0


@pytest.mark.django_db
def test_quotas_of_units_in_another_county_do_not_count(
    town_elsewhere, party_office, posting_admin
):
    far = office(town_elsewhere, "丙镇党政办")
    County.objects.filter(pk=town_elsewhere.county_id).update(administrative_posts_total=500)
    staffing_quota_set(department=far, kind=ADMIN, approved=500, filled=0, actor=posting_admin)

    staffing_quota_set(
        department=party_office, kind=ADMIN, approved=200, filled=0, actor=posting_admin
    )


@pytest.mark.django_db
def test_more_filled_than_approved_posts_is_refused(party_office, posting_admin):
    with pytest.raises(ValidationError) as error:
        staffing_quota_set(
            department=party_office, kind=ADMIN, approved=5, filled=6, actor=posting_admin
        )

    assert error.value.message_dict == {"filled": [str(STAFFING_FILLED_EXCEEDS_APPROVED)]}


@pytest.mark.django_db
def test_only_a_system_administrator_sets_a_quota(party_office, clerk_a):
    with pytest.raises(PermissionDenied):
        staffing_quota_set(department=party_office, kind=ADMIN, approved=1, filled=0, actor=clerk_a)

    assert not StaffingQuota.objects.exists()


@pytest.mark.django_db
def test_a_transfer_moves_vacant_posts_between_units_and_keeps_the_county_sum(
    party_office, b_office, posting_admin
):
    staffing_quota_set(
        department=party_office, kind=INST, approved=10, filled=7, actor=posting_admin
    )

    giving, taking = staffing_quota_transfer(
        source=party_office, target=b_office, kind=INST, posts=3, actor=posting_admin
    )

    assert (giving.approved, giving.filled, taking.approved, taking.filled) == (7, 7, 3, 0)
    assert county_staffing(party_office.county)[INST].approved == 10
    assert timeline(taking).get().payload["transfer"] == {
        "from": "甲镇党政办",
        "to": "乙镇党政办",
        "posts": 3,
    }


@pytest.mark.django_db
def test_a_transfer_of_filled_posts_is_refused_and_changes_nothing(
    party_office, b_office, posting_admin
):
    staffing_quota_set(
        department=party_office, kind=INST, approved=10, filled=7, actor=posting_admin
    )

    with pytest.raises(ValidationError) as error:
        staffing_quota_transfer(
            source=party_office, target=b_office, kind=INST, posts=4, actor=posting_admin
        )

    assert message(error, STAFFING_TRANSFER_MORE_THAN_VACANT, vacant=3, posts=4)
    assert StaffingQuota.objects.get(department=party_office).approved == 10
    assert not StaffingQuota.objects.filter(department=b_office).exists()


@pytest.mark.django_db
def test_a_transfer_between_counties_is_refused(party_office, town_elsewhere, posting_admin):
    staffing_quota_set(
        department=party_office, kind=INST, approved=10, filled=0, actor=posting_admin
    )

    with pytest.raises(ValidationError) as error:
        staffing_quota_transfer(
            source=party_office,
            target=office(town_elsewhere, "丙镇党政办"),
            kind=INST,
            posts=1,
            actor=posting_admin,
        )

    assert error.value.messages == [str(STAFFING_TRANSFER_ACROSS_COUNTIES)]


@pytest.mark.django_db(transaction=True)
def test_a_quota_change_waits_for_another_change_in_the_county_and_then_sees_it(
    county_a, party_office, b_office, posting_admin
):
    """GIVEN one transaction holding the county row with 150 of 200 posts just allocated,
    WHEN another asks for 51 posts for another unit, THEN it waits, and after the first
    commits it is refused: each was within the total alone, together they are not."""
    holder_ready, release = threading.Event(), threading.Event()
    outcome = {}

    def first_change():
        try:
            from django.db import transaction

            with transaction.atomic():
                County.objects.select_for_update().get(pk=county_a.pk)
                StaffingQuota.objects.create(department=party_office, kind=ADMIN, approved=150)
                holder_ready.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    def second_change():
        try:
            staffing_quota_set(
                department=b_office, kind=ADMIN, approved=51, filled=0, actor=posting_admin
            )
            outcome["second"] = "saved"
        except ValidationError as error:
            outcome["second"] = error.messages
        finally:
            connections.close_all()

    holder = threading.Thread(target=first_change)
    holder.start()
    assert holder_ready.wait(timeout=30)
    contender = threading.Thread(target=second_change)
    contender.start()
    waiting = _wait_until_blocked_or_done(contender)
    release.set()
    holder.join(timeout=30)
    contender.join(timeout=30)

    assert waiting, "the second change did not wait for the county lock"
    assert outcome["second"] == [
        str(STAFFING_QUOTA_EXCEEDS_TOTAL) % {"approved": 201, "total": 200}
    ]


def _wait_until_blocked_or_done(thread):
    """True once another session waits on a lock; False if ``thread`` finished first."""
    with connection.cursor() as cursor:
        for _ in range(600):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            if not thread.is_alive():
                return False
            thread.join(timeout=0.05)
    return False


@pytest.mark.django_db
def test_the_county_staffing_summary_adds_up_its_units(
    county_a, party_office, b_office, town_a, posting_admin
):
    staffing_quota_set(
        department=party_office, kind=ADMIN, approved=9, filled=8, actor=posting_admin
    )
    staffing_quota_set(department=b_office, kind=ADMIN, approved=6, filled=6, actor=posting_admin)
    Town.objects.create(county=county_a, code="990100109", name="无编制镇")

    summary = county_staffing(county_a)

    assert (summary[ADMIN].total, summary[ADMIN].approved, summary[ADMIN].filled) == (200, 15, 14)
    assert summary[ADMIN].vacant_in_county == 185
    assert (summary[INST].total, summary[INST].approved) == (300, 0)
