import csv
import io
import json

import pytest
from django.core.cache import cache
from django.utils import translation
from openpyxl import load_workbook

from powers.api.public import PublicRateThrottle
from powers.api.public_serializers import PublicPowerSerializer
from powers.choices import Category
from powers.exports import HEADERS
from powers.models import ListEntry, Power
from tests.powers.factories import entry, make_town, make_version, numbered_entries

pytestmark = pytest.mark.django_db

TOWN = "371122104"
HOUSING = "XK-371122-ZR-0001"
API = "/api/v1/public/towns/"


@pytest.fixture
def town():
    return make_town(TOWN, "夏庄镇")


@pytest.fixture
def versions(town):
    first = make_version(
        town,
        [
            entry(HOUSING, "农村村民建房审批"),
            entry("XK-371122-SC-0002", "食品经营许可", department="县市场监督管理局"),
            entry("CF-371122-ZF-0003", "对占道经营的处罚", Category.PENALTY),
        ],
        document_no="莒政办字〔2024〕8号",
    )
    second = make_version(
        town,
        [
            entry(HOUSING, "农村村民建房审批", fees="工本费10元"),
            entry("CF-371122-ZF-0003", "对占道经营的处罚", Category.PENALTY),
            entry("GG-371122-MZ-0004", "最低生活保障审核", Category.PUBLIC_SERVICE),
        ],
        document_no="莒政办字〔2025〕12号",
        summary="2025年调整",
    )
    return first, second


def codes(response):
    return [row["code"] for row in response.json()["results"]]


def test_the_towns_are_listed_with_county_current_version_and_counts(citizen, versions):
    make_town("371122105", "没有清单镇")

    response = citizen.get(API)

    assert response.status_code == 200
    assert response.json()["count"] == 1
    [town] = response.json()["results"]
    assert town == {
        "code": TOWN,
        "name": "夏庄镇",
        "county": {"code": "371122", "name": "莒县"},
        "current_version": 2,
        "published_at": town["published_at"],
        "document_no": "莒政办字〔2025〕12号",
        "entry_count": 3,
        "counts": {"licence": 1, "penalty": 1, "public_service": 1},
    }


def test_the_towns_cost_the_same_queries_at_ten_times_the_towns(citizen, django_assert_num_queries):
    def add_towns(start, count):
        for n in range(start, start + count):
            make_version(make_town(f"3711221{n:02d}", f"镇{n}"), numbered_entries(1))

    add_towns(0, 3)
    with django_assert_num_queries(3) as small:
        citizen.get(API)
    add_towns(3, 27)
    with django_assert_num_queries(len(small.captured_queries)):
        response = citizen.get(API)

    assert response.json()["count"] == 30


def test_the_powers_are_the_current_version_paginated_with_a_count(citizen, versions):
    response = citizen.get(f"{API}{TOWN}/powers/")

    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert codes(response) == [HOUSING, "CF-371122-ZF-0003", "GG-371122-MZ-0004"]
    row = response.json()["results"][0]
    assert row["category"] == "licence" and row["department"] == "县自然资源和规划局"
    assert row["fees"] == "工本费10元"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"version": 1}, [HOUSING, "XK-371122-SC-0002", "CF-371122-ZF-0003"]),
        ({"category": "penalty"}, ["CF-371122-ZF-0003"]),
        ({"version": 1, "department": "县市场监督管理局"}, ["XK-371122-SC-0002"]),
        ({"q": "建房"}, [HOUSING]),
        ({"q": "ZF-0003"}, ["CF-371122-ZF-0003"]),
        ({"kind": "public_service"}, ["GG-371122-MZ-0004"]),
        ({"kind": "power"}, [HOUSING, "CF-371122-ZF-0003"]),
        ({"kind": "fee"}, [HOUSING]),
    ],
)
def test_the_powers_are_filtered_like_the_page(citizen, versions, query, expected):
    assert codes(citizen.get(f"{API}{TOWN}/powers/", query)) == expected


def test_an_unknown_filter_value_is_a_bad_request(citizen, versions):
    response = citizen.get(f"{API}{TOWN}/powers/", {"category": "nonsense"})

    assert response.status_code == 400
    assert "category" in response.json()


@pytest.mark.parametrize(
    "url",
    [
        f"{API}999999999/powers/",
        f"{API}{TOWN}/powers/?version=9",
        f"{API}{TOWN}/powers/?version=x",
        f"{API}{TOWN}/powers/NO-SUCH-CODE/",
        f"{API}{TOWN}/powers/XK-371122-SC-0002/",
        f"{API}999999999/versions/",
        f"{API}{TOWN}/versions/1/diff/9/",
    ],
)
def test_an_unknown_town_version_or_power_is_not_found(citizen, versions, url):
    assert citizen.get(url).status_code == 404


def test_a_town_without_a_published_list_has_no_powers(citizen):
    make_town("371122105", "没有清单镇")

    assert citizen.get(f"{API}371122105/powers/").status_code == 404
    assert citizen.get(f"{API}371122105/versions/").json()["count"] == 0


def test_only_published_entries_are_served_not_the_catalogue(citizen, versions, town):
    # The catalogue holds the power still; the current version no longer lists it.
    assert Power.objects.filter(code="XK-371122-SC-0002").exists()

    assert codes(citizen.get(f"{API}{TOWN}/powers/", {"q": "食品"})) == []
    assert citizen.get(f"{API}{TOWN}/powers/XK-371122-SC-0002/").status_code == 404


# Unfiltered: the version with its town, then the page's rows (the count is the
# version's). Filtered: the version with its town, the count, the page's rows.
@pytest.mark.parametrize(("query", "queries"), [({}, 2), ({"q": "事项", "kind": "approval"}, 3)])
def test_the_powers_cost_the_same_queries_at_ten_times_the_entries(
    citizen, django_assert_num_queries, query, queries
):
    make_version(make_town("371122105", "小镇"), numbered_entries(50))
    make_version(make_town("371122106", "大镇"), numbered_entries(500))

    with django_assert_num_queries(queries) as small:
        citizen.get(f"{API}371122105/powers/", query)
    with django_assert_num_queries(len(small.captured_queries)):
        response = citizen.get(f"{API}371122106/powers/", query)

    assert response.json()["count"] == 500


def test_the_count_without_filters_is_the_number_of_entries(citizen, town):
    make_version(town, numbered_entries(120))

    last = citizen.get(f"{API}{TOWN}/powers/", {"page": 3}).json()

    assert last["count"] == 120 == ListEntry.objects.filter(town=town).count()
    assert [row["position"] for row in last["results"]] == list(range(101, 121))
    assert last["next"] is None
    assert citizen.get(f"{API}{TOWN}/powers/", {"page": 4}).status_code == 404


def test_a_page_without_filters_reads_as_the_serializer_writes_it(citizen, town):
    version = make_version(
        town,
        [
            entry(HOUSING, "农村村民建房审批", fees="工本费10元"),
            entry("CF-371122-ZF-0003", "对占道经营的处罚", Category.PENALTY, mode="entrust"),
        ],
    )
    rows = ListEntry.objects.filter(version=version).order_by("position")

    with translation.override("zh-hans"):
        expected = json.loads(json.dumps(PublicPowerSerializer(rows, many=True).data))

    assert citizen.get(f"{API}{TOWN}/powers/").json()["results"] == expected
    assert citizen.get(f"{API}{TOWN}/powers/", {"q": "处罚"}).json()["results"] == expected[1:]


def test_the_labels_are_in_the_language_asked_for_though_the_page_is_cached(citizen, versions):
    url = f"{API}{TOWN}/powers/"

    chinese = citizen.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").json()["results"][0]
    english = citizen.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]

    with translation.override("zh-hans"):
        assert chinese["category_label"] == str(Category.LICENCE.label)
    with translation.override("en"):
        assert english["category_label"] == str(Category.LICENCE.label)


def test_a_page_read_again_is_served_from_the_cache_without_reading_the_entries(
    citizen, versions, django_assert_num_queries
):
    citizen.get(f"{API}{TOWN}/powers/")

    # Only the version (with its town), for the ETag: a published page never changes.
    with django_assert_num_queries(1):
        again = citizen.get(f"{API}{TOWN}/powers/")

    assert codes(again) == [HOUSING, "CF-371122-ZF-0003", "GG-371122-MZ-0004"]


def test_a_new_version_is_served_at_once_though_the_last_one_was_cached(citizen, versions, town):
    citizen.get(f"{API}{TOWN}/powers/")

    make_version(town, [entry("XK-371122-ZR-0009", "临时用地审批")])
    response = citizen.get(f"{API}{TOWN}/powers/")

    assert response.json()["count"] == 1
    assert codes(response) == ["XK-371122-ZR-0009"]
    assert response["ETag"].startswith(f'"{TOWN}-v3-all-')


def test_xlsx_holds_the_same_rows_as_the_pages_with_the_same_filters(citizen, town):
    make_version(
        town,
        numbered_entries(70)
        + numbered_entries(3, prefix="CF", category=Category.PENALTY, start=71),
    )
    query = {"category": "licence", "q": "事项"}
    pages = [citizen.get(f"{API}{TOWN}/powers/", {**query, "page": n}) for n in (1, 2)]

    response = citizen.get(f"{API}{TOWN}/powers/", {**query, "format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == f'attachment; filename="{TOWN}-v1-all.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].values)
    assert rows[0] == HEADERS
    assert [row[1] for row in rows[1:]] == codes(pages[0]) + codes(pages[1])
    assert len(rows) == 71


def test_csv_holds_the_same_rows_with_a_byte_order_mark(citizen, versions):
    response = citizen.get(f"{API}{TOWN}/powers/", {"version": 1, "format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == HEADERS
    assert [row[1] for row in rows[1:]] == [HOUSING, "XK-371122-SC-0002", "CF-371122-ZF-0003"]


def test_a_download_of_an_unknown_version_answers_json_not_found(citizen, versions):
    response = citizen.get(f"{API}{TOWN}/powers/", {"version": 9, "format": "xlsx"})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_power_is_read_with_its_legal_bases_and_responsibilities(citizen, versions):
    response = citizen.get(f"{API}{TOWN}/powers/{HOUSING}/")

    power = response.json()
    assert power["version"] == 2
    assert power["legal_bases"] == [
        {
            "law": "《中华人民共和国土地管理法》",
            "article": "第六十二条",
            "excerpt": "农村村民一户只能拥有一处宅基地。",
            "link": "",
        }
    ]
    assert [item["name"] for item in power["responsibility_items"]] == ["受理责任", "审查责任"]
    assert power["accountability_cases"] == [{"text": "对符合法定条件的申请不予受理的。"}]
    assert power["remedy_channel"] == "依法申请行政复议或者提起行政诉讼"


def test_a_power_of_an_earlier_version_is_read_with_its_version(citizen, versions):
    response = citizen.get(f"{API}{TOWN}/powers/XK-371122-SC-0002/", {"version": 1})

    assert response.status_code == 200
    assert response.json()["version"] == 1


def test_the_versions_are_listed_latest_first(citizen, versions):
    response = citizen.get(f"{API}{TOWN}/versions/")

    assert [v["number"] for v in response.json()["results"]] == [2, 1]
    assert response.json()["results"][0]["summary"] == "2025年调整"
    assert response.json()["results"][1]["document_no"] == "莒政办字〔2024〕8号"


def test_the_diff_names_added_removed_and_changed_fields(citizen, versions):
    diff = citizen.get(f"{API}{TOWN}/versions/1/diff/2/").json()

    assert (diff["from_version"], diff["to_version"]) == (1, 2)
    assert [e["code"] for e in diff["added"]] == ["GG-371122-MZ-0004"]
    assert [e["code"] for e in diff["removed"]] == ["XK-371122-SC-0002"]
    assert diff["changed"] == [
        {
            "code": HOUSING,
            "name": "农村村民建房审批",
            "fields": {"fees": {"old": "不收费", "new": "工本费10元"}},
        }
    ]


URLS = [
    API,
    f"{API}{TOWN}/powers/",
    f"{API}{TOWN}/powers/?format=xlsx&category=licence",
    f"{API}{TOWN}/powers/{HOUSING}/",
    f"{API}{TOWN}/versions/",
    f"{API}{TOWN}/versions/1/diff/2/",
]


@pytest.mark.parametrize("url", URLS)
def test_a_repeated_read_is_not_modified(citizen, versions, url):
    first = citizen.get(url)

    again = citizen.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert again.status_code == 304


@pytest.mark.parametrize("url", URLS)
def test_a_read_since_the_publication_is_not_modified(citizen, versions, url):
    first = citizen.get(url)

    again = citizen.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 304


def test_the_json_and_the_spreadsheet_have_different_etags(citizen, versions):
    json_etag = citizen.get(f"{API}{TOWN}/powers/")["ETag"]
    xlsx_etag = citizen.get(f"{API}{TOWN}/powers/", {"format": "xlsx"})["ETag"]

    assert json_etag.startswith(f'"{TOWN}-v2-all-')
    assert json_etag != xlsx_etag


def test_credentials_change_nothing_on_the_public_api(api_client, versions):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    assert api_client.get(f"{API}{TOWN}/powers/").status_code == 200


def test_a_client_asking_too_often_is_throttled(citizen, versions, monkeypatch):
    cache.clear()
    monkeypatch.setattr(PublicRateThrottle, "rate", "2/minute", raising=False)

    statuses = [citizen.get(API).status_code for _ in range(3)]
    cache.clear()

    assert statuses == [200, 200, 429]
