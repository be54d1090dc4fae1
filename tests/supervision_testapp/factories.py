"""Builders for the deadline engine's tests: a town, people and supervised things."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from tests.supervision_testapp.models import SupervisedThing
from townadmin.models import County, Town, User

SHANGHAI = ZoneInfo("Asia/Shanghai")


def make_town(code="371122104", name="夏庄镇"):
    county, _ = County.objects.get_or_create(
        code=code[:6], defaults={"name": "莒县", "province": "山东省"}
    )
    return Town.objects.create(county=county, code=code, name=name)


def make_user(username, display_name=""):
    return User.objects.create_user(username, display_name=display_name)


def accepted_on(day):
    """A moment on ``day`` in Beijing time, during office hours."""
    return datetime(day.year, day.month, day.day, 9, 30, tzinfo=SHANGHAI)


def make_things(town, *due_dates, name="申请", started=date(2026, 9, 1), **fields):
    """One SupervisedThing per due date, in one INSERT."""
    return SupervisedThing.objects.bulk_create(
        SupervisedThing(
            town=town,
            name=f"{name} {number}",
            started_at=accepted_on(started),
            due_date=due,
            **fields,
        )
        for number, due in enumerate(due_dates, start=1)
    )
