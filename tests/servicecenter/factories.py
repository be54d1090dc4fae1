"""Builders of the service hall's rows for tests: an item the town holds, with its guide."""

import datetime

from powers.choices import Category, DevolutionMode
from powers.models import Power
from powers.services.register import register
from servicecenter.choices import Channel, ItemKind, MaterialForm
from servicecenter.models import Material, ServiceItem
from townadmin.choices import DepartmentKind
from townadmin.demo_people import fictional_residents
from townadmin.models import Department

HELD_FROM = datetime.date(2026, 1, 1)

# (name, form, required, may_be_pending, shared_from)
MATERIALS = (
    ("申请表", MaterialForm.ORIGINAL, True, False, ""),
    ("申请人身份证明", MaterialForm.ORIGINAL_AND_COPY, True, False, ""),
    ("建设工程设计方案", MaterialForm.ORIGINAL, True, True, ""),
    ("不动产权属证明", MaterialForm.COPY, True, False, "不动产登记信息平台"),
    ("村民委员会意见", MaterialForm.ORIGINAL, False, False, ""),
)


def make_item(
    town,
    *,
    code=None,
    name="乡村建设规划许可证核发",
    promised=5,
    statutory=20,
    held=True,
    held_from=HELD_FROM,
    channels=(Channel.WINDOW, Channel.ONLINE, Channel.AGENT),
    materials=MATERIALS,
    special_steps=None,
    kind=None,
) -> ServiceItem:
    """A published service item of ``town`` whose power the town holds from ``held_from``
    (``held=False``: a power the county keeps), with the given guide materials."""
    code = code or f"XK-{town.code}-{ServiceItem.objects.count() + 1:03d}"
    department, _ = Department.objects.get_or_create(
        county=town.county,
        town=None,
        name="县自然资源和规划局",
        defaults={"kind": DepartmentKind.COUNTY_DEPARTMENT},
    )
    power = Power.objects.create(
        county=town.county,
        code=code,
        name=name,
        category=Category.LICENCE,
        department=department,
        applies_on_application=True,
        statutory_days=statutory,
        promised_days=promised,
    )
    if held:
        register(
            town=town,
            power=power,
            mode=DevolutionMode.ASSIGN,
            exercised_in_name_of=f"{town.name}人民政府",
            effective_from=held_from,
            document_no="测试〔2026〕1号",
        )
    item = ServiceItem.objects.create(
        town=town,
        power=power,
        code=code,
        name=name,
        category=Category.LICENCE,
        kind=kind or (ItemKind.INSTANT if promised == 0 else ItemKind.PROMISED),
        exercised_in_name_of=f"{town.name}人民政府",
        statutory_days=statutory,
        promised_days=promised,
        channels=list(channels),
        special_steps=special_steps
        if special_steps is not None
        else [{"name": "专家评审", "citation": "《中华人民共和国行政许可法》第四十五条"}],
        remedy_channel="可依法申请行政复议或者提起行政诉讼",
    )
    Material.objects.bulk_create(
        Material(
            item=item,
            position=position,
            name=material_name,
            form=form,
            required=required,
            may_be_pending=pending,
            shared_from=shared,
        )
        for position, (material_name, form, required, pending, shared) in enumerate(
            materials, start=1
        )
    )
    return item


def person(county_code="371122", seed=7, *, phone="13800138000"):
    """An applicant dict for the intake API/service: a valid resident identity number."""
    resident = fictional_residents(county_code, 1, seed=seed)[0]
    return {
        "type": "person",
        "name": resident.name,
        "id_number": resident.identity_number,
        "phone": phone,
    }


def material_ids(item, *names):
    """Ids of ``item``'s materials by name; every brought-by-applicant one when none given."""
    materials = item.materials.all()
    if names:
        return [m.pk for m in materials if m.name in names]
    return [m.pk for m in materials if not m.shared_from]
