import pytest
from django.utils import translation

from powers.choices import Category, DevolutionMode
from powers.diff import diff_versions, display_value
from tests.powers.factories import entry, make_town, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return make_town()


def test_an_entry_only_in_the_later_version_was_added_and_one_only_in_the_earlier_removed(
    town,
):
    a = make_version(town, [entry("XK-1", "许可一"), entry("XK-2", "许可二")])
    b = make_version(town, [entry("XK-1", "许可一"), entry("XK-3", "许可三", Category.PENALTY)])

    diff = diff_versions(a, b)

    assert diff["added"] == [
        {
            "code": "XK-3",
            "name": "许可三",
            "category": "penalty",
            "department_name": "县自然资源和规划局",
        }
    ]
    assert [e["code"] for e in diff["removed"]] == ["XK-2"]
    assert diff["changed"] == []


def test_a_changed_entry_names_each_changed_field_with_its_old_and_new_value(town):
    bases = [{"law": "《城乡规划法》", "article": "第四十一条", "excerpt": "", "link": ""}]
    a = make_version(town, [entry("XK-1", "许可一")])
    b = make_version(
        town,
        [entry("XK-1", "许可一（新）", mode=DevolutionMode.ENTRUST, legal_bases=bases)],
    )

    [change] = diff_versions(a, b)["changed"]

    assert change["code"] == "XK-1" and change["name"] == "许可一（新）"
    assert list(change["fields"]) == [
        "name",
        "mode",
        "exercised_in_name_of",
        "implementing_body",
        "legal_bases",
    ]
    assert change["fields"]["name"] == ("许可一", "许可一（新）")
    assert change["fields"]["mode"] == ("assign", "entrust")
    assert change["fields"]["legal_bases"][1] == bases


def test_responsibility_items_and_accountability_cases_are_compared(town):
    a = make_version(town, [entry("XK-1", "许可一")])
    b = make_version(
        town,
        [
            entry(
                "XK-1",
                "许可一",
                responsibility_items=[{"name": "受理责任", "content": "当场受理"}],
                accountability_cases=[{"text": "超过法定期限不予答复的。"}],
            )
        ],
    )

    [change] = diff_versions(a, b)["changed"]

    assert set(change["fields"]) == {"responsibility_items", "accountability_cases"}


def test_two_identical_versions_differ_in_nothing(town):
    a = make_version(town, [entry("XK-1", "许可一")])
    b = make_version(town, [entry("XK-1", "许可一")])

    assert diff_versions(a, b) == {"added": [], "removed": [], "changed": []}


def test_the_diff_reads_in_either_direction(town):
    a = make_version(town, [entry("XK-1", "许可一")])
    b = make_version(town, [entry("XK-1", "许可一"), entry("XK-2", "许可二")])

    backwards = diff_versions(b, a)

    assert [e["code"] for e in backwards["removed"]] == ["XK-2"]
    assert backwards["added"] == []


def test_a_version_diff_costs_two_queries(town, django_assert_num_queries):
    a = make_version(town, [entry(f"XK-{n}", f"许可{n}") for n in range(30)])
    b = make_version(town, [entry(f"XK-{n}", f"许可{n}") for n in range(5, 35)])

    with django_assert_num_queries(2):
        diff = diff_versions(a, b)

    assert len(diff["added"]) == len(diff["removed"]) == 5


def test_changed_values_are_shown_as_a_reader_reads_them():
    with translation.override("en"):
        assert display_value("category", "licence") == "administrative licence"
        assert display_value("fees", "") == "—"
        assert display_value("applies_on_application", True) == "yes"
    bases = [{"law": "《城乡规划法》", "article": "第四十一条", "excerpt": "摘录"}]
    assert display_value("legal_bases", bases) == "《城乡规划法》第四十一条：摘录"
    assert display_value("accountability_cases", [{"text": "甲"}, {"text": "乙"}]) == "甲\n乙"
