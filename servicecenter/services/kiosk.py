"""Self-service kiosks (自助终端): an instant item (即办件) is decided the moment it is filed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from servicecenter.choices import Channel, Decision
from servicecenter.services.back_office import application_complete
from servicecenter.services.intake import application_intake
from servicecenter.services.window import application_accept

NOT_INSTANT = _("Only instant items can be completed at a self-service kiosk.")


def application_self_service(*, item, applicant, materials, actor, idempotency_key=""):
    """Intake, acceptance and approval in one transaction, each step in the timeline.

    ``actor`` is the kiosk's own account, which holds the window and approval reach of
    its town. The certificate number is the receipt number: the kiosk prints both.
    """
    if not item.is_instant:
        raise ValidationError({"service_item": NOT_INSTANT}, code="not_instant")
    with transaction.atomic():
        application, created = application_intake(
            item=item,
            channel=Channel.KIOSK,
            applicant=applicant,
            materials=materials,
            actor=actor,
            idempotency_key=idempotency_key,
        )
        if not created:
            return application, False
        application = application_accept(application=application, actor=actor)
        application = application_complete(
            application=application,
            actor=actor,
            decision=Decision.APPROVED,
            certificate_no=application.receipt_no,
        )
    return application, True
