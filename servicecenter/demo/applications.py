"""Playing a planned story through the hall's real services, step by step."""

from django.utils import timezone

from servicecenter.choices import Channel, Decision, Delivery
from servicecenter.demo.common import KEY_PREFIX, add_days
from servicecenter.demo.plan import brought
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
)
from townadmin.models.calendar import DayType

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


def play(plan, story):
    cast, item, rng = plan.cast, story.item, plan.rng
    filer = {Channel.ONLINE: None, Channel.AGENT: cast.agent}.get(story.channel, cast.clerk)
    presented = [m.pk for m in brought(item) if m.pk not in story.missing]
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
