"""The back office: special steps that pause the clocks, extension by approval, and the
decision (办结). The clock steps go through ``townadmin.deadlines``, which locks the
application, keeps the pause ledger and records each step in the timeline.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from powers.selectors import reach_holders
from servicecenter.choices import Decision, NoticeKind
from servicecenter.models import Application, SubmittedMaterial
from servicecenter.services.common import (
    APPROVE,
    EXTENSION,
    choice,
    in_portal_language,
    issue,
    lock,
    move,
    require,
)
from townadmin.deadlines import (
    clear_alerts,
    deadline_extension_decide,
    deadline_extension_request,
    deadline_pause,
    deadline_resume,
)
from townadmin.models.deadlines import DeadlineExtension
from townadmin.notifications import notify
from townadmin.workflow import StateConflictError, require_status

Status = Application.Status

UNKNOWN_STEP = _("This item's guide has no special step called “%(step)s”.")
NO_EXTENSION_REQUESTED = _("No extension of this application is awaiting a decision.")
PAUSED = _("The clocks are paused for a special step: resume them before deciding.")
PENDING_MATERIALS = _("Materials accepted as pending (容缺) have not all been supplied yet.")
CERTIFICATE_REQUIRED = _("Give the certificate number of the approval.")
REASONS_REQUIRED = _("Give the reasons for denying the application.")
SUBJECT_EXTENSION = _("Extension requested: %(receipt)s")
BODY_EXTENSION = _("%(item)s, %(days)s more working days: %(reason)s")
SMS_DECIDED = _("[%(town)s] Your application %(receipt)s has been decided: %(decision)s.")

ART_42 = "《中华人民共和国行政许可法》第四十二条"
ART_45 = "《中华人民共和国行政许可法》第四十五条"


def application_pause(*, application, actor, step, reason="") -> Application:
    """Pause both clocks for a special step of the guide (hearing, testing, expert review:
    行政许可法 Art. 45) that does not count toward the limit."""
    require(actor, APPROVE, application.town_id)
    with transaction.atomic():
        locked = lock(application)
        require_status(locked, Status.ACCEPTED)
        special = {each["name"]: each for each in locked.item.special_steps}
        if step not in special:
            raise ValidationError(
                {"step": ValidationError(UNKNOWN_STEP, code="invalid", params={"step": step})}
            )
        reason = f"{step}：{reason.strip()}" if (reason or "").strip() else step
        deadline_pause(
            obj=locked, reason=reason, citation=special[step].get("citation") or ART_45, actor=actor
        )
    return locked


def application_resume(*, application, actor) -> Application:
    """The special step is over: the clocks run again and every due date moves on."""
    require(actor, APPROVE, application.town_id)
    with transaction.atomic():
        locked = lock(application)
        require_status(locked, Status.ACCEPTED)
        deadline_resume(obj=locked, actor=actor)
    return locked


def application_extension_request(*, application, actor, reason) -> DeadlineExtension:
    """Ask the town's leader for the item's extension (Art. 42: ten more working days)."""
    require(actor, APPROVE, application.town_id)
    with transaction.atomic():
        locked = lock(application)
        require_status(locked, Status.ACCEPTED)
        extension = deadline_extension_request(
            obj=locked,
            days=locked.item.extension_days,
            reason=reason,
            citation=locked.item.statutory_citation or ART_42,
            actor=actor,
        )
        leaders = reach_holders(locked.town, "lead_town", permission=EXTENSION[0])
        notify(
            recipients=leaders,
            subject=in_portal_language(SUBJECT_EXTENSION, {"receipt": locked.receipt_no}),
            body=in_portal_language(
                BODY_EXTENSION,
                {"item": locked.item.name, "days": extension.days, "reason": extension.reason},
            ),
            town=locked.town,
            link=locked.get_absolute_url(),
        )
    return extension


def application_extension_decide(*, application, actor, approve) -> DeadlineExtension:
    """The town leader approves (both due dates move) or refuses the pending extension."""
    require(actor, EXTENSION, application.town_id)
    with transaction.atomic():
        locked = lock(application)
        require_status(locked, Status.ACCEPTED)
        extension = DeadlineExtension.objects.filter(
            content_type__app_label="servicecenter",
            content_type__model="application",
            object_id=locked.pk,
            status=DeadlineExtension.Status.REQUESTED,
        ).first()
        if extension is None:
            raise StateConflictError(
                NO_EXTENSION_REQUESTED, code="no_extension", current={"status": locked.status}
            )
        return deadline_extension_decide(extension=extension, approve=approve, actor=actor)


def application_complete(
    *, application, actor, decision, certificate_no="", reason=""
) -> Application:
    """Decide (办结): approved with the certificate number, or denied with reasons."""
    require(actor, APPROVE, application.town_id)
    decision = choice(Decision, decision, "decision")
    certificate_no, reason = (certificate_no or "").strip(), (reason or "").strip()
    if decision == Decision.APPROVED and not certificate_no:
        raise ValidationError(
            {"certificate_no": ValidationError(CERTIFICATE_REQUIRED, code="required")}
        )
    if decision == Decision.DENIED and not reason:
        raise ValidationError({"reason": ValidationError(REASONS_REQUIRED, code="required")})
    with transaction.atomic():
        locked = lock(application)
        require_status(locked, Status.ACCEPTED)
        if locked.is_paused:
            raise StateConflictError(PAUSED, code="paused", current={"status": locked.status})
        if locked.materials.filter(state=SubmittedMaterial.State.PENDING).exists():
            raise ValidationError(PENDING_MATERIALS, code="pending_materials")
        now = timezone.now()
        locked.decision, locked.decision_reason = decision, reason
        locked.certificate_no = certificate_no
        locked.approver, locked.completed_at = actor, now
        locked.completed_on_time = timezone.localdate(now) <= locked.due_date
        notice = issue(
            locked,
            NoticeKind.DECISION,
            actor=actor,
            content={
                "decision": decision,
                "certificate_no": certificate_no,
                "reason": reason,
                "decided_in_name_of": locked.item.exercised_in_name_of,
            },
        )
        to_status = Status.APPROVED if decision == Decision.APPROVED else Status.DENIED
        move(
            locked,
            to_status,
            actor=actor,
            reason=reason,
            payload={"notice": notice.number, "on_time": locked.completed_on_time},
            fields=[
                "decision",
                "decision_reason",
                "certificate_no",
                "approver",
                "completed_at",
                "completed_on_time",
            ],
        )
        clear_alerts(locked)
        if locked.applicant_phone:
            notify(
                recipients=[locked.applicant_phone],
                channels=("sms",),
                subject=in_portal_language(
                    SMS_DECIDED,
                    {
                        "town": locked.town.name,
                        "receipt": locked.receipt_no,
                        "decision": decision.label,
                    },
                ),
                body="",
                town=locked.town,
                dedupe_key=f"application-decided-{locked.pk}",
            )
    return locked
