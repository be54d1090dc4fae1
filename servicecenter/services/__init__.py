"""Every write of the service hall (DESIGN.md section 4): one function per transition.

``Application``'s docstring has the transition table; ``ratings`` holds the public's
ratings and the rectification of bad ones, ``complaints`` the public's complaints.
"""

from servicecenter.services.back_office import (
    application_complete,
    application_extension_decide,
    application_extension_request,
    application_pause,
    application_resume,
)
from servicecenter.services.complaints import complaint_answer, complaint_submit
from servicecenter.services.intake import IdempotencyKeyReusedError, application_intake
from servicecenter.services.items import service_items_derive
from servicecenter.services.kiosk import application_self_service
from servicecenter.services.ratings import (
    rating_submit,
    rectification_appeal,
    rectification_call_back,
    rectification_decide_appeal,
    rectification_rectify,
)
from servicecenter.services.window import (
    application_accept,
    application_deliver,
    application_notify_missing,
    application_receive,
    application_refuse,
    application_resubmit,
    application_supply_pending,
)

__all__ = [
    "IdempotencyKeyReusedError",
    "application_accept",
    "application_complete",
    "application_deliver",
    "application_extension_decide",
    "application_extension_request",
    "application_intake",
    "application_notify_missing",
    "application_pause",
    "application_receive",
    "application_refuse",
    "application_resubmit",
    "application_resume",
    "application_self_service",
    "application_supply_pending",
    "complaint_answer",
    "complaint_submit",
    "rating_submit",
    "rectification_appeal",
    "rectification_call_back",
    "rectification_decide_appeal",
    "rectification_rectify",
    "service_items_derive",
]
