"""The steps of an application's page: what each posts to, which service it calls, with
which form, in which states, and what the page reads to decide whether to offer it.

A step is offered when the application's status allows it, the facts call for it (the
one-time notice only when a required material is missing) and the user holds what its
service checks; the service checks again when the step is posted.
"""

import dataclasses
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from servicecenter import forms, services
from servicecenter.models import Application, SubmittedMaterial
from servicecenter.services.common import APPROVE, EXTENSION, HANDLE
from townadmin.access import in_reach
from townadmin.models.deadlines import DeadlineExtension, DeadlinePause

Status = Application.Status
State = SubmittedMaterial.State


@dataclasses.dataclass
class Facts:
    """What the page and the choice of steps read from one application."""

    application: Application
    missing: list  # required materials not presented: the one-time notice lists them
    pendable: list  # of those, the ones that may be left pending (容缺)
    pending: list  # materials accepted as pending, not yet supplied
    pause: DeadlinePause | None
    extension: DeadlineExtension | None

    @classmethod
    def of(cls, application):
        rows = list(application.materials.all())
        missing = [r.material for r in rows if r.state == State.MISSING and r.material.required]
        about = {
            "content_type": ContentType.objects.get_for_model(Application),
            "object_id": application.pk,
        }
        return cls(
            application=application,
            missing=missing,
            pendable=[material for material in missing if material.may_be_pending],
            pending=[r.material for r in rows if r.state == State.PENDING],
            pause=DeadlinePause.objects.filter(**about, ended_on__isnull=True)
            .select_related("started_by")
            .first()
            if application.is_paused
            else None,
            extension=DeadlineExtension.objects.filter(
                **about, status=DeadlineExtension.Status.REQUESTED
            )
            .select_related("requested_by")
            .first()
            if application.status == Status.ACCEPTED
            else None,
        )


@dataclasses.dataclass(frozen=True)
class Step:
    """A step: its button, service, form, the statuses and facts it fits, and its message."""

    label: str
    service: Callable
    needs: tuple  # (model permission, reach) from services.common
    form: type | None
    statuses: tuple
    fits: Callable[[Facts], bool]
    done: str
    primary: bool = True


def _always(facts):
    return True


STEPS = {
    # The window (handle_application).
    "receive": Step(
        _("Receive the application"),
        services.application_receive,
        HANDLE,
        None,
        (Status.DRAFT,),
        _always,
        _("The application is received: you are its first-contact clerk."),
    ),
    "notify-missing": Step(
        _("Issue the one-time notice"),
        services.application_notify_missing,
        HANDLE,
        forms.NotifyMissingForm,
        (Status.DRAFT, Status.RECEIVED),
        lambda facts: bool(facts.missing),
        _("The one-time notice is issued: print it for the applicant."),
    ),
    "resubmit": Step(
        _("Take the resubmitted materials"),
        services.application_resubmit,
        HANDLE,
        forms.ResubmitForm,
        (Status.CORRECTION,),
        _always,
        _("The resubmitted materials are recorded: the application is received again."),
    ),
    "accept": Step(
        _("Accept"),
        services.application_accept,
        HANDLE,
        None,
        (Status.DRAFT, Status.RECEIVED),
        lambda facts: not facts.missing,
        _("The application is accepted: print the acceptance notice."),
    ),
    "accept-pending": Step(
        _("Accept with materials pending (容缺)"),
        services.application_accept,
        HANDLE,
        forms.AcceptPendingForm,
        (Status.DRAFT, Status.RECEIVED),
        # Only when everything missing may wait: otherwise the one-time notice is the way.
        lambda facts: bool(facts.missing) and facts.pendable == facts.missing,
        _("The application is accepted with materials pending: print the commitment."),
    ),
    "refuse": Step(
        _("Refuse to accept"),
        services.application_refuse,
        HANDLE,
        forms.RefuseForm,
        (Status.DRAFT, Status.RECEIVED, Status.CORRECTION),
        _always,
        _("The application is refused: print the notice of refusal."),
        primary=False,
    ),
    "supply-pending": Step(
        _("Record the pending materials supplied"),
        services.application_supply_pending,
        HANDLE,
        forms.SupplyPendingForm,
        (Status.ACCEPTED,),
        lambda facts: bool(facts.pending),
        _("The supplied materials are recorded."),
    ),
    "deliver": Step(
        _("Deliver the result"),
        services.application_deliver,
        HANDLE,
        forms.DeliverForm,
        (Status.APPROVED, Status.DENIED),
        _always,
        _("The result is delivered."),
    ),
    # The back office (approve_application); the extension's decision is the leader's.
    "pause": Step(
        _("Pause the clocks for a special step"),
        services.application_pause,
        APPROVE,
        forms.PauseForm,
        (Status.ACCEPTED,),
        lambda facts: facts.pause is None and bool(facts.application.item.special_steps),
        _("The clocks are paused: the special step does not count toward the limit."),
        primary=False,
    ),
    "resume": Step(
        _("Resume the clocks"),
        services.application_resume,
        APPROVE,
        None,
        (Status.ACCEPTED,),
        lambda facts: facts.pause is not None,
        _("The clocks run again: the due dates moved by the paused days."),
    ),
    "request-extension": Step(
        _("Request an extension"),
        services.application_extension_request,
        APPROVE,
        forms.ExtensionRequestForm,
        (Status.ACCEPTED,),
        lambda facts: facts.extension is None,
        _("The extension is requested from the town's leader."),
        primary=False,
    ),
    "decide-extension": Step(
        _("Decide the extension"),
        services.application_extension_decide,
        EXTENSION,
        forms.ExtensionDecideForm,
        (Status.ACCEPTED,),
        lambda facts: facts.extension is not None,
        _("The extension is decided."),
    ),
    "complete": Step(
        _("Complete with a decision"),
        services.application_complete,
        APPROVE,
        forms.CompleteForm,
        (Status.ACCEPTED,),
        lambda facts: facts.pause is None and not facts.pending,
        _("The application is completed: print the decision."),
    ),
}


def offered(user, application, facts):
    """(verb, step) of each step ``user`` may take now: the status allows it, the facts
    call for it, and the user holds the model permission and the reach its service checks."""
    return [
        (verb, step)
        for verb, step in STEPS.items()
        if application.status in step.statuses
        and step.fits(facts)
        and user.has_perm(step.needs[0])
        and in_reach(user, step.needs[1], application.town_id)
    ]
