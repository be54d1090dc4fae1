"""Spreadsheet import of a power list into a draft adjustment (issue #4, item 8).

``read_power_sheet`` reads a file into rows and the problems that need no database;
``powers.imports.plan.import_preview`` adds what the town's list and the county's
catalogue say, and ``powers.imports.confirm.adjustment_import`` writes the clean
preview as one draft adjustment. Nothing is written before that confirmation, and
never to a published list.
"""

from powers.imports.reader import ImportFileError, read_table
from powers.imports.rows import ImportResult, ParsedRow, Problem, parse_table


def read_power_sheet(file, *, sheet: str | None = None) -> ImportResult:
    """The rows of ``file`` (.xlsx or .csv), each parsed, with the problems found.

    Reads the first sheet unless ``sheet`` names another. Raises ``ImportFileError``
    when the file is no table at all (not a spreadsheet, no header row).
    """
    return parse_table(read_table(file, sheet=sheet))


__all__ = ["ImportFileError", "ImportResult", "ParsedRow", "Problem", "read_power_sheet"]
