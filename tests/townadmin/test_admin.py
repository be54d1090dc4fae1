import pytest
from django.contrib.contenttypes.models import ContentType

from townadmin.access import towns_for
from townadmin.choices import DepartmentKind, ManagementMode, QuotaKind, Role
from townadmin.models import County, Department, Posting, StaffingQuota, User
from townadmin.models.audit import Transition
from townadmin.services import (
    STAFFING_QUOTA_EXCEEDS_TOTAL,
    STAFFING_TOTAL_CANNOT_GROW,
    staffing_quota_set,
)

pytestmark = pytest.mark.django_db

MASTER_DATA = [
    "county",
    "town",
    "community",
    "village",
    "department",
    "staffingquota",
    "posting",
    "enforcementcertificate",
    "villageagent",
    "user",
]


def transitions_of(obj):
    return Transition.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    )


def form_errors(response):
    form = response.context["adminform"].form
    return [str(error) for errors in form.errors.values() for error in errors]


def county_form(county, **changes):
    return {
        "code": county.code,
        "name": county.name,
        "province": county.province,
        "city": county.city,
        "administrative_posts_total": county.administrative_posts_total,
        "institutional_posts_total": county.institutional_posts_total,
        "reason": "",
        **changes,
    }


@pytest.mark.parametrize("model", MASTER_DATA)
def test_every_master_data_list_opens_for_an_administrator(admin_client, unit_a, model):
    assert admin_client.get(f"/admin/townadmin/{model}/").status_code == 200


def test_departments_filter_by_county_town_and_kind(admin_client, town_a, unit_a, unit_b):
    parent = Department.objects.create(
        county=town_a.county, name="甲县公安局", kind=DepartmentKind.COUNTY_DEPARTMENT
    )
    Department.objects.create(
        county=town_a.county,
        town=town_a,
        name="甲镇派出所",
        kind=DepartmentKind.STATIONED_AGENCY,
        parent=parent,
        management_mode=ManagementMode.STATIONED_ASSESSED,
    )

    response = admin_client.get(
        "/admin/townadmin/department/",
        {
            "county__id__exact": town_a.county_id,
            "town__id__exact": town_a.pk,
            "kind": "town_office",
        },
    )

    assert [unit.name for unit in response.context["cl"].result_list] == [unit_a.name]


def test_a_town_has_an_object_permissions_page(admin_client, town_a):
    assert admin_client.get(f"/admin/townadmin/town/{town_a.pk}/permissions/").status_code == 200


def test_a_quota_beyond_the_county_total_is_refused_on_the_form(admin_client, unit_a):
    response = admin_client.post(
        "/admin/townadmin/staffingquota/add/",
        {
            "department": unit_a.pk,
            "kind": QuotaKind.ADMINISTRATIVE,
            "approved": 201,
            "filled": 0,
            "reason": "",
        },
    )

    assert response.status_code == 200
    assert form_errors(response) == [
        str(STAFFING_QUOTA_EXCEEDS_TOTAL) % {"approved": 201, "total": 200}
    ]
    assert not StaffingQuota.objects.exists()


def test_a_quota_added_in_the_admin_is_recorded_with_its_reason(admin_client, unit_a):
    response = admin_client.post(
        "/admin/townadmin/staffingquota/add/",
        {
            "department": unit_a.pk,
            "kind": QuotaKind.ADMINISTRATIVE,
            "approved": 10,
            "filled": 8,
            "reason": "县编办调剂",
        },
    )

    assert response.status_code == 302
    quota = StaffingQuota.objects.get()
    assert (quota.approved, quota.filled) == (10, 8)
    assert transitions_of(quota).get().reason == "县编办调剂"


def test_a_quota_changed_in_the_admin_keeps_its_unit_and_kind(admin_client, admin_user, unit_a):
    quota = staffing_quota_set(
        department=unit_a, kind=QuotaKind.INSTITUTIONAL, approved=10, filled=8, actor=admin_user
    )

    admin_client.post(
        f"/admin/townadmin/staffingquota/{quota.pk}/change/",
        {"approved": 12, "filled": 3, "reason": ""},
    )

    quota.refresh_from_db()
    assert (quota.department, quota.kind, quota.approved, quota.filled) == (
        unit_a,
        QuotaKind.INSTITUTIONAL,
        12,
        3,
    )
    assert transitions_of(quota).latest("chain_seq").to_status == "3/12"


def test_a_county_total_cannot_be_raised_in_the_admin(admin_client, county_a):
    response = admin_client.post(
        f"/admin/townadmin/county/{county_a.pk}/change/",
        county_form(county_a, administrative_posts_total=250, name="甲县（改）"),
    )

    assert form_errors(response) == [
        str(STAFFING_TOTAL_CANNOT_GROW) % {"current": 200, "requested": 250}
    ]
    county_a.refresh_from_db()
    assert (county_a.administrative_posts_total, county_a.name) == (200, "甲县")


def test_a_refused_total_undoes_the_other_total_changed_on_the_same_form(admin_client, county_a):
    admin_client.post(
        f"/admin/townadmin/county/{county_a.pk}/change/",
        county_form(county_a, administrative_posts_total=150, institutional_posts_total=350),
    )

    county_a.refresh_from_db()
    assert (county_a.administrative_posts_total, county_a.institutional_posts_total) == (200, 300)
    assert not transitions_of(county_a).exists()


def test_a_county_total_lowered_in_the_admin_is_recorded(admin_client, county_a):
    response = admin_client.post(
        f"/admin/townadmin/county/{county_a.pk}/change/",
        county_form(county_a, administrative_posts_total=180, reason="精简"),
    )

    assert response.status_code == 302
    assert County.objects.get(pk=county_a.pk).administrative_posts_total == 180
    assert transitions_of(county_a).get().reason == "精简"


def test_a_posting_added_in_the_admin_grants_the_roles_reach(admin_client, unit_a, town_a):
    clerk = User.objects.create_user("new_clerk")

    response = admin_client.post(
        "/admin/townadmin/posting/add/",
        {
            "user": clerk.pk,
            "department": unit_a.pk,
            "role": Role.WINDOW_CLERK,
            "town": "",
            "valid_from": "2026-01-01",
            "valid_until": "",
            "reason": "任命",
        },
    )

    assert response.status_code == 302
    assert towns_for(User.objects.get(pk=clerk.pk), "townadmin.handle_application") == {town_a.pk}


def test_ending_a_posting_in_the_admin_withdraws_its_reach(admin_client, clerk_a):
    posting = Posting.objects.get(user=clerk_a)

    admin_client.post(
        "/admin/townadmin/posting/",
        {"action": "end_postings", "_selected_action": [posting.pk]},
    )

    assert towns_for(User.objects.get(pk=clerk_a.pk), "townadmin.view_records") == frozenset()


def test_a_posting_cannot_be_edited_or_deleted_in_the_admin(admin_client, clerk_a):
    posting = Posting.objects.get(user=clerk_a)

    admin_client.post(
        f"/admin/townadmin/posting/{posting.pk}/change/",
        {"role": Role.APPROVER, "valid_from": "2025-01-01"},
    )
    response = admin_client.post(f"/admin/townadmin/posting/{posting.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Posting.objects.get(pk=posting.pk).role == Role.WINDOW_CLERK


def test_the_user_admin_edits_display_name_and_phone(admin_client, clerk_a):
    content = admin_client.get(f"/admin/townadmin/user/{clerk_a.pk}/change/").content.decode()

    assert 'name="display_name"' in content
    assert 'name="phone"' in content
