"""A citizen on a phone reads a town's service guides, follows an application and rates it.

Controls are found by their names and values, not by their words, so the journeys hold
whichever language the pages are read in.
"""

import json
import re

import pytest
from playwright.sync_api import expect

from servicecenter.models import Application, Rating
from tests.conftest import _persona
from tests.e2e.conftest import serious_accessibility_violations
from tests.servicecenter.factories import make_item, person
from tests.servicecenter.test_ratings import completed

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def site(live_server):
    return live_server.url


@pytest.fixture
def item(town_a):
    """A licence town A holds, with five materials (one obtained from another system)."""
    return make_item(town_a)


@pytest.fixture
def approver(unit_a, posting_admin):
    from townadmin.choices import Role

    return _persona("approver", "甲镇审批", Role.APPROVER, unit_a, posting_admin)


@pytest.fixture
def applicant():
    return person()


def fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def look_up(page, site, application):
    page.goto(site + "/services/status/")
    page.locator("#id_receipt_no").fill(application.receipt_no)
    page.locator("#id_code").fill(application.verification_code)
    page.locator("main form[action$='/services/status/'] button[type=submit]").click()


def test_a_citizen_reads_a_guide_then_rates_a_completed_application_once(
    page, site, item, clerk_a, approver, applicant
):
    application = completed(item, clerk_a, approver, applicant)
    page.set_viewport_size(PHONE)

    page.goto(f"{site}/towns/{item.town.code}/services/")
    assert serious_accessibility_violations(page) == []
    assert fits_the_phone(page)
    page.get_by_role("link", name=item.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(item.name)
    data = json.loads(page.locator("script[type='application/ld+json']").text_content())
    assert data["name"] == item.name
    expect(page.locator("#materials-heading + .table-wrap tbody tr")).to_have_count(5)
    assert serious_accessibility_violations(page) == []
    assert fits_the_phone(page)

    page.locator("a[href$='/services/status/']").first.click()
    assert serious_accessibility_violations(page) == []
    look_up(page, site, application)
    expect(page).to_have_url(re.compile(r"/services/status/$"))
    expect(page.locator("p.lead")).to_contain_text(application.receipt_no)
    assert application.verification_code not in page.url
    assert serious_accessibility_violations(page) == []
    assert fits_the_phone(page)

    page.locator("input[name=level][value='5']").check()
    expect(page.locator("label", has=page.locator("input[name=level][value='5']"))).to_contain_text(
        "非常满意"
    )
    page.locator("input[name=tags][value=friendly]").check()
    page.locator("main form[action$='/status/rating/'] button[type=submit]").click()

    expect(page.locator(".messages .message.success")).to_be_visible()
    expect(page.locator("#ratings-heading + ul")).to_contain_text("非常满意")
    expect(page.locator("form.rating-form")).to_have_count(0)
    assert serious_accessibility_violations(page) == []
    rating = Rating.objects.get(application=application)
    assert (rating.level, rating.tags) == (5, ["friendly"])

    page.context.clear_cookies()
    look_up(page, site, application)
    expect(page.locator("p.lead")).to_contain_text(application.receipt_no)
    expect(page.locator("form.rating-form")).to_have_count(0)


def test_a_citizen_applies_online_and_keeps_the_receipt_and_code(page, site, item, applicant):
    page.set_viewport_size(PHONE)
    page.goto(f"{site}/towns/{item.town.code}/services/{item.code}/apply/")
    assert serious_accessibility_violations(page) == []
    assert fits_the_phone(page)

    page.locator("#id_name").fill(applicant["name"])
    page.locator("#id_id_number").fill(applicant["id_number"])
    page.locator("#id_phone").fill(applicant["phone"])
    for material in item.materials.filter(shared_from=""):
        page.locator(f"input[name=materials][value='{material.pk}']").check()
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/services/status/$"))
    application = Application.objects.get()
    expect(page.locator("#submitted")).to_contain_text(application.verification_code)
    expect(page.locator("#submitted")).to_contain_text(application.receipt_no)
    assert application.status == "draft"
    assert serious_accessibility_violations(page) == []


def test_the_complaint_form_has_no_serious_accessibility_problem(page, site, item):
    page.set_viewport_size(PHONE)
    page.goto(f"{site}/towns/{item.town.code}/complaints/new/")

    assert serious_accessibility_violations(page) == []
    assert fits_the_phone(page)
