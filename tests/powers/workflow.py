"""Builders for the register and adjustment workflow tests: catalogue powers, item data,
and an adjustment taken through the services to approval (the only way a list is published).
"""

import datetime

from powers import services
from powers.choices import Category, DevolutionMode
from powers.models import Power
from townadmin.choices import DepartmentKind
from townadmin.models import Department

FROM = datetime.date(2026, 1, 1)
DEPARTMENT = "甲县市场监督管理局"


def county_department(county, name=DEPARTMENT):
    return Department.objects.get_or_create(
        county=county, town=None, name=name, defaults={"kind": DepartmentKind.COUNTY_DEPARTMENT}
    )[0]


def make_power(county, code="XK-990100-001", name="食品经营许可", **fields):
    fields.setdefault("category", Category.LICENCE)
    fields.setdefault("department", county_department(county))
    return Power.objects.create(county=county, code=code, name=name, **fields)


def power_data(name="食品经营许可", **overrides):
    """The data of an "add" item: the whole power and its holding (devolved by default)."""
    data = {
        "name": name,
        "category": Category.LICENCE,
        "department": DEPARTMENT,
        "mode": DevolutionMode.DEVOLVE,
        "exercised_in_name_of": "甲镇人民政府",
        "responsible_office": "甲镇便民服务中心",
        "effective_from": FROM.isoformat(),
        "document_no": "甲政发〔2026〕1号",
        "legal_bases": [{"law": "《中华人民共和国食品安全法》", "article": "第三十五条"}],
        "responsibility_items": [{"name": "受理责任", "content": "一次性告知补正材料。"}],
        "accountability_cases": ["对符合法定条件的申请不予受理的。"],
    }
    data.update(overrides)
    return data


def draft(town, leader, items, *, title="权力清单动态调整"):
    """A draft adjustment of ``town`` with ``items``: (action, code, data) tuples."""
    adjustment = services.adjustment_create(town=town, title=title, actor=leader)
    for action, code, data in items:
        services.adjustment_item_add(
            adjustment=adjustment,
            action=action,
            code=code,
            reason=f"{action} {code}",
            data=data,
            actor=leader,
        )
    return adjustment


def to_approval(adjustment, leader, reviewer):
    """Submit and pass the legal review: the adjustment awaits approval."""
    services.adjustment_submit(adjustment=adjustment, actor=leader)
    services.adjustment_pass_legal_review(
        adjustment=adjustment, opinion="合法性审查通过。", actor=reviewer
    )
    return adjustment


def publish(town, leader, reviewer, items, *, document_no="甲编办〔2026〕1号"):
    """Take ``items`` from draft to approval; returns the published version."""
    adjustment = to_approval(draft(town, leader, items), leader, reviewer)
    return services.adjustment_approve(
        adjustment=adjustment, document_no=document_no, actor=reviewer
    )


def first_list(town, leader, reviewer, codes=("XK-990100-001", "CF-990100-001")):
    """Version 1 of ``town``'s list: one added power per code."""
    county_department(town.county)
    items = [
        ("add", code, power_data(name=f"事项{code}", category=_category(code))) for code in codes
    ]
    return publish(town, leader, reviewer, items)


def _category(code):
    return {"XK": Category.LICENCE, "CF": Category.PENALTY, "QR": Category.CONFIRMATION}.get(
        code[:2], Category.OTHER
    )


def walk_objects(town, office, suffix="001"):
    """A catalogue power (from ``office``, a marker name), its holding by ``town`` and a draft
    adjustment of ``town`` with one item: what the cross-town API walk fills paths with."""
    from powers.models import Adjustment, AdjustmentItem, Devolution
    from townadmin.models import User

    power = Power.objects.create(
        county=town.county,
        code=f"XK-WALK-{suffix}",
        name="走查事项",
        category=Category.LICENCE,
        department=office,
    )
    devolution = Devolution.objects.create(
        town=town,
        power=power,
        mode=DevolutionMode.DEVOLVE,
        exercised_in_name_of=f"{town.name}人民政府",
        effective_from=FROM,
        document_no="甲政发〔2026〕1号",
    )
    drafter = User.objects.create_user(f"walk_drafter_{suffix}", display_name="走查起草人")
    adjustment = Adjustment.objects.create(town=town, title="清单调整", drafted_by=drafter)
    item = AdjustmentItem.objects.create(
        adjustment=adjustment, action="remove", code=power.code, power=power, reason="走查"
    )
    return power, devolution, adjustment, item
