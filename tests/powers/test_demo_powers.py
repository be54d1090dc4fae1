"""The demo lists (``powers.demo.seed_powers``): the seeds' figures, published for real.

The demo is loaded once for the module, inside a transaction that is rolled back at
its end (published versions cannot be deleted, and a seed takes seconds); each test
runs in a savepoint of it, as pytest-django's ``db`` does.
"""

import io
from collections import Counter

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from powers.demo import (
    SHANGCUN_PENDING_TITLE,
    XIAZHUANG_DRAFT_TITLE,
    XIAZHUANG_FIRST,
    seed_powers,
)
from powers.demo_catalogue import (
    ADJUSTMENT_XIAZHUANG_2025,
    ADJUSTMENT_XIAZHUANG_2025_DOCUMENT,
    SHANGCUN,
    XIAZHUANG,
)
from powers.diff import diff_versions
from powers.models import Adjustment, ListEntry, ListVersion, Power
from powers.search import search
from powers.selectors import adjustments_awaiting, current_version, holding
from townadmin.models import Town, User

pytestmark = pytest.mark.django_db

SHANGCUN_CATEGORIES = {
    "penalty": 45,
    "public_service": 40,
    "licence": 21,
    "other": 10,
    "confirmation": 10,
    "inspection": 5,
    "coercion": 2,
}


@pytest.fixture(scope="module", autouse=True)
def demo_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def town(code):
    return Town.objects.get(code=code)


def entries(version):
    return list(version.entries.order_by("position"))


def powers_row_counts():
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_app_config("powers").get_models()
    }


def test_shangcun_lists_133_powers_in_the_seeds_categories():
    version = current_version(town(SHANGCUN.code))

    rows = entries(version)

    assert len(rows) == version.entry_count == 133
    assert Counter(row.category for row in rows) == SHANGCUN_CATEGORIES
    assert version.category_counts == SHANGCUN_CATEGORIES


def test_xiazhuang_first_version_has_76_main_items_and_62_sub_items_from_15_departments():
    rows = entries(ListVersion.objects.get(town__code=XIAZHUANG.code, number=1))

    main = [row for row in rows if not row.parent_code]
    assert (len(rows), len(main)) == (138, 76)
    assert len({row.department_name for row in main}) == 15


def test_xiazhuang_sub_items_follow_their_main_item():
    rows = entries(ListVersion.objects.get(town__code=XIAZHUANG.code, number=1))

    for before, row in zip(rows, rows[1:], strict=False):
        if row.parent_code:
            assert row.parent_code in (before.code, before.parent_code)


def test_xiazhuang_second_version_differs_by_exactly_the_2025_adjustment():
    xiazhuang = town(XIAZHUANG.code)
    first, second = ListVersion.objects.filter(town=xiazhuang).order_by("number")

    diff = diff_versions(first, second)

    expected = {action: set() for action in ("add", "remove", "change")}
    for change in ADJUSTMENT_XIAZHUANG_2025:
        expected[change.action].add(change.code)
    assert {row["code"] for row in diff["added"]} == expected["add"]
    assert {row["code"] for row in diff["removed"]} == expected["remove"]
    assert {row["code"] for row in diff["changed"]} == expected["change"]
    assert (second.number, second.document_no) == (2, ADJUSTMENT_XIAZHUANG_2025_DOCUMENT)


def test_every_demo_entry_has_a_legal_basis_and_at_least_three_responsibility_items():
    rows = ListEntry.objects.filter(town__code__in=[SHANGCUN.code, XIAZHUANG.code])

    assert rows.count() == 133 + 138 + 139
    for row in rows:
        assert row.legal_bases and all(basis["law"] for basis in row.legal_bases), row.code
        assert len(row.responsibility_items) >= 3, row.code


def test_every_listed_power_is_held_by_its_town_in_the_listed_name():
    today = timezone.localdate()

    for code in (SHANGCUN.code, XIAZHUANG.code):
        for row in entries(current_version(town(code))):
            held = holding(town=row.town, power=row.power, on=today)
            assert held is not None, row.code
            assert held.exercised_in_name_of == row.exercised_in_name_of, row.code


def test_xiazhuang_holdings_date_from_its_devolution_and_the_2025_additions_from_their_document():
    xiazhuang = town(XIAZHUANG.code)
    first = XIAZHUANG_FIRST[2]
    added = {change.code for change in ADJUSTMENT_XIAZHUANG_2025 if change.action == "add"}

    held = xiazhuang.devolutions.filter(status="active").select_related("power")

    assert {d.effective_from for d in held if d.power.code not in added} == {first}
    assert {d.document_no for d in held if d.power.code in added} == {
        ADJUSTMENT_XIAZHUANG_2025_DOCUMENT
    }


def test_the_counties_keep_powers_that_no_town_may_hold():
    kept = Power.objects.filter(may_devolve=False)

    assert kept.filter(county__code=SHANGCUN.county_code).count() >= 10
    assert kept.filter(county__code=XIAZHUANG.county_code).count() >= 10
    assert not ListEntry.objects.filter(power__may_devolve=False).exists()


def test_a_two_character_word_finds_the_demo_entry_that_holds_it():
    version = current_version(town(SHANGCUN.code))

    found = list(search(ListEntry.objects.filter(version=version), "建房"))

    assert found and all("建房" in row.name for row in found)


def test_the_suning_reviewer_has_an_adjustment_awaiting_approval():
    reviewer = User.objects.get(username="reviewer_suning")

    waiting = list(adjustments_awaiting(reviewer))

    assert [a.title for a in waiting] == [SHANGCUN_PENDING_TITLE]
    assert waiting[0].status == Adjustment.Status.SUBMITTED


def test_xiazhuang_has_a_draft_adjustment():
    draft = Adjustment.objects.get(town__code=XIAZHUANG.code, title=XIAZHUANG_DRAFT_TITLE)

    assert draft.status == Adjustment.Status.DRAFT
    assert draft.items.count() == 2


def test_a_second_seed_adds_nothing_to_any_powers_table():
    before = powers_row_counts()

    created = seed_powers()

    assert created == 0
    assert powers_row_counts() == before


def test_the_seed_is_refused_in_production():
    with override_settings(PRODUCTION=True), pytest.raises(ImproperlyConfigured):
        seed_powers()
