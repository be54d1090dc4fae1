"""The statistics pages: /hall/statistics/ for staff, /towns/<code>/services/statistics/ for all."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from servicecenter.models import Application
from tests.servicecenter.test_statistics import application, at, build_hall

pytestmark = pytest.mark.django_db

Status = Application.Status
URL = reverse("servicecenter:statistics")


@pytest.fixture
def data(town_a, town_b):
    return build_hall(town_a, town_b)


@pytest.fixture
def hall(data):
    return data.town


def public_url(town):
    return reverse("servicecenter:public-statistics", args=[town.code])


def chart(response, name):
    """The data of a chart, as charts.js reads it from the json_script block."""
    match = re.search(
        rf'<script id="{name}-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, f"no data for {name}"
    return json.loads(match.group(1))


def test_a_clerk_sees_the_figures_of_the_town_by_town_item_and_month(client_as, clerk_a, hall):
    response = client_as(clerk_a).get(URL)

    assert response.status_code == 200
    (row,) = response.context["town_rows"]
    assert (row.label, row.counts.applications, row.percent["on_time_rate"]) == ("甲镇", 6, 75.0)
    assert [r.counts.applications for r in response.context["item_rows"]] == [5, 1]
    assert "75.0%" in response.content.decode()


def test_the_charts_carry_the_figures_and_the_published_targets(client_as, clerk_a, hall):
    shares = chart(client_as(clerk_a).get(URL), "chart-shares")

    town, *references = shares["series"]
    assert town["name"] == "甲镇" and 75.0 in town["data"]
    assert len(references) == 2  # Hangzhou 2020 and Shanghai 2022
    assert [reference["kind"] for reference in references] == ["reference", "reference"]
    assert any(99.96 in reference["data"] for reference in references)


def test_the_trend_chart_counts_applications_by_month(client_as, clerk_a, hall):
    trend = chart(client_as(clerk_a).get(URL + "?start=2026-09-01&end=2026-10-31"), "chart-trend")

    assert trend["categories"] == ["2026-09", "2026-10"]
    assert trend["series"][0]["data"] == [1, 5]


def test_the_page_loads_the_vendored_echarts_and_no_inline_script(client_as, clerk_a, hall):
    page = client_as(clerk_a).get(URL).content.decode()

    assert "vendor/echarts/echarts.min.js" in page and "servicecenter/charts.js" in page
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", page)
    assert scripts == []


def test_one_item_can_be_chosen(client_as, clerk_a, data):
    response = client_as(clerk_a).get(URL, {"item": data.instant.pk})

    assert response.context["overall"].counts.applications == 1


def test_a_town_outside_the_reach_is_not_a_choice(client_as, clerk_b, hall):
    response = client_as(clerk_b).get(URL, {"town": hall.code})

    assert response.status_code == 400
    assert "甲镇" not in response.content.decode()


def test_a_clerk_of_another_town_sees_none_of_town_a_s_figures(client_as, clerk_b, hall):
    response = client_as(clerk_b).get(URL)

    assert [row.label for row in response.context["town_rows"]] == ["乙镇"]
    assert response.context["overall"].counts.applications == 1


def test_a_village_agent_reads_no_records_and_gets_no_statistics(client_as, agent_a, hall):
    assert client_as(agent_a).get(URL).status_code == 403


def test_the_staff_page_costs_the_same_queries_with_tenfold_applications(
    client_as, clerk_a, data, django_assert_num_queries
):
    client = client_as(clerk_a)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for _ in range(60):
        application(
            data.promised,
            status=Status.APPROVED,
            accepted=at(10, 8),
            completed=at(10, 9),
            on_time=True,
        )

    with django_assert_num_queries(len(small)):
        response = client.get(URL)

    assert response.context["overall"].counts.applications == 66


def test_the_public_page_shows_one_town_s_figures_without_a_login(client, hall):
    response = client.get(public_url(hall))

    assert response.status_code == 200
    assert response.context["overall"].counts.applications == 6
    assert chart(response, "chart-shares")["series"][0]["data"][0] == 75.0
    assert chart(response, "chart-items")["categories"] == [
        "乡村建设规划许可证核发",
        "个体工商户名称自主申报",
    ]


def test_the_public_page_shows_no_applicant(client, hall):
    page = client.get(public_url(hall)).content.decode()

    assert "张三" not in page and "110101199003077777" not in page and "-STAT-" not in page


def test_the_public_page_of_an_unknown_town_is_not_found(client, db):
    assert client.get("/towns/000000000/services/statistics/").status_code == 404


def test_the_public_page_refuses_a_malformed_date(client, hall):
    assert client.get(public_url(hall), {"start": "yesterday"}).status_code == 400
