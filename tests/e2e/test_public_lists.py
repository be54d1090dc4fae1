"""A citizen on a phone reads, searches and downloads a town's published power list."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import serious_accessibility_violations


@pytest.fixture
def demo(demo_with_lists):
    """These journeys read the published lists: the demo with them."""
    return demo_with_lists


SHANGCUN = "尚村镇"


def test_a_citizen_finds_a_power_by_a_two_character_word_and_downloads_the_same_rows(
    page, demo, tmp_path
):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(demo + "/towns/")
    assert serious_accessibility_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_role("link", name=SHANGCUN).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SHANGCUN)
    assert serious_accessibility_violations(page) == []

    page.locator("#q").fill("食品")
    page.locator("form.filters button[type=submit]").click()
    expect(page.locator("#q")).to_have_value("食品")
    found = page.locator("table.entries th[scope=row]").all_inner_texts()
    assert found and all("食品" in name for name in found)

    page.locator("#category").select_option("licence")
    page.locator("form.filters button[type=submit]").click()
    expect(page.locator("#category")).to_have_value("licence")
    codes = page.locator("table.entries td.code").all_inner_texts()
    assert codes and len(codes) < len(found)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert serious_accessibility_violations(page) == []

    item = page.locator("table.entries th[scope=row] a").first
    name = item.inner_text()
    item.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator("#bases-heading + ol.bases li").first).to_contain_text("《")
    expect(page.locator("dl.responsibilities dt").first).to_contain_text("责任")
    assert serious_accessibility_violations(page) == []

    page.go_back()
    expect(page.locator("#category")).to_have_value("licence")
    with page.expect_download() as download:
        page.locator("a[href*='lists.xlsx']").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)

    assert saved.suffix == ".xlsx"
    workbook = load_workbook(saved)
    rows = list(workbook.worksheets[0].values)
    assert rows[0][:3] == ("序号", "权力编码", "权力名称")
    assert [row[1] for row in rows[1:]] == codes


def test_a_citizen_compares_two_versions_of_a_town_list(page, demo):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(demo + "/towns/371122104/versions/")
    assert serious_accessibility_violations(page) == []

    page.locator("a[href$='/versions/1/diff/2/']").click()

    expect(page.locator("#added-heading + .table-wrap td.code").first).to_be_visible()
    expect(page.locator("#changed-heading ~ .change ins").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert serious_accessibility_violations(page) == []
