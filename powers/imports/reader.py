"""Reading an office's spreadsheet into a table: the header row and the rows under it.

Real files have a title or two above the table, merged cells, full-width characters
and stray spaces, and headers that vary between offices ("权力编码", "事项编码",
"编码" ...). This module finds the header row among the first rows, maps each header
to a field, and fills merged ranges with their top-left value, so that a category
merged across three rows belongs to each of them. What the cells mean is ``rows``'
business.
"""

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# The header is looked for in this many rows from the top (titles, dates, units above it).
HEADER_SEARCH_ROWS = 15
# An upload is a list of one town or one county: a few thousand rows at most.
MAX_ROWS = 5000

NOT_A_SPREADSHEET = _(
    "The file is not an Excel workbook (.xlsx) or a CSV file. Save it from Excel or WPS "
    "as .xlsx or .csv and upload it again."
)
OLD_EXCEL = _(
    "Old Excel files (.xls) cannot be read. Open the file in Excel or WPS, save it as "
    "an Excel workbook (.xlsx) and upload it again."
)
UNKNOWN_SHEET = _("The workbook has no sheet named “%(sheet)s”; its sheets are: %(sheets)s.")
NO_HEADER = _(
    "No header row was found in the first %(rows)s rows: the table needs at least the "
    "columns %(columns)s."
)
NO_ROWS = _("The table has a header row but no rows under it.")
TOO_MANY_ROWS = _("The table has more than %(limit)s rows; split it into several files.")


class ImportFileError(Exception):
    """The file cannot be read as a table at all: nothing to preview row by row."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# Field -> the headers offices use for it, the first being the one our template uses.
# Compared after ``header_key()``: NFKC, no spaces or line breaks, no "(...)" remark.
HEADERS = {
    "position": ("序号", "顺序号"),
    "code": (
        "权力编码",
        "事项编码",
        "编码",
        "权力事项编码",
        "事项代码",
        "权力代码",
        "事项编号",
        "权力编号",
    ),
    "name": ("权力名称", "事项名称", "名称", "权力事项名称", "项目名称", "职权名称"),
    "category": ("权力类型", "类别", "权力类别", "事项类型", "事项类别", "类型", "职权类型"),
    "legal_bases": ("实施依据", "法律依据", "设定依据", "依据", "法定依据", "设定和实施依据"),
    "implementing_body": ("实施主体", "行使主体", "实施机关", "执法主体"),
    "responsible_office": (
        "承办机构",
        "责任科室",
        "承办科室",
        "承办部门",
        "责任部门",
        "内设机构",
    ),
    "responsibility_items": ("责任事项", "责任事项内容"),
    "accountability_cases": ("追责情形", "问责情形", "追责情形及依据", "责任追究情形"),
    "notes": ("备注",),
    "department": ("来源部门", "县级部门", "原实施部门", "主管部门", "业务主管部门", "下放部门"),
    "parent_code": ("主项编码", "所属主项编码"),
    "mode": ("下放方式", "赋权方式", "行使方式", "承接方式"),
    "exercised_in_name_of": ("行使名义", "实施名义", "以谁名义行使"),
    "fees": ("收费", "收费标准", "收费依据及标准", "收费情况"),
    "supervision_channel": ("监督方式", "监督渠道", "监督投诉渠道"),
    "remedy_channel": ("救济渠道", "救济途径"),
    "effective_from": ("生效日期", "实施日期", "执行日期"),
    "effective_until": ("截止日期", "委托期限至", "有效期至"),
    "document_no": ("文号", "下放文号", "依据文件"),
}
REQUIRED_HEADERS = ("code", "name")
_HEADER_FIELDS = {key: name for name, keys in HEADERS.items() for key in keys}
_REMARK = re.compile(r"\([^)]*\)")
_SPACE = re.compile(r"\s+")


def header_key(text: str) -> str:
    """The comparable form of a header: "权力 编码\\n（必填）" -> "权力编码"."""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    return _REMARK.sub("", text).strip("*:")


@dataclass
class Table:
    """The header row and the rows under it, each a dict of field -> cell text."""

    header_row: int
    # field -> the header as the file writes it (for messages and the preview)
    headers: dict[str, str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    sheet: str = ""


def cell_text(value) -> str:
    """A cell's value as text: whole numbers without ".0", dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # Excel writes "\r\n" and "_x000D_" inside cells; the rest of the code sees "\n".
    return str(value).replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _header_fields(cells: list[str]) -> dict[int, str]:
    found = {}
    for index, text in enumerate(cells):
        name = _HEADER_FIELDS.get(header_key(text)) if text else None
        if name and name not in found.values():
            found[index] = name
    return found


def _table(grid: list[list[str]], captions: set[int] = frozenset()) -> Table:
    """Find the header among the first rows of ``grid`` (1-based row numbers) and map rows."""
    best = None
    for number, cells in enumerate(grid[:HEADER_SEARCH_ROWS], start=1):
        columns = _header_fields(cells)
        if all(name in columns.values() for name in REQUIRED_HEADERS) and (
            best is None or len(columns) > len(best[1])
        ):
            best = (number, columns)
    if best is None:
        columns = "、".join(HEADERS[name][0] for name in REQUIRED_HEADERS)
        raise ImportFileError(NO_HEADER % {"rows": HEADER_SEARCH_ROWS, "columns": columns})
    header_row, columns = best
    header_cells = grid[header_row - 1]
    table = Table(
        header_row=header_row,
        headers={name: _SPACE.sub("", header_cells[index]) for index, name in columns.items()},
    )
    for number, cells in enumerate(grid[header_row:], start=header_row + 1):
        if number in captions:
            continue
        values = {
            name: cells[index] if index < len(cells) else "" for index, name in columns.items()
        }
        # A row with nothing but its 序号 is a blank line of the template.
        if any(text for name, text in values.items() if name != "position"):
            table.rows.append((number, values))
    if not table.rows:
        raise ImportFileError(NO_ROWS)
    if len(table.rows) > MAX_ROWS:
        raise ImportFileError(TOO_MANY_ROWS % {"limit": MAX_ROWS})
    return table


def _read_xlsx(data: bytes, sheet: str | None) -> Table:
    from openpyxl import load_workbook

    try:
        # Not read_only: the read-only reader does not report merged ranges.
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFileError(NOT_A_SPREADSHEET) from error
    if sheet:
        if sheet not in workbook.sheetnames:
            raise ImportFileError(
                UNKNOWN_SHEET % {"sheet": sheet, "sheets": "、".join(workbook.sheetnames)}
            )
        worksheet = workbook[sheet]
    else:
        worksheet = workbook.worksheets[0]
    if worksheet.max_row > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise ImportFileError(TOO_MANY_ROWS % {"limit": MAX_ROWS})
    grid = [[cell_text(value) for value in row] for row in worksheet.iter_rows(values_only=True)]
    width = max((len(row) for row in grid), default=0)
    captions = set()
    for merged in worksheet.merged_cells.ranges:
        top_left = grid[merged.min_row - 1][merged.min_col - 1]
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                grid[row - 1][column - 1] = top_left
        # A range across the whole table is a title or a footnote ("注：……"), not a row.
        if merged.min_col == 1 and merged.max_col >= width > 1:
            captions.update(range(merged.min_row, merged.max_row + 1))
    table = _table(grid, captions)
    table.sheet = worksheet.title
    return table


def _read_csv(data: bytes) -> Table:
    if b"\x00" in data:
        raise ImportFileError(NOT_A_SPREADSHEET)
    try:
        # Excel saves "CSV UTF-8" with a BOM, plain "CSV" in the system code page (GB18030).
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as error:
            raise ImportFileError(NOT_A_SPREADSHEET) from error
    # Comma-separated as Excel saves it; tab-separated when pasted from a sheet.
    first_error = None
    for dialect in (csv.excel, csv.excel_tab):
        grid = [
            [cell_text(value) for value in row] for row in csv.reader(io.StringIO(text), dialect)
        ]
        try:
            return _table(grid)
        except ImportFileError as error:
            first_error = first_error or error
    raise first_error


def read_table(file, *, sheet: str | None = None) -> Table:
    """The table of an uploaded ``file`` (.xlsx, or .csv in UTF-8 or GB18030).

    The format is told from the content, not the name: a workbook is a zip file, an old
    .xls an OLE compound file. Raises ``ImportFileError`` with a message for the user.
    """
    data = file.read()
    name = getattr(file, "name", "") or ""
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, sheet)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(OLD_EXCEL)
    if name.lower().endswith((".csv", ".txt")):
        return _read_csv(data)
    raise ImportFileError(NOT_A_SPREADSHEET)
