"""Transitions: recording, the timeline, append-only tables and the read-only admin."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, InternalError, connection, transaction
from django.test.utils import CaptureQueriesContext

from townadmin.audit import record_transition, timeline
from townadmin.choices import DepartmentKind
from townadmin.management.commands.verify_audit import audit_models
from townadmin.models import County, Department, Town, User
from townadmin.models.audit import SecurityEvent, Transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return County.objects.create(code="371122", name="莒县", province="山东省")


@pytest.fixture
def town(county):
    return Town.objects.create(county=county, code="371122104", name="夏庄镇")


@pytest.fixture
def office(county, town):
    return Department.objects.create(
        county=county, town=town, kind=DepartmentKind.TOWN_OFFICE, name="党政办公室"
    )


@pytest.fixture
def clerk():
    return User.objects.create_user("clerk", display_name="窗口受理员")


def test_record_transition_stores_the_town_of_the_object(office, town, clerk):
    transition = record_transition(obj=office, from_status="draft", to_status="filed", actor=clerk)

    assert transition.town == town


def test_a_transition_of_a_town_belongs_to_that_town(town, clerk):
    transition = record_transition(obj=town, from_status="", to_status="pilot", actor=clerk)

    assert transition.town == town


def test_an_explicit_town_is_stored_for_an_object_without_one(county, town, clerk):
    transition = record_transition(
        obj=county, from_status="", to_status="reviewed", actor=clerk, town=town
    )

    assert transition.town == town


def test_a_transition_of_an_object_without_a_town_has_no_town(county, clerk):
    transition = record_transition(obj=county, from_status="", to_status="reviewed", actor=clerk)

    assert transition.town is None


def test_record_transition_stores_the_step_as_given(office, clerk):
    transition = record_transition(
        obj=office,
        from_status="draft",
        to_status="filed",
        actor=clerk,
        reason="材料齐全",
        payload={"due": datetime.date(2026, 10, 12), "fee": Decimal("12.50")},
    )
    transition.refresh_from_db()

    assert (transition.obj, transition.from_status, transition.to_status) == (
        office,
        "draft",
        "filed",
    )
    assert (transition.actor, transition.reason) == (clerk, "材料齐全")
    assert transition.payload == {"due": "2026-10-12", "fee": "12.50"}
    assert transition.at is not None


def test_the_system_may_record_a_transition_without_an_actor(office):
    transition = record_transition(obj=office, from_status="filed", to_status="overdue", actor=None)

    assert transition.actor is None


def test_timeline_lists_the_objects_transitions_oldest_first(office, town, clerk):
    record_transition(obj=office, from_status="", to_status="draft", actor=clerk)
    record_transition(obj=town, from_status="", to_status="pilot", actor=clerk)
    record_transition(obj=office, from_status="draft", to_status="filed", actor=clerk)

    steps = [(step.from_status, step.to_status) for step in timeline(office)]

    assert steps == [("", "draft"), ("draft", "filed")]


def test_timeline_reads_actors_and_towns_in_one_query(office, clerk, django_assert_num_queries):
    for to_status in ("draft", "filed", "accepted", "decided"):
        record_transition(obj=office, from_status="", to_status=to_status, actor=clerk)

    with django_assert_num_queries(1):
        names = [(step.actor.display_name, step.town.name) for step in timeline(office)]

    assert len(names) == 4


def test_an_audit_row_cannot_be_updated(office, clerk):
    transition = record_transition(obj=office, from_status="", to_status="draft", actor=clerk)

    with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
        Transition.objects.filter(pk=transition.pk).update(reason="rewritten")


def test_an_audit_row_cannot_be_deleted(office, clerk):
    transition = record_transition(obj=office, from_status="", to_status="draft", actor=clerk)

    with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
        Transition.objects.filter(pk=transition.pk).delete()


def test_a_security_event_cannot_be_updated(clerk):
    event = SecurityEvent.objects.create(kind=SecurityEvent.Kind.LOGIN, user=clerk)

    with pytest.raises(InternalError, match="Cannot update or delete"), transaction.atomic():
        SecurityEvent.objects.filter(pk=event.pk).update(username="someone else")


def test_a_user_with_audit_records_cannot_be_deleted(office, clerk):
    record_transition(obj=office, from_status="", to_status="draft", actor=clerk)

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=clerk.pk).delete()


def test_every_audit_table_carries_the_append_only_and_hash_chain_triggers():
    tables = [model._meta.db_table for model in audit_models()]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, array_agg(split_part(t.tgname, '_', 2) ORDER BY t.tgname)
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relname = ANY(%s) AND t.tgname LIKE 'pgtrigger_%%' AND t.tgenabled = 'O'
            GROUP BY c.relname
            """,
            [tables],
        )
        triggers = dict(cursor.fetchall())

    assert {"townadmin_transition", "townadmin_securityevent", "townadmin_countyevent"} <= set(
        tables
    )
    assert triggers == {table: ["append", "hash"] for table in tables}


@pytest.fixture
def auditor():
    user = User.objects.create_user("auditor", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_transition", "view_securityevent"],
            content_type__app_label="townadmin",
        )
    )
    return user


def test_an_auditor_reads_the_transitions_in_the_admin(client, auditor, office, clerk):
    record_transition(obj=office, from_status="", to_status="draft", actor=clerk)
    client.force_login(auditor)

    response = client.get("/admin/townadmin/transition/")

    assert response.status_code == 200
    assert "窗口受理员" in response.content.decode()


def test_the_transition_admin_offers_no_add_change_or_delete(client, auditor, office, clerk):
    transition = record_transition(obj=office, from_status="", to_status="draft", actor=clerk)
    client.force_login(auditor)
    base = "/admin/townadmin/transition/"

    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}{transition.pk}/change/", {"reason": "x"}).status_code == 403
    assert client.get(f"{base}{transition.pk}/delete/").status_code == 403


def test_an_auditor_reads_the_security_events_but_cannot_add_one(client, auditor):
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.LOGIN_FAILED, username="guess")
    client.force_login(auditor)

    response = client.get("/admin/townadmin/securityevent/")

    assert response.status_code == 200
    assert "guess" in response.content.decode()
    assert client.get("/admin/townadmin/securityevent/add/").status_code == 403


def test_staff_without_the_auditor_permission_cannot_read_transitions(client):
    client.force_login(User.objects.create_user("staff", is_staff=True))

    assert client.get("/admin/townadmin/transition/").status_code == 403


def test_the_transition_admin_list_costs_the_same_queries_for_more_rows(
    client, auditor, office, clerk
):
    client.force_login(auditor)

    def queries_for_the_list():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/townadmin/transition/").status_code == 200
        return len(queries)

    record_transition(obj=office, from_status="", to_status="draft", actor=clerk)
    few = queries_for_the_list()
    for number in range(6):
        actor = User.objects.create_user(f"clerk{number}")
        record_transition(obj=office, from_status="draft", to_status="filed", actor=actor)

    assert queries_for_the_list() == few
