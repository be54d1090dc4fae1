"""One application's page in the hall (/hall/applications/<id>/), its steps, and notice PDFs.

The page shows everything about the application and, for each step the user may take
in its current state, a form that posts to ``/hall/applications/<id>/<verb>/``. The
step view calls exactly one service: the service checks the permission (403), the reach
(404) and the input (the page again with the form's errors, 400); a step the state no
longer allows (another clerk was quicker) answers 409 with the page as it is now.

The steps themselves are declared in ``views_steps``; the desk and intake are in
``views_window``, the back office's queue and the list of all applications in
``views_office``; the timeline's wording in ``views_timeline``, the PDFs' in ``views_pdf``.
Those pages share what is here: the menu (``hall_nav``), the 403 page (``forbidden``) and
the base of the staff lists (``StaffListView``).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from servicecenter import forms
from servicecenter.models import Application, Notice
from servicecenter.selectors import applications_for, with_details
from servicecenter.services.common import NOT_ALLOWED, require
from servicecenter.views_pdf import notice_context
from servicecenter.views_steps import STEPS, Facts, offered
from servicecenter.views_timeline import timeline_rows
from townadmin.access import towns_for
from townadmin.identity import parse_identity
from townadmin.pdf import pdf_response
from townadmin.sms import mask_phone
from townadmin.workflow import NOT_IN_STATE, StateConflictError

VIEW_RECORDS = "townadmin.view_records"
HANDLE_REACH = "townadmin.handle_application"
APPROVE_REACH = "townadmin.approve_application"
AGENT_REACH = "townadmin.file_as_agent"


def intake_towns(user):
    """The towns where ``user`` takes applications in: at the window or as an agent."""
    return towns_for(user, HANDLE_REACH) | towns_for(user, AGENT_REACH)


def hall_nav(user):
    """Which of the hall's pages ``user`` may open: the desk, the back office, the list."""
    return {
        "desk": user.has_perm("servicecenter.add_application") and bool(intake_towns(user)),
        "office": user.has_perm("servicecenter.change_application")
        and bool(towns_for(user, APPROVE_REACH)),
        "list": user.has_perm("servicecenter.view_application")
        and bool(towns_for(user, VIEW_RECORDS)),
    }


def forbidden(request, error):
    """The 403 page, with what the service said."""
    reason = error.args[0] if error.args else NOT_ALLOWED
    return render(request, "forbidden.html", {"reason": reason}, status=403)


class StaffListView(LoginRequiredMixin, ListView):
    """A staff list that a signed-in user without the right refuses with ``refusal`` (403)
    rather than shows empty: an empty list would read as "nothing to do". The right is
    the model ``permission`` unless a list overrides ``allows``."""

    permission = refusal = None
    paginate_by = 50

    def allows(self, user):
        return user.has_perm(self.permission)

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not self.allows(user):
            return forbidden(request, PermissionDenied(self.refusal))
        return super().dispatch(request, *args, **kwargs)


def visible_applications(user):
    """The applications ``user`` may open: their towns' records, and a village agent's own
    filings (an agent does not read the town's records, but follows what they filed)."""
    own = Application.objects.filter(filed_by=user, town_id__in=towns_for(user, AGENT_REACH))
    return applications_for(user) | own.select_related("item", "town", "first_clerk", "approver")


def area_warnings(application):
    """The warning about an area code the division table does not know, if any."""
    if not application.area_unknown:
        return ()
    try:
        return parse_identity(application.applicant_type, application.applicant_id_number).warnings
    except ValidationError:
        return ()


def application_or_404(user, pk):
    return get_object_or_404(with_details(visible_applications(user)), pk=pk)


def render_application(request, application, *, bound=None, conflict="", status=200):
    """The application's page; ``bound`` maps a step to its form with errors."""
    bound = bound or {}
    facts = Facts.of(application)
    user = request.user
    steps = [
        (
            verb,
            step,
            bound.get(verb)
            or (step.form(application=application, prefix=verb) if step.form else None),
        )
        for verb, step in offered(user, application, facts)
    ]
    context = {
        "application": application,
        "facts": facts,
        "phone": mask_phone(application.applicant_phone) if application.applicant_phone else "",
        "materials": list(application.materials.all()),
        "notices": list(application.notices.all()),
        "steps": steps,
        "timeline": timeline_rows(application),
        "conflict": conflict,
        "area_warnings": area_warnings(application),
        "hall_nav": hall_nav(user),
    }
    return render(request, "servicecenter/hall/application.html", context, status=status)


@login_required
def application_detail(request, pk):
    return render_application(request, application_or_404(request.user, pk))


def conflict_response(request, pk, error):
    """409: the page as it is now (read again), saying why nothing happened."""
    application = application_or_404(request.user, pk)
    return render_application(request, application, conflict=" ".join(error.messages), status=409)


@login_required
@require_POST
def application_step(request, pk, verb):
    """Take one step (``STEPS``) of the application through its service."""
    step = STEPS.get(verb)
    if step is None:
        raise Http404
    application = application_or_404(request.user, pk)
    form = None
    try:
        # Before the form: without the right the answer is 403 whatever was posted.
        require(request.user, step.needs, application.town_id)
        if step.form is not None:
            form = step.form(request.POST, application=application, prefix=verb)
            if not form.is_valid():
                if application.status not in step.statuses:
                    # Its choices came from a state that has moved on: a lost race.
                    raise StateConflictError(
                        NOT_IN_STATE, params={"status": application.get_status_display()}
                    )
                return render_application(request, application, bound={verb: form}, status=400)
        fields = form.cleaned_data if form is not None else {}
        step.service(application=application, actor=request.user, **fields)
    except PermissionDenied as error:
        return forbidden(request, error)
    except StateConflictError as error:
        return conflict_response(request, pk, error)
    except ValidationError as error:
        if form is None:
            return render_application(
                request, application, conflict=" ".join(error.messages), status=400
            )
        forms.add_service_errors(form, error)
        return render_application(request, application, bound={verb: form}, status=400)
    messages.success(request, step.done)
    return redirect("servicecenter:hall-application", application.pk)


@login_required
def notice_pdf(request, pk):
    """A notice as the PDF handed to the applicant, re-rendered from its content snapshot."""
    user = request.user
    visible = Q(town_id__in=towns_for(user, VIEW_RECORDS)) | Q(
        application__filed_by=user, town_id__in=towns_for(user, AGENT_REACH)
    )
    notice = get_object_or_404(
        Notice.objects.filter(visible).select_related(
            "application__item", "application__town", "issued_by"
        ),
        pk=pk,
    )
    # An official document: in the portal's language, whatever the clerk's screen shows.
    with translation.override(settings.LANGUAGE_CODE):
        return pdf_response(
            f"servicecenter/pdf/{notice.kind}.html",
            notice_context(notice),
            filename=f"{notice.number}.pdf",
            request=request,
        )
