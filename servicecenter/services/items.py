"""Service items derived from the powers a town holds that citizens apply for."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from powers.lists import entries
from powers.selectors import current_version
from servicecenter.choices import Channel, ItemKind
from servicecenter.models import ServiceItem
from servicecenter.services.common import require
from townadmin.audit import record_transition

DERIVE = ("servicecenter.add_serviceitem", "townadmin.manage_lists")
# 行政许可法 Art. 42: when the list gives no statutory limit, the law's twenty days apply.
DEFAULT_STATUTORY_DAYS = 20
DEFAULT_CHANNELS = [Channel.WINDOW, Channel.ONLINE, Channel.AGENT]

NO_LIST = _("The town has no published list to derive service items from.")


def service_items_derive(*, town, actor) -> tuple[int, int]:
    """Create or refresh ``town``'s service items from its current published list.

    Every entry citizens apply for becomes an item (or refreshes the copied fields of
    the existing one: code, name, limits, office). Items whose entry left the list are
    unpublished, not deleted: past applications still point at them. Materials and the
    rest of the guide are the hall's own data and are left alone. Returns (created,
    updated).
    """
    require(actor, DERIVE, town)
    version = current_version(town)
    if version is None:
        return 0, 0
    created = updated = 0
    with transaction.atomic():
        existing = {item.code: item for item in ServiceItem.objects.filter(town=town)}
        listed = set()
        for entry in entries(version).filter(applies_on_application=True):
            listed.add(entry.code)
            fields = _fields(entry)
            item = existing.get(entry.code)
            if item is None:
                ServiceItem.objects.create(
                    town=town, code=entry.code, channels=DEFAULT_CHANNELS, **fields
                )
                created += 1
            elif any(getattr(item, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(item, name, value)
                item.save()
                updated += 1
        ServiceItem.objects.filter(town=town, is_published=True).exclude(code__in=listed).update(
            is_published=False
        )
        record_transition(
            obj=town,
            from_status="",
            to_status="service_items_derived",
            actor=actor,
            payload={"version": version.number, "created": created, "updated": updated},
        )
    return created, updated


def _fields(entry):
    # "is None", not "or": 0 is a limit (an instant item), not a missing one; and a list
    # that gives only a promise still has the law's twenty days behind it.
    statutory = DEFAULT_STATUTORY_DAYS if entry.statutory_days is None else entry.statutory_days
    promised = statutory if entry.promised_days is None else min(entry.promised_days, statutory)
    return {
        "power_id": entry.power_id,
        "name": entry.name,
        "category": entry.category,
        "kind": ItemKind.INSTANT if promised == 0 else ItemKind.PROMISED,
        "statutory_days": statutory,
        "promised_days": promised,
        "responsible_office": entry.responsible_office,
        "exercised_in_name_of": entry.exercised_in_name_of,
        "remedy_channel": entry.remedy_channel,
        "fee_basis": entry.fees,
        "is_published": True,
    }
