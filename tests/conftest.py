"""Shared fixtures: the demo data, personas per town, API clients."""

import datetime

import pytest
from rest_framework.test import APIClient

from powers.demo import seed_powers
from townadmin.demo import DEMO_PASSWORD, seed_users
from townadmin.demo_org import seed_org
from townadmin.roles import sync_roles


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def demo_data(db):
    """The quickstart's demo organisation and users, as ``seed_demo`` loads them.

    Without the published lists: publishing them through the real services takes
    ~15 s, so only the tests that read lists ask for ``demo_lists``.
    """
    load_demo_people()


@pytest.fixture
def demo_lists(demo_data):
    """The demo data with the towns' published lists and adjustments (all of ``seed_demo``)."""
    seed_powers()


def load_demo_people():
    seed_org()
    sync_roles()
    seed_users()


@pytest.fixture
def demo_password():
    return DEMO_PASSWORD


# --- Personas (DESIGN.md section 9) ---------------------------------------------------
#
# town_a and town_b are two towns of ONE county (甲县): a clerk of one must not reach
# the other although they share a county, which is the stricter test of town-level
# scoping. town_elsewhere lies in another county (丙县), for what a county-wide posting
# must not reach. The names are markers the cross-town walk looks for in responses.
# Every persona is posted through ``posting_create``, as a real appointment is.

PERSONA_PASSWORD = "Persona#2026town"


def _persona(username, display_name, role, unit, actor, *, town=None):
    from townadmin.models import User
    from townadmin.services import posting_create

    user = User.objects.create_user(
        username=username, password=PERSONA_PASSWORD, display_name=display_name
    )
    posting_create(
        user=user,
        department=unit,
        role=role,
        valid_from=datetime.date(2026, 1, 1),
        town=town,
        actor=actor,
    )
    return user


@pytest.fixture
def persona_password():
    return PERSONA_PASSWORD


@pytest.fixture
def county_a(db):
    from townadmin.models import County

    return County.objects.create(
        code="990100",
        name="甲县",
        province="测试省",
        administrative_posts_total=200,
        institutional_posts_total=300,
    )


@pytest.fixture
def town_a(county_a):
    from townadmin.models import Town

    return Town.objects.create(
        county=county_a, code="990100101", name="甲镇", is_pilot=True, pilot_batch="第一批"
    )


@pytest.fixture
def town_b(county_a):
    from townadmin.models import Town

    return Town.objects.create(county=county_a, code="990100102", name="乙镇")


@pytest.fixture
def town_elsewhere(db):
    from townadmin.models import County, Town

    county = County.objects.create(code="990200", name="丙县", province="测试省")
    return Town.objects.create(county=county, code="990200101", name="丙镇")


def _service_centre(town):
    from townadmin.choices import DepartmentKind
    from townadmin.models import Department

    return Department.objects.get_or_create(
        county=town.county,
        town=town,
        name=f"{town.name}便民服务中心",
        defaults={"kind": DepartmentKind.TOWN_OFFICE},
    )[0]


@pytest.fixture
def unit_a(town_a):
    """Town A's service centre, where its clerk is posted."""
    return _service_centre(town_a)


@pytest.fixture
def unit_b(town_b):
    return _service_centre(town_b)


@pytest.fixture
def county_unit_a(county_a):
    """County A's reform office, where its reviewer is posted."""
    from townadmin.choices import DepartmentKind
    from townadmin.models import Department

    return Department.objects.create(
        county=county_a, name="甲县改革办", kind=DepartmentKind.COUNTY_DEPARTMENT
    )


@pytest.fixture
def posting_admin(db):
    """The system administrator who makes the personas' postings."""
    from townadmin.models import User

    return User.objects.create_superuser(
        username="persona_admin", password=PERSONA_PASSWORD, display_name="测试管理员"
    )


@pytest.fixture
def clerk_a(unit_a, posting_admin):
    """A window clerk of town A."""
    from townadmin.choices import Role

    return _persona("clerk_a", "甲镇窗口", Role.WINDOW_CLERK, unit_a, posting_admin)


@pytest.fixture
def clerk_b(unit_b, posting_admin):
    """A window clerk of town B (same county as town A)."""
    from townadmin.choices import Role

    return _persona("clerk_b", "乙镇窗口", Role.WINDOW_CLERK, unit_b, posting_admin)


@pytest.fixture
def dispatcher_a(town_a, posting_admin):
    """An enforcement dispatcher of town A."""
    from townadmin.choices import DepartmentKind, Role
    from townadmin.models import Department

    unit = Department.objects.create(
        county=town_a.county,
        town=town_a,
        name="甲镇综合执法办公室",
        kind=DepartmentKind.TOWN_OFFICE,
    )
    return _persona("dispatcher_a", "甲镇调度", Role.DISPATCHER, unit, posting_admin)


@pytest.fixture
def reviewer(county_unit_a, posting_admin):
    """A county reform reviewer of town A's county: reaches town A and town B."""
    from townadmin.choices import Role

    return _persona("reviewer", "甲县审核", Role.REVIEWER, county_unit_a, posting_admin)


def _town_office(town, name):
    from townadmin.choices import DepartmentKind
    from townadmin.models import Department

    return Department.objects.get_or_create(
        county=town.county, town=town, name=name, defaults={"kind": DepartmentKind.TOWN_OFFICE}
    )[0]


@pytest.fixture
def leader_a(town_a, posting_admin):
    """A town leader of town A: drafts its list adjustments (manage_lists)."""
    from townadmin.choices import Role

    unit = _town_office(town_a, "甲镇党政综合办公室")
    return _persona("leader_a", "甲镇镇长", Role.TOWN_LEADER, unit, posting_admin)


@pytest.fixture
def leader_b(town_b, posting_admin):
    """A town leader of town B (same county as town A)."""
    from townadmin.choices import Role

    unit = _town_office(town_b, "乙镇党政综合办公室")
    return _persona("leader_b", "乙镇镇长", Role.TOWN_LEADER, unit, posting_admin)


@pytest.fixture
def reviewer_elsewhere(town_elsewhere, posting_admin):
    """A county reform reviewer of the other county (丙县): reaches neither town A nor B."""
    from townadmin.choices import DepartmentKind, Role
    from townadmin.models import Department

    unit = Department.objects.create(
        county=town_elsewhere.county, name="丙县改革办", kind=DepartmentKind.COUNTY_DEPARTMENT
    )
    return _persona("reviewer_elsewhere", "丙县审核", Role.REVIEWER, unit, posting_admin)


@pytest.fixture
def citizen():
    """Anyone on the internet: an API client with no credentials."""
    return APIClient()


@pytest.fixture
def api_client_as(db):
    """``api_client_as(user)``: an API client sending ``user``'s token."""
    from rest_framework.authtoken.models import Token

    def make(user):
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def client_as(db):
    """``client_as(user)``: a browser client with ``user`` signed in (a session)."""
    from django.test import Client

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make
