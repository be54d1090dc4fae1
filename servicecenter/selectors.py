"""Reads of the service hall shared by the API, the hall's pages, supervision and benchmarks.

Staff reads start from :func:`applications_for`, which scopes through
``townadmin.access`` (DESIGN.md section 3): an application outside the user's reach is
not in the queryset, so its page and its API detail answer 404. The public reads
(:func:`published_items`, :func:`application_by_receipt`) see only what the public may:
published guides, and one application to whoever holds its receipt number and code.
"""

import hmac

from django.db.models import Prefetch, Q

from servicecenter.models import Application, Material, ServiceItem, SubmittedMaterial
from servicecenter.models.applications import BEFORE_ACCEPTANCE
from townadmin import access
from townadmin.audit import timeline

Status = Application.Status

VIEW_RECORDS = "townadmin.view_records"
HANDLE = "townadmin.handle_application"
APPROVE = "townadmin.approve_application"

# What waits for whom: the window takes in, notifies and accepts; the back office decides.
WINDOW_QUEUE = BEFORE_ACCEPTANCE
OFFICE_QUEUE = (Status.ACCEPTED,)

# Compared with a wrong code when the receipt is unknown, so both take the same time.
_NO_CODE = "\x00" * 6


def applications_for(user, reach=VIEW_RECORDS):
    """Applications of the towns where ``user`` holds ``reach`` ("townadmin.<codename>").

    Joined with what every row of a list shows (item, town, first-contact clerk,
    approver), so a page of 50 costs one query; add :func:`with_details` for a detail
    page. Newest first (the model's ordering).
    """
    return Application.objects.for_user(user, reach).select_related(
        "item", "town", "first_clerk", "approver"
    )


def with_materials(queryset):
    """``queryset`` with each application's materials and their guide entries (names and
    order): one more query, whatever the number of rows."""
    return queryset.prefetch_related(_materials_prefetch())


def _materials_prefetch():
    return Prefetch("materials", queryset=SubmittedMaterial.objects.select_related("material"))


def with_details(queryset):
    """``queryset`` with what one application's page shows: its materials (as
    :func:`with_materials`) and its notices. Two more queries, whatever the number of rows."""
    return with_materials(queryset).prefetch_related("notices")


def queue(user, *, status=None):
    """The working queue of ``user``: what waits for them, oldest waiting first.

    Without ``status``: drafts, received applications and those awaiting missing
    materials of the towns where ``user`` handles applications (window clerks), and the
    accepted applications of the towns where ``user`` approves (back office). With
    ``status`` (one value or several), those statuses in the towns of either reach.
    Ordered by ``status_since`` (how long each has waited in its status), then id.
    """
    handle = access.towns_for(user, HANDLE)
    approve = access.towns_for(user, APPROVE)
    if status is not None:
        statuses = [status] if isinstance(status, str) else list(status)
        condition = Q(town_id__in=handle | approve, status__in=statuses)
    else:
        # Only the branches the user has: a clerk's queue is one plain condition that the
        # (town, status, status_since) index serves.
        condition = Q(pk__in=[])
        if handle:
            condition |= Q(town_id__in=handle, status__in=WINDOW_QUEUE)
        if approve:
            condition |= Q(town_id__in=approve, status__in=OFFICE_QUEUE)
    return (
        Application.objects.filter(condition)
        .select_related("item", "town", "first_clerk", "approver")
        .order_by("status_since", "pk")
    )


def published_items(town_code):
    """The published service items of the town with division code ``town_code``, with
    their guide materials, by item code.

    Two queries whatever the number of items (the materials are prefetched in order).
    """
    return (
        ServiceItem.objects.filter(town__code=town_code, is_published=True)
        .prefetch_related(
            Prefetch("materials", queryset=Material.objects.order_by("position", "pk"))
        )
        .order_by("code")
    )


def application_by_receipt(receipt_no, code):
    """The application with ``receipt_no`` when ``code`` is its verification code, else None.

    An unknown receipt and a wrong code give the same None, and both compare a code in
    constant time (``hmac.compare_digest``), so receipts cannot be probed by the answer
    or by its timing.
    """
    application = (
        Application.objects.filter(receipt_no=(receipt_no or "").strip())
        .select_related("item", "town")
        .first()
    )
    expected = application.verification_code if application is not None else _NO_CODE
    # Bytes: compare_digest refuses a str with non-ASCII characters.
    matches = hmac.compare_digest((code or "").strip().encode(), expected.encode())
    return application if application is not None and matches else None


def public_timeline(application):
    """The steps of ``application`` the public sees: each status it entered and when.

    No staff names, no reasons, no payloads; steps that did not change the status
    (clock pauses, pending materials supplied) are left out.
    """
    steps = timeline(application).select_related(None).only("from_status", "to_status", "at")
    return [
        {"status": step.to_status, "at": step.at}
        for step in steps
        if step.to_status in Status.values and step.to_status != step.from_status
    ]
