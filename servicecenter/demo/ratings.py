"""Ratings of the completed demo applications, the rectification of the bad ones taken
to each state (with appeals), and complaints: all through the real services."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from servicecenter.demo.people import phone_number
from servicecenter.demo.plan import COMPLETED, Story, before_now, fits, step_times
from servicecenter.models import Rating, Rectification
from servicecenter.services.complaints import complaint_answer, complaint_submit
from servicecenter.services.ratings import (
    rating_submit,
    rectification_appeal,
    rectification_call_back,
    rectification_decide_appeal,
    rectification_rectify,
)

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
BAD_COMMENTS = ("补材料跑了好几趟，每次说法不一样。", "等了很久没人理，态度也不好。")
GOOD_COMMENTS = ("一次就办好了，工作人员很耐心。", "材料不全也给容缺受理了，点赞。", "")


@dataclass
class Rated:
    story: Story
    at: dict  # step -> time: "rated", "called_back", "rectified", "rerated", "appealed", ...
    rating: Rating | None = None
    rerating: Rating | None = None
    rectification: Rectification | None = None


def rate_stories(plan, stories):
    """Most completed applications rated well; ``BAD_RATINGS`` rated badly, each bad
    rating's rectification taken to its state. Returns the ratings as ``Rated``."""
    rng, cast = plan.rng, plan.cast
    completed = [s for s in stories if s.kind in COMPLETED]
    rated, used = [], set()
    # A bad rating starts the rectification's clocks today (and is refused without them).
    bad = BAD_RATINGS if fits(timezone.localdate(), settings.RECTIFICATION_WORKDAYS) else ()
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
    at = step_times(steps, rng)
    gap = moment + datetime.timedelta(minutes=10) - min(at.values())
    if gap > datetime.timedelta(0):
        at = before_now({step: time + gap for step, time in at.items()}, timezone.localtime())
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


def complain(plan, rated):
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
        phone=application.applicant_phone or phone_number(plan.rng),
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
        phone=phone_number(plan.rng),
        content="中午12点前窗口就没有人了，排队等了四十分钟。",
    )
    rated_on = _index(plan, bad.at["rated"])
    steps = [("submitted", plan.day(rated_on)), ("answered", plan.day(rated_on - 1))]
    return [
        (answered, _after(bad.at["rated"], steps, plan.rng)),
        (other, step_times([("submitted", plan.day(0))], plan.rng)),
    ]
