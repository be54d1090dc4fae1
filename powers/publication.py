"""Publication: version N+1 of a town's lists, written whole when an adjustment is approved.

A version reads alone: every entry is a full copy of what the public sees (legal
bases, responsibility items and accountability cases as JSON lists of dicts), so
later changes to the catalogue never alter what was published. The database refuses
UPDATE and DELETE of versions and entries, so everything, counts included, is
computed before the INSERTs. Called by ``powers.services.adjustment_approve`` inside
its transaction, after the catalogue and the register were updated; the first
version of a town is the approval of an adjustment with no base, all of it "add".
"""

from collections import Counter, defaultdict

from django.conf import settings
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from powers.choices import AdjustmentAction, Category
from powers.models import ListEntry, ListVersion, Power
from powers.search import index_words
from powers.selectors import current_version

SUMMARY = _("%(title)s: %(added)d added, %(removed)d removed, %(changed)d changed")
LIST_FIELDS = ("legal_bases", "responsibility_items", "accountability_cases")
# Entry fields copied from the base version as they are (the rest is set per version).
COPIED = tuple(
    field.attname
    for field in ListEntry._meta.concrete_fields
    if field.name not in {"id", "version", "town", "position", "search_words", "search_vector"}
)
# Item data keys that are entry fields under the same name.
ENTRY_KEYS = frozenset(COPIED) & {
    "name",
    "category",
    "parent_code",
    "mode",
    "exercised_in_name_of",
    "implementing_body",
    "responsible_office",
    "supervision_channel",
    "remedy_channel",
    "fees",
    "applies_on_application",
    "statutory_days",
    "promised_days",
    *LIST_FIELDS,
}


def publish(*, town, adjustment, document_no, actor) -> ListVersion:
    """Write and return version N+1 of ``town``'s lists: the adjustment's base version
    minus its removals, with its changes, plus its additions, renumbered.

    The catalogue powers of added items must exist (approval has written them).
    """
    base = adjustment.base_version
    base_rows = list(base.entries.order_by("position").values(*COPIED)) if base else []
    items = list(adjustment.items.order_by("position"))
    removed = removals(items, base_rows)
    changes = {item.code: item.data for item in items if item.action == AdjustmentAction.CHANGE}
    additions = [item for item in items if item.action == AdjustmentAction.ADD]
    powers = {
        power.code: power
        for power in Power.objects.filter(
            county_id=town.county_id, code__in=[item.code for item in additions]
        )
        .select_related("department", "parent")
        .prefetch_related(*LIST_FIELDS)
    }
    rows = []
    for row in base_rows:
        if row["code"] in removed:
            continue
        if row["code"] in changes:
            row = {**row, **_entry_values(changes[row["code"]])}
        rows.append(row)
    rows += [_from_catalogue(powers[item.code], item.data) for item in additions]
    rows = _main_items_first(rows)
    latest = current_version(town)
    version = ListVersion.objects.create(
        town=town,
        number=latest.number + 1 if latest else 1,
        published_at=timezone.now(),
        approved_by=actor,
        document_no=document_no,
        summary=_summary(adjustment.title, additions, removed, changes),
        entry_count=len(rows),
        category_counts=dict(Counter(row["category"] for row in rows)),
    )
    ListEntry.objects.bulk_create(
        (
            ListEntry(
                version=version, town=town, position=position, search_words=_words(row), **row
            )
            for position, row in enumerate(rows, start=1)
        ),
        batch_size=500,
    )
    return version


def removals(items, base_entries) -> dict:
    """{code: (power id, reason)} of what the items remove from ``base_entries`` (entries
    or dicts), with the sub-items of every removed main item: a sub-item does not
    outlive its main item."""

    def get(entry, name):
        return entry[name] if isinstance(entry, dict) else getattr(entry, name)

    reasons = {item.code: item.reason for item in items if item.action == AdjustmentAction.REMOVE}
    by_code = {get(entry, "code"): entry for entry in base_entries}
    grew = True
    while grew:
        grew = False
        for code, entry in by_code.items():
            parent = get(entry, "parent_code")
            if code not in reasons and parent in reasons:
                reasons[code] = reasons[parent]
                grew = True
    return {
        code: (get(by_code[code], "power_id"), reason)
        for code, reason in reasons.items()
        if code in by_code
    }


def _entry_values(data):
    values = {key: value for key, value in data.items() if key in ENTRY_KEYS}
    if "department" in data:
        values["department_name"] = data["department"]
    return values


def _from_catalogue(power, data):
    """The entry of an added power: the catalogue's fields and the item's holding."""
    return {
        "power_id": power.pk,
        "code": power.code,
        "name": power.name,
        "category": power.category,
        "department_name": power.department.name,
        "parent_code": data.get("parent_code") or (power.parent.code if power.parent else ""),
        "mode": data["mode"],
        "exercised_in_name_of": data["exercised_in_name_of"],
        "implementing_body": data.get("implementing_body") or power.implementing_body,
        "responsible_office": data.get("responsible_office", ""),
        "legal_bases": [
            {"law": b.law, "article": b.article, "excerpt": b.excerpt, "link": b.link}
            for b in power.legal_bases.all()
        ],
        "responsibility_items": [
            {"name": r.name, "content": r.content} for r in power.responsibility_items.all()
        ],
        "accountability_cases": [{"text": c.text} for c in power.accountability_cases.all()],
        "supervision_channel": power.supervision_channel,
        "remedy_channel": power.remedy_channel,
        "fees": power.fees,
        "applies_on_application": power.applies_on_application,
        "statutory_days": power.statutory_days,
        "promised_days": power.promised_days,
    }


def _main_items_first(rows):
    """The list order, with each sub-item right after its main item (序号 follows it)."""
    codes = {row["code"] for row in rows}
    children = defaultdict(list)
    top = []
    for row in rows:
        parent = row["parent_code"]
        if parent and parent in codes and parent != row["code"]:
            children[parent].append(row)
        else:
            top.append(row)
    ordered = []

    def place(row):
        ordered.append(row)
        for child in children.pop(row["code"], []):
            place(child)

    for row in top:
        place(row)
    # Sub-items whose main items point back at them (a cycle) still get published.
    for stranded in children.values():
        ordered += stranded
    return ordered


def _words(row):
    with translation.override(settings.LANGUAGE_CODE):
        category = str(Category(row["category"]).label)
    return index_words(
        row["code"], row["name"], row["department_name"], category, row["responsible_office"]
    )


def _summary(title, additions, removed, changes):
    with translation.override(settings.LANGUAGE_CODE):
        text = SUMMARY % {
            "title": title,
            "added": len(additions),
            "removed": len(removed),
            "changed": len(changes),
        }
    return Truncator(text).chars(ListVersion._meta.get_field("summary").max_length)
