import pytest

from powers.choices import Category, ListKind
from powers.lists import (
    basis_text,
    case_text,
    charges,
    current_versions,
    entries,
    item_text,
    kind_size,
)
from tests.powers.factories import entry, make_town, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return make_version(
        make_town(),
        [
            entry("XK-1", "建设工程规划许可", Category.LICENCE, fees="工本费10元"),
            entry("CF-1", "对违法建设的处罚", Category.PENALTY, fees="不涉及收费"),
            entry(
                "QZ-1",
                "查封违法建设施工现场",
                Category.COERCION,
                fees="不收费（《中华人民共和国行政强制法》第二十六条）",
            ),
            entry("JC-1", "安全生产监督检查", Category.INSPECTION),
            entry("QR-1", "农村宅基地确认", Category.CONFIRMATION, fees=""),
            entry(
                "GG-1",
                "居住证办理",
                Category.PUBLIC_SERVICE,
                fees="首次申领免收工本费，换领、补领缴纳证件工本费",
            ),
        ],
    )


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (ListKind.POWER, ["XK-1", "CF-1", "QZ-1", "JC-1", "QR-1"]),
        (ListKind.RESPONSIBILITY, ["XK-1", "CF-1", "QZ-1", "JC-1", "QR-1"]),
        (ListKind.PUBLIC_SERVICE, ["GG-1"]),
        (ListKind.APPROVAL, ["XK-1"]),
        (ListKind.ENFORCEMENT, ["CF-1", "QZ-1", "JC-1"]),
        (ListKind.SUPERVISION, ["JC-1"]),
        (ListKind.FEE, ["XK-1", "GG-1"]),
    ],
)
def test_each_list_kind_holds_its_entries_in_list_order(version, kind, expected):
    assert [e.code for e in entries(version, kind)] == expected


def test_without_a_kind_every_entry_of_the_version_is_listed(version):
    assert entries(version).count() == 6


@pytest.mark.parametrize("kind", [k for k in ListKind.values if k != ListKind.FEE])
def test_a_list_defined_by_category_is_sized_from_the_version_counts(
    version, kind, django_assert_num_queries
):
    with django_assert_num_queries(0):
        size = kind_size(version, kind)

    assert size == entries(version, kind).count()


def test_the_fee_list_has_no_size_from_the_counts(version):
    assert kind_size(version, ListKind.FEE) is None


def test_the_current_versions_are_the_latest_of_each_town_in_one_query(
    django_assert_num_queries,
):
    xiazhuang = make_town("371122104", "夏庄镇")
    shangcun = make_town("130926104", "尚村镇", county_name="肃宁县")
    make_version(xiazhuang, [entry("XK-1", "许可")])
    make_version(xiazhuang, [entry("XK-1", "许可")])
    make_version(shangcun, [entry("XK-2", "许可")])
    make_town("371122105", "没有清单镇")

    with django_assert_num_queries(1):
        found = [(v.town.county.code, v.town.name, v.number) for v in current_versions()]

    assert found == [("130926", "尚村镇", 1), ("371122", "夏庄镇", 2)]


def test_the_json_copies_read_as_text():
    assert basis_text({"law": "土地管理法", "article": "第六十二条"}) == "《土地管理法》第六十二条"
    assert (
        basis_text({"law": "《土地管理法》", "article": "", "excerpt": "摘录"}, excerpt=True)
        == "《土地管理法》：摘录"
    )
    assert item_text({"name": "受理责任", "content": "一次性告知"}) == "受理责任：一次性告知"
    assert item_text({"name": "受理责任", "content": ""}) == "受理责任"
    assert case_text({"text": "不予受理的"}) == case_text("不予受理的") == "不予受理的"


@pytest.mark.parametrize(
    ("fees", "expected"),
    [
        ("", False),
        ("不收费", False),
        ("不涉及收费", False),
        ("不收费（《中华人民共和国行政许可法》第五十八条）", False),
        ("工本费10元", True),
        ("首次申领免收工本费，换领、补领缴纳证件工本费", True),
    ],
)
def test_a_fees_text_charges_unless_it_says_nothing_is_charged(fees, expected):
    assert charges(fees) is expected
