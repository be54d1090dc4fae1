"""Row history (django-pghistory) of the audited models: every write path, who and where."""

import pytest
from django.apps import apps
from django.db import InternalError, transaction

from townadmin.choices import DepartmentKind, QuotaKind
from townadmin.models import County, Department, StaffingQuota, Town, User

pytestmark = pytest.mark.django_db


def events(model_name):
    return apps.get_model("townadmin", f"{model_name}Event").objects.order_by("chain_seq")


@pytest.fixture
def county():
    return County.objects.create(code="371122", name="莒县", province="山东省")


@pytest.fixture
def bureau(county):
    return Department.objects.create(
        county=county, kind=DepartmentKind.COUNTY_DEPARTMENT, name="县市场监管局"
    )


@pytest.mark.parametrize(
    "model_name",
    ["County", "Town", "Department", "StaffingQuota", "Posting", "EnforcementCertificate", "User"],
)
def test_the_audited_models_have_row_history(model_name):
    event_model = apps.get_model("townadmin", f"{model_name}Event")

    assert event_model.pgh_tracked_model is apps.get_model("townadmin", model_name)


def test_a_bulk_update_is_recorded_in_row_history(bureau):
    StaffingQuota.objects.bulk_create(
        [
            StaffingQuota(department=bureau, kind=QuotaKind.ADMINISTRATIVE, approved=5),
            StaffingQuota(department=bureau, kind=QuotaKind.INSTITUTIONAL, approved=3),
        ]
    )

    StaffingQuota.objects.filter(department=bureau).update(filled=2)

    updates = events("StaffingQuota").filter(pgh_label="update")
    assert sorted(updates.values_list("kind", "approved", "filled")) == [
        (QuotaKind.ADMINISTRATIVE, 5, 2),
        (QuotaKind.INSTITUTIONAL, 3, 2),
    ]


def test_a_deleted_row_leaves_its_last_state_in_row_history(bureau):
    quota = StaffingQuota.objects.create(
        department=bureau, kind=QuotaKind.ADMINISTRATIVE, approved=4
    )
    quota_id = quota.pk

    quota.delete()

    assert list(events("StaffingQuota").values_list("pgh_label", "pgh_obj_id", "approved")) == [
        ("insert", quota_id, 4),
        ("delete", quota_id, 4),
    ]


def test_user_history_does_not_keep_the_password_or_the_last_login():
    field_names = {field.name for field in events("User").model._meta.fields}

    assert "username" in field_names
    assert not field_names & {"password", "last_login"}


def test_changing_only_the_password_adds_no_history_event():
    user = User.objects.create_user("clerk", password="Initial@2026town")

    user.set_password("Changed@2026town")
    user.save()

    assert list(events("User").filter(pgh_obj=user).values_list("pgh_label", flat=True)) == [
        "insert"
    ]


def test_history_events_are_numbered_in_the_order_they_happened(county):
    county.name = "莒县（日照市）"
    county.save()

    assert list(events("County").values_list("pgh_label", "chain_seq")) == [
        ("insert", 1),
        ("update", 2),
    ]


def test_a_history_event_cannot_be_rewritten(county):
    event = events("County").get()

    with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
        events("County").filter(pk=event.pk).update(name="篡改")


def test_a_history_event_cannot_be_deleted(county):
    with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
        events("County").delete()


def test_a_history_event_knows_the_user_and_the_url_of_the_request(client, admin_user, county):
    town = Town.objects.create(county=county, code="371122104", name="夏庄镇")
    client.force_login(admin_user)
    url = f"/admin/townadmin/town/{town.pk}/change/"

    response = client.post(
        url, {"county": county.pk, "code": town.code, "name": "夏庄镇人民政府", "kind": "town"}
    )

    assert response.status_code == 302
    update = events("Town").select_related("pgh_context").get(pgh_label="update")
    assert update.name == "夏庄镇人民政府"
    assert update.pgh_context.metadata == {"user": admin_user.pk, "url": url}


def test_a_write_outside_a_request_has_no_context(county):
    assert events("County").get().pgh_context is None
