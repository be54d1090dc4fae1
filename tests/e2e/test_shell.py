"""A visitor's first minutes with the portal, in a real browser."""

from playwright.sync_api import expect

from tests.e2e.conftest import serious_accessibility_violations
from townadmin.demo import DEMO_PASSWORD


def test_a_visitor_switches_to_english_logs_in_and_logs_out(page, demo):
    page.goto(demo + "/")
    expect(page.get_by_role("link", name="镇级权力运行管理平台")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Home")).to_be_visible()

    page.get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("link", name="Administration")).to_be_visible()
    expect(page.get_by_text("系统管理员")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)


def test_a_wrong_password_shows_an_error_in_chinese(page, demo):
    page.goto(demo + "/accounts/login/")

    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").last.click()

    expect(page.get_by_role("alert")).to_contain_text("请输入一个正确的")
    assert serious_accessibility_violations(page) == []


def test_on_a_phone_the_page_fits_the_screen_and_the_menu_is_reachable(page, demo):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(demo + "/")

    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 375
    expect(page.get_by_role("link", name="首页")).to_be_in_viewport()
    expect(page.get_by_role("link", name="登录")).to_be_in_viewport()
