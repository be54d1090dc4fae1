"""Service items derived from the town's published list (``service_items_derive``): every
entry citizens apply for becomes an item; a new version refreshes them, unpublishes the
ones that left the list, and deriving twice changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from powers.choices import Category, DevolutionMode
from powers.services.register import register
from servicecenter.choices import Channel, ItemKind
from servicecenter.models import Application, Material, ServiceItem
from servicecenter.services import application_intake, service_items_derive
from servicecenter.services.items import DEFAULT_STATUTORY_DAYS
from tests.powers.factories import entry, make_version
from tests.servicecenter.factories import person
from townadmin.audit import timeline

pytestmark = pytest.mark.django_db

HOMESTEAD = "XK-990100-ZR-0001"
FIREWORKS = "XK-990100-YJ-0002"
SUBSIDY = "GF-990100-NY-0003"
INSPECTION = "JC-990100-ZR-0004"


def entries(**overrides):
    """Town A's list: three entries citizens apply for, one inspection power they do not.
    ``overrides`` maps a code to changed fields, or to None to leave the entry out."""
    listed = {
        HOMESTEAD: entry(
            HOMESTEAD,
            "农村村民宅基地审批",
            applies_on_application=True,
            statutory_days=20,
            promised_days=5,
            remedy_channel="向县人民政府申请行政复议",
            fees="不收费",
        ),
        FIREWORKS: entry(
            FIREWORKS,
            "烟花爆竹零售经营许可",
            applies_on_application=True,
            statutory_days=None,
            promised_days=None,
        ),
        SUBSIDY: entry(
            SUBSIDY,
            "耕地地力保护补贴发放",
            Category.PAYMENT,
            applies_on_application=True,
            statutory_days=0,
            promised_days=0,
        ),
        INSPECTION: entry(INSPECTION, "土地违法行为检查", Category.INSPECTION),
    }
    for code, change in overrides.items():
        if change is None:
            del listed[code]
        else:
            listed[code] = {**listed[code], **change}
    return list(listed.values())


def items(town):
    return {item.code: item for item in ServiceItem.objects.filter(town=town)}


def test_every_entry_citizens_apply_for_becomes_an_item(town_a, leader_a):
    make_version(town_a, entries())

    created, updated = service_items_derive(town=town_a, actor=leader_a)

    assert (created, updated) == (3, 0)
    assert set(items(town_a)) == {HOMESTEAD, FIREWORKS, SUBSIDY}


def test_an_item_copies_the_entrys_name_power_limits_office_and_remedy(town_a, leader_a):
    version = make_version(town_a, entries())

    service_items_derive(town=town_a, actor=leader_a)

    item = items(town_a)[HOMESTEAD]
    listed = version.entries.get(code=HOMESTEAD)
    assert (item.name, item.power_id, item.category) == (
        "农村村民宅基地审批",
        listed.power_id,
        Category.LICENCE,
    )
    assert (item.statutory_days, item.promised_days, item.kind) == (20, 5, ItemKind.PROMISED)
    assert item.responsible_office == listed.responsible_office
    assert item.exercised_in_name_of == listed.exercised_in_name_of
    assert (item.remedy_channel, item.fee_basis) == ("向县人民政府申请行政复议", "不收费")
    assert item.channels == [Channel.WINDOW, Channel.ONLINE, Channel.AGENT]
    assert item.is_published


def test_an_entry_without_limits_gets_the_licence_laws_twenty_days(town_a, leader_a):
    make_version(town_a, entries())

    service_items_derive(town=town_a, actor=leader_a)

    item = items(town_a)[FIREWORKS]
    assert (item.statutory_days, item.promised_days) == (DEFAULT_STATUTORY_DAYS,) * 2


def test_an_entry_with_a_promise_but_no_statutory_limit_keeps_the_law_behind_the_promise(
    town_a, leader_a
):
    make_version(town_a, entries(**{FIREWORKS: {"promised_days": 3}}))

    service_items_derive(town=town_a, actor=leader_a)

    item = items(town_a)[FIREWORKS]
    assert (item.statutory_days, item.promised_days) == (DEFAULT_STATUTORY_DAYS, 3)


def test_an_entry_decided_on_the_spot_becomes_an_instant_item(town_a, leader_a):
    make_version(town_a, entries())

    service_items_derive(town=town_a, actor=leader_a)

    item = items(town_a)[SUBSIDY]
    assert (item.kind, item.promised_days, item.statutory_days) == (ItemKind.INSTANT, 0, 0)


def test_a_new_version_refreshes_the_items_whose_entry_changed(town_a, leader_a):
    make_version(town_a, entries())
    service_items_derive(town=town_a, actor=leader_a)
    make_version(
        town_a,
        entries(**{HOMESTEAD: {"promised_days": 3, "name": "农村村民宅基地和建房审批"}}),
    )

    created, updated = service_items_derive(town=town_a, actor=leader_a)

    assert (created, updated) == (0, 1)
    item = items(town_a)[HOMESTEAD]
    assert (item.name, item.promised_days) == ("农村村民宅基地和建房审批", 3)


def test_refreshing_keeps_the_halls_own_guide(town_a, leader_a):
    make_version(town_a, entries())
    service_items_derive(town=town_a, actor=leader_a)
    item = items(town_a)[HOMESTEAD]
    Material.objects.create(item=item, position=1, name="宅基地申请表")
    ServiceItem.objects.filter(pk=item.pk).update(conditions="本村集体经济组织成员", max_visits=0)
    make_version(town_a, entries(**{HOMESTEAD: {"promised_days": 3}}))

    service_items_derive(town=town_a, actor=leader_a)

    item = items(town_a)[HOMESTEAD]
    assert (item.conditions, item.max_visits) == ("本村集体经济组织成员", 0)
    assert list(item.materials.values_list("name", flat=True)) == ["宅基地申请表"]


def test_an_item_whose_entry_left_the_list_is_unpublished_not_deleted(town_a, leader_a):
    make_version(town_a, entries())
    service_items_derive(town=town_a, actor=leader_a)
    make_version(town_a, entries(**{FIREWORKS: None}))

    service_items_derive(town=town_a, actor=leader_a)

    assert items(town_a)[FIREWORKS].is_published is False
    assert items(town_a)[HOMESTEAD].is_published is True


def test_an_item_whose_entry_comes_back_is_published_again(town_a, leader_a):
    make_version(town_a, entries())
    service_items_derive(town=town_a, actor=leader_a)
    make_version(town_a, entries(**{FIREWORKS: None}))
    service_items_derive(town=town_a, actor=leader_a)
    make_version(town_a, entries())

    created, updated = service_items_derive(town=town_a, actor=leader_a)

    assert (created, updated) == (0, 1)
    assert items(town_a)[FIREWORKS].is_published is True


def test_deriving_twice_changes_nothing(town_a, leader_a):
    make_version(town_a, entries())
    service_items_derive(town=town_a, actor=leader_a)
    before = {code: (item.updated_at, item.is_published) for code, item in items(town_a).items()}

    assert service_items_derive(town=town_a, actor=leader_a) == (0, 0)
    after = {code: (item.updated_at, item.is_published) for code, item in items(town_a).items()}
    assert after == before


def test_deriving_is_recorded_on_the_towns_timeline(town_a, leader_a):
    version = make_version(town_a, entries())

    service_items_derive(town=town_a, actor=leader_a)

    step = timeline(town_a).get(to_status="service_items_derived")
    assert step.actor == leader_a
    assert step.payload == {"version": version.number, "created": 3, "updated": 0}


def test_a_town_without_a_published_list_has_nothing_to_derive(town_a, leader_a):
    assert service_items_derive(town=town_a, actor=leader_a) == (0, 0)
    assert not ServiceItem.objects.exists()


def test_another_towns_items_are_left_alone(town_a, town_b, leader_a, leader_b):
    make_version(town_a, entries())
    make_version(town_b, entries(**{SUBSIDY: None}))
    service_items_derive(town=town_b, actor=leader_b)

    service_items_derive(town=town_a, actor=leader_a)

    assert set(items(town_b)) == {HOMESTEAD, FIREWORKS}
    assert all(item.is_published for item in items(town_b).values())


def test_a_derived_item_of_a_held_power_takes_applications(town_a, leader_a, clerk_a):
    version = make_version(town_a, entries())
    register(
        town=town_a,
        power=version.entries.get(code=HOMESTEAD).power,
        mode=DevolutionMode.ASSIGN,
        exercised_in_name_of="甲镇人民政府",
        effective_from=datetime.date(2026, 1, 1),
        document_no="甲政发〔2026〕1号",
    )
    service_items_derive(town=town_a, actor=leader_a)

    application, created = application_intake(
        item=items(town_a)[HOMESTEAD],
        channel=Channel.WINDOW,
        applicant=person(),
        materials=[],
        actor=clerk_a,
    )

    assert created
    assert application.status == Application.Status.RECEIVED


def test_a_window_clerk_cannot_derive_the_towns_items(town_a, clerk_a):
    make_version(town_a, entries())

    with pytest.raises(PermissionDenied):
        service_items_derive(town=town_a, actor=clerk_a)

    assert not ServiceItem.objects.exists()


def test_the_leader_of_town_b_cannot_derive_town_as_items(town_a, leader_b):
    make_version(town_a, entries())

    with pytest.raises(Http404):
        service_items_derive(town=town_a, actor=leader_b)
