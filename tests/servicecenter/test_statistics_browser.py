"""The statistics and supervision pages in Chromium: charts drawn by the static script, and
no serious accessibility violation (axe-core)."""

import pytest

from tests.e2e.conftest import (  # noqa: F401 (the browser fixtures of the e2e suite)
    browser_context_args,
    browser_type_launch_args,
    serious_accessibility_violations,
)
from tests.servicecenter.test_statistics import build_hall

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hall(town_a, town_b):
    return build_hall(town_a, town_b).town


@pytest.fixture
def server(live_server, hall):
    return live_server.url


def test_the_public_statistics_page_draws_its_charts(page, server, hall):
    page.goto(f"{server}/towns/{hall.code}/services/statistics/")

    charts = page.locator("[data-chart][data-chart-ready='true']")
    charts.first.wait_for()
    assert charts.count() == 3
    assert page.locator("[data-chart] svg").count() == 3
    assert serious_accessibility_violations(page) == []


def test_the_staff_statistics_and_supervision_pages_are_accessible(
    page, server, leader_a, persona_password
):
    page.goto(f"{server}/accounts/login/?next=/hall/statistics/")
    page.locator("#id_username").fill("leader_a")
    page.locator("#id_password").fill(persona_password)
    page.locator("main form button[type=submit]").click()
    page.locator("[data-chart-ready='true']").first.wait_for()

    assert serious_accessibility_violations(page) == []
    page.goto(f"{server}/hall/supervision/")
    assert page.locator("h1").inner_text()
    assert serious_accessibility_violations(page) == []
