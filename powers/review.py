"""What a list adjustment would change, and its timeline, as the review pages show them."""

import dataclasses

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from powers.choices import AdjustmentAction, DevolutionScope
from powers.diff import PUBLIC_FIELDS, display_value
from powers.models import Adjustment, AdjustmentItem, Devolution, ListEntry, Power
from townadmin.audit import timeline

Status = Adjustment.Status
DRAFTED = _("Drafted")
ITEM_STEPS = {"item_added": _("Item added"), "item_removed": _("Item removed")}

# An item's field names that differ from the list entry's.
ENTRY_FIELDS = {"department": "department_name"}
NOT_SHOWN = ("department_id",)


def field_label(field):
    for model in (ListEntry, Devolution, Power):
        try:
            return model._meta.get_field(field).verbose_name
        except FieldDoesNotExist:
            continue
    return field


def shown(field, value):
    if field == "scope" and value in DevolutionScope.values:
        return DevolutionScope(value).label
    return display_value(field, value)


@dataclasses.dataclass
class ProposedChange:
    """One item as the page shows it: the fields it proposes, next to those now in force."""

    item: AdjustmentItem
    name: str
    fields: list  # (label, now, proposed); "now" is None for an addition
    fits: bool  # False when the current list no longer allows it (approval would refuse)


def proposed_changes(adjustment, items, version, *, holdings=True):
    """The items against ``version`` and, with ``holdings``, the devolutions now in force.

    Two queries whatever the number of items.
    """
    codes = [item.code for item in items]
    listed = {}
    if version is not None:
        rows = ListEntry.objects.filter(version=version, code__in=codes)
        listed = {row["code"]: row for row in rows.values("code", *PUBLIC_FIELDS)}
    held = {}
    if holdings:
        held = {
            holding.power_id: holding
            for holding in Devolution.objects.filter(
                town_id=adjustment.town_id,
                status=Devolution.Status.ACTIVE,
                power_id__in=[item.power_id for item in items if item.power_id],
            )
        }
    changes = []
    for item in items:
        entry = listed.get(item.code)
        holding = held.get(item.power_id)
        fields = []
        for key, value in item.data.items():
            if key in NOT_SHOWN:
                continue
            field = ENTRY_FIELDS.get(key, key)
            now = None
            if item.action == AdjustmentAction.CHANGE:
                if entry is not None and field in entry:
                    now = entry[field]
                else:
                    now = getattr(holding, field, None)
                now = shown(field, now)
            fields.append((field_label(field), now, shown(field, value)))
        name = item.data.get("name") or (entry or {}).get("name", "")
        fits = (entry is None) == (item.action == AdjustmentAction.ADD)
        changes.append(ProposedChange(item=item, name=name, fields=fields, fits=fits))
    return changes


def timeline_rows(adjustment):
    """The adjustment's transitions as the page lists them: when, who, what, why."""
    rows = []
    for transition in timeline(adjustment):
        payload = transition.payload or {}
        if payload.get("step") in ITEM_STEPS:
            action = payload.get("action")
            action = AdjustmentAction(action).label if action in AdjustmentAction.values else ""
            what = f"{ITEM_STEPS[payload['step']]}: {action} {payload.get('code', '')}"
        elif not transition.from_status:
            what = DRAFTED
        else:
            what = f"{status_label(transition.from_status)} → {status_label(transition.to_status)}"
        rows.append({"transition": transition, "what": what})
    return rows


def status_label(status):
    return Status(status).label if status in Status.values else status
