"""The clerk's desk (/hall/): find the item, take the applicant in, and the queue waiting.

Built for a queue of people at the window: the item search answers as the clerk types
(htmx, and a plain GET without JavaScript), the intake form is one page, and the queue
below shows what still waits at the window, the longest wait first.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from servicecenter import forms
from servicecenter.choices import Channel
from servicecenter.models import ServiceItem
from servicecenter.selectors import WINDOW_QUEUE, queue
from servicecenter.services import IdempotencyKeyReusedError, application_intake
from servicecenter.views_hall import area_warnings, forbidden, hall_nav, intake_towns
from townadmin.access import in_reach, towns_for

HANDLE = "townadmin.handle_application"
AGENT = "townadmin.file_as_agent"
INTAKE_PERMISSION = "servicecenter.add_application"
# Who may take which channel in (the reach ``application_intake`` checks for it).
CHANNEL_REACH = {Channel.WINDOW: HANDLE, Channel.AGENT: AGENT}

SEARCH_RESULTS = 20
QUEUE_SHOWN = 50

NOT_AT_THE_WINDOW = _("Only window clerks and village agents take applications in.")
NO_CHANNEL = _("You cannot take this item in: none of its channels is yours.")
TAKEN_IN = _("Application %(receipt)s is taken in.")


def search_items(user, q):
    """Published items of the user's towns whose name or code contains ``q``."""
    q = (q or "").strip()
    if not q:
        return []
    items = ServiceItem.objects.filter(town_id__in=intake_towns(user), is_published=True)
    items = items.filter(Q(name__icontains=q) | Q(code__icontains=q)).select_related("town")
    return list(items.order_by("town__code", "code")[:SEARCH_RESULTS])


@login_required
def desk(request):
    """The desk: the item search and the window's queue of the user's towns."""
    user = request.user
    nav = hall_nav(user)
    if not nav["desk"]:
        return forbidden(request, PermissionDenied(NOT_AT_THE_WINDOW))
    q = request.GET.get("q", "")
    waiting = queue(user, status=WINDOW_QUEUE).filter(town_id__in=towns_for(user, HANDLE))
    context = {
        "q": q,
        "items": search_items(user, q),
        "queue": list(waiting[:QUEUE_SHOWN]),
        "queue_count": waiting.count(),
        "queue_shown": QUEUE_SHOWN,
        "hall_nav": nav,
    }
    return render(request, "servicecenter/hall/desk.html", context)


@login_required
def item_search(request):
    """The search results alone, for htmx as the clerk types."""
    if not hall_nav(request.user)["desk"]:
        return forbidden(request, PermissionDenied(NOT_AT_THE_WINDOW))
    q = request.GET.get("q", "")
    context = {"q": q, "items": search_items(request.user, q)}
    return render(request, "servicecenter/hall/_item_results.html", context)


@login_required
def intake(request, item_pk):
    """The intake form for one item; POST takes the application in and opens its page."""
    user = request.user
    item = get_object_or_404(
        ServiceItem.objects.filter(town_id__in=intake_towns(user)).select_related("town"),
        pk=item_pk,
    )
    channels = [
        channel
        for channel, reach in CHANNEL_REACH.items()
        if channel in item.channels and in_reach(user, reach, item.town_id)
    ]
    if not user.has_perm(INTAKE_PERMISSION):
        return forbidden(request, PermissionDenied(NOT_AT_THE_WINDOW))
    if not channels:
        return forbidden(request, PermissionDenied(NO_CHANNEL))
    if request.method != "POST":
        form = forms.IntakeForm(item=item, channels=channels)
        return render(request, "servicecenter/hall/intake.html", _intake_context(user, item, form))
    form = forms.IntakeForm(request.POST, item=item, channels=channels)
    status = 400
    if form.is_valid():
        try:
            application, _created = application_intake(
                item=item,
                channel=form.cleaned_data["channel"],
                applicant=form.applicant(),
                materials=form.cleaned_data["materials"],
                actor=user,
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except PermissionDenied as error:
            return forbidden(request, error)
        except IdempotencyKeyReusedError as error:
            # The form was sent before with other data: draw it again with a new key.
            form = _fresh_key(form, item, channels, error)
            status = 422
        except ValidationError as error:
            forms.add_service_errors(form, error, forms.INTAKE_FIELDS)
        else:
            messages.success(request, TAKEN_IN % {"receipt": application.receipt_no})
            for warning in area_warnings(application):
                messages.warning(request, warning)
            return redirect("servicecenter:hall-application", application.pk)
    context = _intake_context(user, item, form)
    return render(request, "servicecenter/hall/intake.html", context, status=status)


def _intake_context(user, item, form):
    return {"item": item, "form": form, "hall_nav": hall_nav(user)}


def _fresh_key(form, item, channels, error):
    data = form.data.copy()
    data["idempotency_key"] = uuid.uuid4().hex
    fresh = forms.IntakeForm(data, item=item, channels=channels)
    fresh.is_valid()
    fresh.add_error(None, error)
    return fresh
