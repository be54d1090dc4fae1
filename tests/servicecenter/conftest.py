"""Personas and items of the service hall (the shared personas are in tests/conftest.py)."""

import pytest

from tests.conftest import _persona, _service_centre
from tests.servicecenter.factories import make_item, person


@pytest.fixture(autouse=True)
def next_year_on_the_calendar(db):
    """A clock started today may run into next year, which the chinesecalendar package
    may not carry yet: mark it loaded, as an administrator does once the State Council
    publishes it. Tests compare with add_workdays, never with literal dates of next year."""
    from django.utils import timezone

    from townadmin.models.calendar import CalendarYear

    CalendarYear.objects.get_or_create(year=timezone.localdate().year + 1)


@pytest.fixture
def approver_a(unit_a, posting_admin):
    """A back-office approver of town A."""
    from townadmin.choices import Role

    return _persona("approver_a", "甲镇审批", Role.APPROVER, unit_a, posting_admin)


@pytest.fixture
def clerk_a2(unit_a, posting_admin):
    """A second window clerk of town A: the other hand in a race."""
    from townadmin.choices import Role

    return _persona("clerk_a2", "甲镇窗口二", Role.WINDOW_CLERK, unit_a, posting_admin)


@pytest.fixture
def agent_a(town_a, posting_admin):
    """A village agent (代办员) of town A."""
    from townadmin.choices import Role

    return _persona(
        "agent_a", "甲镇代办员", Role.VILLAGE_AGENT, _service_centre(town_a), posting_admin
    )


@pytest.fixture
def item_a(town_a):
    """A licence town A holds: promised 5, statutory 20 working days; five materials."""
    return make_item(town_a)


@pytest.fixture
def item_b(town_b):
    """The same kind of licence in town B."""
    return make_item(town_b)


@pytest.fixture
def applicant():
    return person()
