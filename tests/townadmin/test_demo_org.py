import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Sum

from townadmin.choices import DepartmentKind, ManagementMode, QuotaKind
from townadmin.demo_org import JUXIAN_DEVOLVING_DEPARTMENTS, seed_org
from townadmin.models import Community, County, Department, StaffingQuota, Town, Village

pytestmark = pytest.mark.django_db

XIAZHUANG = "371122104"
SHANGCUN = "130926104"


@pytest.fixture
def org(db):
    seed_org()


def test_xiazhuang_has_ten_communities_and_sixty_six_villages(org):
    assert Community.objects.filter(town__code=XIAZHUANG).count() == 10
    assert Village.objects.filter(town__code=XIAZHUANG).count() == 66


def test_every_xiazhuang_village_belongs_to_a_community_of_xiazhuang(org):
    villages = Village.objects.filter(town__code=XIAZHUANG)

    assert not villages.exclude(community__town__code=XIAZHUANG).exists()


def test_shangcun_has_thirty_two_villages(org):
    assert Village.objects.filter(town__code=SHANGCUN).count() == 32


def test_ju_county_has_the_fifteen_departments_that_devolved_powers_to_xiazhuang(org):
    names = [name for name, _, _ in JUXIAN_DEVOLVING_DEPARTMENTS]

    found = Department.objects.filter(
        county__code="371122", kind=DepartmentKind.COUNTY_DEPARTMENT, name__in=names
    )

    assert len(set(names)) == 15
    assert found.count() == 15


def test_xiazhuang_has_six_offices_and_three_centres(org):
    offices = Department.objects.filter(town__code=XIAZHUANG, kind=DepartmentKind.TOWN_OFFICE)

    assert offices.filter(name__endswith="办公室").count() == 6
    assert offices.filter(name__endswith="中心").count() == 3


def test_every_stationed_agency_has_a_county_parent_and_a_management_mode(org):
    agencies = Department.objects.filter(kind=DepartmentKind.STATIONED_AGENCY)

    assert agencies.count() >= 10
    for agency in agencies.select_related("parent", "town"):
        assert agency.parent.kind == DepartmentKind.COUNTY_DEPARTMENT
        assert agency.parent.county_id == agency.town.county_id
        assert agency.management_mode in ManagementMode.values


def test_the_pilot_towns_are_pilots_and_the_ordinary_towns_are_not(org):
    pilots = set(Town.objects.filter(is_pilot=True).values_list("code", flat=True))
    ordinary = set(Town.objects.filter(is_pilot=False).values_list("code", flat=True))

    assert pilots == {XIAZHUANG, SHANGCUN}
    assert ordinary == {"371122105", "130926105"}


def test_xiazhuang_carries_the_facts_of_the_seed_report(org):
    town = Town.objects.get(code=XIAZHUANG)

    assert (town.population, str(town.area_km2), town.pilot_since.year) == (69000, "114.80", 2014)


def test_each_county_total_covers_the_approved_posts_of_its_units(org):
    for county in County.objects.all():
        for kind, total in (
            (QuotaKind.ADMINISTRATIVE, county.administrative_posts_total),
            (QuotaKind.INSTITUTIONAL, county.institutional_posts_total),
        ):
            approved = StaffingQuota.objects.filter(department__county=county, kind=kind).aggregate(
                total=Sum("approved")
            )["total"]
            assert 0 < approved <= total


def test_no_unit_has_more_posts_filled_than_approved(org):
    assert not [quota for quota in StaffingQuota.objects.all() if quota.filled > quota.approved]


def test_seed_org_run_again_creates_nothing(org):
    models = (County, Town, Community, Village, Department, StaffingQuota)
    before = [model.objects.count() for model in models]

    seed_org()

    assert [model.objects.count() for model in models] == before


def test_seed_org_run_again_keeps_what_an_administrator_changed(org):
    Town.objects.filter(code=SHANGCUN).update(population=51000)

    seed_org()

    assert Town.objects.get(code=SHANGCUN).population == 51000


def test_seed_org_refuses_in_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(ImproperlyConfigured):
        seed_org()

    assert not County.objects.exists()
