"""What changed between two published versions of a town's lists, entry by entry.

Entries are matched by code: a code only in the later version was added, one only in
the earlier was removed, and one in both whose public fields differ was changed.
"""

from django.utils.translation import gettext_lazy as _

from powers.choices import Category, DevolutionMode
from powers.lists import basis_text, case_text, item_text
from powers.models import ListEntry

# What the public reads of an entry, in the order the diff lists the changes.
PUBLIC_FIELDS = (
    "name",
    "category",
    "department_name",
    "parent_code",
    "mode",
    "exercised_in_name_of",
    "implementing_body",
    "responsible_office",
    "legal_bases",
    "responsibility_items",
    "accountability_cases",
    "supervision_channel",
    "remedy_channel",
    "fees",
    "applies_on_application",
    "statutory_days",
    "promised_days",
)
SUMMARY_FIELDS = ("code", "name", "category", "department_name")


def diff_versions(a, b):
    """The changes from version ``a`` to version ``b`` (two queries).

    ``{"added": [...], "removed": [...], "changed": [{"code", "name", "fields":
    {field: (old, new)}}]}``; added and removed entries as their code, name, category
    and department, each list in the order of the version that holds the entries.
    """
    old, new = _entries(a), _entries(b)
    changed = []
    for code, entry in new.items():
        before = old.get(code)
        if before is None:
            continue
        fields = {
            field: (before[field], entry[field])
            for field in PUBLIC_FIELDS
            if before[field] != entry[field]
        }
        if fields:
            changed.append({"code": code, "name": entry["name"], "fields": fields})
    return {
        "added": [_summary(entry) for code, entry in new.items() if code not in old],
        "removed": [_summary(entry) for code, entry in old.items() if code not in new],
        "changed": changed,
    }


def _entries(version):
    rows = (
        ListEntry.objects.filter(version=version)
        .order_by("position")
        .values("code", *PUBLIC_FIELDS)
    )
    return {row["code"]: row for row in rows}


def _summary(entry):
    return {field: entry[field] for field in SUMMARY_FIELDS}


def field_label(field):
    return ListEntry._meta.get_field(field).verbose_name


def display_value(field, value):
    """A field's value as a reader sees it on the diff page."""
    if value in (None, "", []):
        return "—"
    if field == "category":
        return Category(value).label
    if field == "mode":
        return DevolutionMode(value).label
    if field == "legal_bases":
        return "\n".join(basis_text(basis, excerpt=True) for basis in value)
    if field == "responsibility_items":
        return "\n".join(item_text(item) for item in value)
    if field == "accountability_cases":
        return "\n".join(case_text(case) for case in value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)
