"""A clerk's first minutes: sign in, land on the workbench, open the town's organisation."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import serious_accessibility_violations
from townadmin.demo import DEMO_PASSWORD


def test_a_clerk_lands_on_the_workbench_and_opens_the_towns_organisation(page, demo):
    page.goto(demo + "/accounts/login/")
    page.locator("#id_username").fill("clerk_xiazhuang")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/workbench/$"))
    expect(page.get_by_text("刘晓燕").first).to_be_visible()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="夏庄镇").click()

    expect(page).to_have_url(re.compile(r"/towns/371122104/organisation/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("夏庄镇")
    expect(page.get_by_role("rowheader", name="便民服务中心").first).to_be_visible()
    expect(page.get_by_role("rowheader", name="夏庄派出所").first).to_be_visible()
    expect(page.get_by_role("cell", name="莒县公安局")).to_be_visible()
    assert serious_accessibility_violations(page) == []


def test_a_clerk_cannot_open_another_towns_organisation(page, demo):
    page.goto(demo + "/accounts/login/")
    page.locator("#id_username").fill("clerk_xiazhuang")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/workbench/$"))

    response = page.goto(demo + "/towns/130926104/organisation/")

    assert response.status == 404


def test_on_a_phone_the_staffing_table_scrolls_inside_the_page(page, demo):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(demo + "/accounts/login/")
    page.locator("#id_username").fill("clerk_xiazhuang")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/workbench/$"))

    page.goto(demo + "/towns/371122104/organisation/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 375
