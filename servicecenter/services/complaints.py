"""Complaints from the public about a town's service hall (DOMAIN.md "Service hall").

Anyone may complain, with no login; the town's leaders (and the first-contact clerk of
an application the complaint names) are told, and the town answers by SMS. Each step
writes the complaint and its Transition record in one transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from powers.selectors import reach_holders
from servicecenter.models import Complaint
from servicecenter.services.ratings import (
    HALL_REACH,
    require,
    required_text,
    verified_application,
)
from townadmin.audit import record_transition
from townadmin.notifications import notify
from townadmin.workflow import require_status

NAME_REQUIRED = _("Give your name.")
PHONE_INVALID = _("Give a phone number of 7 to 20 digits.")
CONTENT_REQUIRED = _("Describe what you complain about.")
ANSWER_REQUIRED = _("Write the answer to the complaint.")

SUBJECT_COMPLAINT = _("New complaint about the service hall of %(town)s")
SMS_COMPLAINT_ANSWERED = _("[%(town)s] Your complaint has been answered: %(answer)s")

# Whoever follows ratings up in the town answers its complaints too.
ANSWER = ("servicecenter.change_complaint", HALL_REACH)


def complaint_submit(*, town, name, phone, content, receipt_no="", code="") -> Complaint:
    """A complaint from the public about ``town``'s hall. It is linked to the application
    only when the receipt number belongs to the town and the verification code matches;
    otherwise it is kept without the link (and the complainant is told nothing either
    way, so the form cannot be used to test codes)."""
    errors = {}
    name, content = (name or "").strip(), (content or "").strip()
    phone = "".join((phone or "").split())
    if not name:
        errors["name"] = ValidationError(NAME_REQUIRED, code="required")
    if not (phone.isdigit() and 7 <= len(phone) <= 20):
        errors["phone"] = ValidationError(PHONE_INVALID, code="invalid")
    if not content:
        errors["content"] = ValidationError(CONTENT_REQUIRED, code="required")
    if errors:
        raise ValidationError(errors)
    application = verified_application(receipt_no, code, town=town) if receipt_no else None
    with transaction.atomic():
        complaint = Complaint.objects.create(
            town=town, application=application, name=name, phone=phone, content=content
        )
        record_transition(
            obj=complaint,
            from_status="",
            to_status=complaint.status,
            actor=None,
            payload={"application": application.receipt_no if application else ""},
        )
        recipients = list(reach_holders(town, "lead_town"))
        if application is not None and application.first_clerk is not None:
            recipients.append(application.first_clerk)
        notify(
            recipients=recipients,
            subject=SUBJECT_COMPLAINT % {"town": town.name},
            body=content,
            town=town,
            link=reverse("servicecenter:complaints"),
        )
    return complaint


def complaint_answer(*, complaint, actor, answer) -> Complaint:
    """The town answers a complaint: open -> answered; the complainant gets an SMS."""
    answer = required_text(answer, "answer", ANSWER_REQUIRED)
    require(actor, ANSWER, complaint.town_id)
    with transaction.atomic():
        locked = Complaint.objects.select_for_update(of=("self",)).select_related("town")
        locked = locked.get(pk=complaint.pk)
        require_status(locked, Complaint.Status.OPEN)
        locked.status = Complaint.Status.ANSWERED
        locked.answer, locked.answered_by, locked.answered_at = answer, actor, timezone.now()
        locked.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        record_transition(
            obj=locked,
            from_status=Complaint.Status.OPEN,
            to_status=Complaint.Status.ANSWERED,
            actor=actor,
            reason=answer,
        )
        notify(
            recipients=[locked.phone],
            channels=("sms",),
            subject=SMS_COMPLAINT_ANSWERED % {"town": locked.town.name, "answer": answer},
            body="",
            town=locked.town,
            dedupe_key=f"complaint-answered-{locked.pk}",
        )
    return locked
