import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured

from townadmin import roles
from townadmin.choices import REACH_PERMISSIONS, Role
from townadmin.roles import ROLES, RoleSpec, reach_permissions, sync_roles

pytestmark = pytest.mark.django_db


def group_permissions(role):
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(name=role).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_migrate_leaves_one_group_per_role():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_each_role_group_holds_exactly_its_declared_permissions():
    for role in Role:
        assert group_permissions(role) == set(ROLES[role].permissions), role


def test_sync_roles_run_twice_changes_nothing():
    sync_roles()
    before = {role: group_permissions(role) for role in Role}

    sync_roles()

    assert Group.objects.filter(name__in=Role.values).count() == len(Role)
    assert {role: group_permissions(role) for role in Role} == before


def test_sync_roles_removes_a_permission_added_to_a_role_by_hand():
    clerks = Group.objects.get(name=Role.WINDOW_CLERK)
    clerks.permissions.add(Permission.objects.get(codename="delete_town"))

    sync_roles()

    assert "townadmin.delete_town" not in group_permissions(Role.WINDOW_CLERK)


def test_sync_roles_refuses_a_declaration_naming_an_unknown_permission(monkeypatch):
    clerk = ROLES[Role.WINDOW_CLERK]
    monkeypatch.setitem(
        ROLES,
        Role.WINDOW_CLERK,
        RoleSpec(permissions=(*clerk.permissions, "townadmin.view_tonw"), reach=clerk.reach),
    )

    with pytest.raises(ImproperlyConfigured, match="view_tonw"):
        sync_roles()


def test_sync_roles_refuses_a_role_declaring_unknown_reach(monkeypatch):
    monkeypatch.setitem(ROLES, Role.APPROVER, RoleSpec(reach=("approve_everything",)))

    with pytest.raises(ImproperlyConfigured, match="approve_everything"):
        sync_roles()


def test_every_declared_reach_is_a_reach_permission_of_town_and_county():
    codenames = {codename for codename, _label in REACH_PERMISSIONS}
    for role in Role:
        for permission in reach_permissions(role):
            app_label, codename = permission.split(".")
            assert app_label == "townadmin"
            assert codename in codenames
            assert (
                Permission.objects.filter(
                    codename=codename, content_type__model__in=["town", "county"]
                ).count()
                == 2
            )


def test_the_system_administrator_reaches_no_town_and_the_auditor_changes_nothing():
    assert reach_permissions(Role.SYSTEM_ADMIN) == ()
    assert not [
        name
        for name in ROLES[Role.AUDITOR].permissions
        if not name.split(".")[1].startswith("view_")
    ]


def test_a_system_administrator_is_staff_in_the_group_or_a_superuser(django_user_model):
    member = django_user_model.objects.create_user("ops", is_staff=True)
    member.groups.add(Group.objects.get(name=Role.SYSTEM_ADMIN))
    not_staff = django_user_model.objects.create_user("ops2")
    not_staff.groups.add(Group.objects.get(name=Role.SYSTEM_ADMIN))
    superuser = django_user_model.objects.create_superuser("root")

    assert roles.is_system_admin(member)
    assert not roles.is_system_admin(not_staff)
    assert roles.is_system_admin(superuser)


def test_role_codes_lists_only_groups_that_are_roles_in_role_order(django_user_model):
    user = django_user_model.objects.create_user("someone")
    user.groups.add(
        Group.objects.get(name=Role.AUDITOR),
        Group.objects.get(name=Role.WINDOW_CLERK),
        Group.objects.create(name="book club"),
    )

    assert roles.role_codes(user) == [Role.WINDOW_CLERK, Role.AUDITOR]
