"""Demo data of the service hall, so every hall page has something to show.

``seed_service_hall()`` runs in ``seed_demo`` after ``seed_powers``. For each pilot town:

1. Its service items, derived from its published list by ``service_items_derive`` (as
   the town leader would), then their guides from ``servicecenter.demo_guides``.
2. 150 applications in every state (see ``MIX``), each played through the real
   services: intake at the window, online, by the village agent or at the kiosk, the
   one-time notice and resubmission, acceptance (with 容缺), refusal, special steps that
   pause the clocks, extensions, decisions and delivery; then ratings, rectifications of
   bad ones and complaints through ``services.ratings``. So notices, the pause ledger and
   the timelines are the ones real work makes.
3. The services stamp everything "now", and a demo needs a past: each application's story
   is planned on past working days, and after the services ran its stamps move there,
   one bulk UPDATE per table (receipt and notice numbers carry the day of receipt; due
   dates are recomputed from the planned acceptance with the working-day calendar). The
   audit trail is append-only and hash-chained in the database, so its records keep the
   time the seed ran: a timeline lists the steps in order, dated the day of the seed.
4. One e-supervision sweep of applications and rectifications cards what is due or late.

Idempotent: a town that has service items keeps them (guides are written only for items
without materials) and a town that has demo applications (idempotency keys
``demo-<town>-<n>``) gets none, so a second run writes nothing. The same day gives the
same data (seeded random numbers). Refused in production.
"""

import datetime
import functools
import logging
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from psycopg2.extras import execute_values
from stdnum.cn import uscc

from powers.selectors import reach_holders
from servicecenter import demo_guides
from servicecenter.choices import Channel, Decision, Delivery, ItemKind
from servicecenter.models import (
    Application,
    Complaint,
    Material,
    Notice,
    Rating,
    Rectification,
    ServiceItem,
    SubmittedMaterial,
)
from servicecenter.services import (
    application_accept,
    application_complete,
    application_deliver,
    application_extension_decide,
    application_extension_request,
    application_intake,
    application_notify_missing,
    application_pause,
    application_receive,
    application_refuse,
    application_resubmit,
    application_resume,
    application_supply_pending,
    service_items_derive,
)
from servicecenter.services.ratings import (
    complaint_answer,
    complaint_submit,
    rating_submit,
    rectification_appeal,
    rectification_call_back,
    rectification_decide_appeal,
    rectification_rectify,
)
from servicecenter.supervision import applications_sweep, rectifications_sweep
from townadmin import workdays
from townadmin.demo_people import fictional_residents
from townadmin.models import Town, User, Village
from townadmin.models.calendar import DayType
from townadmin.models.deadlines import DeadlineExtension, DeadlinePause
from townadmin.models.outbox import OutboxMessage
from townadmin.workdays import CalendarYearMissing

logger = logging.getLogger(__name__)

# The stories ask the calendar the same few hundred questions over and over, and each
# answer is a query: remembered for one seed (cleared before and after it).
add_days = functools.cache(workdays.add_days)
is_workday = functools.cache(workdays.is_workday)

PILOT_TOWNS = ("371122104", "130926104")  # 夏庄镇, 尚村镇
KEY_PREFIX = "demo-"
# The final state of each application of a town, and how many (150 a town: each takes
# a few service calls, and the hall's share of seed_demo is kept under about 20 s). Most
# of a hall's work is done and delivered; the open ones fill the queues and the
# supervision page.
MIX = (
    ("draft", 6),
    ("received", 5),
    ("correction", 8),
    ("refused", 6),
    ("accepted", 9),
    ("pending", 3),  # accepted under 容缺, the material still to come
    ("yellow", 5),  # due today or on the next working day
    ("red", 6),  # overdue; a third of them past the statutory limit too
    ("paused", 3),  # in a special step (Art. 45)
    ("extension", 3),  # an extension asked for (half of them approved)
    ("approved", 24),
    ("denied", 5),
    ("delivered", 67),
)
OPEN = {"accepted", "pending", "yellow", "red", "paused", "extension"}
COMPLETED = {"approved", "denied", "delivered"}
OPENING, OPEN_MINUTES = datetime.time(8, 30), 8 * 60  # the hall's office hours
ONE_DAY = datetime.timedelta(days=1)
HISTORY = 130  # working days the stories reach back (about half a year)
# The category a window sees most of: social services, then licences.
WEIGHTS = {"public_service": 4, "payment": 3, "confirmation": 3, "licence": 3}
# Bad ratings: the state their rectification is left in, and how many working days ago
# the rating came (so the call-back and fix clocks show each card).
BAD_RATINGS = (
    ("open", 0),
    ("open", 3),
    ("called_back", 4),
    ("called_back", 17),
    ("rectified", 8),
    ("rerated", 12),
    ("appealed", 2),
    ("upheld", 9),
)
GOOD_TAGS = ("friendly", "efficient", "clear_guide", "few_visits")
BAD_TAGS = ("slow", "unclear", "repeated_visits", "attitude", "extra_materials")
REFUSALS = (
    "申请事项不属于本机关职权范围，请向县政务服务中心申请。",
    "申请人不具备申请资格：户籍不在本镇。",
    "经一次性告知后，申请人逾期未补正申请材料。",
    "申请事项依法不需要取得行政许可。",
)
DENIALS = (
    "经现场核查，申请人的经营场所不符合规定条件。",
    "经入户调查核实，家庭人均收入高于当地保障标准。",
    "申请人提交的证明材料与实际情况不符。",
)
COMMITMENT = "本人承诺在约定期限内补齐容缺材料，逾期未补齐的，自愿承担相应责任。"
BAD_COMMENTS = ("补材料跑了好几趟，每次说法不一样。", "等了很久没人理，态度也不好。")
GOOD_COMMENTS = ("一次就办好了，工作人员很耐心。", "材料不全也给容缺受理了，点赞。", "")


class Cast(NamedTuple):
    """Who does what in a town's demo: found by their reach, as a real hall's staff."""

    clerk: User
    approver: User
    agent: User | None
    leader: User | None
    reviewer: User | None
    deriver: User


@dataclass
class Story:
    """One application's planned life: its steps on past working days, in order."""

    n: int
    kind: str
    item: ServiceItem
    channel: str
    applicant: dict
    steps: list = field(default_factory=list)  # [(step, day)], days never decreasing
    missing: list = field(default_factory=list)  # material ids not brought at intake
    pending: bool = False  # the missing material is left pending under 容缺
    decision: str = Decision.APPROVED
    paused_days: int = 0  # of a pause already over (working days)
    extension_approved: bool = False
    at: dict = field(default_factory=dict)  # step -> planned time
    application: Application | None = None


def seed_service_hall():
    """Seed the pilot towns' service items and applications; a no-op when they are there.

    Needs ``seed_org``, ``seed_users`` and ``seed_powers``. Returns {town code: number of
    applications created}.
    """
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo applications are refused in production.")
    created = {}
    towns = Town.objects.select_related("county").filter(code__in=PILOT_TOWNS).order_by("code")
    _forget_calendar()
    try:
        with transaction.atomic():
            for town in towns:
                seeded = Application.objects.filter(
                    town=town, idempotency_key__startswith=KEY_PREFIX
                ).exists()
                if seeded and ServiceItem.objects.filter(town=town).exists():
                    continue  # done before: the staff it needs may have moved on since
                cast = _cast(town)
                items = _items(town, cast)
                if items and not seeded:
                    created[town.code] = _applications(town, items, cast)
            if created:
                _sweep()
    finally:
        _forget_calendar()
    return created


def _forget_calendar():
    add_days.cache_clear()
    is_workday.cache_clear()


def _sweep():
    try:
        applications_sweep()
        rectifications_sweep()
    except CalendarYearMissing as error:
        # The cards wait for the beat job, which will say the same until the year is loaded.
        logger.warning("Demo applications not carded: %s", error.messages[0])


def _cast(town):
    def holder(reach, permission=None):
        users = reach_holders(town, reach, permission=permission).filter(is_superuser=False)
        return users.first()

    clerk, approver = holder("handle_application"), holder("approve_application")
    if clerk is None or approver is None:
        raise ImproperlyConfigured("Run townadmin.demo.seed_users() before seed_service_hall().")
    leader = holder("lead_town", "servicecenter.approve_extension")
    # A town without a demo leader (尚村镇) has its items derived by the administrator.
    deriver = leader or User.objects.filter(is_superuser=True, is_active=True).order_by("pk")[0]
    reviewer = holder("review_reform", "servicecenter.decide_appeal")
    return Cast(clerk, approver, holder("file_as_agent"), leader, reviewer, deriver)


# --- Service items and guides ----------------------------------------------------------


def _items(town, cast):
    if not ServiceItem.objects.filter(town=town).exists():
        service_items_derive(town=town, actor=cast.deriver)
    bare = ServiceItem.objects.filter(town=town).annotate(n=Count("materials")).filter(n=0)
    _write_guides(town, list(bare.order_by("code")))
    published = ServiceItem.objects.filter(town=town, is_published=True)
    return list(published.select_related("town__county", "power").prefetch_related("materials"))


def _write_guides(town, items):
    """Each item's guide from its name (``demo_guides``): one UPDATE, one INSERT."""
    now, materials = timezone.now(), []
    for item in items:
        guide = demo_guides.guide_for(item.name, item.category)
        item.conditions = guide.conditions
        item.window = demo_guides.WINDOWS[guide.desk]
        item.phone = demo_guides.PHONES.get(town.code, "")
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


# --- Applicants ---------------------------------------------------------------------------

ORG_WORDS = "鑫源恒达丰收福瑞宏远金穗兴旺诚信顺发绿野佳禾华美"
# (name suffix, entity type of the credit code: 1 enterprise, 2 sole trader, 3 co-operative)
ORG_KINDS = (
    ("商贸有限公司", "1"),
    ("建筑工程有限公司", "1"),
    ("食品店", "2"),
    ("超市", "2"),
    ("饭店", "2"),
    ("农机专业合作社", "3"),
)


def credit_code(area_code, entity_type, rng):
    """A valid unified social credit code (GB 32100) registered by market regulation (9)
    in ``area_code``: the organisation code carries its own GB 11714 check character."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    check = 11 - sum(int(c) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    number = f"9{entity_type}{area_code}{body}{ {10: 'X', 11: '0'}.get(check, check) }"
    return number + uscc.calc_check_digit(number)


def _phone(rng):
    return "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))


def _applicants(town, rng):
    """(persons, organisations) as intake takes them; a fifth of the people give no phone."""
    residents = fictional_residents(town.county.code, 240, seed="service-hall")
    persons = [
        {
            "type": "person",
            "name": r.name,
            "id_number": r.identity_number,
            "phone": _phone(rng) if rng.random() < 0.8 else "",
        }
        for r in residents
    ]
    organisations = []
    for index, (suffix, entity_type) in enumerate(ORG_KINDS * 2):
        word = ORG_WORDS[(index * 5) % len(ORG_WORDS) : (index * 5) % len(ORG_WORDS) + 2]
        place = town.county.name if entity_type == "1" else town.name
        organisations.append(
            {
                "type": "organisation",
                "name": f"{place}{word}{suffix}",
                "id_number": credit_code(town.county.code, entity_type, rng),
                "phone": _phone(rng),
            }
        )
    return persons, organisations


# --- Planning -----------------------------------------------------------------------------


@dataclass
class Plan:
    """What the stories of one town are drawn from."""

    town: Town
    cast: Cast
    rng: random.Random
    days: list  # past working days, newest first: days[k] is k working days ago
    pools: dict
    persons: list
    organisations: list
    villages: list

    seen: Counter = field(default_factory=Counter)

    def count(self, kind):
        """How many stories of ``kind`` were asked for so far, this one included."""
        self.seen[kind] += 1
        return self.seen[kind]

    @property
    def lag(self):
        """1 when the stories' latest day is before today (a weekend, early morning)."""
        return int(self.days[0] < timezone.localdate())

    def day(self, k):
        return self.days[min(max(k, 0), len(self.days) - 1)]

    def pick(self, pool):
        items = self.pools[pool]
        weights = [WEIGHTS.get(item.category, 1) for item in items]
        return self.rng.choices(items, weights=weights)[0]


def _plan(town, items, cast):
    now = timezone.localtime()
    rng = random.Random(f"service-hall:{town.code}:{now.date()}")
    # The latest day of the stories: today once the hall has opened, else the day before.
    days, day = [], now.date() if now.time() >= OPENING else now.date() - ONE_DAY
    while len(days) < HISTORY:
        if is_workday(day):
            days.append(day)
        day -= ONE_DAY
    acceptable = [i for i in items if _fits(now.date(), i.statutory_days, i.day_type)]
    extendable = [
        i for i in acceptable if _fits(now.date(), i.statutory_days + i.extension_days, i.day_type)
    ]
    timed = [i for i in acceptable if i.day_type == DayType.WORKING and i.promised_days >= 3]
    pools = {
        "any": items,
        "acceptable": acceptable,
        "timed": timed,
        "stepped": [item for item in timed if item.special_steps],
        "extendable": [item for item in timed if item in extendable],
        "pendable": [i for i in timed if any(m.may_be_pending for m in i.materials.all())],
        "kiosk": [item for item in acceptable if Channel.KIOSK in item.channels],
        "online": [item for item in items if Channel.ONLINE in item.channels],
        # Items a one-time notice can be issued for: a required material the applicant brings.
        "correctable": [item for item in items if any(m.required for m in _brought(item))],
    }
    if not pools["timed"]:
        logger.warning(
            "%s: the working-day calendar cannot give the due dates of clocks started today "
            "(is next year loaded?): demo applications that would be accepted stay received.",
            town,
        )
    villages = list(Village.objects.filter(town=town).values_list("name", flat=True))
    return Plan(town, cast, rng, days, pools, *_applicants(town, rng), villages)


def _fits(start, days, day_type=DayType.WORKING):
    """Whether a period of ``days`` from ``start`` ends within the loaded calendar: the
    services refuse to start a clock whose due date the calendar cannot give."""
    try:
        add_days(start, days, day_type)
    except CalendarYearMissing:
        return False
    return True


def _stories(plan):
    kinds = [kind for kind, count in MIX for _ in range(count)]
    plan.rng.shuffle(kinds)
    return [_story(plan, n, kind) for n, kind in enumerate(kinds, start=1)]


def _story(plan, n, kind):
    if kind == "extension" and not plan.cast.leader:
        kind = "accepted"  # nobody in the town may decide one
    pool = _pool(plan, kind)
    if not plan.pools[pool]:
        # No item whose clocks the calendar can run yet, or none that fits the story.
        kind, pool = "received", "any"
    item = plan.pick(pool)
    story = Story(n, kind, item, _channel(plan, item, kind, pool), _applicant(plan, item))
    if kind in ("draft", "received", "correction", "refused"):
        _before_acceptance(plan, story)
    else:
        _accepted(plan, story)
    # Chronological; steps of one day keep the order they were planned in (sort is stable).
    story.steps.sort(key=lambda step: step[1])
    return story


def _pool(plan, kind):
    """The items a story of ``kind`` is drawn from."""
    if kind in OPEN:
        pools = {"paused": "stepped", "pending": "pendable", "extension": "extendable"}
        return pools.get(kind, "timed")
    if kind in COMPLETED:
        # Every fourth decision on the spot is a kiosk's.
        kiosk = kind == "approved" and plan.count(kind) % 4 == 1 and plan.pools["kiosk"]
        return "kiosk" if kiosk else "acceptable"
    return {"draft": "online", "received": "any"}.get(kind, "correctable")


def _channel(plan, item, kind, pool):
    if pool == "kiosk":
        return Channel.KIOSK
    options = {Channel.WINDOW: 60, Channel.ONLINE: 30, Channel.AGENT: 10}
    if kind == "received":
        options = {Channel.WINDOW: 1}
    elif kind == "draft":
        del options[Channel.WINDOW]
    if plan.cast.agent is None:
        options.pop(Channel.AGENT, None)
    options = {channel: w for channel, w in options.items() if channel in item.channels}
    options = options or {Channel.WINDOW: 1}
    return plan.rng.choices(list(options), weights=list(options.values()))[0]


def _applicant(plan, item):
    for_business = any("营业执照" in m.name for m in item.materials.all())
    if for_business and plan.rng.random() < 0.8:
        return plan.rng.choice(plan.organisations)
    return plan.rng.choice(plan.persons)


def _brought(item):
    return [m for m in item.materials.all() if not m.shared_from]


def _intake(plan, story, day):
    """The steps up to and including the day the application is in the hall."""
    if story.channel in (Channel.ONLINE, Channel.AGENT):
        story.steps.append(("received", plan.day(day + 1)))
        if story.channel == Channel.AGENT and plan.rng.random() < 0.5:
            story.steps.append(("taken_in", plan.day(day)))
    else:
        story.steps.append(("received", plan.day(day)))


def _forget_one(plan, story):
    required = [m for m in _brought(story.item) if m.required]
    story.missing = [plan.rng.choice(required).pk]


def _before_acceptance(plan, story):
    rng, kind = plan.rng, story.kind
    if kind in ("draft", "received"):
        k = 0 if kind == "received" else rng.randint(0, 1)
        story.steps.append(("received", plan.day(k)))
        return
    if kind == "correction":
        k = rng.randint(1, 4)
        _forget_one(plan, story)
        _intake(plan, story, k)
        story.steps.append(("notified", plan.day(k)))
        return
    k = rng.randint(2, 60)  # refused, a third of them after a one-time notice
    if rng.random() < 0.33:
        _forget_one(plan, story)
        _intake(plan, story, k + 5)
        story.steps.append(("notified", plan.day(k + 5)))
    else:
        _intake(plan, story, k)
    story.steps.append(("refused", plan.day(k)))


def _age(plan, story):
    """Working days since acceptance, chosen so the sweep cards the story as its kind."""
    rng, item, kind = plan.rng, story.item, story.kind
    p, s = item.promised_days, item.statutory_days
    if kind == "yellow":
        last = add_days(timezone.localdate(), settings.SUPERVISION_YELLOW_WORKDAYS, DayType.WORKING)
        for k in (p, p - 1, p + 1):
            if timezone.localdate() <= add_days(plan.day(k), p, item.day_type) <= last:
                return k
        return p
    if kind == "red":
        # Every third one is late on the statutory limit too, the rest only on the promise.
        return s + rng.randint(1, 3) if plan.count(kind) % 3 == 1 else p + rng.randint(1, 6)
    if kind == "paused":
        return rng.randint(1, p - 1)
    if kind == "extension":
        story.extension_approved = plan.count(kind) % 2 == 0
        return p + 2 if story.extension_approved else p - 1
    # Due two working days after today or later: not yet a yellow card.
    return rng.randint(0, max(0, p - 2 - plan.lag if kind == "accepted" else p - 3 - plan.lag))


def _accepted(plan, story):
    rng, item = plan.rng, story.item
    p = item.promised_days
    completed = handling = None
    if story.kind in OPEN:
        k = _age(plan, story)
    else:
        completed = rng.randint(0, 4) if story.kind == "approved" else rng.randint(0, 85)
        late = p and rng.random() < 0.06
        handling = p + rng.randint(1, 3) if late else rng.randint(p // 3, p)
        if item in plan.pools["stepped"] and rng.random() < 0.3:
            story.paused_days = rng.randint(2, 5)  # a special step, over before the decision
        k = completed + handling + story.paused_days
    pendable = [m for m in _brought(item) if m.may_be_pending]
    story.pending = story.kind == "pending" or (
        story.kind in COMPLETED
        and item in plan.pools["pendable"]
        and k > completed + 1
        and rng.random() < 0.1
    )
    if story.pending:
        story.missing = [rng.choice(pendable).pk]
        _intake(plan, story, k)
    elif (
        item in plan.pools["correctable"] and story.channel != Channel.KIOSK and rng.random() < 0.15
    ):
        _forget_one(plan, story)  # a one-time notice first, the material brought days later
        _intake(plan, story, k + 3)
        story.steps += [("notified", plan.day(k + 3)), ("resubmitted", plan.day(k))]
    else:
        _intake(plan, story, k)
    story.steps.append(("accepted", plan.day(k)))
    if story.kind == "paused":
        story.steps.append(("paused", plan.day(rng.randint(0, k - 1))))
    elif story.kind == "extension":
        asked = 3 if story.extension_approved else 0
        story.steps.append(("extension_requested", plan.day(asked)))
        if story.extension_approved:
            story.steps.append(("extension_decided", plan.day(asked - 1)))
    if completed is not None:
        _completion(plan, story, k, completed, handling)


def _completion(plan, story, k, completed, handling):
    rng = plan.rng
    if story.paused_days:
        paused = completed + story.paused_days + rng.randint(0, handling)
        story.steps += [
            ("paused", plan.day(paused)),
            ("resumed", plan.day(paused - story.paused_days)),
        ]
    if story.pending:
        story.steps.append(("supplied", plan.day(max(completed, k - 2))))
    denied = story.kind == "denied" or story.kind == "delivered" and rng.random() < 0.04
    story.decision = Decision.DENIED if denied else Decision.APPROVED
    story.steps.append(("completed", plan.day(completed)))
    if story.kind == "delivered":
        story.steps.append(("delivered", plan.day(completed - rng.randint(0, 3))))


# --- Playing the stories through the services -------------------------------------------


def _applications(town, items, cast):
    plan = _plan(town, items, cast)
    stories = _stories(plan)
    for story in stories:
        story.at = _times(story.steps, plan.rng)
        story.application = _play(plan, story)
    rated = _ratings(plan, stories)
    complaints = _complaints(plan, rated)
    _backdate(stories, rated, complaints)
    return len(stories)


def _times(steps, rng):
    """A time in office hours for each step; steps of one day follow each other by minutes,
    and none lies ahead of now."""
    zone, now = timezone.get_default_timezone(), timezone.localtime()
    at, previous = {}, None
    for step, day in steps:
        if previous is not None and timezone.localdate(previous) == day:
            moment = previous + datetime.timedelta(minutes=rng.randint(3, 25))
        else:
            moment = datetime.datetime.combine(day, OPENING, zone)
            open_for = OPEN_MINUTES if day < now.date() else (now - moment).seconds // 60
            moment += datetime.timedelta(minutes=rng.randint(0, max(open_for, 1) - 1))
        at[step] = previous = moment
    return _before_now(at, now)


def _before_now(at, now):
    """``at`` (in order) with every time from now on moved halfway between its predecessor
    and now: the order is kept and nothing is stamped in the future."""
    previous = None
    for step, moment in at.items():
        if moment >= now:
            moment = now - datetime.timedelta(minutes=1) if previous is None else previous
            moment += (now - moment) / 2
        at[step] = previous = moment
    return at


def _play(plan, story):
    cast, item, rng = plan.cast, story.item, plan.rng
    filer = {Channel.ONLINE: None, Channel.AGENT: cast.agent}.get(story.channel, cast.clerk)
    presented = [m.pk for m in _brought(item) if m.pk not in story.missing]
    application, _created = application_intake(
        item=item,
        channel=story.channel,
        applicant=story.applicant,
        materials=presented,
        actor=filer,
        idempotency_key=f"{KEY_PREFIX}{plan.town.code}-{story.n:03d}",
    )
    clerk, approver = cast.clerk, cast.approver
    for step, _day in story.steps[1:]:
        if step == "taken_in":
            application = application_receive(application=application, actor=clerk)
        elif step == "notified":
            application = application_notify_missing(
                application=application, actor=clerk, note="请在5个工作日内补齐后再次提交。"
            )
        elif step == "resubmitted":
            application = application_resubmit(
                application=application, actor=clerk, materials=story.missing
            )
        elif step == "refused":
            application = application_refuse(
                application=application, actor=clerk, reason=rng.choice(REFUSALS)
            )
        elif step == "accepted":
            pending = {
                "pending": story.missing,
                "commitment": COMMITMENT,
                "pending_until": add_days(timezone.localdate(), 1, DayType.WORKING),
            }
            application = application_accept(
                application=application, actor=clerk, **(pending if story.pending else {})
            )
        elif step == "paused":
            application = application_pause(
                application=application,
                actor=approver,
                step=item.special_steps[0]["name"],
                reason="已书面告知申请人所需时间。",
            )
        elif step == "resumed":
            application = application_resume(application=application, actor=approver)
        elif step == "extension_requested":
            application_extension_request(
                application=application,
                actor=approver,
                reason="需征求相关部门意见，二十日内不能作出决定。",
            )
        elif step == "extension_decided":
            application_extension_decide(application=application, actor=cast.leader, approve=True)
        elif step == "supplied":
            application = application_supply_pending(
                application=application, actor=clerk, materials=story.missing
            )
        elif step == "completed":
            application = _complete(plan, story, application)
        elif step == "delivered":
            mail = rng.random() < 0.2
            application = application_deliver(
                application=application,
                actor=clerk,
                method=Delivery.MAIL if mail else Delivery.PICKUP,
                address=_address(plan) if mail else "",
            )
    return application


def _complete(plan, story, application):
    if story.decision == Decision.DENIED:
        return application_complete(
            application=application,
            actor=plan.cast.approver,
            decision=Decision.DENIED,
            reason=plan.rng.choice(DENIALS),
        )
    year = story.at["completed"].year
    certificate = (
        application.receipt_no  # a kiosk prints the receipt as the certificate
        if story.channel == Channel.KIOSK
        else f"{plan.town.name[:2]}{'许' if story.item.category == 'licence' else '办'}字"
        f"〔{year}〕第{story.n:04d}号"
    )
    return application_complete(
        application=application,
        actor=plan.cast.approver,
        decision=Decision.APPROVED,
        certificate_no=certificate,
    )


def _address(plan):
    place = plan.rng.choice(plan.villages) if plan.villages else ""
    county, number = plan.town.county, plan.rng.randint(1, 99)
    return f"{county.province}{county.city}{county.name}{plan.town.name}{place}{number}号"


# --- Ratings, rectifications, complaints ------------------------------------------------


@dataclass
class Rated:
    story: Story
    at: dict  # step -> time: "rated", "called_back", "rectified", "rerated", "appealed", ...
    rating: Rating | None = None
    rerating: Rating | None = None
    rectification: Rectification | None = None


def _ratings(plan, stories):
    """Most completed applications rated well; ``BAD_RATINGS`` rated badly, each bad
    rating's rectification taken to its state. Returns the ratings as ``Rated``."""
    rng, cast = plan.rng, plan.cast
    completed = [s for s in stories if s.kind in COMPLETED]
    rated, used = [], set()
    # A bad rating starts the rectification's clocks today (and is refused without them).
    bad = BAD_RATINGS if _fits(timezone.localdate(), settings.RECTIFICATION_WORKDAYS) else ()
    for state, ago in bad:
        if state in ("appealed", "upheld") and (cast.leader is None or cast.reviewer is None):
            continue  # only a town leader appeals, only the county reviewer decides
        eligible = [
            s for s in completed if s.n not in used and s.at["completed"].date() <= plan.day(ago)
        ]
        if not eligible:
            continue
        story = rng.choice(eligible)
        used.add(story.n)
        steps = [("rated", plan.day(ago))]
        if state in ("called_back", "rectified", "rerated"):
            steps.append(("called_back", plan.day(ago - 1)))
        if state in ("rectified", "rerated"):
            steps.append(("rectified", plan.day(ago - 3)))
        if state == "rerated":
            steps.append(("rerated", plan.day(ago - 5)))
        if state in ("appealed", "upheld"):
            steps.append(("appealed", plan.day(ago - 1)))
        if state == "upheld":
            steps.append(("upheld", plan.day(ago - 3)))
        at = _after(story.at["completed"], steps, rng)
        rated.append(_rate_badly(plan, Rated(story, at)))
    for story in completed:
        if story.n in used or rng.random() < 0.45:
            continue
        level = rng.choices((5, 4, 3), weights=(75, 18, 7))[0]
        steps = [("rated", plan.day(_index(plan, story.at["completed"]) - rng.randint(0, 2)))]
        entry = Rated(story, _after(story.at["completed"], steps, rng))
        entry.rating = rating_submit(
            application=story.application,
            level=level,
            tags=rng.sample(GOOD_TAGS, rng.randint(0, 2)) if level > 3 else [],
            comment=rng.choice(GOOD_COMMENTS) if level == 5 else "",
        )
        rated.append(entry)
    return rated


def _index(plan, moment):
    """How many working days ago ``moment`` was."""
    day = timezone.localdate(moment)
    return next((k for k, d in enumerate(plan.days) if d <= day), len(plan.days) - 1)


def _after(moment, steps, rng):
    """Times for rating steps, the first of them at least ten minutes after ``moment``."""
    at = _times(steps, rng)
    gap = moment + datetime.timedelta(minutes=10) - min(at.values())
    if gap > datetime.timedelta(0):
        at = _before_now({step: time + gap for step, time in at.items()}, timezone.localtime())
    return at


def _rate_badly(plan, entry):
    rng, cast, application = plan.rng, plan.cast, entry.story.application
    entry.rating = rating_submit(
        application=application,
        level=rng.choice((1, 2)),
        tags=rng.sample(BAD_TAGS, 2),
        comment=rng.choice(BAD_COMMENTS),
    )
    rectification = Rectification.objects.get(rating=entry.rating)
    if "called_back" in entry.at:
        rectification = rectification_call_back(
            rectification=rectification,
            actor=cast.clerk,
            note="已电话回访申请人，了解情况并致歉，申请人表示理解。",
        )
    if "rectified" in entry.at:
        rectification = rectification_rectify(
            rectification=rectification,
            actor=cast.clerk,
            measures="修订该事项办事指南，统一窗口一次性告知口径，对相关工作人员开展业务培训。",
        )
    if "rerated" in entry.at:
        entry.rerating = rating_submit(application=application, level=5, tags=["efficient"])
    if "appealed" in entry.at:
        rectification = rectification_appeal(
            rectification=rectification,
            actor=cast.leader,
            reason="经调取窗口录像核实，该事项已按时办结，评价人与办件无关，系恶意差评。",
        )
    if "upheld" in entry.at:
        rectification = rectification_decide_appeal(
            rectification=rectification,
            actor=cast.reviewer,
            uphold=True,
            reason="经核查，申诉理由成立，该评价不计入统计。",
        )
    entry.rectification = rectification
    return entry


def _complaints(plan, rated):
    """Two complaints: one about a badly rated application (answered), one without a
    receipt (open). Returns [(complaint, {"submitted": time, "answered": time})]."""
    bad = [entry for entry in rated if entry.rectification is not None]
    if len(bad) < 2:
        return []
    bad = bad[1]  # rated days ago: the complaint came after it
    application = bad.story.application
    linked = complaint_submit(
        town=plan.town,
        name=application.applicant_name,
        phone=application.applicant_phone or _phone(plan.rng),
        content="材料交齐后迟迟没有结果，打电话询问也没有人说清楚进度。",
        receipt_no=application.receipt_no,
        code=application.verification_code,
    )
    answered = complaint_answer(
        complaint=linked,
        actor=plan.cast.clerk,
        answer="经核实，该件因需现场核查耗时较长，已向您说明办理进度并致歉，今后将及时告知。",
    )
    other = complaint_submit(
        town=plan.town,
        name=plan.rng.choice(plan.persons)["name"],
        phone=_phone(plan.rng),
        content="中午12点前窗口就没有人了，排队等了四十分钟。",
    )
    rated_on = _index(plan, bad.at["rated"])
    steps = [("submitted", plan.day(rated_on)), ("answered", plan.day(rated_on - 1))]
    return [
        (answered, _after(bad.at["rated"], steps, plan.rng)),
        (other, _times([("submitted", plan.day(0))], plan.rng)),
    ]


# --- Moving the stamps into the past ------------------------------------------------------


def update_rows(model, objects, fields):
    """Write ``fields`` of ``objects`` back in one ``UPDATE ... FROM (VALUES ...)``.

    What ``bulk_update`` does, without its CASE WHEN per row and field, which took
    seconds to compile for a few hundred rows.
    """
    if not objects:
        return
    columns = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    names = ", ".join(quote(column.column) for column in columns)
    sets = ", ".join(f"{quote(c.column)} = v.{quote(c.column)}" for c in columns)
    template = "(%s, " + ", ".join(f"%s::{c.db_type(connection)}" for c in columns) + ")"
    rows = [
        (
            obj.pk,
            *(c.get_db_prep_save(getattr(obj, c.attname), connection) for c in columns),
        )
        for obj in objects
    ]
    sql = f"UPDATE {table} SET {sets} FROM (VALUES %s) AS v (pk, {names}) WHERE {table}.{pk} = v.pk"
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, rows, template=template, page_size=len(rows))


# The steps that write the application's status (and so its ``status_since``).
MOVES = {"received", "taken_in", "notified", "resubmitted", "refused", "accepted"}
MOVES |= {"supplied", "completed", "delivered"}
ISSUED = {
    "receipt": "received",
    "one_time": "notified",
    "acceptance": "accepted",
    "pending": "accepted",
    "refusal": "refused",
    "decision": "completed",
}
BACKDATED = [
    "receipt_no",
    "certificate_no",
    "received_at",
    "status_since",
    "started_at",
    "due_date",
    "statutory_due_date",
    "paused_on",
    "pending_until",
    "completed_at",
    "completed_on_time",
    "delivered_at",
]


def _backdate(stories, rated, complaints):
    """Move every stamp the services wrote "now" to the story's planned time: one bulk
    UPDATE per table. Due dates are recomputed from the planned acceptance as the
    deadline engine would have: the period, then the paused days and any extension."""
    stories = {story.application.pk: story for story in stories}
    applications = list(Application.objects.filter(pk__in=stories).select_related("item"))
    numbers = {}
    for application in applications:
        story = stories[application.pk]
        old = application.receipt_no
        town, _day, sequence = old.split("-")
        numbers[old] = f"{town}-{timezone.localdate(story.at['received']):%Y%m%d}-{sequence}"
        application.receipt_no = numbers[old]
        if application.certificate_no == old:
            application.certificate_no = numbers[old]
        application.received_at = story.at["received"]
        application.status_since = max(at for step, at in story.at.items() if step in MOVES)
        if "accepted" in story.at:
            _clocks(application, story)
    update_rows(Application, applications, BACKDATED)
    _renumber_messages(numbers)
    _backdate_records(stories, numbers)
    _backdate_ratings(rated, complaints)


def _renumber_messages(numbers):
    """The notifications the services queued (to staff, SMS to applicants) name the
    receipt numbers of the seed's day: give them the numbers the applications now carry.
    A number is unique, so a message that holds one was queued by this seed."""
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    sql = f"""
        UPDATE {table} AS m
        SET subject = replace(m.subject, v.old, v.new), body = replace(m.body, v.old, v.new)
        FROM (VALUES %s) AS v (old, new)
        WHERE strpos(m.subject, v.old) > 0 OR strpos(m.body, v.old) > 0
    """
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, list(numbers.items()), page_size=len(numbers))


def _clocks(application, story):
    at, item = story.at, story.item
    start, day_type = timezone.localdate(at["accepted"]), item.day_type
    promised = add_days(start, item.promised_days, day_type)
    statutory = add_days(start, item.statutory_days, day_type)
    story.first_due = promised, statutory  # as the acceptance notice printed them
    extra = story.paused_days + (item.extension_days if story.extension_approved else 0)
    application.started_at = at["accepted"]
    application.due_date = add_days(promised, extra, day_type) if extra else promised
    application.statutory_due_date = add_days(statutory, extra, day_type) if extra else statutory
    if application.paused_on:
        application.paused_on = timezone.localdate(at["paused"])
    story.pending_until = (
        min(add_days(start, 3, DayType.WORKING), promised) if story.pending else None
    )
    if application.pending_until:
        application.pending_until = story.pending_until
    if "completed" in at:
        application.completed_at = at["completed"]
        application.completed_on_time = timezone.localdate(at["completed"]) <= application.due_date
    if "delivered" in at:
        application.delivered_at = at["delivered"]


def _backdate_records(stories, numbers):
    """The notices, supplied materials, pauses and extensions of the applications."""
    notices = list(Notice.objects.filter(application__in=stories))
    for notice in notices:
        story = stories[notice.application_id]
        receipt, _dash, position = notice.number.rpartition("-")
        notice.number = f"{numbers[receipt]}-{position}"
        notice.issued_at = story.at[ISSUED[notice.kind]]
        if notice.kind == "acceptance":
            promised, statutory = story.first_due
            notice.content |= {
                "accepted_at": story.at["accepted"].isoformat(),
                "promised_due": promised.isoformat(),
                "statutory_due": statutory.isoformat(),
            }
        elif notice.kind == "pending":
            notice.content["pending_until"] = story.pending_until.isoformat()
    update_rows(Notice, notices, ["number", "issued_at", "content"])
    supplied = list(
        SubmittedMaterial.objects.filter(application__in=stories, supplied_at__isnull=False)
    )
    for row in supplied:
        at = stories[row.application_id].at
        row.supplied_at = at.get("resubmitted") or at["supplied"]
    update_rows(SubmittedMaterial, supplied, ["supplied_at"])
    about = {"content_type__model": "application", "object_id__in": list(stories)}
    pauses = list(DeadlinePause.objects.filter(content_type__app_label="servicecenter", **about))
    for pause in pauses:
        story = stories[pause.object_id]
        pause.started_on = timezone.localdate(story.at["paused"])
        if pause.ended_on:
            pause.ended_on = timezone.localdate(story.at["resumed"])
            pause.paused_days = story.paused_days
    update_rows(DeadlinePause, pauses, ["started_on", "ended_on", "paused_days"])
    extensions = list(
        DeadlineExtension.objects.filter(content_type__app_label="servicecenter", **about)
    )
    for extension in extensions:
        at = stories[extension.object_id].at
        extension.requested_at = at["extension_requested"]
        extension.decided_at = at.get("extension_decided")
    update_rows(DeadlineExtension, extensions, ["requested_at", "decided_at"])


def _backdate_ratings(rated, complaints):
    ratings, rectifications = [], []
    for entry in rated:
        entry.rating.rated_at = entry.at["rated"]
        ratings.append(entry.rating)
        if entry.rerating is not None:
            entry.rerating.rated_at = entry.at["rerated"]
            ratings.append(entry.rerating)
        if entry.rectification is not None:
            rectification = entry.rectification
            on = timezone.localdate(entry.at["rated"])
            rectification.started_at = entry.at["rated"]
            rectification.due_date = add_days(on, 1, DayType.WORKING)
            rectification.fix_due_date = add_days(
                on, settings.RECTIFICATION_WORKDAYS, DayType.WORKING
            )
            rectifications.append(rectification)
    update_rows(Rating, ratings, ["rated_at"])
    update_rows(Rectification, rectifications, ["started_at", "due_date", "fix_due_date"])
    for complaint, at in complaints:
        complaint.submitted_at, complaint.answered_at = at["submitted"], at.get("answered")
    update_rows(Complaint, [c for c, _at in complaints], ["submitted_at", "answered_at"])
