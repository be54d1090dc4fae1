"""Reach and model permissions kept across requests, keyed by the user's access version,
which the database raises on every change of them (migration 0009)."""

import pytest
from django.contrib.auth.models import Group, Permission
from guardian.shortcuts import assign_perm, remove_perm

from townadmin import access, auth_backends
from townadmin.access import towns_for
from townadmin.models import Town

pytestmark = pytest.mark.django_db

HANDLE = "townadmin.handle_application"
VIEW = "townadmin.view_records"
ADD_VILLAGE = "townadmin.add_village"


@pytest.fixture
def kept(settings):
    """Answers kept across requests, as in production (the test settings turn them off)."""
    settings.ACCESS_ANSWERS_KEPT = 4096
    access._REACH.clear()
    auth_backends._PERMISSIONS.clear()
    yield
    access._REACH.clear()
    auth_backends._PERMISSIONS.clear()


@pytest.fixture
def somebody(django_user_model):
    return django_user_model.objects.create_user("somebody")


@pytest.fixture
def window_group():
    return Group.objects.create(name="xiazhuang window")


def fresh(user):
    """The same user as a new request loads it."""
    return type(user).objects.get(pk=user.pk)


def version(user):
    return fresh(user).access_version


def test_granting_reach_raises_the_access_version(somebody, town_a):
    before = version(somebody)

    assign_perm(HANDLE, somebody, town_a)

    assert version(somebody) > before


def test_a_groups_reach_raises_the_access_version_of_every_member(
    somebody, django_user_model, window_group, town_a
):
    other = django_user_model.objects.create_user("other")
    somebody.groups.add(window_group)
    other.groups.add(window_group)
    before = version(somebody), version(other)

    assign_perm(HANDLE, window_group, town_a)

    assert version(somebody) > before[0]
    assert version(other) > before[1]


def test_joining_a_group_raises_the_access_version(somebody, window_group):
    before = version(somebody)

    window_group.user_set.add(somebody)

    assert version(somebody) > before


def test_a_new_town_raises_the_access_version_of_whoever_reaches_its_county(
    somebody, django_user_model, county_a, town_a
):
    outsider = django_user_model.objects.create_user("outsider")
    assign_perm(VIEW, outsider, town_a)
    assign_perm(VIEW, somebody, county_a)
    before = version(somebody), version(outsider)

    Town.objects.create(county=county_a, code="990100299", name="新镇")

    assert version(somebody) > before[0]
    assert version(outsider) == before[1]


def test_a_process_answers_a_user_it_has_seen_without_a_query(
    kept, somebody, town_a, django_assert_num_queries
):
    assign_perm(HANDLE, somebody, town_a)
    somebody.user_permissions.add(Permission.objects.get(codename="add_village"))
    first = fresh(somebody)
    towns_for(first, HANDLE), first.has_perm(ADD_VILLAGE)
    second = fresh(somebody)

    with django_assert_num_queries(0):
        assert towns_for(second, HANDLE) == {town_a.pk}
        assert second.has_perm(ADD_VILLAGE)


def test_a_revoked_reach_is_gone_from_the_next_request(kept, somebody, town_a, town_b):
    assign_perm(HANDLE, somebody, town_a)
    assign_perm(HANDLE, somebody, town_b)
    assert towns_for(fresh(somebody), HANDLE) == {town_a.pk, town_b.pk}

    remove_perm(HANDLE, somebody, town_b)

    assert towns_for(fresh(somebody), HANDLE) == {town_a.pk}


def test_a_permission_taken_from_the_group_is_gone_from_the_next_request(
    kept, somebody, window_group
):
    permission = Permission.objects.get(codename="add_village")
    window_group.permissions.add(permission)
    somebody.groups.add(window_group)
    assert fresh(somebody).has_perm(ADD_VILLAGE)

    window_group.permissions.remove(permission)

    assert not fresh(somebody).has_perm(ADD_VILLAGE)


def test_a_new_town_of_a_reached_county_is_reached_from_the_next_request(
    kept, somebody, county_a, town_a
):
    assign_perm(VIEW, somebody, county_a)
    assert towns_for(fresh(somebody), VIEW) == {town_a.pk}

    new = Town.objects.create(county=county_a, code="990100299", name="新镇")

    assert towns_for(fresh(somebody), VIEW) == {town_a.pk, new.pk}


def test_a_superuser_reaches_a_new_town_from_the_next_request(kept, django_user_model, town_a):
    admin = django_user_model.objects.create_superuser("root")
    assert towns_for(fresh(admin), VIEW) == {town_a.pk}

    new = Town.objects.create(county=town_a.county, code="990100299", name="新镇")

    assert towns_for(fresh(admin), VIEW) == {town_a.pk, new.pk}


def test_a_deactivated_user_reaches_nothing_from_the_next_request(kept, somebody, town_a):
    assign_perm(HANDLE, somebody, town_a)
    assert towns_for(fresh(somebody), HANDLE) == {town_a.pk}

    type(somebody).objects.filter(pk=somebody.pk).update(is_active=False)

    assert towns_for(fresh(somebody), HANDLE) == frozenset()


def test_forget_reads_the_new_version_after_a_change_in_the_same_request(kept, somebody, town_a):
    assert towns_for(somebody, HANDLE) == frozenset()
    assign_perm(HANDLE, somebody, town_a)

    access.forget(somebody)

    assert towns_for(somebody, HANDLE) == {town_a.pk}
