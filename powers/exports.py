"""Downloads of a published list as .xlsx and as CSV, in the columns offices exchange.

The columns are the ones offices use (the import reads them back: ``powers.imports``),
so a downloaded list re-imports. Headers stay Chinese in every interface language:
they are the exchange format, not interface text. The cells hold what the portal shows,
numbered one per line where a cell holds several items, as offices write them.
"""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from powers.choices import DevolutionMode
from powers.imports.cells import CATEGORY_LABELS
from powers.lists import basis_text, case_text, charges, item_text

HEADERS = (
    "序号",
    "权力编码",
    "权力名称",
    "权力类型",
    "实施依据",
    "实施主体",
    "承办机构",
    "责任事项",
    "追责情形",
    "备注",
)
WIDTHS = (6, 22, 36, 12, 48, 20, 18, 48, 40, 30)
MODE_NAMES = {
    DevolutionMode.DEVOLVE: "下放",
    DevolutionMode.ENTRUST: "委托",
    DevolutionMode.AUTHORISE: "授权",
    DevolutionMode.ASSIGN: "交由",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
# A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _numbered(texts):
    texts = [text for text in texts if text]
    if len(texts) < 2:
        return "".join(texts)
    return "\n".join(f"{number}.{text}" for number, text in enumerate(texts, start=1))


def _notes(entry):
    notes = [
        f"下放方式：{MODE_NAMES.get(entry.mode, entry.mode)}",
        f"行使名义：{entry.exercised_in_name_of}",
    ]
    if entry.parent_code:
        notes.append(f"主项编码：{entry.parent_code}")
    if charges(entry.fees):
        notes.append(f"收费：{entry.fees}")
    return "；".join(notes)


def row(entry):
    """One entry in the exchange columns (HEADERS)."""
    return (
        entry.position,
        entry.code,
        entry.name,
        CATEGORY_LABELS.get(entry.category, entry.category),
        _numbered(basis_text(basis, excerpt=True) for basis in entry.legal_bases),
        entry.implementing_body,
        entry.responsible_office,
        _numbered(item_text(item) for item in entry.responsibility_items),
        _numbered(case_text(case) for case in entry.accountability_cases),
        _notes(entry),
    )


def xlsx_bytes(entries, *, title):
    """A workbook of one sheet, ``title``: the header row, then one row per entry."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(ord("A") + index - 1)].width = width
    sheet.freeze_panes = "A2"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    sheet.append([_cell(sheet, header, font=bold) for header in HEADERS])
    for entry in entries:
        sheet.append([_cell(sheet, value, alignment=wrap) for value in row(entry)])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _cell(sheet, value, **style):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl would store text starting with "=" as a formula: text stays text.
        cell.data_type = "s"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _sheet_title(title):
    for character in "[]:*?/\\":
        title = title.replace(character, " ")
    return title[:31] or "Sheet1"


def csv_bytes(entries):
    """The same rows as CSV, UTF-8 with a byte order mark, so Excel opens it in Chinese."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(HEADERS)
    for entry in entries:
        writer.writerow(_csv_safe(value) for value in row(entry))
    return output.getvalue().encode("utf-8-sig")


def _csv_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def download(entries, *, fmt, filename, title):
    """An attachment response of ``entries`` as ``fmt`` ("xlsx" or "csv")."""
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(entries, title=title), content_type=XLSX)
    else:
        response = HttpResponse(csv_bytes(entries), content_type=CSV)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def filename(version, kind):
    """An ASCII file name: town code, version and list kind (371122104-v2-power)."""
    return f"{version.town.code}-v{version.number}-{kind or 'all'}"
