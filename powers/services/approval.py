"""Approval of a list adjustment: the catalogue, the register and the next published version.

One transaction: if any item cannot be applied (a power the catalogue keeps at county
level, a term that ends before it starts), nothing is published and nothing changes.
Approvals of one town queue on the town's row, so the second sees the first's version
and is refused (409) instead of publishing on a stale base.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from powers.choices import AdjustmentAction
from powers.models import AccountabilityCase, Devolution, LegalBasis, Power, ResponsibilityItem
from powers.publication import publish, removals
from powers.selectors import current_version
from powers.services.adjustments import (
    APPROVE_PERMISSION,
    REVIEW_REFORM,
    SUBJECT_APPROVED,
    Status,
    _copy,
    _lock,
    _move,
    _notify,
)
from powers.services.item_data import HOLDING_FIELDS, POWER_FIELDS
from powers.services.register import record_registered, register, require, revoke
from townadmin.audit import record_transition
from townadmin.models.geography import Department, Town
from townadmin.workflow import StateConflictError, require_status

DOCUMENT_REQUIRED = _("Give the document number (文号) of the approval.")
BASE_MOVED = _(
    "Version %(number)s of the town's lists was published after this adjustment was "
    "drafted: return it so that it is revised against the current list."
)
REPLACED = _("Replaced by the holding that list adjustment “%(title)s” registers.")

LISTS = {
    "legal_bases": (LegalBasis, ("law", "article", "excerpt", "link")),
    "responsibility_items": (ResponsibilityItem, ("name", "content")),
    "accountability_cases": (AccountabilityCase, ("text",)),
}
# Catalogue fields an item sets on the county's Power as they are: all of an item's power
# fields but those written their own way (department, parent, the three lists) and
# may_devolve, which only the county decides.
POWER_SCALARS = tuple(
    field
    for field in POWER_FIELDS
    if field not in {"department", "parent_code", "may_devolve", *LISTS}
)


def adjustment_approve(*, adjustment, document_no, actor):
    """Approve a submitted adjustment and publish the town's next list version.

    Added powers are written to the county catalogue and registered as held; removed
    ones (with their sub-items) are revoked from today; changed ones are updated, and a
    changed holding is revoked and registered anew. Refused with 409 when another
    version was published since the adjustment's base. Returns the new version.
    """
    require(actor, APPROVE_PERMISSION, adjustment.town_id, REVIEW_REFORM)
    document_no = (document_no or "").strip()
    if not document_no:
        raise ValidationError({"document_no": DOCUMENT_REQUIRED}, code="required")
    with transaction.atomic():
        locked = _lock(adjustment)
        require_status(locked, Status.SUBMITTED)
        # NO KEY UPDATE: queues approvals of this town without blocking the inserts of
        # other rows that point at the town (their foreign key check takes KEY SHARE).
        town = Town.objects.select_for_update(no_key=True).select_related("county")
        town = town.get(pk=locked.town_id)
        current = current_version(town)
        if (current.pk if current else None) != locked.base_version_id:
            raise StateConflictError(
                BASE_MOVED,
                code="base_moved",
                current={"status": locked.status, "current_version": current.number},
                params={"number": current.number},
            )
        items = list(locked.items.order_by("position"))
        revoked, registered = _apply(locked, town, items, document_no)
        version = publish(town=town, adjustment=locked, document_no=document_no, actor=actor)
        locked.document_no, locked.published_version = document_no, version
        _notify(locked, [locked.drafted_by], SUBJECT_APPROVED, len(items), note=document_no)
        for devolution in revoked:
            record_transition(
                obj=devolution,
                from_status=Devolution.Status.ACTIVE,
                to_status=Devolution.Status.REVOKED,
                actor=actor,
                reason=devolution.revoke_reason,
                payload={"revoked_on": devolution.revoked_on, "adjustment": locked.pk},
            )
        for devolution in registered:
            record_registered(devolution, actor, adjustment=locked)
        _move(
            locked,
            Status.APPROVED,
            actor,
            reason=document_no,
            fields=["document_no", "published_version"],
            payload={"version": version.number},
        )
    _copy(locked, adjustment)
    return version


def _apply(adjustment, town, items, document_no):
    """Write the items to the catalogue and the register; returns (revoked, registered)."""
    today = timezone.localdate()
    base_entries = []
    if adjustment.base_version_id is not None:
        base_entries = list(
            adjustment.base_version.entries.only(
                "code",
                "parent_code",
                "power",
                "mode",
                "exercised_in_name_of",
                "responsible_office",
            )
        )
    removed = removals(items, base_entries)
    held = {
        devolution.power_id: devolution
        for devolution in Devolution.objects.filter(town=town, status=Devolution.Status.ACTIVE)
    }
    revoked, registered = [], []
    for power_id, reason in removed.values():
        if power_id in held:
            revoked.append(revoke(devolution=held.pop(power_id), on=today, reason=reason))
    additions = [item for item in items if item.action == AdjustmentAction.ADD]
    # Main items first, so that a sub-item added with its main finds it in the catalogue.
    for item in sorted(additions, key=lambda item: bool(item.data.get("parent_code"))):
        power = upsert_power(county=town.county, code=item.code, data=item.data, adding=True)
        if item.power_id != power.pk:
            item.power = power
            item.save(update_fields=["power"])
        holding = _holding(town, item.data, document_no=document_no)
        if power.pk in held:
            reason = REPLACED % {"title": adjustment.title}
            on = holding["effective_from"]
            revoked.append(revoke(devolution=held.pop(power.pk), on=on, reason=reason))
        registered.append(register(town=town, power=power, **holding))
    for item in items:
        if item.action != AdjustmentAction.CHANGE or item.code in removed:
            continue
        power = upsert_power(county=town.county, code=item.code, data=item.data, adding=False)
        if not any(key in item.data for key in HOLDING_FIELDS):
            continue
        old = held.pop(power.pk, None)
        on = _date(item.data.get("effective_from")) or today
        entry = next(entry for entry in base_entries if entry.code == item.code)
        holding = _holding(
            town, {**_holding_data(old, entry), **item.data}, document_no=document_no
        )
        holding["effective_from"] = on
        if old is not None:
            revoked.append(revoke(devolution=old, on=on, reason=item.reason))
        registered.append(register(town=town, power=power, **holding))
    return revoked, registered


def upsert_power(*, county, code, data, adding):
    """Create or update the county's catalogue power ``code`` from an item's ``data``.

    A change writes every field it names. An addition creates the power whole; for a
    power already in the catalogue it writes only the fields it states (a blank does
    not erase the catalogue's text), and never its ``may_devolve``: that is the
    county's decision, not a town's.
    """
    power = Power.objects.select_for_update().filter(county=county, code=code).first()
    created = power is None
    if created:
        power = Power(county=county, code=code, may_devolve=data.get("may_devolve", True))

    def writes(field):
        return field in data and (created or not adding or data[field] not in ("", None, []))

    for field in POWER_SCALARS:
        if writes(field):
            setattr(power, field, data[field])
    if writes("department_id"):
        power.department = Department.objects.get(pk=data["department_id"])
    if writes("parent_code"):
        parent_code = data["parent_code"]
        power.parent = (
            Power.objects.filter(county=county, code=parent_code).exclude(code=code).first()
            if parent_code
            else None
        )
    power.full_clean()
    power.save()
    for relation, (model, columns) in LISTS.items():
        if writes(relation):
            getattr(power, relation).all().delete()
            model.objects.bulk_create(
                model(power=power, position=position, **{c: row.get(c, "") for c in columns})
                for position, row in enumerate(data[relation], start=1)
            )
    return power


def _holding(town, data, *, document_no):
    """Keyword arguments of ``register`` from an item's (merged) data."""
    office_name = data.get("responsible_office") or ""
    office = (
        Department.objects.filter(county_id=town.county_id, town=town, name=office_name).first()
        if office_name
        else None
    )
    return {
        "mode": data["mode"],
        "exercised_in_name_of": data["exercised_in_name_of"],
        "scope": data.get("scope") or "whole",
        "is_partial": data.get("is_partial", False),
        "scope_note": data.get("scope_note", ""),
        "receiving_office": office,
        "effective_from": _date(data.get("effective_from")) or timezone.localdate(),
        "effective_until": _date(data.get("effective_until")),
        "document_no": data.get("document_no") or document_no,
    }


def _holding_data(old, entry):
    """The holding a change starts from: the devolution in force, else the listed entry."""
    if old is None:
        return {
            "mode": entry.mode,
            "exercised_in_name_of": entry.exercised_in_name_of,
            "responsible_office": entry.responsible_office,
        }
    return {
        "mode": old.mode,
        "exercised_in_name_of": old.exercised_in_name_of,
        "scope": old.scope,
        "is_partial": old.is_partial,
        "scope_note": old.scope_note,
        "responsible_office": old.receiving_office.name if old.receiving_office_id else "",
        "effective_until": old.effective_until,
    }


def _date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)
