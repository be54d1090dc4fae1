import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townadmin.choices import DepartmentKind, ManagementMode, QuotaKind
from townadmin.models import Community, Department, StaffingQuota, User, Village

pytestmark = pytest.mark.django_db


def organisation_url(town):
    return f"/towns/{town.code}/organisation/"


def add_units(town, count, *, start=0):
    """``count`` offices and stationed agencies with quotas, communities and villages."""
    parent, _ = Department.objects.get_or_create(
        county=town.county, name=f"县局{town.code}", kind=DepartmentKind.COUNTY_DEPARTMENT
    )
    for number in range(start, start + count):
        office = Department.objects.create(
            county=town.county, town=town, name=f"办公室{number}", kind=DepartmentKind.TOWN_OFFICE
        )
        agency = Department.objects.create(
            county=town.county,
            town=town,
            name=f"派驻所{number}",
            kind=DepartmentKind.STATIONED_AGENCY,
            parent=parent,
            management_mode=ManagementMode.DUAL,
        )
        StaffingQuota.objects.create(
            department=office, kind=QuotaKind.ADMINISTRATIVE, approved=3, filled=2
        )
        StaffingQuota.objects.create(
            department=agency, kind=QuotaKind.INSTITUTIONAL, approved=2, filled=1
        )
        community = Community.objects.create(town=town, name=f"社区{number}")
        Village.objects.create(town=town, community=community, name=f"村{number}")


def test_a_clerk_sees_the_offices_agencies_and_staffing_of_their_town(client_as, clerk_a, town_a):
    add_units(town_a, 2)

    response = client_as(clerk_a).get(organisation_url(town_a))

    assert response.status_code == 200
    organisation = response.context["organisation"]
    assert [unit.name for unit in organisation.stationed_agencies] == ["派驻所0", "派驻所1"]
    assert "办公室0" in [unit.name for unit in organisation.offices]
    content = response.content.decode()
    assert "派驻所1" in content and f"县局{town_a.code}" in content


def test_the_staffing_total_adds_up_the_units(client_as, clerk_a, town_a):
    add_units(town_a, 3)

    total = client_as(clerk_a).get(organisation_url(town_a)).context["organisation"].total

    assert (total.administrative_approved, total.administrative_filled) == (9, 6)
    assert (total.institutional_approved, total.institutional_filled) == (6, 3)


def test_the_page_counts_the_communities_and_villages(client_as, clerk_a, town_a):
    add_units(town_a, 4)

    town = client_as(clerk_a).get(organisation_url(town_a)).context["town"]

    assert (town.community_count, town.village_count) == (4, 4)


def test_a_town_outside_the_users_reach_answers_404(client_as, clerk_a, town_b):
    assert client_as(clerk_a).get(organisation_url(town_b)).status_code == 404


def test_an_unknown_town_answers_404(client_as, clerk_a):
    assert client_as(clerk_a).get("/towns/000000000/organisation/").status_code == 404


def test_a_county_reviewer_sees_every_town_of_the_county(client_as, reviewer, town_a, town_b):
    client = client_as(reviewer)

    assert client.get(organisation_url(town_a)).status_code == 200
    assert client.get(organisation_url(town_b)).status_code == 200


def test_an_anonymous_visitor_is_sent_to_log_in(client, town_a):
    response = client.get(organisation_url(town_a))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_xiazhuang_shows_the_figures_of_the_seed_report(client_as, demo_data):
    clerk = User.objects.get(username="clerk_xiazhuang")

    response = client_as(clerk).get("/towns/371122104/organisation/")

    town = response.context["town"]
    assert (town.community_count, town.village_count, town.population) == (10, 66, 69000)
    assert len(response.context["organisation"].offices) == 9


def test_the_page_costs_as_many_queries_with_ten_times_the_units(
    client_as, clerk_a, town_a, django_assert_num_queries
):
    client = client_as(clerk_a)
    add_units(town_a, 2)
    with CaptureQueriesContext(connection) as small:
        client.get(organisation_url(town_a))

    add_units(town_a, 18, start=2)

    with django_assert_num_queries(len(small)):
        response = client.get(organisation_url(town_a))
    assert len(response.context["organisation"].stationed_agencies) == 20
