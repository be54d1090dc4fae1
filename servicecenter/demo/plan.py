"""Planning the stories: each application's final state, item, channel, applicant and
steps on past working days, drawn with one seeded random generator a town and day."""

import datetime
import logging
import random
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from servicecenter.choices import Channel, Decision
from servicecenter.demo.common import add_days, is_workday
from servicecenter.demo.people import Cast, applicants
from servicecenter.models import Application, ServiceItem
from townadmin.models import Town, Village
from townadmin.models.calendar import DayType
from townadmin.workdays import CalendarYearMissing

logger = logging.getLogger(__name__)

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


def plan_town(town, items, cast):
    now = timezone.localtime()
    rng = random.Random(f"service-hall:{town.code}:{now.date()}")
    # The latest day of the stories: today once the hall has opened, else the day before.
    days, day = [], now.date() if now.time() >= OPENING else now.date() - ONE_DAY
    while len(days) < HISTORY:
        if is_workday(day):
            days.append(day)
        day -= ONE_DAY
    acceptable = [i for i in items if fits(now.date(), i.statutory_days, i.day_type)]
    extendable = [
        i for i in acceptable if fits(now.date(), i.statutory_days + i.extension_days, i.day_type)
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
        "correctable": [item for item in items if any(m.required for m in brought(item))],
    }
    if not pools["timed"]:
        logger.warning(
            "%s: the working-day calendar cannot give the due dates of clocks started today "
            "(is next year loaded?): demo applications that would be accepted stay received.",
            town,
        )
    villages = list(Village.objects.filter(town=town).values_list("name", flat=True))
    return Plan(town, cast, rng, days, pools, *applicants(town, rng), villages)


def fits(start, days, day_type=DayType.WORKING):
    """Whether a period of ``days`` from ``start`` ends within the loaded calendar: the
    services refuse to start a clock whose due date the calendar cannot give."""
    try:
        add_days(start, days, day_type)
    except CalendarYearMissing:
        return False
    return True


def plan_stories(plan):
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


def brought(item):
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
    required = [m for m in brought(story.item) if m.required]
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
    pendable = [m for m in brought(item) if m.may_be_pending]
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


def step_times(steps, rng):
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
    return before_now(at, now)


def before_now(at, now):
    """``at`` (in order) with every time from now on moved halfway between its predecessor
    and now: the order is kept and nothing is stamped in the future."""
    previous = None
    for step, moment in at.items():
        if moment >= now:
            moment = now - datetime.timedelta(minutes=1) if previous is None else previous
            moment += (now - moment) / 2
        at[step] = previous = moment
    return at
