import io
import json
import re

import pytest
from django.utils.http import http_date
from openpyxl import load_workbook

from powers.choices import Category, ListKind
from powers.exports import HEADERS
from tests.powers.factories import entry, make_town, make_version, numbered_entries

pytestmark = pytest.mark.django_db

TOWN = "371122104"
HOUSING = "XK-371122-ZR-0001"


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
            entry("GG-371122-MZ-0004", "最低生活保障审核", Category.PUBLIC_SERVICE),
        ],
        document_no="莒政办字〔2024〕8号",
    )
    second = make_version(
        town,
        [
            entry(HOUSING, "农村村民建房审批", fees="工本费10元"),
            entry("CF-371122-ZF-0003", "对占道经营的处罚", Category.PENALTY),
            entry("GG-371122-MZ-0004", "最低生活保障审核", Category.PUBLIC_SERVICE),
            entry("JC-371122-YJ-0005", "安全生产监督检查", Category.INSPECTION),
        ],
        document_no="莒政办字〔2025〕12号",
        summary="2025年调整",
    )
    return first, second


def codes(response):
    return [e.code for e in response.context["entries"]]


def test_the_towns_index_shows_towns_with_a_published_list_and_their_counts(client, versions):
    make_town("371122105", "没有清单镇")

    response = client.get("/towns/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "夏庄镇" in page and f'href="/towns/{TOWN}/lists/"' in page
    assert "没有清单镇" not in page
    [shown] = response.context["versions"]
    assert shown.number == 2
    assert [count for _label, count in shown.counts] == [1, 1, 1, 1]


def test_the_towns_index_costs_the_same_queries_at_ten_times_the_towns(
    client, django_assert_num_queries
):
    def add_towns(start, count):
        for n in range(start, start + count):
            make_version(make_town(f"3711221{n:02d}", f"镇{n}"), numbered_entries(2))

    add_towns(0, 3)
    with django_assert_num_queries(3) as small:
        client.get("/towns/")
    add_towns(3, 27)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/towns/")

    assert len(response.context["versions"]) == 30


def test_a_town_address_leads_to_its_power_list(client, versions):
    response = client.get(f"/towns/{TOWN}/")

    assert response.status_code == 302
    assert response["Location"] == f"/towns/{TOWN}/lists/"


def test_the_list_page_shows_the_current_power_list_with_its_version(client, versions):
    response = client.get(f"/towns/{TOWN}/lists/")

    assert response.status_code == 200
    assert codes(response) == [HOUSING, "CF-371122-ZF-0003", "JC-371122-YJ-0005"]
    assert response.context["version"].number == 2
    assert "莒政办字〔2025〕12号" in response.content.decode()


def test_the_list_page_shows_an_earlier_version_on_request(client, versions):
    response = client.get(f"/towns/{TOWN}/lists/", {"version": 1})

    assert codes(response) == [HOUSING, "XK-371122-SC-0002", "CF-371122-ZF-0003"]
    assert "莒政办字〔2024〕8号" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/towns/999999999/lists/",
        f"/towns/{TOWN}/lists/?version=9",
        f"/towns/{TOWN}/lists/?version=x",
        f"/towns/{TOWN}/lists/?kind=nonsense",
        f"/towns/{TOWN}/lists/NO-SUCH-CODE/",
        f"/towns/{TOWN}/versions/1/diff/9/",
        "/towns/999999999/versions/",
        f"/towns/{TOWN}/lists.pdf",
    ],
)
def test_an_unknown_town_version_list_or_item_is_not_found(client, versions, url):
    assert client.get(url).status_code == 404


def test_a_town_without_a_published_list_has_no_list_page(client):
    make_town("371122105", "没有清单镇")

    assert client.get("/towns/371122105/lists/").status_code == 404
    assert client.get("/towns/371122105/versions/").status_code == 200


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (ListKind.PUBLIC_SERVICE, ["GG-371122-MZ-0004"]),
        (ListKind.SUPERVISION, ["JC-371122-YJ-0005"]),
        (ListKind.FEE, [HOUSING]),
    ],
)
def test_each_tab_shows_its_list(client, versions, kind, expected):
    assert codes(client.get(f"/towns/{TOWN}/lists/", {"kind": kind})) == expected


def test_the_list_filters_by_category_and_department(client, versions):
    by_category = client.get(f"/towns/{TOWN}/lists/", {"category": "penalty"})
    by_department = client.get(
        f"/towns/{TOWN}/lists/", {"version": 1, "department": "县市场监督管理局"}
    )

    assert codes(by_category) == ["CF-371122-ZF-0003"]
    assert codes(by_department) == ["XK-371122-SC-0002"]
    assert by_department.context["departments"] == ["县市场监督管理局", "县自然资源和规划局"]


def test_a_filter_value_the_page_does_not_know_is_ignored_and_said(client, versions):
    response = client.get(f"/towns/{TOWN}/lists/", {"category": "nonsense"})

    assert response.status_code == 200
    assert len(codes(response)) == 3
    assert "category" in response.context["filter_errors"]


def test_the_list_is_searched_by_a_two_character_word(client, versions):
    assert codes(client.get(f"/towns/{TOWN}/lists/", {"q": "建房"})) == [HOUSING]


def test_the_list_shows_fifty_items_a_page(client, town):
    make_version(town, numbered_entries(120))

    first = client.get(f"/towns/{TOWN}/lists/")
    last = client.get(f"/towns/{TOWN}/lists/", {"page": 3})

    assert len(first.context["entries"]) == 50
    assert len(last.context["entries"]) == 20
    assert first.context["paginator"].count == 120


@pytest.mark.parametrize("query", [{}, {"q": "事项", "category": "licence"}])
def test_the_list_page_costs_the_same_queries_at_ten_times_the_entries(
    client, django_assert_num_queries, query
):
    small_town, large_town = make_town("371122105", "小镇"), make_town("371122106", "大镇")
    make_version(small_town, numbered_entries(50))
    make_version(large_town, numbered_entries(500))

    with django_assert_num_queries(4) as small:
        client.get("/towns/371122105/lists/", query)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/towns/371122106/lists/", query)

    assert response.context["paginator"].count == 500


def test_the_item_page_shows_the_legal_basis_and_the_responsibilities(client, versions):
    response = client.get(f"/towns/{TOWN}/lists/{HOUSING}/")

    page = response.content.decode()
    for text in (
        "《中华人民共和国土地管理法》第六十二条",
        "农村村民一户只能拥有一处宅基地。",
        "受理责任",
        "一次性告知补正材料",
        "对符合法定条件的申请不予受理的。",
        "县行政审批局监督电话",
        "依法申请行政复议或者提起行政诉讼",
        "综合行政执法办公室",
        "工本费10元",
    ):
        assert text in page, text


def test_the_item_page_describes_the_power_as_a_government_service(client, versions):
    page = client.get(f"/towns/{TOWN}/lists/{HOUSING}/").content.decode()

    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data = json.loads(script)
    assert data["@type"] == "GovernmentService"
    assert data["name"] == "农村村民建房审批"
    assert data["identifier"] == HOUSING
    assert data["provider"] == {"@type": "GovernmentOrganization", "name": "镇人民政府"}
    assert data["areaServed"]["name"] == "夏庄镇"
    assert data["url"] == f"http://testserver/towns/{TOWN}/lists/{HOUSING}/"
    assert data["serviceType"]


def test_the_json_ld_cannot_end_its_script_element(client, town):
    make_version(town, [entry("XK-1", "</script><script>alert(1)</script>")])

    page = client.get(f"/towns/{TOWN}/lists/XK-1/").content.decode()

    assert "</script><script>alert(1)" not in page


def test_an_item_of_an_earlier_version_is_read_with_its_version(client, versions):
    assert client.get(f"/towns/{TOWN}/lists/XK-371122-SC-0002/").status_code == 404
    assert client.get(f"/towns/{TOWN}/lists/XK-371122-SC-0002/?version=1").status_code == 200


def test_the_version_history_lists_every_version_with_its_document(client, versions):
    response = client.get(f"/towns/{TOWN}/versions/")

    page = response.content.decode()
    assert [v.number for v in response.context["versions"]] == [2, 1]
    assert "莒政办字〔2024〕8号" in page and "莒政办字〔2025〕12号" in page
    assert "2025年调整" in page
    assert f'href="/towns/{TOWN}/versions/1/diff/2/"' in page


def test_the_compare_form_leads_to_the_diff(client, versions):
    response = client.get(f"/towns/{TOWN}/versions/compare/", {"a": 2, "b": 1})

    assert response["Location"] == f"/towns/{TOWN}/versions/2/diff/1/"


def test_the_diff_page_shows_added_removed_and_changed_fields(client, versions):
    response = client.get(f"/towns/{TOWN}/versions/1/diff/2/")

    diff = response.context["diff"]
    assert [e["code"] for e in diff["added"]] == ["JC-371122-YJ-0005"]
    assert [e["code"] for e in diff["removed"]] == ["XK-371122-SC-0002"]
    [change] = diff["changed"]
    assert change["fields"] == {"fees": ("不收费", "工本费10元")}
    page = response.content.decode()
    assert "<del>不收费</del>" in page and "<ins>工本费10元</ins>" in page


def workbook_codes(content):
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    return [row[1] for row in rows[1:]]


def test_the_spreadsheet_holds_all_rows_of_the_filtered_list(client, town):
    make_version(
        town,
        numbered_entries(60)
        + numbered_entries(5, prefix="CF", category=Category.PENALTY, start=61),
    )

    response = client.get(f"/towns/{TOWN}/lists.xlsx", {"category": "licence", "page": 2})

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{TOWN}-v1-power.xlsx"'
    assert workbook_codes(response.content) == [f"XK-990100-ZR-{n:04d}" for n in range(1, 61)]


def test_the_csv_download_has_a_byte_order_mark_and_the_same_rows(client, versions):
    response = client.get(f"/towns/{TOWN}/lists.csv", {"q": "建房"})

    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(HEADERS)
    assert lines[1].startswith(f"1,{HOUSING},农村村民建房审批,行政许可,")


def test_any_version_of_any_list_downloads(client, versions):
    response = client.get(f"/towns/{TOWN}/lists.xlsx", {"version": 1, "kind": "approval"})

    assert workbook_codes(response.content) == [HOUSING, "XK-371122-SC-0002"]


PAGES = [
    "/towns/",
    f"/towns/{TOWN}/lists/",
    f"/towns/{TOWN}/lists/?kind=fee&q=建房",
    f"/towns/{TOWN}/lists/{HOUSING}/",
    f"/towns/{TOWN}/versions/",
    f"/towns/{TOWN}/versions/1/diff/2/",
    f"/towns/{TOWN}/lists.xlsx",
    f"/towns/{TOWN}/lists.csv?version=1",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_repeated_read_of_a_public_page_is_not_modified(client, versions, url):
    first = client.get(url)

    again = client.get(url, headers={"if-none-match": first["ETag"]})

    assert first.status_code == 200
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize("url", PAGES)
def test_a_public_page_is_not_modified_since_its_version_was_published(client, versions, url):
    first = client.get(url)

    again = client.get(url, headers={"if-modified-since": first["Last-Modified"]})

    assert again.status_code == 304


def test_the_etag_names_the_town_version_and_list(client, versions):
    etag = client.get(f"/towns/{TOWN}/lists/", {"kind": "fee"})["ETag"]

    assert etag.startswith(f'"{TOWN}-v2-fee-')
    assert client.get(f"/towns/{TOWN}/lists/")["Last-Modified"] == http_date(
        versions[1].published_at.timestamp()
    )


def test_a_new_version_makes_the_old_etag_stale(client, versions, town):
    etag = client.get(f"/towns/{TOWN}/lists/")["ETag"]
    make_version(town, [entry(HOUSING, "农村村民建房审批")])

    response = client.get(f"/towns/{TOWN}/lists/", headers={"if-none-match": etag})

    assert response.status_code == 200
    assert response.context["version"].number == 3


def test_other_filters_or_another_language_get_another_etag(client, versions):
    url = f"/towns/{TOWN}/lists/"
    chinese = client.get(url)["ETag"]

    assert client.get(url, {"q": "建房"})["ETag"] != chinese
    assert client.get(url, headers={"accept-language": "en"})["ETag"] != chinese
