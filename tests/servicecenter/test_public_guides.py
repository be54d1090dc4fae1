"""The public service list and guides: no login, JSON-LD, 304 on a repeated read."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from servicecenter.choices import Channel
from servicecenter.models import ServiceItem
from tests.powers.factories import entry, make_version
from tests.servicecenter.factories import make_item

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def client(client, settings):
    """A browser that reads the pages in English, the language the assertions are in."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def services_url(town):
    return reverse("servicecenter:public-services", args=[town.code])


def guide_url(item):
    return reverse("servicecenter:public-service", args=[item.town.code, item.code])


def json_ld(response):
    (script,) = JSON_LD.findall(response.content.decode())
    return json.loads(script)


def test_the_town_s_services_list_its_published_items_with_both_limits(client, item_a, item_b):
    hidden = make_item(item_a.town, name="已下线的事项")
    ServiceItem.objects.filter(pk=hidden.pk).update(is_published=False)

    response = client.get(services_url(item_a.town))

    assert response.status_code == 200
    page = response.content.decode()
    assert item_a.name in page and guide_url(item_a) in page
    assert "promised 5" in page and "statutory 20" in page
    assert "已下线的事项" not in page
    assert item_b.code not in page


def test_the_search_box_finds_items_by_a_word_of_their_name(client, item_a):
    other = make_item(item_a.town, name="个体工商户登记")

    response = client.get(services_url(item_a.town), {"q": "工商"})

    assert [item.pk for item in response.context["items"]] == [other.pk]


def test_the_kind_filter_keeps_instant_items(client, item_a):
    instant = make_item(item_a.town, name="证明开具", promised=0, statutory=1)

    response = client.get(services_url(item_a.town), {"kind": "instant"})

    assert [item.pk for item in response.context["items"]] == [instant.pk]


def test_an_unknown_town_has_no_services_page(client, db):
    assert client.get("/towns/000000000/services/").status_code == 404


def test_the_services_list_costs_the_same_queries_for_three_or_thirty_items(client, town_a):
    for _ in range(3):
        make_item(town_a)
    with CaptureQueriesContext(connection) as small:
        client.get(services_url(town_a))
    for _ in range(27):
        make_item(town_a)

    with CaptureQueriesContext(connection) as large:
        response = client.get(services_url(town_a))

    assert len(response.context["items"]) == 30
    assert len(large) == len(small)


def test_the_guide_has_json_ld_of_a_government_service(client, item_a):
    response = client.get(guide_url(item_a))

    data = json_ld(response)
    assert data["@type"] == "GovernmentService"
    assert data["name"] == item_a.name
    assert data["provider"] == {
        "@type": "GovernmentOrganization",
        "name": item_a.exercised_in_name_of,
    }
    assert data["areaServed"]["name"] == item_a.town.name
    online = [c for c in data["availableChannel"] if "serviceUrl" in c]
    assert online and online[0]["serviceUrl"].endswith(
        reverse("servicecenter:public-apply", args=[item_a.town.code, item_a.code])
    )


def test_text_in_the_json_ld_cannot_end_its_script_element(client, item_a):
    item_a.conditions = "</script><script>alert(1)</script>"
    item_a.save()

    response = client.get(guide_url(item_a))

    assert json_ld(response)["termsOfService"] == item_a.conditions
    assert "<script>alert(1)" not in response.content.decode()


def test_the_guide_shows_every_material_with_its_source(client, item_a):
    response = client.get(guide_url(item_a))

    page = response.content.decode()
    for material in item_a.materials.all():
        assert material.name in page
    assert "obtained from 不动产登记信息平台" in page
    assert item_a.remedy_channel in page


def test_the_guide_cites_the_legal_bases_of_the_town_s_current_list_entry(client, item_a):
    make_version(item_a.town, [entry(item_a.code, item_a.name)])

    response = client.get(guide_url(item_a))

    page = response.content.decode()
    assert "《中华人民共和国土地管理法》第六十二条" in page
    assert reverse("powers:entry", args=[item_a.town.code, item_a.code]) in page


def test_a_repeated_read_of_the_guide_is_not_modified(client, item_a):
    first = client.get(guide_url(item_a))

    again = client.get(guide_url(item_a), HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Last-Modified"]
    assert again.status_code == 304


def test_the_guide_s_etag_changes_when_the_item_changes(client, item_a):
    first = client.get(guide_url(item_a))
    item_a.window = "3号窗口"
    item_a.save()

    again = client.get(guide_url(item_a), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert "3号窗口" in again.content.decode()


def test_an_unpublished_item_has_no_guide(client, item_a):
    ServiceItem.objects.filter(pk=item_a.pk).update(is_published=False)

    assert client.get(guide_url(item_a)).status_code == 404


def test_an_item_not_offered_online_says_where_to_apply_instead(client, item_a):
    item_a.channels = [Channel.WINDOW]
    item_a.save()

    response = client.get(
        reverse("servicecenter:public-apply", args=[item_a.town.code, item_a.code])
    )

    assert response.status_code == 200
    assert response.context.get("form") is None
    assert "cannot be applied for online" in response.content.decode()
