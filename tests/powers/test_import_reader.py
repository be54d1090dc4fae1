"""Reading an office's power list: header rows, merged cells, variants, the cells' contents."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from powers.choices import Category
from powers.imports import ImportFileError, cells, read_power_sheet
from powers.imports.reader import NO_HEADER, NOT_A_SPREADSHEET, OLD_EXCEL, UNKNOWN_SHEET
from powers.imports.rows import (
    DUPLICATE_CODE,
    MISSING_CODE,
    MISSING_COLUMN,
    MISSING_NAME,
    UNKNOWN_CATEGORY,
)
from tests.powers.fixtures import (
    HEADER,
    MESSY_DUPLICATE_ROWS,
    MESSY_MISSING_NAME_ROW,
    MESSY_UNKNOWN_CATEGORY,
    MESSY_UNKNOWN_CATEGORY_ROW,
    clean_rows,
    clean_sheet,
    csv_bytes,
    messy_sheet,
    workbook,
)

DEPARTMENT = "甲县市场监督管理局"


def upload(content, name="清单.xlsx"):
    return SimpleUploadedFile(name, content)


def read(content, name="清单.xlsx", **options):
    return read_power_sheet(upload(content, name), **options)


def messages(result):
    return {(problem.row, problem.column, str(problem.message)) for problem in result.problems}


def test_it_finds_the_header_below_the_title_rows():
    result = read(messy_sheet(DEPARTMENT).content)

    assert result.header_row == 3
    assert [row.row for row in result.rows] == [4, 5, 6, 7, 8, 9, 10]


def test_it_reads_headers_written_with_line_breaks_and_stray_spaces():
    result = read(messy_sheet(DEPARTMENT).content)

    assert result.headers["code"] == "权力编码"
    assert result.headers["responsibility_items"] == "责任事项"


def test_it_gives_a_merged_category_to_every_row_it_spans():
    result = read(messy_sheet(DEPARTMENT).content)

    assert [row.category for row in result.rows if row.row in (5, 6, 7)] == [Category.PENALTY] * 3


def test_it_folds_full_width_codes_and_trailing_spaces():
    result = read(messy_sheet(DEPARTMENT).content)

    first, second = result.rows[0], result.rows[1]
    assert (first.code, first.name, first.category) == ("XK-001", "乡村建设规划许可", "licence")
    assert second.code == "CF-002"


def test_it_skips_a_footnote_merged_across_the_table():
    result = read(messy_sheet(DEPARTMENT).content)

    assert result.rows[-1].row == 10


def test_it_reports_every_problem_of_the_messy_sheet_with_its_row():
    result = read(messy_sheet(DEPARTMENT).content)

    rows = "、".join(str(number) for number in MESSY_DUPLICATE_ROWS)
    duplicate = str(DUPLICATE_CODE % {"code": "XK-001", "rows": rows})
    unknown = UNKNOWN_CATEGORY % {
        "value": MESSY_UNKNOWN_CATEGORY,
        "categories": "、".join(cells.CATEGORY_LABELS.values()),
    }
    assert messages(result) == {
        (MESSY_DUPLICATE_ROWS[0], "权力编码", duplicate),
        (MESSY_DUPLICATE_ROWS[1], "权力编码", duplicate),
        (MESSY_MISSING_NAME_ROW, "权力名称", str(MISSING_NAME)),
        (MESSY_UNKNOWN_CATEGORY_ROW, "权力类型", str(unknown)),
    }


def test_a_clean_sheet_has_no_problems():
    result = read(clean_sheet(DEPARTMENT).content)

    assert result.problems == []
    assert [row.code for row in result.rows] == [
        "XK-990100-IMP-001",
        "CF-990100-IMP-001",
        "QR-990100-IMP-001",
    ]


def test_it_reads_the_rows_cells_into_item_fields():
    row = read(clean_sheet(DEPARTMENT).content).rows[1]

    assert row.data["implementing_body"] == DEPARTMENT
    assert row.data["responsible_office"] == "综合行政执法办公室"
    assert row.data["legal_bases"] == [
        {
            "law": "《中华人民共和国城乡规划法》",
            "article": "第六十五条",
            "excerpt": "在乡、村庄规划区内未依法取得乡村建设规划许可证的，"
            "由乡、镇人民政府责令停止建设、限期改正。",
        }
    ]
    assert [item["name"] for item in row.data["responsibility_items"]] == [
        "立案责任",
        "调查责任",
        "决定责任",
    ]
    assert row.data["accountability_cases"] == [
        "对应当立案而不予立案的",
        "违反法定程序实施处罚的。",
    ]


def test_it_reports_a_row_without_a_code():
    rows = [[1, "  ", "乡村建设规划许可", "行政许可"]]

    result = read(workbook(rows, header=HEADER[:4]))

    assert messages(result) == {(2, "权力编码", str(MISSING_CODE))}


def test_it_accepts_the_header_synonyms_offices_use():
    header = ["事项编码", "事项名称", "类别", "法律依据", "责任科室"]
    rows = [
        ["XK-1", "乡村建设规划许可", "许可", "《中华人民共和国城乡规划法》第四十一条", "经发办"]
    ]

    row = read(workbook(rows, header=header)).rows[0]

    assert (row.code, row.name, row.category) == ("XK-1", "乡村建设规划许可", Category.LICENCE)
    assert row.data["legal_bases"][0]["article"] == "第四十一条"
    assert row.data["responsible_office"] == "经发办"


def test_a_table_without_a_category_column_is_one_problem_of_its_header_row():
    result = read(workbook([["XK-1", "乡村建设规划许可"]], header=["权力编码", "权力名称"]))

    assert messages(result) == {(1, "权力类型", str(MISSING_COLUMN % {"column": "权力类型"}))}


def test_it_reads_a_csv_saved_as_utf8_with_a_bom():
    result = read(csv_bytes(clean_rows(DEPARTMENT)), name="清单.csv")

    assert [row.name for row in result.rows][0] == "乡村建设规划许可"
    assert result.problems == []


def test_it_reads_a_csv_saved_in_gb18030():
    result = read(csv_bytes(clean_rows(DEPARTMENT), encoding="gb18030"), name="清单.csv")

    assert result.rows[2].name == "农村宅基地使用权人资格确认"


def test_it_reads_the_named_sheet():
    book = workbook([["XK-1", "许可一", "行政许可"]], header=HEADER[1:4])

    assert read(book, sheet="权力清单").sheet == "权力清单"


def test_it_names_the_sheets_when_the_named_one_is_missing():
    book = workbook([["XK-1", "许可一", "行政许可"]], header=HEADER[1:4])

    with pytest.raises(ImportFileError) as refused:
        read(book, sheet="Sheet2")

    assert refused.value.message == UNKNOWN_SHEET % {"sheet": "Sheet2", "sheets": "权力清单"}


def test_it_refuses_a_file_that_is_not_a_spreadsheet():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"

    with pytest.raises(ImportFileError) as refused:
        read(png, name="scan.png")

    assert refused.value.message == NOT_A_SPREADSHEET


def test_it_refuses_a_zip_that_is_not_a_workbook():

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")

    with pytest.raises(ImportFileError) as refused:
        read(buffer.getvalue(), name="清单.xlsx")

    assert refused.value.message == NOT_A_SPREADSHEET


def test_it_asks_for_an_old_xls_to_be_saved_as_xlsx():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64

    with pytest.raises(ImportFileError) as refused:
        read(ole, name="清单.xls")

    assert refused.value.message == OLD_EXCEL


def test_it_refuses_a_table_without_code_and_name_headers():
    book = workbook([["1", "乡村建设规划许可"]], header=["序号", "事项"])

    with pytest.raises(ImportFileError) as refused:
        read(book)

    assert refused.value.message == NO_HEADER % {"rows": 15, "columns": "权力编码、权力名称"}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("行政许可", Category.LICENCE),
        ("行政处罚类", Category.PENALTY),
        ("强制", Category.COERCION),
        ("行政征收", Category.LEVY),
        ("行政给付", Category.PAYMENT),
        ("行政检查", Category.INSPECTION),
        ("行政确认", Category.CONFIRMATION),
        ("行政奖励", Category.REWARD),
        ("行政裁决", Category.ADJUDICATION),
        ("其他", Category.OTHER),
        ("其他行政权力", Category.OTHER),
        ("公共服务", Category.PUBLIC_SERVICE),
        ("ｐｅｎａｌｔｙ", Category.PENALTY),
        ("public_service", Category.PUBLIC_SERVICE),
    ],
)
def test_it_reads_category_names_and_codes(text, code):
    assert cells.category_of(text) == code


def test_it_splits_bases_separated_by_semicolons_and_keeps_a_documents_number():
    decision = "《国务院对确需保留的行政审批项目设定行政许可的决定》"
    text = f"《中华人民共和国行政许可法》第十二条、第十四条；{decision}（国务院令第412号）第8项"

    bases = cells.legal_bases(text)

    assert [(basis["law"], basis["article"]) for basis in bases] == [
        ("《中华人民共和国行政许可法》", "第十二条、第十四条"),
        (f"{decision}（国务院令第412号）", "第8项"),
    ]


def test_a_line_without_law_or_article_continues_the_excerpt_before_it():
    bases = cells.legal_bases(
        "《中华人民共和国土地管理法》第六十二条：农村村民一户只能拥有一处宅基地，\n"
        "其宅基地的面积不得超过规定的标准。"
    )

    assert len(bases) == 1
    assert bases[0]["excerpt"].endswith("其宅基地的面积不得超过规定的标准。")


def test_responsibility_items_without_numbers_split_at_each_duty():
    items = cells.responsibility_items("受理责任：一次性告知补正材料。审查责任：审查申请材料。")

    assert items == [
        {"name": "受理责任", "content": "一次性告知补正材料。"},
        {"name": "审查责任", "content": "审查申请材料。"},
    ]


def test_accountability_cases_split_at_numbers_lines_and_semicolons():
    cases = cells.accountability_cases("（1）不予受理的；（2）超期办理的\n滥用职权的；")

    assert cases == ["不予受理的", "超期办理的", "滥用职权的"]


def test_it_reads_the_mode_and_name_the_portals_downloads_write_into_the_notes():
    notes = "下放方式：委托；行使名义：甲县市场监督管理局；按季度报送执法情况"
    book = workbook([["XK-1", "许可一", "行政许可", notes]], header=[*HEADER[1:4], "备注"])

    data = read(book).rows[0].data

    assert (data["mode"], data["exercised_in_name_of"]) == ("entrust", "甲县市场监督管理局")
    assert data["notes"] == "按季度报送执法情况"
