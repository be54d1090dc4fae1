"""The import pages: upload, a preview that writes nothing, confirmation into one draft."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import assign_perm

from powers.choices import AdjustmentAction, DevolutionMode
from powers.exports import xlsx_bytes
from powers.imports.confirm import NOT_CLEAN, ROW_REASON
from powers.imports.reader import NOT_A_SPREADSHEET
from powers.imports.rows import ALREADY_LISTED, NOT_DEVOLVABLE, UNKNOWN_DEPARTMENT
from powers.models import Adjustment, AdjustmentItem
from powers.services.adjustments import ALREADY_LISTED as ITEM_ALREADY_LISTED
from tests.powers.factories import entry, make_version
from tests.powers.fixtures import HEADER, Sheet, clean_rows, clean_sheet, messy_sheet, workbook
from tests.powers.test_import_reader import messages as problems_of
from tests.powers.test_import_reader import read
from tests.powers.workflow import (
    DEPARTMENT,
    county_department,
    first_list,
    make_power,
    power_data,
    publish,
)
from townadmin.models import User

pytestmark = pytest.mark.django_db

FORM = {
    "kind": "additions",
    "document_no": "甲政发〔2026〕3号",
    "mode": DevolutionMode.DEVOLVE,
    "effective_from": "2026-03-01",
}


@pytest.fixture
def department(town_a):
    return county_department(town_a.county)


@pytest.fixture
def leader(client_as, leader_a, department):
    return client_as(leader_a)


def upload_url(town):
    return reverse("powers:import-upload", kwargs={"code": town.code})


def preview_url(town):
    return reverse("powers:import-preview", kwargs={"code": town.code})


def upload(client, town, sheet, **fields):
    data = {**FORM, **fields, "file": SimpleUploadedFile(sheet.name, sheet.content)}
    return client.post(upload_url(town), data)


def written():
    return Adjustment.objects.count(), AdjustmentItem.objects.count()


def test_a_messy_sheet_previews_every_problem_with_its_row_and_writes_nothing(leader, town_a):
    sheet = messy_sheet(DEPARTMENT)
    before = written()

    uploaded = upload(leader, town_a, sheet)
    preview = leader.get(preview_url(town_a))

    assert uploaded.status_code == 302
    result = preview.context["result"]
    assert problems_of(result) == problems_of(read(sheet.content))
    assert {problem.row for problem in result.problems} == {4, 8, 9, 10}
    for problem in result.problems:
        assert str(problem.message) in preview.content.decode()
    assert written() == before


def test_a_preview_with_problems_offers_no_confirmation(leader, town_a):
    upload(leader, town_a, messy_sheet(DEPARTMENT))

    preview = leader.get(preview_url(town_a))

    assert preview.context["can_confirm"] is False
    assert 'name="confirm"' not in preview.content.decode()


def test_confirming_a_preview_with_problems_writes_nothing(leader, town_a):
    upload(leader, town_a, messy_sheet(DEPARTMENT))
    before = written()

    response = leader.post(preview_url(town_a), follow=True)

    assert written() == before
    assert str(NOT_CLEAN) in [str(message) for message in response.context["messages"]]


def test_a_clean_sheet_previews_without_problems_and_offers_confirmation(leader, town_a):
    upload(leader, town_a, clean_sheet(DEPARTMENT))

    preview = leader.get(preview_url(town_a))

    assert preview.context["result"].problems == []
    assert preview.context["additions"] == 3
    assert 'name="confirm"' in preview.content.decode()


def test_confirming_a_clean_preview_drafts_one_adjustment_with_an_item_per_row(
    leader, town_a, leader_a
):
    sheet = clean_sheet(DEPARTMENT)
    upload(leader, town_a, sheet)

    response = leader.post(preview_url(town_a))

    adjustment = Adjustment.objects.get()
    assert response.status_code == 302
    assert response.url.endswith(f"/adjustments/{adjustment.pk}/")
    assert (adjustment.town, adjustment.status, adjustment.drafted_by) == (
        town_a,
        Adjustment.Status.DRAFT,
        leader_a,
    )
    items = list(adjustment.items.order_by("position"))
    assert [(item.action, item.code) for item in items] == [
        (AdjustmentAction.ADD, "XK-990100-IMP-001"),
        (AdjustmentAction.ADD, "CF-990100-IMP-001"),
        (AdjustmentAction.ADD, "QR-990100-IMP-001"),
    ]
    assert [item.reason for item in items] == [
        str(ROW_REASON % {"file": sheet.name, "row": row}) for row in (3, 4, 5)
    ]


def test_imported_items_hold_the_rows_fields_and_the_forms_holding(leader, town_a):
    upload(leader, town_a, clean_sheet(DEPARTMENT))
    leader.post(preview_url(town_a))

    data = AdjustmentItem.objects.get(code="CF-990100-IMP-001").data

    assert data["name"] == "对未取得乡村建设规划许可证进行建设的处罚"
    assert data["department"] == DEPARTMENT
    assert (data["mode"], data["exercised_in_name_of"]) == ("devolve", "甲镇人民政府")
    assert (data["document_no"], data["effective_from"]) == ("甲政发〔2026〕3号", "2026-03-01")
    assert data["legal_bases"][0]["article"] == "第六十五条"
    assert len(data["responsibility_items"]) == 3


def test_confirming_forgets_the_pending_import(leader, town_a):
    upload(leader, town_a, clean_sheet(DEPARTMENT))
    leader.post(preview_url(town_a))

    response = leader.get(preview_url(town_a))

    assert response.status_code == 302
    assert response.url == upload_url(town_a)


def test_uploading_a_file_that_is_not_a_spreadsheet_says_so_and_keeps_nothing(leader, town_a):
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")

    response = leader.post(upload_url(town_a), {**FORM, "file": scan})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [str(NOT_A_SPREADSHEET)]
    assert leader.get(preview_url(town_a)).status_code == 302


def test_an_additions_import_reports_a_code_already_on_the_current_list(
    leader, town_a, leader_a, reviewer
):
    first_list(town_a, leader_a, reviewer)
    rows = [["XK-990100-001", "食品经营许可", "行政许可", DEPARTMENT]]
    sheet = Sheet(workbook(rows, header=[*HEADER[1:4], "实施主体"]))

    upload(leader, town_a, sheet)
    result = leader.get(preview_url(town_a)).context["result"]

    assert problems_of(result) == {(2, "权力编码", str(ALREADY_LISTED % {"code": "XK-990100-001"}))}


def test_a_row_whose_source_department_is_unknown_is_a_problem(leader, town_a):
    rows = [["XK-990100-009", "乡村建设规划许可", "行政许可", "甲镇人民政府"]]
    sheet = Sheet(workbook(rows, header=[*HEADER[1:4], "实施主体"]))

    upload(leader, town_a, sheet)
    result = leader.get(preview_url(town_a)).context["result"]

    assert problems_of(result) == {
        (2, "来源部门", str(UNKNOWN_DEPARTMENT % {"code": "XK-990100-009"}))
    }


def test_a_power_the_catalogue_keeps_at_county_level_is_a_problem(leader, town_a):
    make_power(town_a.county, code="XK-990100-050", name="建设工程规划许可", may_devolve=False)
    rows = [["XK-990100-050", "建设工程规划许可", "行政许可"]]

    upload(leader, town_a, Sheet(workbook(rows, header=HEADER[1:4])))
    result = leader.get(preview_url(town_a)).context["result"]

    assert problems_of(result) == {(2, "权力编码", str(NOT_DEVOLVABLE % {"code": "XK-990100-050"}))}


def test_a_replacing_import_adds_changes_keeps_and_removes(leader, town_a, leader_a, reviewer):
    first_list(
        town_a, leader_a, reviewer, codes=("XK-990100-001", "CF-990100-001", "QR-990100-002")
    )
    header = ["权力编码", "权力名称", "权力类型", "来源部门"]
    rows = [
        ["XK-990100-001", "食品经营许可（含仅销售预包装食品备案）", "行政许可", DEPARTMENT],
        ["QR-990100-002", "事项QR-990100-002", "行政确认", DEPARTMENT],
        ["JL-990100-001", "见义勇为奖励", "行政奖励", DEPARTMENT],
    ]
    sheet = Sheet(workbook(rows, header=header))

    upload(leader, town_a, sheet, kind="replacement")
    leader.post(preview_url(town_a))

    imported = Adjustment.objects.get(status=Adjustment.Status.DRAFT)
    items = imported.items.order_by("position")
    assert [(item.action, item.code) for item in items] == [
        (AdjustmentAction.CHANGE, "XK-990100-001"),
        (AdjustmentAction.ADD, "JL-990100-001"),
        (AdjustmentAction.REMOVE, "CF-990100-001"),
    ]
    assert items[0].data == {"name": "食品经营许可（含仅销售预包装食品备案）"}


def test_a_list_downloaded_from_the_portal_reimports_as_it_is(leader, town_a):
    version = make_version(
        town_a,
        [
            entry("XK-990100-0001", "农村村民宅基地审批"),
            entry("CF-990100-0001", "对非法占用土地的处罚", "penalty", mode="entrust"),
        ],
    )
    download = xlsx_bytes(version.entries.order_by("position"), title="甲镇权力清单")

    upload(leader, town_a, Sheet(download), kind="replacement")
    preview = leader.get(preview_url(town_a))

    assert preview.context["result"].problems == []
    assert (preview.context["unchanged"], preview.context["additions"]) == (2, 0)
    assert preview.context["result"].removals == []


def test_confirming_after_the_list_took_one_of_the_codes_writes_nothing(
    leader, town_a, leader_a, reviewer
):
    upload(leader, town_a, clean_sheet(DEPARTMENT))
    publish(town_a, leader_a, reviewer, [("add", "QR-990100-IMP-001", power_data())])
    before = written()

    response = leader.post(preview_url(town_a), follow=True)

    assert written() == before
    refusal = str(ITEM_ALREADY_LISTED % {"code": "QR-990100-IMP-001"})
    assert refusal in [str(message) for message in response.context["messages"]]


def test_the_preview_costs_the_same_queries_for_three_rows_or_sixty(leader, town_a, department):
    def preview_queries(rows):
        sheet = Sheet(workbook(rows))
        upload(leader, town_a, sheet)
        with CaptureQueriesContext(connection) as queries:
            assert leader.get(preview_url(town_a)).status_code == 200
        return len(queries)

    few = clean_rows(DEPARTMENT)
    many = [
        [n, f"XK-990100-{n:03d}", f"许可{n}", "行政许可", "", DEPARTMENT, "", "", "", ""]
        for n in range(1, 61)
    ]

    assert preview_queries(many) == preview_queries(few)


def test_another_towns_import_pages_are_not_found(leader, town_b):
    assert leader.get(upload_url(town_b)).status_code == 404
    assert leader.get(preview_url(town_b)).status_code == 404


def test_a_user_reaching_the_town_without_the_right_to_draft_is_forbidden(client_as, town_a):
    somebody = User.objects.create_user(username="somebody", password="x")
    assign_perm("townadmin.manage_lists", somebody, town_a)

    assert client_as(somebody).get(upload_url(town_a)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, town_a):
    response = client.get(upload_url(town_a))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_menus_import_entry_opens_the_leaders_only_town(leader, town_a):
    response = leader.get(reverse("powers:import-start"))

    assert response.status_code == 302
    assert response.url == upload_url(town_a)
