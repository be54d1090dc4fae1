"""The list adjustment pages: the county reform office's queue and the adjustment itself.

``/review/`` is the reviewers' queue; ``/review/adjustments/`` the town side, where a
town leader opens drafts; ``/review/adjustments/<id>/`` the adjustment with its items,
what they would change in the current list, the steps the user may take and the timeline.

Every step posts to a view that calls its service: the service checks the permission
(403), the reach (404) and the input (the form again with its errors, 400); a step the
adjustment's state no longer allows answers 409 with the page as it is now. Anyone who
reads the town's records may open an adjustment; only the steps offered differ.
"""

import dataclasses
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from powers import services
from powers.forms_review import (
    AdjustmentCreateForm,
    AdjustmentItemForm,
    ApprovalForm,
    LegalOpinionForm,
    ReturnForm,
    add_service_errors,
)
from powers.models import Adjustment, AdjustmentItem
from powers.review import proposed_changes, timeline_rows
from powers.selectors import adjustments_awaiting, current_version
from powers.services.adjustments import (
    APPROVE_PERMISSION,
    DRAFT_PERMISSION,
    LEGAL_REVIEW_PERMISSION,
    MANAGE_LISTS,
    REVIEW_REFORM,
)
from powers.services.register import NOT_ALLOWED, require
from townadmin.access import in_reach, scope
from townadmin.models import Town
from townadmin.workdays import CalendarYearMissing, workdays_since
from townadmin.workflow import StateConflictError

VIEW_RECORDS = "townadmin.view_records"
Status = Adjustment.Status

NOT_A_REVIEWER = _("Only the county reform office's reviewers have a review queue.")
NOT_A_DRAFTER = _("Only those who draft a town's list adjustments can open this page.")
CREATED = _("The draft adjustment “%(title)s” is open: add its items.")
ITEM_ADDED = _("The item %(code)s is added.")
ITEM_REMOVED = _("The item %(code)s is removed.")


@dataclasses.dataclass(frozen=True)
class Roles:
    """What a user may do with one adjustment: the services' own permission and reach checks."""

    status: str
    drafts: bool
    legal_review: bool
    approves: bool

    @classmethod
    def of(cls, user, adjustment):
        reviews = in_reach(user, REVIEW_REFORM, adjustment.town_id)
        return cls(
            status=adjustment.status,
            drafts=user.has_perm(DRAFT_PERMISSION)
            and in_reach(user, MANAGE_LISTS, adjustment.town_id),
            legal_review=reviews and user.has_perm(LEGAL_REVIEW_PERMISSION),
            approves=reviews and user.has_perm(APPROVE_PERMISSION),
        )


@dataclasses.dataclass(frozen=True)
class Step:
    """A workflow step: its button, service, form and message, and whom it is offered to when."""

    label: str
    service: Callable
    form: type | None
    statuses: tuple
    offered: Callable[[Roles], bool]
    done: str
    primary: bool = True


def _drafts(roles):
    return roles.drafts


STEPS = {
    "submit": Step(
        _("Submit for legal review"),
        services.adjustment_submit,
        None,
        (Status.DRAFT,),
        _drafts,
        _("The adjustment is sent to legal review."),
    ),
    "pass-legal-review": Step(
        _("Pass the legal review"),
        services.adjustment_pass_legal_review,
        LegalOpinionForm,
        (Status.LEGAL_REVIEW,),
        lambda roles: roles.legal_review,
        _("The legal review is recorded: the adjustment awaits approval."),
    ),
    "approve": Step(
        _("Approve and publish"),
        services.adjustment_approve,
        ApprovalForm,
        (Status.SUBMITTED,),
        lambda roles: roles.approves,
        _("The adjustment is approved: version %(version)s of the lists is published."),
    ),
    # Legal reviewers return from legal review; approvers from either step.
    "return": Step(
        _("Return with comments"),
        services.adjustment_return,
        ReturnForm,
        (Status.LEGAL_REVIEW, Status.SUBMITTED),
        lambda r: r.approves or (r.legal_review and r.status == Status.LEGAL_REVIEW),
        _("The adjustment is returned with your comments."),
        primary=False,
    ),
    "revise": Step(
        _("Revise"),
        services.adjustment_revise,
        None,
        (Status.RETURNED,),
        _drafts,
        _("The adjustment is a draft again: correct it and submit it once more."),
    ),
    "withdraw": Step(
        _("Withdraw"),
        services.adjustment_withdraw,
        None,
        (Status.DRAFT, Status.RETURNED),
        _drafts,
        _("The adjustment is withdrawn."),
        primary=False,
    ),
}


def forbidden(request, error):
    """The 403 page, with what the service said."""
    reason = error.args[0] if error.args else NOT_ALLOWED
    return render(request, "forbidden.html", {"reason": reason}, status=403)


def adjustment_or_404(user, pk):
    adjustments = Adjustment.objects.select_related(
        "town", "drafted_by", "base_version", "published_version"
    )
    return get_object_or_404(scope(adjustments, user, VIEW_RECORDS), pk=pk)


# --- The reviewers' queue ----------------------------------------------------------------


class ReviewQueueView(LoginRequiredMixin, ListView):
    """Adjustments waiting for the user's legal review or approval, the longest wait first."""

    template_name = "powers/review/queue.html"
    context_object_name = "adjustments"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (
            user.has_perm(LEGAL_REVIEW_PERMISSION) or user.has_perm(APPROVE_PERMISSION)
        ):
            return forbidden(request, PermissionDenied(NOT_A_REVIEWER))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return adjustments_awaiting(self.request.user).annotate(item_count=Count("items"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = context["adjustments"]
        for row in rows:
            row.waiting_since = timezone.localdate(row.status_since)
        try:
            waited = workdays_since({row.waiting_since for row in rows}, timezone.localdate())
        except CalendarYearMissing as missing:
            waited, context["calendar_missing"] = {}, missing.messages[0]
        for row in rows:
            row.working_days = waited.get(row.waiting_since)
        return context


@login_required
def waiting_for_me(request):
    """The workbench's "waiting for you" block, loaded by htmx: the user's review queue, and
    the town's returned and unsubmitted adjustments."""
    user = request.user
    awaiting = Adjustment.objects.none()
    if user.has_perm(LEGAL_REVIEW_PERMISSION) or user.has_perm(APPROVE_PERMISSION):
        awaiting = adjustments_awaiting(user)
    returned = drafts = Adjustment.objects.none()
    if user.has_perm(DRAFT_PERMISSION):
        mine = scope(Adjustment.objects.all(), user, MANAGE_LISTS)
        returned, drafts = mine.filter(status=Status.RETURNED), mine.filter(status=Status.DRAFT)
    oldest = awaiting.first()
    return render(
        request,
        "powers/review/_waiting.html",
        {
            "awaiting": awaiting.count() if oldest else 0,
            "oldest": oldest,
            "returned": returned.count(),
            "drafts": drafts.count(),
        },
    )


# --- The town side: its adjustments and new drafts ---------------------------------------


class AdjustmentListView(LoginRequiredMixin, ListView):
    """The adjustments of the towns the user drafts lists for; POST opens a new draft."""

    template_name = "powers/review/adjustments.html"
    context_object_name = "adjustments"
    paginate_by = 25

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(DRAFT_PERMISSION):
            return forbidden(request, PermissionDenied(NOT_A_DRAFTER))
        return super().dispatch(request, *args, **kwargs)

    def towns(self):
        towns = Town.objects.order_by("code")
        return scope(towns, self.request.user, MANAGE_LISTS, town_field="pk")

    def get_queryset(self):
        adjustments = Adjustment.objects.select_related("town", "drafted_by", "published_version")
        return (
            scope(adjustments, self.request.user, MANAGE_LISTS)
            .annotate(item_count=Count("items"))
            .order_by("-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", AdjustmentCreateForm(towns=self.towns()))
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = AdjustmentCreateForm(request.POST, towns=self.towns())
        if form.is_valid():
            try:
                adjustment = services.adjustment_create(
                    town=form.cleaned_data["town"],
                    title=form.cleaned_data["title"],
                    actor=request.user,
                )
            except PermissionDenied as error:
                return forbidden(request, error)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, CREATED % {"title": adjustment.title})
                return redirect("powers:adjustment-detail", adjustment.pk)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


# --- One adjustment ----------------------------------------------------------------------


def render_detail(request, adjustment, *, bound=None, conflict="", status=200):
    """The adjustment's page; ``bound`` maps a step (or "item") to its form with errors."""
    bound = bound or {}
    roles = Roles.of(request.user, adjustment)
    steps = [
        (name, step, bound.get(name) or (step.form() if step.form else None))
        for name, step in STEPS.items()
        if adjustment.status in step.statuses and step.offered(roles)
    ]
    edits_items = roles.drafts and adjustment.status == Status.DRAFT
    item_form = None
    if edits_items:
        item_form = bound.get("item") or AdjustmentItemForm(town=adjustment.town)
    items = list(adjustment.items.order_by("position"))
    version = current_version(adjustment.town)
    open_ = adjustment.status not in (Status.APPROVED, Status.WITHDRAWN)
    # An approved adjustment is read against the list it changed; the register has
    # moved on since, so its holdings then are not the ones in force now.
    approved = adjustment.status == Status.APPROVED
    compared = adjustment.base_version if approved else version
    context = {
        "adjustment": adjustment,
        "steps": steps,
        "item_form": item_form,
        "edits_items": edits_items,
        "changes": proposed_changes(adjustment, items, compared, holdings=not approved),
        "compared_version": compared,
        "current_version": version,
        "base_moved": open_ and (version.pk if version else None) != adjustment.base_version_id,
        "timeline": timeline_rows(adjustment),
        "conflict": conflict,
    }
    if adjustment.published_version_id:
        context["public_url"] = "{}?version={}".format(
            reverse("powers:town-lists", args=[adjustment.town.code]),
            adjustment.published_version.number,
        )
    return render(request, "powers/review/detail.html", context, status=status)


@login_required
def adjustment_detail(request, pk):
    return render_detail(request, adjustment_or_404(request.user, pk))


def conflict(request, pk, error):
    """409: the page as it is now (read again), saying why nothing happened."""
    adjustment = adjustment_or_404(request.user, pk)
    return render_detail(request, adjustment, conflict=" ".join(error.messages), status=409)


@login_required
@require_POST
def adjustment_step(request, pk, step):
    """Take one workflow step (``STEPS``) through its service."""
    if step not in STEPS:
        raise Http404
    spec = STEPS[step]
    adjustment = adjustment_or_404(request.user, pk)
    form = spec.form(request.POST) if spec.form else None
    if form is not None and not form.is_valid():
        # Only an over-long field gets here; without the right, the answer stays 403.
        if not spec.offered(Roles.of(request.user, adjustment)):
            return forbidden(request, PermissionDenied(NOT_ALLOWED))
        return render_detail(request, adjustment, bound={step: form}, status=400)
    try:
        fields = form.cleaned_data if form is not None else {}
        result = spec.service(adjustment=adjustment, actor=request.user, **fields)
    except PermissionDenied as error:
        return forbidden(request, error)
    except StateConflictError as error:
        return conflict(request, pk, error)
    except ValidationError as error:
        if form is None:  # an empty draft cannot be submitted: say so above the page
            return render_detail(request, adjustment, conflict=" ".join(error.messages), status=400)
        add_service_errors(form, error)
        return render_detail(request, adjustment, bound={step: form}, status=400)
    messages.success(request, spec.done % {"version": getattr(result, "number", "")})
    return redirect("powers:adjustment-detail", adjustment.pk)


@login_required
@require_POST
def adjustment_item_add(request, pk):
    adjustment = adjustment_or_404(request.user, pk)
    form = AdjustmentItemForm(request.POST, town=adjustment.town)
    try:
        # Before the form: without the right, the answer is 403 whatever was typed.
        require(request.user, DRAFT_PERMISSION, adjustment.town_id, MANAGE_LISTS)
        if not form.is_valid():
            return render_detail(request, adjustment, bound={"item": form}, status=400)
        item = services.adjustment_item_add(
            adjustment=adjustment,
            action=form.cleaned_data["action"],
            code=form.cleaned_data["code"],
            reason=form.cleaned_data["reason"],
            data=form.data_for_service(),
            actor=request.user,
        )
    except PermissionDenied as error:
        return forbidden(request, error)
    except StateConflictError as error:
        return conflict(request, pk, error)
    except ValidationError as error:
        add_service_errors(form, error)
        return render_detail(request, adjustment, bound={"item": form}, status=400)
    messages.success(request, ITEM_ADDED % {"code": item.code})
    return redirect("powers:adjustment-detail", adjustment.pk)


@login_required
@require_POST
def adjustment_item_remove(request, pk, item_pk):
    adjustment = adjustment_or_404(request.user, pk)
    item = get_object_or_404(AdjustmentItem, adjustment=adjustment, pk=item_pk)
    try:
        services.adjustment_item_remove(item=item, actor=request.user)
    except PermissionDenied as error:
        return forbidden(request, error)
    except StateConflictError as error:
        return conflict(request, pk, error)
    messages.success(request, ITEM_REMOVED % {"code": item.code})
    return redirect("powers:adjustment-detail", adjustment.pk)
