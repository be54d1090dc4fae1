import csv
import io

import pytest
from openpyxl import load_workbook

from powers.choices import Category, DevolutionMode
from powers.exports import HEADERS, csv_bytes, row, xlsx_bytes
from powers.imports.reader import read_table
from powers.imports.rows import parse_table
from powers.lists import entries
from tests.powers.factories import entry, make_town, make_version

pytestmark = pytest.mark.django_db

BASES = [
    {
        "law": "《中华人民共和国城乡规划法》",
        "article": "第四十一条",
        "excerpt": "在乡、村庄规划区内进行乡镇企业建设的，应当申请乡村建设规划许可。",
        "link": "",
    },
    {"law": "《村庄和集镇规划建设管理条例》", "article": "第十八条", "excerpt": "", "link": ""},
]
ITEMS = [
    {"name": "受理责任", "content": "公示应当提交的材料，一次性告知补正材料。"},
    {"name": "审查责任", "content": "审查申请材料，组织现场踏勘。"},
    {"name": "决定责任", "content": "作出准予或者不予许可的决定。"},
]
CASES = [{"text": "对符合法定条件的申请不予受理的。"}, {"text": "超越法定职权作出准予许可决定的。"}]


@pytest.fixture
def version():
    return make_version(
        make_town(),
        [
            entry(
                "XK-371122-ZJ-0001",
                "乡村建设规划许可证核发",
                legal_bases=BASES,
                responsibility_items=ITEMS,
                accountability_cases=CASES,
                mode=DevolutionMode.ENTRUST,
                department="莒县自然资源和规划局",
                fees="工本费10元",
            ),
            entry("CF-371122-ZF-0002", "对占道经营的处罚", Category.PENALTY),
        ],
    )


def test_a_row_holds_the_exchange_columns(version):
    first = row(entries(version).first())

    assert len(first) == len(HEADERS)
    assert first[:4] == (1, "XK-371122-ZJ-0001", "乡村建设规划许可证核发", "行政许可")
    assert first[4].splitlines() == [
        "1.《中华人民共和国城乡规划法》第四十一条："
        "在乡、村庄规划区内进行乡镇企业建设的，应当申请乡村建设规划许可。",
        "2.《村庄和集镇规划建设管理条例》第十八条",
    ]
    assert first[5] == "莒县自然资源和规划局"
    assert first[6] == "综合行政执法办公室"
    assert first[7].splitlines()[0] == "1.受理责任：公示应当提交的材料，一次性告知补正材料。"
    assert first[8].splitlines()[1] == "2.超越法定职权作出准予许可决定的。"
    assert first[9] == "下放方式：委托；行使名义：莒县自然资源和规划局；收费：工本费10元"


def test_the_workbook_has_the_headers_and_a_row_per_entry(version):
    sheet = load_workbook(io.BytesIO(xlsx_bytes(entries(version), title="权力清单"))).active

    rows = list(sheet.values)
    assert sheet.title == "权力清单"
    assert rows[0] == HEADERS
    assert [r[1] for r in rows[1:]] == ["XK-371122-ZJ-0001", "CF-371122-ZF-0002"]
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize(
    ("write", "name"),
    [
        (lambda rows: xlsx_bytes(rows, title="权力清单"), "list.xlsx"),
        (csv_bytes, "list.csv"),
    ],
)
def test_a_download_imports_back_as_the_same_powers(version, write, name):
    file = io.BytesIO(write(entries(version)))
    file.name = name

    result = parse_table(read_table(file))

    assert result.is_clean, result.problems
    first, second = result.rows
    assert (first.code, first.name, first.category) == (
        "XK-371122-ZJ-0001",
        "乡村建设规划许可证核发",
        "licence",
    )
    assert [(b["law"], b["article"], b["excerpt"]) for b in first.data["legal_bases"]] == [
        (b["law"], b["article"], b["excerpt"]) for b in BASES
    ]
    assert first.data["responsibility_items"] == ITEMS
    assert first.data["accountability_cases"] == [case["text"] for case in CASES]
    assert first.data["implementing_body"] == "莒县自然资源和规划局"
    assert second.category == "penalty"


def test_the_csv_starts_with_a_byte_order_mark_for_excel(version):
    data = csv_bytes(entries(version))

    assert data.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(header) == HEADERS


def test_text_that_looks_like_a_formula_stays_text(version):
    make_version(version.town, [entry("XK-9", '=HYPERLINK("http://x")')])
    latest = version.town.list_versions.get(number=2)

    sheet = load_workbook(io.BytesIO(xlsx_bytes(entries(latest), title="t"))).active
    lines = csv_bytes(entries(latest)).decode("utf-8-sig").splitlines()

    assert sheet["C2"].data_type == "s"
    assert sheet["C2"].value == '=HYPERLINK("http://x")'
    assert lines[1].split(",")[2].startswith("\"'=HYPERLINK")


def test_a_sheet_title_drops_the_characters_excel_refuses(version):
    sheet = load_workbook(io.BytesIO(xlsx_bytes(entries(version), title="a/b:c*d?" * 9))).active

    assert sheet.title == ("a b c d " * 4)[:31]
