import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from townadmin.models import User
from townadmin.navigation import NavItem, visible_items

pytestmark = pytest.mark.django_db

HALL = NavItem("Hall", "home", permission="townadmin.view_heartbeat")


def nav_labels(response):
    return [str(item["label"]) for item in response.context["nav_items"]]


def test_an_anonymous_visitor_sees_only_public_sections(client):
    response = client.get("/")

    assert [item["name"] for item in response.context["nav_items"]] == [
        "home",
        "powers:towns",
        "servicecenter:public-status",
    ]
    assert nav_labels(response)[0] == "首页"


def test_a_signed_in_user_without_roles_does_not_see_administration(client):
    client.force_login(User.objects.create_user("clerk", password="x"))

    labels = nav_labels(client.get("/"))

    assert "后台管理" not in labels
    assert "API" in labels


def test_a_staff_member_sees_administration(client, admin_user):
    client.force_login(admin_user)

    assert "后台管理" in nav_labels(client.get("/"))


def test_a_section_shows_only_to_users_whose_role_grants_its_permission():
    without = User.objects.create_user("without")
    holder = User.objects.create_user("holder")
    holder.user_permissions.add(Permission.objects.get(codename="view_heartbeat"))
    holder = User.objects.get(pk=holder.pk)  # fresh permission cache

    assert visible_items(holder, [HALL]) == [HALL]
    assert visible_items(without, [HALL]) == []
    assert visible_items(AnonymousUser(), [HALL]) == []


def test_a_section_with_a_condition_shows_only_to_users_it_accepts():
    section = NavItem("Desk", "home", visible=lambda user: user.username == "holder")

    assert visible_items(User(username="holder"), [section]) == [section]
    assert visible_items(User(username="other"), [section]) == []


def test_a_window_clerk_sees_the_desk_but_not_the_back_office(client, clerk_a):
    client.force_login(clerk_a)

    names = [item["name"] for item in client.get("/").context["nav_items"]]

    assert "servicecenter:hall" in names
    assert "servicecenter:hall-office" not in names


def test_the_current_section_is_marked_for_screen_readers(client):
    assert b'aria-current="page">' in client.get("/").content
