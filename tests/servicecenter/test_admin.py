"""The hall's admin: the town leader keeps the guides of their own town; applications and
notices are read-only; the applicant's identity number never appears in full."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servicecenter.choices import Channel, NoticeKind
from servicecenter.models import Material
from servicecenter.services import application_intake, application_notify_missing
from tests.servicecenter.factories import make_item, material_ids, person

pytestmark = pytest.mark.django_db

ITEMS = "/admin/servicecenter/serviceitem/"
APPLICATIONS = "/admin/servicecenter/application/"
NOTICES = "/admin/servicecenter/notice/"


@pytest.fixture
def staff_leader_a(leader_a):
    # The town leader's role does not open /admin/ by itself: whoever keeps the guides
    # is made staff (see the report on townadmin/roles.py).
    leader_a.is_staff = True
    leader_a.save(update_fields=["is_staff"])
    return leader_a


@pytest.fixture
def leader_client(client_as, staff_leader_a):
    return client_as(staff_leader_a)


def take(item, clerk, *, seed=7, presented=None):
    application, _created = application_intake(
        item=item,
        channel=Channel.WINDOW,
        applicant=person(seed=seed),
        materials=material_ids(item, *(presented or ())),
        actor=clerk,
    )
    return application


def item_form(item, **changes):
    """The change form of ``item`` as the browser posts it, with its materials inline."""
    materials = list(item.materials.all())
    data = {
        "day_type": item.day_type,
        "statutory_citation": item.statutory_citation,
        "extension_days": item.extension_days,
        "special_steps": '[{"name": "专家评审"}]',
        "conditions": item.conditions,
        "channels": list(item.channels),
        "max_visits": item.max_visits,
        "fee": str(item.fee),
        "window": item.window,
        "phone": item.phone,
        "is_published": "on",
        "materials-TOTAL_FORMS": str(len(materials)),
        "materials-INITIAL_FORMS": str(len(materials)),
        "materials-MIN_NUM_FORMS": "0",
        "materials-MAX_NUM_FORMS": "1000",
    }
    for index, material in enumerate(materials):
        prefix = f"materials-{index}-"
        data |= {
            f"{prefix}id": material.pk,
            f"{prefix}item": item.pk,
            f"{prefix}position": material.position,
            f"{prefix}name": material.name,
            f"{prefix}form": material.form,
            f"{prefix}copies": material.copies,
            f"{prefix}shared_from": material.shared_from,
            **({f"{prefix}required": "on"} if material.required else {}),
            **({f"{prefix}may_be_pending": "on"} if material.may_be_pending else {}),
        }
    return data | changes


# --- service items: the guides ------------------------------------------------------------


def test_the_leader_of_town_a_sees_only_town_as_items(leader_client, item_a, item_b):
    response = leader_client.get(ITEMS)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [item_a]


def test_the_leader_of_town_a_cannot_open_town_bs_item(leader_client, item_b):
    response = leader_client.get(f"{ITEMS}{item_b.pk}/change/")

    # The admin answers an object outside the queryset with "does not exist".
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_the_leader_keeps_the_guide_of_their_town(leader_client, item_a):
    response = leader_client.post(
        f"{ITEMS}{item_a.pk}/change/",
        item_form(
            item_a,
            conditions="申请人为本村集体经济组织成员",
            channels=[Channel.WINDOW, Channel.KIOSK],
            **{"materials-0-name": "农村宅基地和建房（规划许可）申请表"},
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    item_a.refresh_from_db()
    assert item_a.conditions == "申请人为本村集体经济组织成员"
    assert item_a.channels == [Channel.WINDOW, Channel.KIOSK]
    assert item_a.materials.get(position=1).name == "农村宅基地和建房（规划许可）申请表"


def test_what_the_list_says_is_not_edited_in_the_admin(leader_client, item_a):
    leader_client.post(
        f"{ITEMS}{item_a.pk}/change/", item_form(item_a, promised_days=1, name="改名")
    )

    item_a.refresh_from_db()
    assert (item_a.promised_days, item_a.name) == (5, "乡村建设规划许可证核发")


def test_a_special_step_without_a_name_is_refused(leader_client, item_a):
    response = leader_client.post(
        f"{ITEMS}{item_a.pk}/change/", item_form(item_a, special_steps='[{"citation": "x"}]')
    )

    assert response.status_code == 200
    assert "special_steps" in response.context["adminform"].form.errors


def test_a_material_that_may_be_pending_must_be_required(leader_client, item_a):
    optional = item_a.materials.get(required=False)
    index = list(item_a.materials.all()).index(optional)

    response = leader_client.post(
        f"{ITEMS}{item_a.pk}/change/",
        item_form(item_a, **{f"materials-{index}-may_be_pending": "on"}),
    )

    assert response.status_code == 200
    assert not Material.objects.get(pk=optional.pk).may_be_pending


def test_items_are_neither_added_nor_deleted_in_the_admin(leader_client, item_a):
    assert leader_client.get(f"{ITEMS}add/").status_code == 403
    assert leader_client.get(f"{ITEMS}{item_a.pk}/delete/").status_code == 403


def test_a_clerk_reads_the_guide_but_does_not_change_it(client_as, clerk_a, item_a):
    clerk_a.is_staff = True
    clerk_a.save(update_fields=["is_staff"])

    response = client_as(clerk_a).get(f"{ITEMS}{item_a.pk}/change/")

    assert response.status_code == 200
    assert not response.context["has_change_permission"]


# --- applications and notices: read-only, masked -------------------------------------------


def test_the_leader_sees_only_town_as_applications(leader_client, item_a, item_b, clerk_a, clerk_b):
    mine = take(item_a, clerk_a)
    take(item_b, clerk_b, seed=8)

    response = leader_client.get(APPLICATIONS)

    assert list(response.context["cl"].result_list) == [mine]


def test_applications_are_read_only(leader_client, item_a, clerk_a):
    application = take(item_a, clerk_a)

    page = leader_client.get(f"{APPLICATIONS}{application.pk}/change/")

    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert leader_client.get(f"{APPLICATIONS}add/").status_code == 403
    assert leader_client.get(f"{APPLICATIONS}{application.pk}/delete/").status_code == 403


@pytest.mark.parametrize("who", ["leader", "superuser"])
def test_the_full_identity_number_never_appears_in_the_admin(
    who, leader_client, admin_client, item_a, clerk_a
):
    client = leader_client if who == "leader" else admin_client
    application = take(item_a, clerk_a, presented=["申请表"])
    application_notify_missing(application=application, actor=clerk_a)
    number = application.applicant_id_number
    notice = application.notices.get(kind=NoticeKind.ONE_TIME)

    pages = [
        client.get(APPLICATIONS),
        client.get(APPLICATIONS, {"q": application.applicant_name}),
        client.get(f"{APPLICATIONS}{application.pk}/change/"),
        client.get(NOTICES),
        client.get(f"{NOTICES}{notice.pk}/change/"),
    ]

    assert [page.status_code for page in pages] == [200] * len(pages)
    for page in pages:
        assert number not in page.content.decode()
    assert application.masked_id_number in pages[0].content.decode()
    assert application.masked_id_number in pages[2].content.decode()


def test_the_phone_number_is_shown_masked(leader_client, item_a, clerk_a):
    application = take(item_a, clerk_a)

    page = leader_client.get(f"{APPLICATIONS}{application.pk}/change/").content.decode()

    assert "13800138000" not in page
    assert "138****8000" in page


def test_the_leader_sees_only_town_as_notices(leader_client, item_a, item_b, clerk_a, clerk_b):
    mine = take(item_a, clerk_a, presented=["申请表"])
    theirs = take(item_b, clerk_b, seed=8, presented=["申请表"])
    application_notify_missing(application=mine, actor=clerk_a)
    application_notify_missing(application=theirs, actor=clerk_b)

    response = leader_client.get(NOTICES)

    assert set(response.context["cl"].result_list) == set(mine.notices.all())
    their_notice = theirs.notices.get(kind=NoticeKind.ONE_TIME)
    assert leader_client.get(f"{NOTICES}{their_notice.pk}/change/").status_code == 302


def test_the_application_list_costs_the_same_queries_for_3_and_30_rows(
    leader_client, town_a, clerk_a
):
    items = [make_item(town_a) for _ in range(3)]

    def queries_for(count):
        for seed in range(count):
            take(items[seed % 3], clerk_a, seed=100 + seed)
        with CaptureQueriesContext(connection) as captured:
            assert leader_client.get(APPLICATIONS).status_code == 200
        return len(captured)

    small = queries_for(3)
    large = queries_for(27)  # 30 in all

    assert large == small
