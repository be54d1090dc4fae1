"""Approval publishes version N+1 of the town's lists and updates the catalogue and register."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from powers import services
from powers.choices import DevolutionMode
from powers.models import Adjustment, Devolution, ListEntry, ListVersion, Power
from powers.search import index_words
from powers.selectors import current_version, holding_by_code
from powers.services.register import NOT_DEVOLVABLE
from tests.powers.workflow import draft, first_list, make_power, power_data, publish, to_approval
from townadmin.workflow import StateConflictError

pytestmark = pytest.mark.django_db

MAIN, SUB = "XK-990100-010", "XK-990100-010-01"


@pytest.fixture
def v1(town_a, leader_a, reviewer):
    return first_list(town_a, leader_a, reviewer)


def codes(version):
    return list(version.entries.order_by("position").values_list("code", flat=True))


def test_the_first_approval_publishes_version_one_with_full_copies(v1, town_a, reviewer):
    entry = v1.entries.get(code="XK-990100-001")

    assert (v1.number, v1.town, v1.approved_by) == (1, town_a, reviewer)
    assert (v1.entry_count, v1.category_counts) == (2, {"licence": 1, "penalty": 1})
    assert entry.department_name == "甲县市场监督管理局"
    assert entry.responsible_office == "甲镇便民服务中心"
    assert (entry.mode, entry.exercised_in_name_of) == ("devolve", "甲镇人民政府")
    assert entry.legal_bases == [
        {"law": "《中华人民共和国食品安全法》", "article": "第三十五条", "excerpt": "", "link": ""}
    ]
    assert entry.responsibility_items == [{"name": "受理责任", "content": "一次性告知补正材料。"}]
    assert entry.accountability_cases == [{"text": "对符合法定条件的申请不予受理的。"}]


def test_the_first_approval_writes_the_catalogue_and_registers_the_holdings(v1, town_a):
    power = Power.objects.get(county=town_a.county, code="XK-990100-001")

    assert power.legal_bases.get().article == "第三十五条"
    assert holding_by_code(town=town_a, code=power.code, on=datetime.date(2026, 1, 1))


def test_entries_are_indexed_by_code_name_department_category_and_office(v1):
    words = set(v1.entries.get(code="XK-990100-001").search_words.split())

    for text in (
        "XK-990100-001",
        "事项XK-990100-001",
        "甲县市场监督管理局",
        "行政许可",
        "便民服务中心",
    ):
        assert set(index_words(text).split()) <= words, text


def test_approval_publishes_the_next_version_and_leaves_the_old_one_as_it_was(
    v1, town_a, leader_a, reviewer
):
    v2 = publish(
        town_a,
        leader_a,
        reviewer,
        [
            (
                "add",
                "QR-990100-007",
                power_data(name="独生子女父母光荣证发放", category="confirmation"),
            ),
            ("remove", "CF-990100-001", None),
            ("change", "XK-990100-001", {"fees": "不收费", "promised_days": 3}),
        ],
        document_no="甲编办〔2026〕2号",
    )

    assert (v2.number, v2.document_no) == (2, "甲编办〔2026〕2号")
    assert codes(v2) == ["XK-990100-001", "QR-990100-007"]
    changed = v2.entries.get(code="XK-990100-001")
    assert (changed.fees, changed.promised_days) == ("不收费", 3)
    assert v2.category_counts == {"licence": 1, "confirmation": 1}
    assert codes(v1) == ["XK-990100-001", "CF-990100-001"]
    assert v1.entries.get(code="XK-990100-001").fees == ""
    assert current_version(town_a) == v2


def test_a_published_entry_refuses_an_update_in_the_database(v1):
    with pytest.raises(DatabaseError, match="Cannot update"), transaction.atomic():
        ListEntry.objects.filter(version=v1).update(name="改过的名称")


def test_a_published_version_refuses_an_update_in_the_database(v1):
    with (
        pytest.raises(DatabaseError, match="Cannot update"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE powers_listversion SET document_no = 'x' WHERE id = %s", [v1.pk])


def test_approval_after_another_publication_is_refused_and_changes_nothing(
    v1, town_a, leader_a, reviewer
):
    first = to_approval(
        draft(town_a, leader_a, [("remove", "CF-990100-001", None)]), leader_a, reviewer
    )
    second = to_approval(
        draft(town_a, leader_a, [("change", "XK-990100-001", {"fees": "不收费"})]),
        leader_a,
        reviewer,
    )
    services.adjustment_approve(adjustment=first, document_no="甲编办〔2026〕2号", actor=reviewer)

    with pytest.raises(StateConflictError) as conflict:
        services.adjustment_approve(
            adjustment=second, document_no="甲编办〔2026〕3号", actor=reviewer
        )

    assert conflict.value.current == {"status": "submitted", "current_version": 2}
    assert ListVersion.objects.filter(town=town_a).count() == 2
    second.refresh_from_db()
    assert second.status == "submitted"


def test_a_returned_adjustment_revised_after_another_publication_is_based_on_it(
    v1, town_a, leader_a, reviewer
):
    first = to_approval(
        draft(town_a, leader_a, [("remove", "CF-990100-001", None)]), leader_a, reviewer
    )
    second = to_approval(
        draft(town_a, leader_a, [("change", "XK-990100-001", {"fees": "不收费"})]),
        leader_a,
        reviewer,
    )
    services.adjustment_approve(adjustment=first, document_no="甲编办〔2026〕2号", actor=reviewer)
    services.adjustment_return(adjustment=second, comments="清单已更新，请重新提交", actor=reviewer)

    services.adjustment_revise(adjustment=second, actor=leader_a)
    to_approval(second, leader_a, reviewer)
    v3 = services.adjustment_approve(
        adjustment=second, document_no="甲编办〔2026〕3号", actor=reviewer
    )

    assert second.base_version.number == 2
    assert (v3.number, codes(v3)) == (3, ["XK-990100-001"])


def test_a_removed_power_is_no_longer_held_from_the_day_of_approval(v1, town_a, leader_a, reviewer):
    publish(town_a, leader_a, reviewer, [("remove", "CF-990100-001", None)])
    today = timezone.localdate()

    assert holding_by_code(town=town_a, code="CF-990100-001", on=today) is None
    assert holding_by_code(town=town_a, code="CF-990100-001", on=today - datetime.timedelta(1))


def test_removing_a_main_item_removes_its_sub_items(v1, town_a, leader_a, reviewer):
    publish(
        town_a,
        leader_a,
        reviewer,
        [
            ("add", SUB, power_data(name="子项", parent_code=MAIN)),
            ("add", MAIN, power_data(name="主项")),
        ],
    )

    v3 = publish(town_a, leader_a, reviewer, [("remove", MAIN, None)])

    assert codes(v3) == ["XK-990100-001", "CF-990100-001"]
    assert holding_by_code(town=town_a, code=SUB, on=timezone.localdate()) is None


def test_a_sub_item_is_published_right_after_its_main_item(v1, town_a, leader_a, reviewer):
    v2 = publish(
        town_a,
        leader_a,
        reviewer,
        [
            ("add", SUB, power_data(name="子项", parent_code=MAIN)),
            ("add", MAIN, power_data(name="主项")),
        ],
    )

    assert codes(v2)[2:] == [MAIN, SUB]
    assert Power.objects.get(code=SUB).parent.code == MAIN


def test_changing_the_holding_revokes_it_and_registers_the_new_one(v1, town_a, leader_a, reviewer):
    change = {
        "mode": "entrust",
        "exercised_in_name_of": "甲县市场监督管理局",
        "effective_from": "2026-07-01",
        "effective_until": "2028-06-30",
    }

    v2 = publish(town_a, leader_a, reviewer, [("change", "XK-990100-001", change)])

    old, new = Devolution.objects.filter(power__code="XK-990100-001").order_by("pk")
    assert (old.status, old.revoked_on) == ("revoked", datetime.date(2026, 7, 1))
    assert (new.mode, new.status, new.due_date) == ("entrust", "active", datetime.date(2028, 6, 15))
    entry = v2.entries.get(code="XK-990100-001")
    assert (entry.mode, entry.exercised_in_name_of) == (
        DevolutionMode.ENTRUST,
        "甲县市场监督管理局",
    )


def test_an_approval_that_cannot_be_applied_publishes_nothing(v1, town_a, leader_a, reviewer):
    adjustment = to_approval(
        draft(town_a, leader_a, [("add", "QT-990100-003", power_data(name="其他事项"))]),
        leader_a,
        reviewer,
    )
    # Meanwhile the county keeps the power at county level in its catalogue.
    make_power(town_a.county, code="QT-990100-003", name="其他事项", may_devolve=False)

    with pytest.raises(ValidationError) as refused:
        services.adjustment_approve(adjustment=adjustment, document_no="文号", actor=reviewer)

    assert refused.value.message_dict["power"] == [str(NOT_DEVOLVABLE)]
    assert current_version(town_a) == v1
    assert not Devolution.objects.filter(power__code="QT-990100-003").exists()
    assert Adjustment.objects.get(pk=adjustment.pk).status == "submitted"
