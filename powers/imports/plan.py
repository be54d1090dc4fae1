"""What an import would do to a town's list: one adjustment item per row, checked first.

The preview runs every check the confirmation will run (the town's current list, the
county catalogue, ``powers.services.item_data``), so that a clean preview confirms
without surprises, and reads only: a few queries plus one per row for the department
the item validation looks up.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from powers.choices import AdjustmentAction, DevolutionMode
from powers.imports.reader import HEADERS
from powers.imports.rows import ImportResult, ParsedRow, Problem
from powers.models import Devolution, ListEntry, Power
from powers.selectors import current_version
from powers.services.item_data import item_data
from townadmin.models.geography import Department

ADD, CHANGE = AdjustmentAction.ADD, AdjustmentAction.CHANGE


class ImportKind(models.TextChoices):
    ADDITIONS = "additions", _("Additions to the town's list: every row is added")
    REPLACEMENT = (
        "replacement",
        _(
            "The town's whole new list: new codes are added, changed rows changed, "
            "codes the file leaves out removed"
        ),
    )


@dataclass
class ImportDefaults:
    """The holding of every added power whose row does not state it (the upload form)."""

    document_no: str
    effective_from: str  # ISO date
    mode: str
    effective_until: str = ""


# Entry fields a replacing import compares with the file's columns (item data names).
COMPARED = (
    "name",
    "category",
    "parent_code",
    "implementing_body",
    "responsible_office",
    "mode",
    "exercised_in_name_of",
    "fees",
    "supervision_channel",
    "remedy_channel",
)
LISTS = {
    "legal_bases": ("law", "article", "excerpt"),
    "responsibility_items": ("name", "content"),
}


def _government(town):
    return f"{town.name}人民政府"


def _comparable(name, value):
    if name == "accountability_cases":
        return [case["text"] if isinstance(case, dict) else case for case in value]
    if name in LISTS:
        return [tuple(entry.get(key, "") for key in LISTS[name]) for entry in value]
    return value or ""


def _changes(data, entry):
    """The fields of ``data`` (a row) that differ from ``entry`` (the listed values)."""
    changed = {}
    for name, value in data.items():
        listed_name = "department_name" if name == "department" else name
        if listed_name not in entry:
            continue  # notes, dates, document number: not on the published entry
        if _comparable(name, value) != _comparable(name, entry[listed_name]):
            changed[name] = value
    return changed


class _Planner:
    """Plans one import: looks the rows' codes up once, then checks row by row."""

    def __init__(self, result, town, kind, defaults):
        self.result, self.town, self.kind, self.defaults = result, town, kind, defaults
        codes = [row.code for row in result.rows if row.code]
        version = current_version(town)
        entries = ListEntry.objects.filter(version=version) if version else ListEntry.objects.none()
        if kind == ImportKind.ADDITIONS:
            entries = entries.filter(code__in=codes)
        self.listed = {
            entry["code"]: entry
            for entry in entries.order_by("position").values(
                "code", "department_name", "power_id", *COMPARED, *LISTS, "accountability_cases"
            )
        }
        self.catalogue = {
            code: (department, may_devolve)
            for code, department, may_devolve in Power.objects.filter(
                county_id=town.county_id, code__in=codes
            ).values_list("code", "department__name", "may_devolve")
        }
        self.departments = set(
            Department.objects.filter(county_id=town.county_id).values_list("name", flat=True)
        )
        self.holdings = {}
        if kind == ImportKind.REPLACEMENT:
            self.holdings = {
                holding.power_id: holding
                for holding in Devolution.objects.filter(
                    town=town, status=Devolution.Status.ACTIVE, power__code__in=codes
                )
            }

    def problem(self, row, name, message_id, **params):
        self.result.problems.append(Problem(row.row, self.result.header(name), message_id, params))

    def plan(self):
        seen = set()
        for row in self.result.rows:
            if not row.code or row.code in seen:
                continue  # reported already (no code, or a duplicate)
            seen.add(row.code)
            entry = self.listed.get(row.code)
            if entry is None:
                self.addition(row)
            elif self.kind == ImportKind.ADDITIONS:
                self.problem(row, "code", "already_listed", code=row.code)
            else:
                self.change(row, entry)
        if self.kind == ImportKind.REPLACEMENT:
            self.result.removals = [
                {"code": code, "name": entry["name"]}
                for code, entry in self.listed.items()
                if code not in seen
            ]
        self.result.problems.sort(key=lambda problem: problem.row)
        return self.result

    def addition(self, row: ParsedRow):
        row.action = ADD
        data, defaults = row.data, self.defaults
        department, may_devolve = self.catalogue.get(row.code, ("", True))
        if not may_devolve:
            self.problem(row, "code", "not_devolvable", code=row.code)
        if not data.get("department"):
            if department:
                data["department"] = department
            elif data.get("implementing_body") in self.departments:
                data["department"] = data["implementing_body"]
            else:
                self.problem(row, "department", "unknown_department", code=row.code)
                data["department"] = ""
        for name in ("mode", "effective_from", "effective_until", "document_no"):
            if name not in data or (not data[name] and name != "mode"):
                data[name] = getattr(defaults, name)
        if not data.get("effective_until"):
            data.pop("effective_until", None)
        if not data.get("exercised_in_name_of"):
            # DOMAIN.md: an entrusted power is exercised in the department's name, the
            # others in the town's.
            entrusted = data["mode"] == DevolutionMode.ENTRUST and data["department"]
            data["exercised_in_name_of"] = (
                data["department"] if entrusted else _government(self.town)
            )
        self.validate(row, data)

    def change(self, row: ParsedRow, entry):
        changed = _changes(row.data, entry)
        if not changed:
            row.action, row.data = "", {}  # the listed power as it is: no item
            return
        row.action, row.data = CHANGE, changed
        holding = self.holdings.get(entry["power_id"])
        current = {"mode": entry["mode"]}
        if holding is not None:
            current.update(
                effective_from=holding.effective_from, effective_until=holding.effective_until
            )
        self.validate(row, changed, partial=True, current=current)

    def validate(self, row, data, **options):
        reported = {problem.column for problem in self.result.problems if problem.row == row.row}
        try:
            item_data(data, county=self.town.county, **options)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                name, *nested = key.split(".")
                column = self.result.header(name if name in HEADERS else "code")
                if column in reported:
                    continue  # the row's own check said it more plainly
                for message in messages:
                    if nested and nested[0].isdigit():
                        params = {"number": int(nested[0]) + 1, "text": message}
                        problem = Problem(row.row, column, "nested", params)
                    else:
                        problem = Problem(row.row, column, "text", {"text": message})
                    self.result.problems.append(problem)


def import_preview(result: ImportResult, *, town, kind, defaults: ImportDefaults) -> ImportResult:
    """``result`` planned as items of a draft adjustment of ``town``'s list, with every
    problem the confirmation would meet. Reads only; returns ``result``, completed.
    """
    return _Planner(result, town, kind, defaults).plan()
