"""Builders of the powers app's rows for tests.

``make_version`` writes a published list version the way publication does: the version
and its entries in one go, insert-only (the database refuses UPDATE and DELETE of
both), with ``search_words`` from ``powers.search.index_words`` and the counts by
category denormalised on the version.
"""

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

from powers.choices import Category, DevolutionMode
from powers.models import ListEntry, ListVersion, Power
from powers.search import index_words
from townadmin.choices import DepartmentKind
from townadmin.models import County, Department, Town, User

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Entry fields the factory fills when a test does not say otherwise.
DEFAULT_DEPARTMENT = "县自然资源和规划局"


def make_town(code="371122104", name="夏庄镇", county_name="莒县"):
    county, _ = County.objects.get_or_create(
        code=code[:6], defaults={"name": county_name, "province": "山东省"}
    )
    return Town.objects.get_or_create(code=code, defaults={"county": county, "name": name})[0]


def approver():
    return User.objects.get_or_create(
        username="list_approver", defaults={"display_name": "县改革办审核人"}
    )[0]


def entry(code, name, category=Category.LICENCE, **fields):
    """The fields of one list entry, as publication copies them from the catalogue."""
    department = fields.pop("department", DEFAULT_DEPARTMENT)
    mode = fields.pop("mode", DevolutionMode.ASSIGN)
    return {
        "code": code,
        "name": name,
        "category": category,
        "department_name": department,
        "mode": mode,
        "exercised_in_name_of": department if mode == DevolutionMode.ENTRUST else "镇人民政府",
        "implementing_body": department if mode == DevolutionMode.ENTRUST else "镇人民政府",
        "responsible_office": "综合行政执法办公室",
        "legal_bases": [
            {
                "law": "《中华人民共和国土地管理法》",
                "article": "第六十二条",
                "excerpt": "农村村民一户只能拥有一处宅基地。",
                "link": "",
            }
        ],
        "responsibility_items": [
            {"name": "受理责任", "content": "公示依法应当提交的材料，一次性告知补正材料。"},
            {"name": "审查责任", "content": "对申请材料进行审查，提出审查意见。"},
        ],
        "accountability_cases": [{"text": "对符合法定条件的申请不予受理的。"}],
        "supervision_channel": "县行政审批局监督电话 0633-1234567",
        "remedy_channel": "依法申请行政复议或者提起行政诉讼",
        "fees": "不收费",
        **fields,
    }


def numbered_entries(count, *, prefix="XK", category=Category.LICENCE, name="事项", start=1):
    """``count`` entries coded ``<prefix>-990100-ZR-<n>`` and named ``<name><n>``."""
    return [
        entry(f"{prefix}-990100-ZR-{n:04d}", f"{name}{n}", category)
        for n in range(start, start + count)
    ]


def _power(county, fields):
    department, _ = Department.objects.get_or_create(
        county=county,
        town=None,
        name=fields["department_name"],
        defaults={"kind": DepartmentKind.COUNTY_DEPARTMENT},
    )
    return Power(
        county=county,
        code=fields["code"],
        name=fields["name"],
        category=fields["category"],
        department=department,
        fees=fields.get("fees", ""),
    )


def _search_words(fields):
    laws = [basis.get("law", "") for basis in fields.get("legal_bases", [])]
    return index_words(
        fields["code"],
        fields["name"],
        fields["department_name"],
        fields.get("implementing_body", ""),
        fields.get("responsible_office", ""),
        *laws,
    )


def make_version(
    town,
    entries,
    *,
    number=None,
    document_no=None,
    published_at=None,
    summary="",
    approved_by=None,
):
    """Publish ``entries`` (dicts from ``entry``) as the next version of ``town``'s lists."""
    if number is None:
        last = ListVersion.objects.filter(town=town).order_by("-number").first()
        number = last.number + 1 if last else 1
    existing = {p.code: p for p in Power.objects.filter(county=town.county_id)}
    new = [_power(town.county, e) for e in entries if e["code"] not in existing]
    for power in Power.objects.bulk_create(new):
        existing[power.code] = power
    version = ListVersion.objects.create(
        town=town,
        number=number,
        published_at=published_at
        or datetime.datetime(2025, 1, 1, 9, 0, tzinfo=SHANGHAI) + datetime.timedelta(days=number),
        approved_by=approved_by or approver(),
        document_no=document_no or f"莒政办字〔2025〕{number}号",
        summary=summary,
        entry_count=len(entries),
        category_counts=dict(Counter(str(e["category"]) for e in entries)),
    )
    ListEntry.objects.bulk_create(
        ListEntry(
            version=version,
            town=town,
            power=existing[fields["code"]],
            position=position,
            search_words=_search_words(fields),
            **fields,
        )
        for position, fields in enumerate(entries, start=1)
    )
    return version
