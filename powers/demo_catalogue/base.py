"""Record types, stable codes and the builders shared by the town modules.

The town modules write each power as a short ``Spec`` (category, source department,
name, legal bases and the few facts that differ from the defaults); ``build_records``
turns the specs into full ``PowerRecord`` rows: it assigns the code, the implementing
body (which follows from the mode), the responsible town office, the standard
responsibility items and accountability cases of the category, the supervision and
remedy channels and the time limits.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from powers.demo_catalogue.laws import XKF

# Category codes (stable: they appear in the API and in exports) and their labels.
LICENCE = "licence"
PENALTY = "penalty"
COERCION = "coercion"
LEVY = "levy"
PAYMENT = "payment"
INSPECTION = "inspection"
CONFIRMATION = "confirmation"
REWARD = "reward"
ADJUDICATION = "adjudication"
OTHER = "other"
PUBLIC_SERVICE = "public_service"

CATEGORIES = {
    LICENCE: "行政许可",
    PENALTY: "行政处罚",
    COERCION: "行政强制",
    LEVY: "行政征收",
    PAYMENT: "行政给付",
    INSPECTION: "行政检查",
    CONFIRMATION: "行政确认",
    REWARD: "行政奖励",
    ADJUDICATION: "行政裁决",
    OTHER: "其他行政权力",
    PUBLIC_SERVICE: "公共服务",
}

# First segment of a power code: the usual pinyin initials of the category.
CODE_PREFIX = {
    LICENCE: "XK",
    PENALTY: "CF",
    COERCION: "QZ",
    LEVY: "ZS",
    PAYMENT: "JF",
    INSPECTION: "JC",
    CONFIRMATION: "QR",
    REWARD: "JL",
    ADJUDICATION: "CJ",
    OTHER: "QT",
    PUBLIC_SERVICE: "GG",
}

# Devolution modes. Entrusted powers are exercised in the delegating department's
# name; devolved, authorised and assigned powers in the town's name.
DEVOLVE = "devolve"
ENTRUST = "entrust"
AUTHORISE = "authorise"
ASSIGN = "assign"
MODES = {DEVOLVE: "下放", ENTRUST: "委托", AUTHORISE: "授权", ASSIGN: "交由"}

WORKING = "working"
CALENDAR = "calendar"

LICENCE_FEES = f"不收费（{XKF}第五十八条）"
LICENCE_TIME_BASIS = f"{XKF}第四十二条"
NO_STATUTORY_LIMIT = "法律法规未规定办理时限，按办事指南承诺时限办理"


class LegalBasis(NamedTuple):
    """One cited provision: title, article ("" when only the source is cited), gist."""

    law: str
    article: str
    excerpt: str


class ResponsibilityItem(NamedTuple):
    """A responsibility item (责任事项): its name and a one-sentence content."""

    name: str
    content: str


@dataclass(frozen=True)
class PowerRecord:
    """One row of a town's published power list (权力清单 and 责任清单 in one).

    ``parent_code`` is set on sub-items (子项) only. ``applies`` says whether a
    citizen or organisation applies for it, so that the service hall can derive a
    service item; ``statutory_days`` is None where no law sets a limit, and
    ``promised_days`` is 0 for an instant item (即办件).
    """

    code: str
    name: str
    category: str
    department: str
    legal_bases: tuple[LegalBasis, ...]
    implementing_body: str
    responsible_office: str
    mode: str
    responsibility_items: tuple[ResponsibilityItem, ...]
    accountability_cases: tuple[str, ...]
    supervision_channel: str
    remedy_channel: str
    fees: str
    applies: bool
    statutory_days: int | None
    promised_days: int | None
    day_type: str
    time_limit_basis: str
    parent_code: str = ""
    note: str = ""


@dataclass(frozen=True)
class CatalogueItem:
    """One row of a county's power catalogue (the powers a town may be given).

    The implementing body of a catalogue row is the county department itself; a
    town's list row says who exercises the power once it is devolved.
    """

    code: str
    name: str
    category: str
    department: str
    legal_bases: tuple[LegalBasis, ...]
    may_devolve: bool
    implementing_body: str
    applies: bool = False
    statutory_days: int | None = None
    promised_days: int | None = None
    parent_code: str = ""
    note: str = ""


@dataclass(frozen=True)
class Adjustment:
    """One change of a list adjustment (动态调整): add, remove or change a power.

    ``record`` is the new row of an addition; ``changes`` holds (field, new value)
    pairs of a change. Removing a main item removes its sub-items with it.
    """

    action: str
    code: str
    name: str
    reason: str
    document: str
    record: PowerRecord | None = None
    changes: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class Town:
    """What the builders need to know about a town and its county."""

    code: str
    name: str
    county: str
    county_code: str
    city: str
    area_code: str
    departments: Mapping[str, str]
    default_mode: Mapping[str, str]
    default_office: Mapping[str, str]
    # Departments that are a city bureau's branch (派出机构): reconsideration of their
    # acts lies with the city or the county government.
    branches: frozenset[str] = frozenset()

    @property
    def government(self) -> str:
        return f"{self.name}人民政府"


@dataclass(frozen=True)
class Sub:
    """A sub-item (子项) of a main power; it inherits everything it does not state."""

    name: str
    bases: tuple[LegalBasis, ...]
    days: tuple[int | None, int] | None = None


@dataclass(frozen=True)
class Spec:
    """What a town module states about one power; the rest comes from the defaults."""

    category: str
    dept: str
    name: str
    bases: tuple[LegalBasis, ...]
    office: str = ""
    mode: str = ""
    days: tuple[int | None, int] | None = None
    day_type: str = WORKING
    time_basis: str = ""
    fees: str = ""
    applies: bool | None = None
    cases: tuple[str, ...] = ()
    note: str = ""
    subs: tuple[Sub, ...] = field(default=())


B = LegalBasis


def _spec(category: str, dept: str, name: str, bases: tuple[LegalBasis, ...], **kw) -> Spec:
    return Spec(category, dept, name, bases, **kw)


def licence(dept: str, name: str, *bases: LegalBasis, **kw) -> Spec:
    return _spec(LICENCE, dept, name, bases, **kw)


def penalty(dept: str, name: str, *bases: LegalBasis, **kw) -> Spec:
    return _spec(PENALTY, dept, name, bases, **kw)


def coercion(dept: str, name: str, *bases: LegalBasis, **kw) -> Spec:
    return _spec(COERCION, dept, name, bases, **kw)


def levy(dept: str, name: str, *bases: LegalBasis, **kw) -> Spec:
    return _spec(LEVY, dept, name, bases, **kw)


def payment(dept: str, name: str, *bases: LegalBasis, **kw) -> Spec:
    return _spec(PAYMENT, dept, name, bases, **kw)


def inspection(dept: str, name: str, *bases: LegalBasis, **kw) -> Spec:
    return _spec(INSPECTION, dept, name, bases, **kw)


def confirmation(dept: str, name: str, *bases: LegalBasis, **kw) -> Spec:
    return _spec(CONFIRMATION, dept, name, bases, **kw)


def reward(dept: str, name: str, *bases: LegalBasis, **kw) -> Spec:
    return _spec(REWARD, dept, name, bases, **kw)


def adjudication(dept: str, name: str, *bases: LegalBasis, **kw) -> Spec:
    return _spec(ADJUDICATION, dept, name, bases, **kw)


def other(dept: str, name: str, *bases: LegalBasis, **kw) -> Spec:
    return _spec(OTHER, dept, name, bases, **kw)


def service(dept: str, name: str, *bases: LegalBasis, **kw) -> Spec:
    return _spec(PUBLIC_SERVICE, dept, name, bases, **kw)


def sub(name: str, *bases: LegalBasis, days: tuple[int | None, int] | None = None) -> Sub:
    return Sub(name, bases, days)


# ---------------------------------------------------------------------------------
# Responsibility items (责任事项) per category. ``actor`` is whose name the act is
# done in, e.g. "以莒县住房和城乡建设局名义" (entrusted) or "以尚村镇人民政府名义".
# ---------------------------------------------------------------------------------

R = ResponsibilityItem
OTHER_DUTIES = "其他法律法规规章文件规定应履行的责任"


def _licence_items(actor: str) -> tuple[ResponsibilityItem, ...]:
    return (
        R(
            "受理责任",
            "公示应当提交的材料目录和示范文本，一次性告知需补正的全部内容，"
            "依法受理或者不予受理并说明理由。",
        ),
        R(
            "审查责任",
            "对申请材料进行审查，需要核实实质内容的指派两名以上工作人员现场核查，"
            "涉及利害关系人的告知其陈述申辩和听证权利。",
        ),
        R(
            "决定责任",
            f"在法定期限内{actor}作出准予或者不予许可的书面决定，"
            "不予许可的说明理由并告知复议、诉讼权利。",
        ),
        R("送达责任", "准予许可的自作出决定之日起十日内颁发、送达许可证件，并依法公开许可结果。"),
        R(
            "事后监管责任",
            "对被许可人从事许可事项的活动实施监督检查，发现违法行为依法处理或者移送。",
        ),
        R(OTHER_DUTIES, "落实首问负责、限时办结和一次性告知制度，许可档案按规定归档保存。"),
    )


def _penalty_items(actor: str) -> tuple[ResponsibilityItem, ...]:
    return (
        R(
            "立案责任",
            "对检查、投诉举报、网格上报和部门移送发现的涉嫌违法行为及时核查，"
            "符合立案标准的报批立案。",
        ),
        R(
            "调查责任",
            "由两名以上具有行政执法资格的执法人员出示证件调查取证，制作笔录，"
            "有利害关系的依法回避。",
        ),
        R(
            "审查责任",
            "对案件事实、证据、依据、程序和裁量进行审查，属于法定情形的经法制审核后提交决定。",
        ),
        R(
            "告知责任",
            "作出决定前书面告知拟处罚的内容及事实、理由、依据，告知陈述、申辩和要求听证的权利。",
        ),
        R(
            "决定责任",
            f"依法{actor}作出处罚、不予处罚或者移送的决定，"
            "情节复杂或者重大违法的由负责人集体讨论决定。",
        ),
        R(
            "送达执行责任",
            "依法送达处罚决定书并公开，罚款实行罚缴分离，"
            "逾期不履行的依法加处罚款或者申请法院强制执行。",
        ),
    )


def _coercion_items(actor: str) -> tuple[ResponsibilityItem, ...]:
    return (
        R("审批责任", "实施前向负责人报告并经批准，情况紧急当场实施的在二十四小时内补办批准手续。"),
        R(
            "实施责任",
            "由两名以上执法人员出示证件实施，通知当事人到场，告知理由、依据和权利，制作现场笔录。",
        ),
        R("决定送达责任", f"{actor}制作查封、扣押决定书和清单并当场交付当事人。"),
        R("保管责任", "妥善保管查封、扣押的场所、设施或者财物，不得使用或者损毁。"),
        R("解除责任", "在法定期限内作出处理决定，违法行为已消除或者不再需要查封、扣押的及时解除。"),
    )


def _inspection_items(actor: str) -> tuple[ResponsibilityItem, ...]:
    return (
        R(
            "检查责任",
            f"按年度计划和“双随机、一公开”要求{actor}组织两名以上执法人员出示证件实施检查。",
        ),
        R(
            "处置责任",
            "对检查发现的违法行为当场纠正或者责令限期改正，应当处罚的立案查处或者移送有权机关。",
        ),
        R("记录公开责任", "如实记录检查情况和处理结果并由被检查单位负责人签字，检查结果依法公开。"),
        R(OTHER_DUTIES, "保守被检查单位的商业秘密和个人信息，不得妨碍其正常生产经营活动。"),
    )


def _confirmation_items(actor: str) -> tuple[ResponsibilityItem, ...]:
    return (
        R(
            "受理责任",
            "一次性告知所需材料，对材料齐全、符合法定形式的申请予以受理，不予受理的说明理由。",
        ),
        R("审查责任", "通过入户调查、信息比对等方式核实申请事项，需要公示的在村（社区）公示。"),
        R("决定责任", f"在承诺期限内{actor}作出确认或者不予确认的决定，不予确认的书面说明理由。"),
        R("送达责任", "及时将确认结果告知申请人，并录入业务信息系统。"),
        R("事后监管责任", "定期复核确认对象，情况发生变化的及时调整或者注销。"),
    )


def _other_items(actor: str) -> tuple[ResponsibilityItem, ...]:
    return (
        R("受理责任", "公示所需材料，材料齐全的当场接收，材料不全的一次性告知补正内容。"),
        R(
            "审核责任",
            "核对申报信息，发现属于禁止事项或者依法应当审批的事项的，告知纠正并通报有关部门。",
        ),
        R("办理责任", f"在规定时限内{actor}办结并出具备案（登记）证明或者回执。"),
        R("事后监管责任", "对备案事项开展事中事后监管，发现违法行为依法处理。"),
    )


def _service_items(actor: str) -> tuple[ResponsibilityItem, ...]:
    return (
        R(
            "受理告知责任",
            "公开办事指南，落实首问负责和一次性告知，不得要求提供可通过共享获取的材料。",
        ),
        R(
            "审核转报责任",
            f"{actor}对申请材料进行初审，需由县级部门审批的在承诺时限内转报并跟踪进度。",
        ),
        R("办结反馈责任", "及时告知办理结果、兑现服务或者待遇，不予办理的说明理由。"),
        R("服务评价责任", "接受“好差评”和投诉，对差评和投诉按规定回访整改。"),
    )


def _payment_items(actor: str) -> tuple[ResponsibilityItem, ...]:
    return (
        R("受理责任", "公开申请条件和所需材料，对符合条件的申请及时受理。"),
        R("审核责任", "通过入户调查、邻里访问和信息核对核实家庭经济状况，提出审核意见。"),
        R("公示责任", "在申请人所在村（社区）公示审核结果，接受群众监督。"),
        R("决定责任", f"{actor}依法作出给付或者不予给付的决定，不予给付的书面说明理由。"),
        R("发放责任", "按规定标准和时限通过社会化方式发放资金或者物资，不得截留、挪用。"),
        R("事后监管责任", "定期复核给付对象，情况变化的及时调整或者停止给付。"),
    )


RESPONSIBILITY_ITEMS = {
    LICENCE: _licence_items,
    PENALTY: _penalty_items,
    COERCION: _coercion_items,
    INSPECTION: _inspection_items,
    CONFIRMATION: _confirmation_items,
    OTHER: _other_items,
    PUBLIC_SERVICE: _service_items,
    PAYMENT: _payment_items,
    LEVY: _payment_items,
    REWARD: _confirmation_items,
    ADJUDICATION: _confirmation_items,
}

# Accountability cases (追责情形) per category; a spec may add its own.
ACCOUNTABILITY_CASES = {
    LICENCE: (
        "对符合法定条件的申请不予受理的",
        "未一次告知申请人必须补正的全部内容的",
        "对不符合法定条件的申请人准予许可或者超越法定职权作出准予许可决定的",
        "对符合法定条件的申请人不予许可或者不在法定期限内作出许可决定的",
        "违法收取费用或者索取、收受他人财物的",
    ),
    PENALTY: (
        "没有法定依据或者擅自改变处罚种类、幅度的",
        "违反法定程序实施行政处罚的",
        "对应当予以制止和处罚的违法行为不予制止、处罚的",
        "截留、私分罚款或者没收财物的",
        "应当移送司法机关追究刑事责任而不移送的",
    ),
    COERCION: (
        "没有法律、法规依据实施行政强制的",
        "扩大查封、扣押范围或者期限届满后不解除的",
        "使用、截留、私分或者变相私分查封、扣押财物的",
        "违反法定程序实施行政强制的",
    ),
    INSPECTION: (
        "未按规定开展监督检查或者发现违法行为不予处理的",
        "检查时未出示执法证件或者执法人员少于两人的",
        "泄露被检查单位商业秘密或者个人信息的",
        "利用检查索取、收受财物或者谋取其他利益的",
    ),
    CONFIRMATION: (
        "对符合条件的申请不予受理、不予确认的",
        "对不符合条件的申请予以确认的",
        "无正当理由超过承诺期限的",
        "泄露申请人个人信息的",
    ),
    OTHER: (
        "对材料齐全的事项不予办理或者以备案之名变相审批的",
        "无正当理由超过规定时限的",
        "不履行事中事后监管职责的",
        "违法收取费用的",
    ),
    PUBLIC_SERVICE: (
        "对符合条件的申请推诿、拒绝受理的",
        "未一次性告知或者要求提供可通过共享获取的材料的",
        "无正当理由超过承诺时限的",
        "截留、挪用或者不按规定发放资金、待遇的",
        "泄露服务对象个人信息的",
    ),
    PAYMENT: (
        "对符合条件的申请不予受理或者不予批准的",
        "对不符合条件的申请予以批准的",
        "截留、挤占、挪用、私分资金、物资的",
        "不按照规定发放资金、物资的",
        "泄露在工作中知悉的公民个人信息，造成后果的",
    ),
}
ACCOUNTABILITY_CASES[LEVY] = ACCOUNTABILITY_CASES[PAYMENT]
ACCOUNTABILITY_CASES[REWARD] = ACCOUNTABILITY_CASES[CONFIRMATION]
ACCOUNTABILITY_CASES[ADJUDICATION] = ACCOUNTABILITY_CASES[CONFIRMATION]

# Promised limits of items without a statutory one (working days; 0 = instant item).
DEFAULT_PROMISED = {CONFIRMATION: 10, OTHER: 3, PUBLIC_SERVICE: 5, PAYMENT: 10}

APPLIED_FOR = {LICENCE, CONFIRMATION, OTHER, PUBLIC_SERVICE, PAYMENT}


def supervision_channel(town: Town, department: str) -> str:
    return (
        f"{town.city}12345政务服务便民热线；纪检监察举报电话{town.area_code}-12388；"
        f"{department}业务监督"
    )


def remedy_channel(town: Town, dept: str, mode: str) -> str:
    """Where to appeal: the act is the department's if entrusted, else the town's."""
    department = town.departments[dept]
    if mode == ENTRUST:
        respondent = department
        body = (
            f"{town.city}人民政府或者{town.county}人民政府"
            if dept in town.branches
            else f"{town.county}人民政府"
        )
    else:
        respondent = town.government
        body = f"{town.county}人民政府"
    return (
        f"可以自知道或者应当知道该行政行为之日起六十日内向{body}申请行政复议；"
        f"或者自知道或者应当知道之日起六个月内以{respondent}为被告向人民法院提起行政诉讼"
        "（《中华人民共和国行政诉讼法》第四十六条）"
    )


def _days(spec: Spec, applies: bool, item: Sub | None):
    """(statutory, promised, basis) of a row; a sub-item may state its own days."""
    own = item.days if item is not None else None
    days = own if own is not None else spec.days
    if days is not None:
        statutory, promised = days
    elif spec.category == LICENCE:
        statutory, promised = 20, 10
    elif applies:
        statutory, promised = None, DEFAULT_PROMISED.get(spec.category, 5)
    else:
        return None, None, ""
    if statutory is None and (own is not None or not spec.time_basis):
        return statutory, promised, NO_STATUTORY_LIMIT
    if spec.time_basis:
        return statutory, promised, spec.time_basis
    basis = LICENCE_TIME_BASIS if spec.category == LICENCE else NO_STATUTORY_LIMIT
    return statutory, promised, basis


def _main_bases(spec: Spec) -> tuple[LegalBasis, ...]:
    """A main item that states no basis of its own cites those of its sub-items."""
    if spec.bases:
        return spec.bases
    seen: dict[LegalBasis, None] = {}
    for child in spec.subs:
        seen.update(dict.fromkeys(child.bases))
    return tuple(seen)


def _record(town: Town, spec: Spec, code: str, parent: str, item: Sub | None) -> PowerRecord:
    category = spec.category
    mode = spec.mode or town.default_mode[category]
    department = town.departments[spec.dept]
    body = department if mode == ENTRUST else town.government
    actor = f"以{body}名义"
    applies = spec.applies if spec.applies is not None else category in APPLIED_FOR
    statutory, promised, basis = _days(spec, applies, item)
    if spec.fees:
        fees = spec.fees
    elif category == LICENCE:
        fees = LICENCE_FEES
    else:
        fees = "不收费" if applies else "不涉及收费"
    return PowerRecord(
        code=code,
        name=item.name if item else spec.name,
        category=category,
        department=department,
        legal_bases=item.bases if item else _main_bases(spec),
        implementing_body=body,
        responsible_office=spec.office or town.default_office[category],
        mode=mode,
        responsibility_items=RESPONSIBILITY_ITEMS[category](actor),
        accountability_cases=(*ACCOUNTABILITY_CASES[category], *spec.cases),
        supervision_channel=supervision_channel(town, department),
        remedy_channel=remedy_channel(town, spec.dept, mode),
        fees=fees,
        applies=applies,
        statutory_days=statutory,
        promised_days=promised,
        day_type=spec.day_type,
        time_limit_basis=basis,
        parent_code=parent,
        note=spec.note,
    )


def item_code(county_code: str, category: str, dept: str, seq: int) -> str:
    """Code scheme: category prefix, county code, department key, sequence."""
    return f"{CODE_PREFIX[category]}-{county_code}-{dept}-{seq:03d}"


def build_records(town: Town, specs: Iterable[Spec]) -> tuple[PowerRecord, ...]:
    """Expand specs into list rows; sub-items follow their main item.

    The sequence runs per category and department in the order of the specs, so
    codes stay stable as long as new specs are appended, never inserted.
    """
    counters: Counter[tuple[str, str]] = Counter()
    rows: list[PowerRecord] = []
    for spec in specs:
        counters[spec.category, spec.dept] += 1
        code = item_code(
            town.county_code, spec.category, spec.dept, counters[spec.category, spec.dept]
        )
        rows.append(_record(town, spec, code, "", None))
        for index, child in enumerate(spec.subs, start=1):
            rows.append(_record(town, spec, f"{code}-{index:02d}", code, child))
    return tuple(rows)


def catalogue_from(records: Iterable[PowerRecord]) -> tuple[CatalogueItem, ...]:
    """County catalogue rows for powers that some town holds (so devolvable)."""
    return tuple(
        CatalogueItem(
            code=r.code,
            name=r.name,
            category=r.category,
            department=r.department,
            legal_bases=r.legal_bases,
            may_devolve=True,
            implementing_body=r.department,
            applies=r.applies,
            statutory_days=r.statutory_days,
            promised_days=r.promised_days,
            parent_code=r.parent_code,
        )
        for r in records
    )


def reserved_items(
    county_code: str, departments: Mapping[str, str], specs: Iterable[Spec], note: str
) -> tuple[CatalogueItem, ...]:
    """Catalogue rows the county keeps (may_devolve=False), numbered from 101."""
    counters: Counter[tuple[str, str]] = Counter()
    rows = []
    for spec in specs:
        counters[spec.category, spec.dept] += 1
        seq = 100 + counters[spec.category, spec.dept]
        rows.append(
            CatalogueItem(
                code=item_code(county_code, spec.category, spec.dept, seq),
                name=spec.name,
                category=spec.category,
                department=departments[spec.dept],
                legal_bases=spec.bases,
                may_devolve=False,
                implementing_body=departments[spec.dept],
                applies=spec.category in APPLIED_FOR,
                note=spec.note or note,
            )
        )
    return tuple(rows)


def apply_adjustment(
    records: Iterable[PowerRecord], adjustments: Iterable[Adjustment]
) -> tuple[PowerRecord, ...]:
    """The list after an adjustment: removals (with sub-items), changes, additions."""
    adjustments = tuple(adjustments)
    removed = {a.code for a in adjustments if a.action == "remove"}
    changes = {a.code: dict(a.changes) for a in adjustments if a.action == "change"}
    result = []
    for record in records:
        if record.code in removed or record.parent_code in removed:
            continue
        if record.code in changes:
            record = dataclasses.replace(record, **changes[record.code])
        result.append(record)
    result.extend(a.record for a in adjustments if a.action == "add" and a.record is not None)
    return tuple(result)
