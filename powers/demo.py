"""Demo lists of the two pilot towns, published through the real adjustment workflow.

``seed_powers()`` (run by ``seed_demo`` after the organisation and the demo accounts)
loads ``powers.demo_catalogue`` the way a county would: each town's first list is an
adjustment adding every power, drafted, given its legal review and approved by the
county's reviewer, which writes the catalogue, the devolution register and version 1;
Xiazhuang's 2025 adjustment then publishes version 2. So versions, register rows,
transition records and search words are the ones a real publication makes.

Also left for the demo's queues: a Shangcun adjustment awaiting approval (the Suning
reviewer's queue) and a Xiazhuang draft (the town's page).

Dates: holdings start on the dates below (Xiazhuang's devolution in 2016, Shangcun's
in 2019); the services stamp versions, transitions and revocations with the time of
the seed, so the published versions are dated the day the demo was loaded. The
document numbers of the two first lists are illustrative, like the 2025 one.

Idempotent: every step looks for what it would create (the adjustments by title, the
powers the county keeps by code) and the whole seed returns after two queries when
everything is there. Refused in production.
"""

import dataclasses
import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from powers.choices import AdjustmentAction
from powers.demo_catalogue import (
    ADJUSTMENT_XIAZHUANG_2025,
    ADJUSTMENT_XIAZHUANG_2025_DOCUMENT,
    ADJUSTMENT_XIAZHUANG_2025_EFFECTIVE,
    JU_COUNTY_CATALOGUE,
    SHANGCUN,
    SHANGCUN_POWERS,
    SUNING_COUNTY_CATALOGUE,
    XIAZHUANG,
    XIAZHUANG_POWERS,
    XIAZHUANG_POWERS_2025,
)
from powers.demo_catalogue.base import (
    ACCOUNTABILITY_CASES,
    CALENDAR,
    ENTRUST,
    LICENCE,
    RESPONSIBILITY_ITEMS,
)
from powers.models import Adjustment, Power
from powers.services import (
    adjustment_approve,
    adjustment_create,
    adjustment_item_add,
    adjustment_pass_legal_review,
    adjustment_submit,
)
from powers.services.approval import upsert_power
from townadmin.models import County, Department, Town, User

ADD, CHANGE = AdjustmentAction.ADD, AdjustmentAction.CHANGE

# The first lists: title, document (illustrative), day the holdings start.
XIAZHUANG_FIRST = (
    "夏庄镇权力清单（县级管理权限下放）",
    "莒政发〔2016〕9号",
    datetime.date(2016, 3, 1),
)
SHANGCUN_FIRST = (
    "尚村镇权力清单和责任清单",
    "肃政字〔2019〕18号",
    datetime.date(2019, 4, 1),
)
XIAZHUANG_2025_TITLE = "夏庄镇权力清单2025年动态调整"
# Entrustment agreements (委托协议) have a term; these were renewed to the end of 2027.
ENTRUSTMENT_ENDS = datetime.date(2027, 12, 31)

LEGAL_OPINION = "经审核，调整事项的实施依据合法有效，承接主体和行使方式符合规定，同意提交审批。"

# Left open for the demo's queues: Shangcun awaiting approval, Xiazhuang in draft.
SHANGCUN_PENDING_TITLE = "尚村镇2026年承诺时限压缩"
XIAZHUANG_DRAFT_TITLE = "夏庄镇2026年承诺时限压缩（草稿）"
TIME_LIMIT_REASON = (
    "落实“放管服”改革减时限要求，镇{office}梳理办理流程，"
    "承诺办理时限由{old}个工作日压缩至{new}个工作日。"
)
PENDING_CHANGES = 2

TITLES = (
    XIAZHUANG_FIRST[0],
    SHANGCUN_FIRST[0],
    XIAZHUANG_2025_TITLE,
    SHANGCUN_PENDING_TITLE,
    XIAZHUANG_DRAFT_TITLE,
)
DEMO_ACTORS = ("admin", "leader_xiazhuang", "reviewer_juxian", "reviewer_suning")
KEPT_BY_COUNTY = [
    (county_code, item)
    for county_code, catalogue in (
        (SHANGCUN.county_code, SUNING_COUNTY_CATALOGUE),
        (XIAZHUANG.county_code, JU_COUNTY_CATALOGUE),
    )
    for item in catalogue
    if not item.may_devolve
]


def seed_powers():
    """Publish the demo towns' lists and leave two open adjustments; a no-op when done.

    Needs ``seed_org`` and ``seed_users``. Returns the number of adjustments it created.
    """
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo power lists are refused in production.")
    if _done():
        return 0
    users = {user.username: user for user in User.objects.filter(username__in=DEMO_ACTORS)}
    if len(users) < len(DEMO_ACTORS):
        raise ImproperlyConfigured("Run townadmin.demo.seed_users() before seed_powers().")
    towns = Town.objects.select_related("county").filter(code__in=[SHANGCUN.code, XIAZHUANG.code])
    towns = {town.code: town for town in towns}
    xiazhuang, shangcun = towns[XIAZHUANG.code], towns[SHANGCUN.code]
    leader, reviewer_juxian = users["leader_xiazhuang"], users["reviewer_juxian"]
    # Shangcun has no demo town leader: the administrator drafts for it.
    admin, reviewer_suning = users["admin"], users["reviewer_suning"]
    existing = set(
        Adjustment.objects.filter(town__in=towns.values(), title__in=TITLES).values_list(
            "title", flat=True
        )
    )
    missing = [title for title in TITLES if title not in existing]
    with transaction.atomic():
        _seed_kept_powers()
        if XIAZHUANG_FIRST[0] in missing:
            _first_list(
                xiazhuang, XIAZHUANG, XIAZHUANG_POWERS, XIAZHUANG_FIRST, leader, reviewer_juxian
            )
        if XIAZHUANG_2025_TITLE in missing:
            _xiazhuang_2025(xiazhuang, leader, reviewer_juxian)
        if SHANGCUN_FIRST[0] in missing:
            _first_list(shangcun, SHANGCUN, SHANGCUN_POWERS, SHANGCUN_FIRST, admin, reviewer_suning)
        if SHANGCUN_PENDING_TITLE in missing:
            pending = _time_limits(shangcun, SHANGCUN_POWERS, SHANGCUN_PENDING_TITLE, admin)
            adjustment_submit(adjustment=pending, actor=admin)
            adjustment_pass_legal_review(
                adjustment=pending, opinion=LEGAL_OPINION, actor=reviewer_suning
            )
        if XIAZHUANG_DRAFT_TITLE in missing:
            _time_limits(xiazhuang, XIAZHUANG_POWERS_2025, XIAZHUANG_DRAFT_TITLE, leader)
    return len(missing)


def _done():
    """Everything is there: the five adjustments and the powers the counties keep."""
    adjustments = Adjustment.objects.filter(
        town__code__in=[SHANGCUN.code, XIAZHUANG.code], title__in=TITLES
    ).count()
    if adjustments < len(TITLES):
        return False
    kept = Power.objects.filter(code__in=[item.code for _county, item in KEPT_BY_COUNTY]).count()
    return kept == len(KEPT_BY_COUNTY)


def _first_list(town, spec, records, first, drafter, reviewer):
    """An adjustment adding every power of ``records``, approved: version 1."""
    title, document_no, since = first
    adjustment = adjustment_create(town=town, title=title, actor=drafter)
    reason = f"依据{document_no}，县级管理权限下放{spec.name}实施，列入镇权力清单。"
    for record in records:
        adjustment_item_add(
            adjustment=adjustment,
            action=ADD,
            code=record.code,
            reason=reason,
            actor=drafter,
            data=_item_data(record, since=since, document_no=document_no),
        )
    _review(adjustment, drafter, reviewer, document_no)


def _xiazhuang_2025(town, leader, reviewer):
    """The 2025 adjustment: 3 added, 2 removed, 2 changed; version 2."""
    document_no = ADJUSTMENT_XIAZHUANG_2025_DOCUMENT
    adjustment = adjustment_create(town=town, title=XIAZHUANG_2025_TITLE, actor=leader)
    listed = {record.code: record for record in XIAZHUANG_POWERS}
    for change in ADJUSTMENT_XIAZHUANG_2025:
        if change.action == ADD:
            data = _item_data(
                change.record, since=ADJUSTMENT_XIAZHUANG_2025_EFFECTIVE, document_no=document_no
            )
        elif change.action == CHANGE:
            data = _changed_fields(listed[change.code], dict(change.changes))
        else:
            data = None
        adjustment_item_add(
            adjustment=adjustment,
            action=change.action,
            code=change.code,
            reason=change.reason,
            actor=leader,
            data=data,
        )
    _review(adjustment, leader, reviewer, document_no)


def _review(adjustment, drafter, reviewer, document_no):
    adjustment_submit(adjustment=adjustment, actor=drafter)
    adjustment_pass_legal_review(adjustment=adjustment, opinion=LEGAL_OPINION, actor=reviewer)
    adjustment_approve(adjustment=adjustment, document_no=document_no, actor=reviewer)


def _time_limits(town, records, title, drafter):
    """A draft shortening the promised limits of the first licences that allow it."""
    adjustment = adjustment_create(town=town, title=title, actor=drafter)
    shortened = [r for r in records if r.category == LICENCE and (r.promised_days or 0) >= 2]
    for record in shortened[:PENDING_CHANGES]:
        new = record.promised_days // 2
        reason = TIME_LIMIT_REASON.format(
            office=record.responsible_office, old=record.promised_days, new=new
        )
        adjustment_item_add(
            adjustment=adjustment,
            action=CHANGE,
            code=record.code,
            reason=reason,
            actor=drafter,
            data={"promised_days": new},
        )
    return adjustment


def _item_data(record, *, since, document_no):
    """An "add" item's fields (``AdjustmentItem.data``) from a demo list row."""
    return {
        "name": record.name,
        "category": record.category,
        "department": record.department,
        "parent_code": record.parent_code,
        "implementing_body": record.implementing_body,
        "fees": record.fees,
        "supervision_channel": record.supervision_channel,
        "remedy_channel": record.remedy_channel,
        "applies_on_application": record.applies,
        "statutory_days": record.statutory_days,
        "promised_days": record.promised_days,
        "notes": _notes(record),
        "legal_bases": [basis._asdict() for basis in record.legal_bases],
        "responsibility_items": [item._asdict() for item in record.responsibility_items],
        "accountability_cases": list(record.accountability_cases),
        "mode": record.mode,
        # The implementing body follows from the mode: the department for entrusted
        # powers, else the town government (powers.demo_catalogue checks it).
        "exercised_in_name_of": record.implementing_body,
        "responsible_office": record.responsible_office,
        "effective_from": since.isoformat(),
        "effective_until": ENTRUSTMENT_ENDS.isoformat() if record.mode == ENTRUST else None,
        "document_no": document_no,
    }


def _changed_fields(record, changes):
    """A "change" item's fields: the demo's changes in the item's terms."""
    data = {}
    for field, value in changes.items():
        if field == "legal_bases":
            data[field] = [basis._asdict() for basis in value]
        elif field in {"time_limit_basis", "day_type", "note"}:
            data["notes"] = _notes(dataclasses.replace(record, **changes))
        else:
            data[field] = value
    return data


def _notes(record):
    """The row's note and what its time limit rests on (the catalogue has no field for it)."""
    parts = [record.note]
    if record.time_limit_basis:
        parts.append(f"办理时限依据：{record.time_limit_basis}")
    if record.promised_days and record.day_type == CALENDAR:
        parts.append("办理时限按自然日计算")
    return "；".join(part for part in parts if part)


def _seed_kept_powers():
    """The catalogue powers each county keeps (may not be devolved), where missing.

    No adjustment creates them (no town holds them) and the powers app has no catalogue
    service yet, so they go through the approval's own catalogue write, ``upsert_power``,
    which validates the row as approval does.
    """
    counties = {
        county.code: county
        for county in County.objects.filter(
            code__in={county_code for county_code, _item in KEPT_BY_COUNTY}
        )
    }
    existing = set(
        Power.objects.filter(code__in=[item.code for _county, item in KEPT_BY_COUNTY]).values_list(
            "code", flat=True
        )
    )
    departments = {
        (department.county_id, department.name): department.pk
        for department in Department.objects.filter(county__in=counties.values(), town=None)
    }
    for county_code, item in KEPT_BY_COUNTY:
        if item.code in existing:
            continue
        county = counties[county_code]
        upsert_power(
            county=county,
            code=item.code,
            adding=True,
            data=_catalogue_data(item, departments[county.pk, item.department], county),
        )


def _catalogue_data(item, department_id, county):
    """A kept power's catalogue fields, with the standard items of its category."""
    actor = f"以{item.department}名义"
    return {
        "name": item.name,
        "category": item.category,
        "department_id": department_id,
        "implementing_body": item.implementing_body,
        "may_devolve": False,
        "fees": "不收费" if item.applies else "不涉及收费",
        "supervision_channel": f"{county.city}12345政务服务便民热线；{item.department}业务监督",
        "remedy_channel": (
            f"可以自知道或者应当知道该行政行为之日起六十日内向{county.name}人民政府申请行政复议；"
            f"或者自知道或者应当知道之日起六个月内以{item.department}为被告向人民法院提起行政诉讼"
        ),
        "applies_on_application": item.applies,
        "statutory_days": item.statutory_days,
        "promised_days": item.promised_days,
        "notes": item.note,
        "legal_bases": [basis._asdict() for basis in item.legal_bases],
        "responsibility_items": [i._asdict() for i in RESPONSIBILITY_ITEMS[item.category](actor)],
        "accountability_cases": [{"text": text} for text in ACCOUNTABILITY_CASES[item.category]],
    }
