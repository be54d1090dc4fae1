"""A list adjustment from the town's draft to the public list, and a clerk who cannot approve it.

Buttons are found by the address their form posts to, not by their words, so the
journey holds whichever language the pages are read in.
"""

import re

import pytest
from playwright.sync_api import expect

from powers import services
from powers.models import Adjustment, ListEntry
from powers.selectors import current_version
from tests.e2e.conftest import serious_accessibility_violations
from townadmin.demo import DEMO_PASSWORD
from townadmin.models import Town, User


@pytest.fixture
def demo(demo_with_lists):
    """These journeys read the published lists: the demo with them."""
    return demo_with_lists


XIAZHUANG = "371122104"
DOCUMENT_NO = "莒编办字〔2026〕18号"


def sign_in(page, demo, username):
    page.context.clear_cookies()
    page.goto(demo + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/workbench/$"))


def step(page, name):
    return page.locator(f"main form[action$='/{name}/'] button[type=submit]")


def last_listed_entry():
    """The last power on Xiazhuang's current list: the one the journey removes."""
    version = current_version(Town.objects.get(code=XIAZHUANG))
    return ListEntry.objects.filter(version=version).order_by("-position").first(), version


def test_a_reviewer_approves_a_town_s_adjustment_and_the_public_list_moves_to_the_new_version(
    page, demo
):
    entry, before = last_listed_entry()

    sign_in(page, demo, "leader_xiazhuang")
    page.goto(demo + "/review/adjustments/")
    assert serious_accessibility_violations(page) == []
    page.locator("#id_title").fill("取消一项镇级权力")
    page.locator("#id_town").select_option(label="夏庄镇")
    page.locator("main form[action$='/review/adjustments/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/review/adjustments/\d+/$"))
    page.locator("#id_action input[value=remove]").check()
    page.locator("#id_code").fill(entry.code)
    page.locator("#id_reason").fill("该事项镇街承接条件不足，由县级部门收回实施。")
    page.locator("main form[action$='/items/'] button[type=submit]").click()
    expect(page.locator(f"#item-{entry.code}")).to_contain_text(entry.name)
    assert serious_accessibility_violations(page) == []
    step(page, "submit").click()
    expect(page.locator("p.lead .status-legal_review")).to_be_visible()
    adjustment_url = page.url

    sign_in(page, demo, "reviewer_juxian")
    page.goto(demo + "/review/")
    row = page.locator("table.data tbody tr", has_text="取消一项镇级权力")
    expect(row).to_contain_text("夏庄镇")
    assert serious_accessibility_violations(page) == []
    row.get_by_role("link", name="取消一项镇级权力").click()
    expect(page).to_have_url(adjustment_url)
    page.locator("#id_opinion").fill("经审查，该调整符合法律法规规定。")
    step(page, "pass-legal-review").click()
    expect(page.locator("p.lead .status-submitted")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    page.locator("#id_document_no").fill(DOCUMENT_NO)
    step(page, "approve").click()
    expect(page.locator("p.lead .status-approved")).to_be_visible()
    new_number = before.number + 1
    public = page.locator(f"a[href$='/towns/{XIAZHUANG}/lists/?version={new_number}']")
    expect(public).to_be_visible()
    assert serious_accessibility_violations(page) == []

    page.context.clear_cookies()
    page.goto(demo + f"/towns/{XIAZHUANG}/lists/")
    facts = page.locator("dl.version-facts")
    expect(facts.locator("dd").first).to_contain_text(re.compile(rf"(^|\D){new_number}(\D|$)"))
    expect(facts).to_contain_text(DOCUMENT_NO)
    page.goto(demo + f"/towns/{XIAZHUANG}/lists/?q={entry.code}&version={before.number}")
    expect(page.locator("table.entries td.code", has_text=entry.code)).to_have_count(1)
    page.goto(demo + f"/towns/{XIAZHUANG}/lists/?q={entry.code}")
    expect(page.locator("table.entries td.code", has_text=entry.code)).to_have_count(0)
    page.goto(demo + f"/towns/{XIAZHUANG}/versions/{before.number}/diff/{new_number}/")
    expect(page.locator("main")).to_contain_text(entry.code)
    expect(page.locator("main")).to_contain_text(entry.name)


def test_a_window_clerk_opening_the_adjustment_cannot_approve_it(page, demo):
    town = Town.objects.get(code=XIAZHUANG)
    leader = User.objects.get(username="leader_xiazhuang")
    reviewer = User.objects.get(username="reviewer_juxian")
    entry, _version = last_listed_entry()
    adjustment = services.adjustment_create(town=town, title="待批准的调整", actor=leader)
    services.adjustment_item_add(
        adjustment=adjustment, action="remove", code=entry.code, reason="县局收回。", actor=leader
    )
    services.adjustment_submit(adjustment=adjustment, actor=leader)
    services.adjustment_pass_legal_review(adjustment=adjustment, opinion="合法。", actor=reviewer)

    sign_in(page, demo, "clerk_xiazhuang")
    expect(page.locator("nav.main-nav a[href='/review/']")).to_have_count(0)
    page.goto(demo + f"/review/adjustments/{adjustment.pk}/")

    expect(page.get_by_role("heading", level=1)).to_have_text("待批准的调整")
    expect(page.locator("main form[action$='/approve/']")).to_have_count(0)
    assert serious_accessibility_violations(page) == []
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    forged = page.request.post(
        demo + f"/review/adjustments/{adjustment.pk}/approve/",
        form={"csrfmiddlewaretoken": token, "document_no": DOCUMENT_NO},
    )
    assert forged.status == 403
    adjustment.refresh_from_db()
    assert adjustment.status == Adjustment.Status.SUBMITTED
