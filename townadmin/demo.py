"""Demo accounts for the quickstart: one per role and town, each posted like a real user.

Every account is posted with ``posting_create`` to a unit of the demo organisation
(``townadmin.demo_org.seed_org``, which must run first), so its roles and reach come
from the same code path as a real appointment. The password is ``DEMO_PASSWORD``
(default ``Demo@2026town``) for all of them; refused in production.
"""

import datetime

import environ
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Q

from townadmin.choices import DepartmentKind, Role
from townadmin.models import (
    County,
    Department,
    EnforcementCertificate,
    Posting,
    Town,
    User,
    Village,
    VillageAgent,
)
from townadmin.roles import sync_roles
from townadmin.services import posting_create

# Meets the password rules of a level-3 protected system (length >= 10, three kinds
# of characters); seed_users refuses a DEMO_PASSWORD that does not.
DEMO_PASSWORD = environ.Env().str("DEMO_PASSWORD", default="Demo@2026town")

JUXIAN, SUNING = "371122", "130926"
XIAZHUANG, SHANGCUN = "371122104", "130926104"
POSTED_FROM = datetime.date(2026, 1, 1)

# Each posting: role, county code, town code (None: county-wide), name keywords of the
# unit in order of preference (the first unit whose name or short name has one).
SERVICE_CENTRE = ("便民服务中心", "政务服务中心", "服务中心")
ENFORCEMENT = ("综合执法", "执法")
STAFFING_OFFICE = ("编办", "机构编制")
DEMO_USERS = [
    # username, display name, [(role, county, town, unit keywords)]
    ("admin", "系统管理员", [(Role.SYSTEM_ADMIN, JUXIAN, None, STAFFING_OFFICE)]),
    ("reviewer_juxian", "王立新", [(Role.REVIEWER, JUXIAN, None, ("改革办", *STAFFING_OFFICE))]),
    ("reviewer_suning", "张卫东", [(Role.REVIEWER, SUNING, None, ("改革办", *STAFFING_OFFICE))]),
    ("clerk_xiazhuang", "刘晓燕", [(Role.WINDOW_CLERK, JUXIAN, XIAZHUANG, SERVICE_CENTRE)]),
    ("clerk_shangcun", "赵丽娜", [(Role.WINDOW_CLERK, SUNING, SHANGCUN, SERVICE_CENTRE)]),
    ("approver_xiazhuang", "陈志刚", [(Role.APPROVER, JUXIAN, XIAZHUANG, SERVICE_CENTRE)]),
    ("approver_shangcun", "孙海涛", [(Role.APPROVER, SUNING, SHANGCUN, SERVICE_CENTRE)]),
    ("agent_xiazhuang", "周桂兰", [(Role.VILLAGE_AGENT, JUXIAN, XIAZHUANG, SERVICE_CENTRE)]),
    ("dispatcher_xiazhuang", "吴建军", [(Role.DISPATCHER, JUXIAN, XIAZHUANG, ENFORCEMENT)]),
    ("officer_xiazhuang_1", "郑国庆", [(Role.OFFICER, JUXIAN, XIAZHUANG, ENFORCEMENT)]),
    ("officer_xiazhuang_2", "冯晓东", [(Role.OFFICER, JUXIAN, XIAZHUANG, ENFORCEMENT)]),
    ("grid_xiazhuang", "何玉梅", [(Role.GRID_WORKER, JUXIAN, XIAZHUANG, ("社会事务", "平安"))]),
    ("leader_xiazhuang", "高振华", [(Role.TOWN_LEADER, JUXIAN, XIAZHUANG, ("党政",))]),
    ("finance_juxian", "马秀英", [(Role.FINANCE_OFFICER, JUXIAN, None, ("财政局",))]),
    (
        "auditor",
        "林文静",
        [
            (Role.AUDITOR, JUXIAN, None, STAFFING_OFFICE),
            (Role.AUDITOR, SUNING, None, STAFFING_OFFICE),
        ],
    ),
]
SUPERUSERS = {"admin"}

# Enforcement certificates (执法证) of the two Xiazhuang officers: a case needs two.
CERTIFICATES = {
    "officer_xiazhuang_1": "鲁37112226001",
    "officer_xiazhuang_2": "鲁37112226002",
}


def _unit(county_code, town_code, keywords):
    """The demo unit a posting goes to: a town office of the town, or a county unit."""
    units = Department.objects.filter(county__code=county_code)
    if town_code:
        units = units.filter(town__code=town_code, kind=DepartmentKind.TOWN_OFFICE)
    else:
        units = units.filter(kind=DepartmentKind.COUNTY_DEPARTMENT)
    for keyword in keywords:
        unit = (
            units.filter(Q(name__contains=keyword) | Q(short_name__contains=keyword))
            .order_by("pk")
            .first()
        )
        if unit is not None:
            return unit
    unit = units.order_by("pk").first()
    if unit is None:
        raise ImproperlyConfigured(
            f"No demo unit in {town_code or county_code}: run townadmin.demo_org.seed_org() first."
        )
    return unit


def _user(username, display_name, password_hash):
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={
            "display_name": display_name,
            "is_staff": username in SUPERUSERS,
            "is_superuser": username in SUPERUSERS,
            "password": password_hash,
        },
    )
    return user


def _post(user, role, county_code, town_code, keywords, actor):
    unit = _unit(county_code, town_code, keywords)
    # A posting made once stays: a second run, or one after an administrator ended
    # it, must not appoint the person again.
    if Posting.objects.filter(user=user, role=role, department=unit).exists():
        return
    town = Town.objects.get(code=town_code) if town_code else None
    posting_create(
        user=user,
        department=unit,
        role=role,
        valid_from=POSTED_FROM,
        town=town,
        actor=actor,
        reason="demo data",
    )


def _attach_details(users):
    xiazhuang = Town.objects.get(code=XIAZHUANG)
    for username, number in CERTIFICATES.items():
        EnforcementCertificate.objects.get_or_create(
            number=number,
            defaults={
                "user": users[username],
                "issuing_body": "山东省人民政府",
                "field": "综合行政执法",
                "valid_until": datetime.date(2030, 12, 31),
            },
        )
    village = Village.objects.filter(town=xiazhuang).order_by("code", "pk").first()
    if village is not None:
        VillageAgent.objects.get_or_create(
            user=users["agent_xiazhuang"], defaults={"village": village}
        )


def seed_users():
    """Create and post the demo accounts that are missing; return (username, display name).

    Needs the demo organisation (``seed_org``). Leaves alone whatever changed since:
    passwords, postings an administrator ended, display names.
    """
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "Demo accounts with a published password are refused in production."
        )
    try:
        validate_password(DEMO_PASSWORD)
    except ValidationError as error:
        raise ImproperlyConfigured(f"DEMO_PASSWORD breaks the password rules: {error}") from error
    if not County.objects.filter(code__in=[JUXIAN, SUNING]).exists():
        raise ImproperlyConfigured("Run townadmin.demo_org.seed_org() before seed_users().")
    with transaction.atomic():
        sync_roles()
        # One hash for all: the password is published anyway, and hashing it fifteen
        # times would make every seed (and every test that loads the demo) seconds slower.
        usernames = [username for username, _name, _postings in DEMO_USERS]
        missing = len(usernames) - User.objects.filter(username__in=usernames).count()
        password_hash = make_password(DEMO_PASSWORD) if missing else None
        users = {
            username: _user(username, name, password_hash)
            for username, name, _postings in DEMO_USERS
        }
        actor = users["admin"]
        for username, _name, postings in DEMO_USERS:
            for role, county_code, town_code, keywords in postings:
                _post(users[username], role, county_code, town_code, keywords, actor)
        _attach_details(users)
    return [(username, name) for username, name, _postings in DEMO_USERS]
