"""A town leader imports a power list: a messy file shows its problems, a clean one drafts."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from powers.imports.rows import DUPLICATE_CODE, MISSING_NAME
from powers.models import Adjustment
from tests.e2e.conftest import serious_accessibility_violations
from tests.powers.fixtures import clean_sheet, messy_sheet
from townadmin.demo import DEMO_PASSWORD


@pytest.fixture
def demo(demo_with_lists):
    """These journeys read the published lists: the demo with them."""
    return demo_with_lists


XIAZHUANG = "371122104"
DEPARTMENT = "莒县市场监督管理局"


def sign_in(page, demo):
    page.goto(demo + "/accounts/login/")
    page.locator("#id_username").fill("leader_xiazhuang")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/workbench/$"))


def upload(page, demo, path):
    page.goto(f"{demo}/review/towns/{XIAZHUANG}/import/")
    page.locator("#id_file").set_input_files(str(path))
    page.locator("#id_document_no").fill("莒政发〔2026〕8号")
    page.locator("#id_effective_from").fill("2026-03-01")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/import/preview/$"))


def test_a_town_leader_sees_a_messy_files_problems_and_no_confirmation(page, demo, tmp_path):
    sheet = messy_sheet(DEPARTMENT)
    path = tmp_path / sheet.name
    path.write_bytes(sheet.content)
    sign_in(page, demo)
    before = Adjustment.objects.count()

    upload(page, demo, path)

    with translation.override("zh-hans"):
        duplicate = str(DUPLICATE_CODE % {"code": "XK-001", "rows": "4、8"})
        missing_name = str(MISSING_NAME)
    expect(page.locator("#row-4")).to_contain_text(duplicate)
    expect(page.locator("#row-8")).to_contain_text(duplicate)
    expect(page.locator("#row-9")).to_contain_text(missing_name)
    expect(page.locator("#rows-with-problems")).to_have_text("4")
    expect(page.locator("button[name=confirm]")).to_have_count(0)
    assert Adjustment.objects.count() == before
    assert serious_accessibility_violations(page) == []


def test_a_town_leader_confirms_a_clean_file_into_a_draft_adjustment(page, demo, tmp_path):
    sheet = clean_sheet(DEPARTMENT, prefix="371122")
    path = tmp_path / sheet.name
    path.write_bytes(sheet.content)
    sign_in(page, demo)
    upload(page, demo, path)
    expect(page.locator("#problem-count")).to_have_text("0")
    assert serious_accessibility_violations(page) == []

    page.locator("button[name=confirm]").click()

    expect(page).to_have_url(re.compile(r"/review/adjustments/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(sheet.name)
    adjustment = Adjustment.objects.get(title__contains=sheet.name)
    assert (adjustment.town.code, adjustment.status) == (XIAZHUANG, Adjustment.Status.DRAFT)
    assert adjustment.drafted_by.username == "leader_xiazhuang"
    assert sorted(adjustment.items.values_list("code", flat=True)) == [
        "CF-371122-IMP-001",
        "QR-371122-IMP-001",
        "XK-371122-IMP-001",
    ]
