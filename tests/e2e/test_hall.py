"""At the window and in the back office: a clerk takes an application with a material
missing, prints the one-time notice, takes the resubmission and accepts it; an approver
completes it; its page shows every step; the citizen looks it up with the receipt number
and the verification code and rates it.

Buttons are found by the address their form posts to, not by their words, so the
journey holds whichever language the pages are read in.
"""

import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from servicecenter.models import Application
from tests.e2e.conftest import serious_accessibility_violations
from tests.servicecenter.factories import make_item, person
from townadmin.audit import timeline
from townadmin.demo import DEMO_PASSWORD
from townadmin.models import Town
from townadmin.models.calendar import CalendarYear

XIAZHUANG = "371122104"
MISSING = "建设工程设计方案"
CERTIFICATE = "乡字第371122202600017号"


@pytest.fixture
def item(demo):
    """A licence Xiazhuang holds, with its guide (the demo's own items may differ)."""
    # A clock started today may run into next year, which the calendar package may not
    # carry yet: mark it loaded, as an administrator does once it is published.
    CalendarYear.objects.get_or_create(year=timezone.localdate().year + 1)
    return make_item(
        Town.objects.get(code=XIAZHUANG), code="XK-E2E-001", name="乡村建设规划许可证核发（测试）"
    )


def sign_in(page, demo, username):
    page.context.clear_cookies()
    page.goto(demo + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/workbench/$"))


def step(page, verb):
    return page.locator(f"main form[action$='/{verb}/'] button[type=submit]")


def test_a_clerk_takes_an_application_with_a_missing_material_an_approver_completes_it_and_the_citizen_rates_it(  # noqa: E501
    page, demo, item
):
    applicant = person("371122", seed=11)

    sign_in(page, demo, "clerk_xiazhuang")
    page.goto(demo + "/hall/")
    assert serious_accessibility_violations(page) == []
    page.locator("#item-q").fill("规划许可")
    result = page.locator("#item-results a", has_text=item.name)
    expect(result).to_be_visible()
    result.click()

    expect(page).to_have_url(re.compile(rf"/hall/new/{item.pk}/$"))
    page.locator("#id_name").fill(applicant["name"])
    page.locator("#id_id_number").fill(applicant["id_number"])
    page.locator("#id_phone").fill(applicant["phone"])
    for material in item.materials.filter(shared_from=""):
        if material.name != MISSING:
            page.locator(f"#material-{material.pk}").check()
    assert serious_accessibility_violations(page) == []
    page.locator("main form.intake-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/hall/applications/\d+/$"))
    application = Application.objects.get(item=item)
    expect(page.locator("h1")).to_contain_text(application.receipt_no)
    expect(page.locator("form.step-notify-missing .missing-list")).to_have_text(re.compile(MISSING))
    assert serious_accessibility_violations(page) == []
    step(page, "notify-missing").click()
    expect(page.locator("p.lead .hall-status-correction")).to_be_visible()

    link = page.locator(".hall-notices a[href$='.pdf']").last  # after the receipt
    pdf = page.request.get(demo + link.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert MISSING in text.replace("\n", "")
    assert application.receipt_no in text.replace("\n", "")

    page.locator("form.step-resubmit input[type=checkbox]").check()
    step(page, "resubmit").click()
    expect(page.locator("p.lead .hall-status-received")).to_be_visible()
    step(page, "accept").click()
    expect(page.locator("p.lead .hall-status-accepted")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    application_url = page.url

    sign_in(page, demo, "approver_xiazhuang")
    page.goto(demo + "/hall/office/")
    row = page.locator("table.hall-office tbody tr", has_text=application.receipt_no)
    expect(row).to_contain_text(item.name)
    assert serious_accessibility_violations(page) == []
    row.get_by_role("link", name=application.receipt_no).click()
    expect(page).to_have_url(application_url)
    page.locator("input[name='complete-decision'][value='approved']").check()
    page.locator("#id_complete-certificate_no").fill(CERTIFICATE)
    assert serious_accessibility_violations(page) == []
    step(page, "complete").click()

    expect(page.locator("p.lead .hall-status-approved")).to_be_visible()
    expect(page.locator("main")).to_contain_text(CERTIFICATE)
    steps = timeline(application)
    assert [t.to_status for t in steps] == [
        "received",
        "correction",
        "received",
        "accepted",
        "approved",
    ]
    expect(page.locator(".hall-timeline > li")).to_have_count(len(steps))
    expect(page.locator(".hall-timeline")).to_contain_text("刘晓燕")
    expect(page.locator(".hall-timeline")).to_contain_text("陈志刚")

    page.goto(demo + "/hall/applications/?q=" + application.receipt_no)
    expect(page.locator("table.hall-list tbody tr")).to_have_count(1)
    assert serious_accessibility_violations(page) == []

    # The citizen, signed in as nobody, with what the acceptance notice printed.
    page.context.clear_cookies()
    application.refresh_from_db()
    page.goto(demo + "/services/status/")
    page.locator("#id_receipt_no").fill(application.receipt_no)
    page.locator("#id_code").fill(application.verification_code)
    page.locator("main form[action$='/services/status/'] button[type=submit]").click()
    expect(page.locator("p.lead")).to_contain_text(application.receipt_no)
    assert serious_accessibility_violations(page) == []
    page.locator("input[name=level][value='5']").check()
    page.locator("input[name=tags][value=efficient]").check()
    page.locator("main form[action$='/status/rating/'] button[type=submit]").click()
    expect(page.locator(".messages .message.success")).to_be_visible()
    expect(page.locator("form.rating-form")).to_have_count(0)
    rating = application.ratings.get()
    assert (rating.level, rating.tags) == (5, ["efficient"])
