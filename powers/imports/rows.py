"""The rows of an imported list, each with the problems found in it.

A problem names the spreadsheet row (as Excel numbers it) and the column (as the file
heads it), so that an office can fix its file. Messages are kept as an id and its
parameters, not as text: the preview lives in the session and is rendered again in
whichever language the reader switches to.
"""

import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext_lazy as _

from powers.imports import cells
from powers.imports.reader import HEADERS, Table

MISSING_CODE = _("The power code is empty.")
MISSING_NAME = _("The power name is empty.")
MISSING_CATEGORY = _("The category is empty.")
MISSING_COLUMN = _("The table has no %(column)s column.")
UNKNOWN_CATEGORY = _("“%(value)s” is not a category. Use one of: %(categories)s.")
UNKNOWN_MODE = _("“%(value)s” is not a mode of devolution. Use one of: 下放, 委托, 授权, 交由.")
NOT_A_DATE = _("“%(value)s” is not a date. Write it as 2025-01-31 or 2025年1月31日.")
TOO_LONG = _("Longer than %(limit)s characters.")
DUPLICATE_CODE = _("The code %(code)s appears more than once in the file: rows %(rows)s.")
ALREADY_LISTED = _("The code %(code)s is already on the town's current list.")
UNKNOWN_DEPARTMENT = _(
    "The source department is unknown: the county catalogue has no power %(code)s. "
    "Add a 来源部门 column naming a county department."
)
NOT_DEVOLVABLE = _("The county catalogue keeps %(code)s at county level: it may not be devolved.")
# A message of the item validation (``powers.services.item_data``), about one of a
# cell's several items ("the second legal basis").
NESTED = _("Item %(number)s: %(text)s")

MESSAGES = {
    "missing_code": MISSING_CODE,
    "missing_name": MISSING_NAME,
    "missing_category": MISSING_CATEGORY,
    "missing_column": MISSING_COLUMN,
    "unknown_category": UNKNOWN_CATEGORY,
    "unknown_mode": UNKNOWN_MODE,
    "not_a_date": NOT_A_DATE,
    "too_long": TOO_LONG,
    "duplicate_code": DUPLICATE_CODE,
    "already_listed": ALREADY_LISTED,
    "unknown_department": UNKNOWN_DEPARTMENT,
    "not_devolvable": NOT_DEVOLVABLE,
    "nested": NESTED,
}
# ListEntry and AdjustmentItem limits (characters).
CODE_LENGTH = 48
NAME_LENGTH = 200

TEXT_FIELDS = (
    "implementing_body",
    "responsible_office",
    "department",
    "parent_code",
    "exercised_in_name_of",
    "fees",
    "supervision_channel",
    "remedy_channel",
    "document_no",
)
# The portal's downloads (``powers.exports``) write these into 备注, "下放方式：委托；行使名义：
# 莒县市场监督管理局": a downloaded list re-imports with them.
NOTE_FIELDS = {
    "下放方式": "mode",
    "行使名义": "exercised_in_name_of",
    "主项编码": "parent_code",
    "收费": "fees",
}
_NOTE = re.compile(rf"\s*({'|'.join(NOTE_FIELDS)})\s*[:：]\s*(.+?)\s*")


@dataclass(frozen=True)
class Problem:
    """What is wrong in one cell (or one row: ``column`` is then the code's header)."""

    row: int
    column: str
    message_id: str
    params: dict = field(default_factory=dict)

    @property
    def message(self):
        if self.message_id == "text":  # a message the item validation already rendered
            return self.params["text"]
        message = MESSAGES[self.message_id]
        return message % self.params if self.params else message


@dataclass
class ParsedRow:
    """One row of the list: its code, name, category and the fields of the item it makes.

    ``data`` holds only what the file states (``AdjustmentItem.data`` field names);
    ``powers.imports.plan`` completes it with the town's defaults and sets ``action``.
    """

    row: int
    code: str
    name: str
    category: str
    data: dict
    action: str = ""


@dataclass
class ImportResult:
    """A file read into rows: what the preview shows and the confirmation writes."""

    header_row: int
    headers: dict[str, str]
    sheet: str
    rows: list[ParsedRow]
    problems: list[Problem]
    # Codes on the current list the file leaves out: removed by a "replace" import.
    removals: list[dict] = field(default_factory=list)

    @property
    def is_clean(self):
        return not self.problems

    def header(self, name):
        """The column heading of field ``name``: as the file writes it, else our template's."""
        return self.headers.get(name) or HEADERS[name][0]

    def problems_by_row(self):
        by_row = defaultdict(list)
        for problem in self.problems:
            by_row[problem.row].append(problem)
        return by_row

    def as_session(self) -> dict:
        return asdict(self)

    @classmethod
    def from_session(cls, stored: dict) -> "ImportResult":
        return cls(
            **{
                **stored,
                "rows": [ParsedRow(**row) for row in stored["rows"]],
                "problems": [Problem(**problem) for problem in stored["problems"]],
            }
        )


def _fields_from_notes(values: dict) -> dict:
    """``values`` plus what 备注 states ("下放方式：委托") of fields without their own column."""
    found, kept = {}, []
    for piece in re.split(r"[;；\n]", values.get("notes", "")):
        match = _NOTE.fullmatch(piece)
        name = NOTE_FIELDS[match.group(1)] if match else None
        if name and name not in values and name not in found:
            found[name] = match.group(2)
        elif piece.strip():
            kept.append(piece.strip())
    if not found:
        return values
    return {**values, **found, "notes": "；".join(kept)}


def _parse(number: int, values: dict, result: ImportResult) -> ParsedRow:
    problems = result.problems
    values = _fields_from_notes(values)

    def problem(name, message_id, **params):
        problems.append(Problem(number, result.header(name), message_id, params))

    code = cells.normalise_code(values["code"])
    name = cells.one_line(values["name"])
    data = {"name": name}
    if not code:
        problem("code", "missing_code")
    elif len(code) > CODE_LENGTH:
        problem("code", "too_long", limit=CODE_LENGTH)
    if not name:
        problem("name", "missing_name")
    elif len(name) > NAME_LENGTH:
        problem("name", "too_long", limit=NAME_LENGTH)
    category = ""
    if "category" in values:
        text = cells.one_line(values["category"])
        category = cells.category_of(text) or ""
        if not text:
            problem("category", "missing_category")
        elif not category:
            labels = "、".join(cells.CATEGORY_LABELS.values())
            problem("category", "unknown_category", value=text, categories=labels)
        data["category"] = category
    if "legal_bases" in values:
        data["legal_bases"] = cells.legal_bases(values["legal_bases"])
    if "responsibility_items" in values:
        data["responsibility_items"] = cells.responsibility_items(values["responsibility_items"])
    if "accountability_cases" in values:
        data["accountability_cases"] = cells.accountability_cases(values["accountability_cases"])
    if "notes" in values:
        data["notes"] = cells.tidy(values["notes"])
    # A column that is there says its value even when empty: a replacing import clears it.
    for field_name in TEXT_FIELDS:
        if field_name in values:
            data[field_name] = cells.one_line(values[field_name])
    if "parent_code" in data:
        data["parent_code"] = cells.normalise_code(data["parent_code"])
    if values.get("mode"):
        mode = cells.mode_of(values["mode"])
        if mode is None:
            problem("mode", "unknown_mode", value=cells.one_line(values["mode"]))
        data["mode"] = mode or ""
    for field_name in ("effective_from", "effective_until"):
        if values.get(field_name):
            date = cells.date_of(values[field_name])
            if date is None:
                problem(field_name, "not_a_date", value=cells.one_line(values[field_name]))
            data[field_name] = date or ""
    return ParsedRow(row=number, code=code, name=name, category=category, data=data)


def parse_table(table: Table) -> ImportResult:
    """Every row of ``table`` parsed, with the problems that need no database to find."""
    result = ImportResult(
        header_row=table.header_row, headers=table.headers, sheet=table.sheet, rows=[], problems=[]
    )
    if "category" not in table.headers:
        result.problems.append(
            Problem(
                table.header_row,
                HEADERS["category"][0],
                "missing_column",
                {"column": HEADERS["category"][0]},
            )
        )
    result.rows = [_parse(number, values, result) for number, values in table.rows]
    rows_of = defaultdict(list)
    for row in result.rows:
        if row.code:
            rows_of[row.code].append(row.row)
    for row in result.rows:
        numbers = rows_of.get(row.code, ())
        if len(numbers) > 1:
            result.problems.append(
                Problem(
                    row.row,
                    result.header("code"),
                    "duplicate_code",
                    {"code": row.code, "rows": "、".join(str(number) for number in numbers)},
                )
            )
    result.problems.sort(key=lambda problem: problem.row)
    return result
