"""The demo towns' service items: derived from the published list, guides written."""

from django.db.models import Count
from django.utils import timezone

from servicecenter.choices import Channel, ItemKind
from servicecenter.demo.common import update_rows
from servicecenter.demo.guides import PHONES, WINDOWS, guide_for
from servicecenter.models import Material, ServiceItem
from servicecenter.services import service_items_derive
from townadmin.models.calendar import DayType


def published_items(town, cast):
    if not ServiceItem.objects.filter(town=town).exists():
        service_items_derive(town=town, actor=cast.deriver)
    bare = ServiceItem.objects.filter(town=town).annotate(n=Count("materials")).filter(n=0)
    _write_guides(town, list(bare.order_by("code")))
    published = ServiceItem.objects.filter(town=town, is_published=True)
    return list(published.select_related("town__county", "power").prefetch_related("materials"))


def _write_guides(town, items):
    """Each item's guide from its name (``guides``): one UPDATE, one INSERT."""
    now, materials = timezone.now(), []
    for item in items:
        guide = guide_for(item.name, item.category)
        item.conditions = guide.conditions
        item.window = WINDOWS[guide.desk]
        item.phone = PHONES.get(town.code, "")
        item.fee, item.fee_basis = guide.fee, guide.fee_basis or item.fee_basis
        item.max_visits = guide.max_visits
        item.special_steps = [step._asdict() for step in guide.steps]
        item.channels = [
            Channel.WINDOW,
            *([Channel.ONLINE] if guide.online else []),
            Channel.AGENT,
            *([Channel.KIOSK] if guide.kiosk and item.kind == ItemKind.INSTANT else []),
        ]
        item.day_type = DayType.CALENDAR if guide.calendar_days else DayType.WORKING
        item.updated_at = now
        materials += [
            Material(
                item=item,
                position=position,
                name=m.name,
                form=m.form,
                copies=m.copies,
                required=m.required,
                may_be_pending=m.pending,
                shared_from=m.shared,
                note=m.note,
            )
            for position, m in enumerate(guide.materials, start=1)
        ]
    fields = ["conditions", "window", "phone", "fee", "fee_basis", "max_visits"]
    fields += ["special_steps", "channels", "day_type", "updated_at"]
    update_rows(ServiceItem, items, fields)
    Material.objects.bulk_create(materials)
