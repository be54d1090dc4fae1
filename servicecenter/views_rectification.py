"""Staff pages that follow the public up: rectifications of bad ratings, the county's
appeals queue, and complaints.

``/hall/rectifications/`` lists the unfinished rectifications of the towns where the user
handles applications or leads the town; a rectification's page has the call-back,
rectify, appeal and appeal-decision forms the user may use, and its timeline.
``/review/rating-appeals/`` is the county reviewer's queue of appeals. ``/hall/complaints/``
lists complaints with an answer form.

Every step posts to a view that calls its service: the service checks the permission
(403), the reach (404) and the input (the form again with its errors, 400); a step the
rectification's state no longer allows answers 409 with the page as it is now.
"""

import dataclasses
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from servicecenter.choices import RatingTag
from servicecenter.forms import add_service_errors
from servicecenter.forms_public import (
    AnswerForm,
    AppealForm,
    CallBackForm,
    DecideAppealForm,
    RectifyForm,
)
from servicecenter.models import Complaint, Rectification
from servicecenter.services import complaints, ratings
from servicecenter.views_hall import StaffListView, forbidden
from townadmin.access import in_reach, towns_for
from townadmin.audit import timeline
from townadmin.workflow import StateConflictError

Status = Rectification.Status
UNFINISHED = (Status.OPEN, Status.CALLED_BACK, Status.RECTIFIED, Status.APPEALED)
REVIEW = "townadmin.review_reform"

NOT_IN_THE_HALL = _("Only the hall's clerks and the town's leaders follow ratings up.")
NOT_A_REVIEWER = _("Only the county reform office's reviewers decide appeals against ratings.")
ANSWERED = _("The complaint is answered; the complainant gets your answer by SMS.")


def hall_towns(user):
    """Ids of the towns where ``user`` follows ratings and complaints up."""
    return frozenset().union(*(towns_for(user, reach) for reach in ratings.HALL_REACH))


def rectifications_in(town_ids):
    return Rectification.objects.filter(town_id__in=town_ids).select_related(
        "town", "owner", "rating__application__item"
    )


def rectification_or_404(user, pk):
    """Whoever follows the town's ratings up, or reviews its appeals, may open it."""
    towns = hall_towns(user) | towns_for(user, REVIEW)
    return get_object_or_404(rectifications_in(towns), pk=pk)


def application_link(application):
    """The hall's page of the application, when the hall's pages are installed."""
    try:
        return reverse("servicecenter:hall-application", args=[application.pk])
    except NoReverseMatch:
        return ""


# --- The list of rectifications, and the county's appeals -----------------------------


class RectificationListView(StaffListView):
    """Unfinished rectifications of the user's towns, the earliest due first."""

    template_name = "servicecenter/rectification/list.html"
    context_object_name = "rectifications"
    permission, refusal = "servicecenter.view_rectification", NOT_IN_THE_HALL

    def get_queryset(self):
        return (
            rectifications_in(hall_towns(self.request.user))
            .filter(status__in=UNFINISHED)
            .order_by("fix_due_date", "due_date", "pk")
        )


class RatingAppealListView(StaffListView):
    """The appeals the county reviewer decides, the oldest rating first."""

    template_name = "servicecenter/rectification/appeals.html"
    context_object_name = "rectifications"
    permission, refusal = ratings.DECIDE[0], NOT_A_REVIEWER

    def get_queryset(self):
        return (
            rectifications_in(towns_for(self.request.user, REVIEW))
            .filter(status=Status.APPEALED)
            .order_by("started_at", "pk")
        )


# --- One rectification and its steps ------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Step:
    """A step's button, service, form, the statuses it needs, who is offered it, its message."""

    label: str
    service: Callable
    form: type
    statuses: tuple
    needs: tuple  # (model permission, reaches): the service's own check
    done: str
    primary: bool = True

    def offered(self, user, rectification):
        permission, reaches = self.needs
        return (
            rectification.status in self.statuses
            and user.has_perm(permission)
            and any(in_reach(user, reach, rectification.town_id) for reach in reaches)
        )


STEPS = {
    "call-back": Step(
        _("Record the call-back"),
        ratings.rectification_call_back,
        CallBackForm,
        (Status.OPEN,),
        ratings.RECTIFY,
        _("The call-back is recorded."),
    ),
    "rectify": Step(
        _("Record the rectification"),
        ratings.rectification_rectify,
        RectifyForm,
        (Status.CALLED_BACK,),
        ratings.RECTIFY,
        _("The rectification is recorded; the applicant is invited to rate once more."),
    ),
    "appeal": Step(
        _("Appeal to the county"),
        ratings.rectification_appeal,
        AppealForm,
        (Status.OPEN, Status.CALLED_BACK),
        ratings.APPEAL,
        _("The appeal is sent to the county reform office."),
        primary=False,
    ),
    "decide-appeal": Step(
        _("Decide the appeal"),
        ratings.rectification_decide_appeal,
        DecideAppealForm,
        (Status.APPEALED,),
        ratings.DECIDE,
        _("The appeal is decided."),
    ),
}


def timeline_rows(rectification):
    labels = dict(Status.choices)
    return [
        {
            "at": step.at,
            "actor": step.actor,
            "from": labels.get(step.from_status, ""),
            "to": labels.get(step.to_status, step.to_status),
            "reason": step.reason,
        }
        for step in timeline(rectification)
    ]


def render_detail(request, rectification, *, bound=None, conflict="", status=200):
    bound = bound or {}
    steps = [
        (name, step, bound.get(name) or step.form())
        for name, step in STEPS.items()
        if step.offered(request.user, rectification)
    ]
    rating = rectification.rating
    context = {
        "rectification": rectification,
        "rating": rating,
        "application": rating.application,
        "application_url": application_link(rating.application),
        "tags": [RatingTag(tag).label for tag in rating.tags if tag in RatingTag],
        "steps": steps,
        "timeline": timeline_rows(rectification),
        "conflict": conflict,
    }
    return render(request, "servicecenter/rectification/detail.html", context, status=status)


@login_required
def rectification_detail(request, pk):
    return render_detail(request, rectification_or_404(request.user, pk))


@login_required
@require_POST
def rectification_step(request, pk, step):
    if step not in STEPS:
        raise Http404
    spec = STEPS[step]
    rectification = rectification_or_404(request.user, pk)
    form = spec.form(request.POST)
    try:
        if not form.is_valid():
            # Without the right the answer stays 403, whatever was posted.
            if not spec.offered(request.user, rectification):
                raise PermissionDenied(ratings.NOT_ALLOWED)
            return render_detail(request, rectification, bound={step: form}, status=400)
        spec.service(rectification=rectification, actor=request.user, **form.cleaned_data)
    except PermissionDenied as error:
        return forbidden(request, error)
    except StateConflictError as error:
        fresh = rectification_or_404(request.user, pk)
        return render_detail(request, fresh, conflict=" ".join(error.messages), status=409)
    except ValidationError as error:
        add_service_errors(form, error)
        return render_detail(request, rectification, bound={step: form}, status=400)
    messages.success(request, spec.done)
    return redirect("servicecenter:rectification", pk)


# --- Complaints ---------------------------------------------------------------------------


class ComplaintListView(StaffListView):
    """Complaints about the halls of the user's towns, open ones first, with answer forms."""

    template_name = "servicecenter/rectification/complaints.html"
    context_object_name = "complaints"
    permission, refusal = "servicecenter.view_complaint", NOT_IN_THE_HALL

    def get_queryset(self):
        shown = self.request.GET.get("status", Complaint.Status.OPEN)
        complaints = Complaint.objects.filter(town_id__in=hall_towns(self.request.user))
        if shown in Complaint.Status.values:
            complaints = complaints.filter(status=shown)
        return complaints.select_related("town", "application", "answered_by").order_by(
            "-submitted_at", "-pk"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, bound = self.request.user, getattr(self, "bound", {})
        may_answer = user.has_perm(complaints.ANSWER[0])
        for complaint in context["complaints"]:
            complaint.answer_form = None
            if may_answer and complaint.status == Complaint.Status.OPEN:
                complaint.answer_form = bound.get(complaint.pk) or AnswerForm(
                    prefix=f"c{complaint.pk}"
                )
            if complaint.application is not None:
                complaint.application_url = application_link(complaint.application)
        context.update(
            shown=self.request.GET.get("status", Complaint.Status.OPEN),
            statuses=Complaint.Status.choices,
            conflict=getattr(self, "conflict", ""),
        )
        return context

    def render_again(self, *, status, bound=None, conflict=""):
        self.bound, self.conflict = bound or {}, conflict
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(), status=status)


@login_required
@require_POST
def complaint_answer(request, pk):
    towns = hall_towns(request.user)
    complaint = get_object_or_404(Complaint.objects.filter(town_id__in=towns), pk=pk)
    form = AnswerForm(request.POST, prefix=f"c{complaint.pk}")
    page = ComplaintListView(request=request, args=(), kwargs={})
    try:
        if not request.user.has_perm(complaints.ANSWER[0]):
            raise PermissionDenied(ratings.NOT_ALLOWED)
        if not form.is_valid():
            return page.render_again(status=400, bound={complaint.pk: form})
        complaints.complaint_answer(complaint=complaint, actor=request.user, **form.cleaned_data)
    except PermissionDenied as error:
        return forbidden(request, error)
    except StateConflictError as error:
        return page.render_again(status=409, conflict=" ".join(error.messages))
    except ValidationError as error:
        add_service_errors(form, error)
        return page.render_again(status=400, bound={complaint.pk: form})
    messages.success(request, ANSWERED)
    return redirect("servicecenter:complaints")
