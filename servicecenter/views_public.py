"""The public side of the service hall: no login, Chinese first, built for phones.

A town's published service items and their guides (with schema.org JSON-LD, and
ETag/Last-Modified so a repeated read is a 304), the online pre-submission, the status
lookup with the rating form, and the complaint form.

The status page keeps the verified application in the session, never in the URL: the
verification code must not end up in server logs, proxies or the browser's history.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_POST
from django.views.generic import ListView, TemplateView

from powers import portal
from powers.choices import Category
from powers.models import ListEntry
from powers.selectors import current_version
from powers.views_public import SCRIPT_ESCAPES
from servicecenter.choices import Channel, ItemKind, RatingLevel, RatingTag
from servicecenter.forms import add_service_errors
from servicecenter.forms_public import (
    APPLY_FIELDS,
    LEVEL_NAMES,
    ApplyForm,
    ComplaintForm,
    LookupForm,
    RatingForm,
)
from servicecenter.models import Application, Rating, ServiceItem
from servicecenter.selectors import public_timeline
from servicecenter.services import IdempotencyKeyReusedError, application_intake
from servicecenter.services.complaints import complaint_submit
from servicecenter.services.ratings import next_rating_round, rating_submit, verified_application
from townadmin.workflow import StateConflictError

PAGE_SIZE = 50
# The session keys: the application whose status this browser may read, and the one it
# has just pre-submitted (whose verification code the page then shows).
VERIFIED = "servicecenter_status"
SUBMITTED = "servicecenter_submitted"

NOT_FOUND = _(
    "No application matches this receipt number and verification code. Check both "
    "against the receipt."
)
NOT_ONLINE = _(
    "This item cannot be applied for online: apply at the window or through your village agent."
)
RELOAD = _("This form was already sent with other answers: reload the page and fill it in again.")
THANKS = _("Thank you for your rating.")
BAD_NEXT = _(
    "We are sorry. The hall will call you back within 1 working day and put things right "
    "within %(days)s working days; then you may rate this application once more."
)
COMPLAINT_RECEIVED = _(
    "Your complaint has been received. The town will answer you at the phone number you gave."
)


# --- What a public request reads, memoised for the ETag, Last-Modified and the view ---


def _memo(request, key, compute):
    memo = request.__dict__.setdefault("_servicecenter_public", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def published_item(request, code, item_code) -> ServiceItem:
    """The town's published item ``item_code``; Http404 for anything else."""

    def lookup():
        town = portal.town(request, code)
        item = ServiceItem.objects.filter(town=town, code=item_code, is_published=True).first()
        if item is None:
            raise Http404
        item.town = town
        return item

    return _memo(request, ("item", code, item_code), lookup)


def list_entry(request, item):
    """The entry of the town's current published list with the item's code, or None: it
    carries the power's legal bases."""

    def lookup():
        version = current_version(item.town)
        entry = None
        if version is not None:
            entry = ListEntry.objects.filter(version=version, code=item.code).first()
        return version, entry

    return _memo(request, ("entry", item.pk), lookup)


def items_state(request, code):
    """How many items the town has and when one last changed: the list changes with them."""
    return _memo(
        request,
        ("items", code),
        lambda: ServiceItem.objects.filter(town=portal.town(request, code)).aggregate(
            published=Count("pk", filter=Q(is_published=True)), last=Max("updated_at")
        ),
    )


def list_etag(request, code, **kwargs):
    state = items_state(request, code)
    last = state["last"].timestamp() if state["last"] else 0
    return f"{code}-services-{state['published']}-{last}-{portal.variant(request)}"


def list_modified(request, code, **kwargs):
    return items_state(request, code)["last"]


def guide_etag(request, code, item_code, **kwargs):
    item = published_item(request, code, item_code)
    version, _entry = list_entry(request, item)
    number = version.number if version else 0
    changed = item.updated_at.timestamp()
    return f"{code}-{item.pk}-{changed}-v{number}-{portal.variant(request)}"


def guide_modified(request, code, item_code, **kwargs):
    item = published_item(request, code, item_code)
    version, _entry = list_entry(request, item)
    return max(item.updated_at, version.published_at) if version else item.updated_at


# --- The town's service items and their guides --------------------------------------------


def category_label(value):
    return Category(value).label if value in Category.values else value


@method_decorator(condition(etag_func=list_etag, last_modified_func=list_modified), name="get")
class ServiceListView(ListView):
    """The town's published service items: search, category and kind, 50 a page."""

    template_name = "servicecenter/public/services.html"
    context_object_name = "items"
    paginate_by = PAGE_SIZE

    def get(self, request, *args, **kwargs):
        self.town = portal.town(request, kwargs["code"])
        self.published = ServiceItem.objects.filter(town=self.town, is_published=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        items = self.published.order_by("code")
        params = self.request.GET
        self.q = params.get("q", "").strip()
        self.category = params.get("category", "")
        self.kind = params.get("kind", "")
        if self.q:
            items = items.filter(Q(name__icontains=self.q) | Q(code__icontains=self.q))
        if self.category:
            items = items.filter(category=self.category)
        if self.kind in ItemKind.values:
            items = items.filter(kind=self.kind)
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        categories = self.published.order_by("category").values_list("category", flat=True)
        for item in context["items"]:
            item.category_label = category_label(item.category)
            item.channel_labels = [Channel(value).label for value in item.channels]
        context.update(
            town=self.town,
            q=self.q,
            category=self.category,
            kind=self.kind,
            categories=[(value, category_label(value)) for value in categories.distinct()],
            kinds=ItemKind.choices,
        )
        return context


@method_decorator(condition(etag_func=guide_etag, last_modified_func=guide_modified), name="get")
class ServiceGuideView(TemplateView):
    """The guide of one item (办事指南): everything an applicant needs before coming."""

    template_name = "servicecenter/public/guide.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = published_item(self.request, kwargs["code"], kwargs["item_code"])
        _version, entry = list_entry(self.request, item)
        context.update(
            item=item,
            town=item.town,
            materials=list(item.materials.order_by("position")),
            category=category_label(item.category),
            channels=[Channel(value).label for value in item.channels],
            online=Channel.ONLINE in item.channels,
            entry=entry,
            json_ld=self.json_ld(item),
        )
        return context

    def json_ld(self, item):
        """schema.org GovernmentService, for search engines and assistants."""
        town = item.town
        url = self.request.build_absolute_uri(
            reverse("servicecenter:public-service", args=[town.code, item.code])
        )
        data = {
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": item.name,
            "identifier": item.code,
            "serviceType": str(category_label(item.category)),
            "provider": {
                "@type": "GovernmentOrganization",
                "name": item.exercised_in_name_of or town.name,
            },
            "areaServed": {"@type": "AdministrativeArea", "name": town.name},
            "availableChannel": [self.channel(item, value) for value in item.channels],
            "offers": {"@type": "Offer", "price": str(item.fee), "priceCurrency": "CNY"},
            "url": url,
        }
        if item.conditions:
            data["termsOfService"] = item.conditions
        # Safe: the characters that could end the script element are escaped.
        return mark_safe(json.dumps(data, ensure_ascii=False).translate(SCRIPT_ESCAPES))

    def channel(self, item, value):
        channel = {"@type": "ServiceChannel", "name": str(Channel(value).label)}
        if value == Channel.ONLINE:
            channel["serviceUrl"] = self.request.build_absolute_uri(
                reverse("servicecenter:public-apply", args=[item.town.code, item.code])
            )
        elif value == Channel.WINDOW:
            if item.window:
                channel["serviceLocation"] = {"@type": "Place", "name": item.window}
            if item.phone:
                channel["servicePhone"] = {"@type": "ContactPoint", "telephone": item.phone}
        return channel


# --- Online pre-submission --------------------------------------------------------------


@never_cache
def apply(request, code, item_code):
    """网上预审: a draft the hall reviews; the answer is the receipt and verification code."""
    item = published_item(request, code, item_code)
    context = {"item": item, "town": item.town, "online": Channel.ONLINE in item.channels}
    if not context["online"]:
        context["refusal"] = NOT_ONLINE
        return render(request, "servicecenter/public/apply.html", context)
    form = ApplyForm(request.POST if request.method == "POST" else None, item=item)
    if request.method == "POST":
        if form.is_valid():
            try:
                application, _created = application_intake(
                    item=item,
                    channel=Channel.ONLINE,
                    applicant=form.applicant(),
                    materials=form.cleaned_data["materials"],
                    actor=None,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except IdempotencyKeyReusedError:
                form.add_error(None, RELOAD)
            except StateConflictError as error:
                form.add_error(None, error)
            except ValidationError as error:
                add_service_errors(form, error, APPLY_FIELDS)
            else:
                request.session.cycle_key()
                request.session[VERIFIED] = request.session[SUBMITTED] = application.pk
                return redirect("servicecenter:public-status")
        context["form"] = form
        return render(request, "servicecenter/public/apply.html", context, status=400)
    context["form"] = form
    return render(request, "servicecenter/public/apply.html", context)


# --- Status lookup and rating ------------------------------------------------------------


def _verified(request):
    """The application this session looked up (or submitted), or None."""
    pk = request.session.get(VERIFIED)
    if pk is None:
        return None
    application = Application.objects.select_related("item", "town").filter(pk=pk).first()
    if application is None:
        request.session.pop(VERIFIED, None)
    return application


def _status_page(request, application, *, form=None, status=200):
    round_ = next_rating_round(application)
    ratings = list(Rating.objects.filter(application=application).order_by("round"))
    for rating in ratings:
        rating.level_name = LEVEL_NAMES[RatingLevel(rating.level)]
        rating.tag_labels = [RatingTag(tag).label for tag in rating.tags if tag in RatingTag]
    context = {
        "application": application,
        "town": application.town,
        "steps": _labelled(public_timeline(application)),
        "round": round_,
        "rating_form": (form or RatingForm()) if round_ else None,
        "ratings": ratings,
        "code": application.verification_code
        if request.session.get(SUBMITTED) == application.pk
        else "",
    }
    return render(request, "servicecenter/public/status.html", context, status=status)


def _labelled(steps):
    labels = dict(Application.Status.choices)
    return [{**step, "label": labels.get(step["status"], step["status"])} for step in steps]


@never_cache
def status(request):
    """The lookup form, or the status page of the application this session verified."""
    if request.method == "POST":
        form = LookupForm(request.POST)
        if form.is_valid():
            application = verified_application(
                form.cleaned_data["receipt_no"], form.cleaned_data["code"]
            )
            if application is not None:
                # A new session key: one planted in this browser before must not read it.
                request.session.cycle_key()
                request.session[VERIFIED] = application.pk
                return redirect("servicecenter:public-status")
            form.add_error(None, NOT_FOUND)
            return render(request, "servicecenter/public/lookup.html", {"form": form}, status=404)
        return render(request, "servicecenter/public/lookup.html", {"form": form}, status=400)
    application = _verified(request)
    if application is None:
        return render(request, "servicecenter/public/lookup.html", {"form": LookupForm()})
    return _status_page(request, application)


@never_cache
@require_POST
def rate(request):
    """The applicant's rating of the application on the status page."""
    application = _verified(request)
    if application is None:
        return redirect("servicecenter:public-status")
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _status_page(request, application, form=form, status=400)
    try:
        rating = rating_submit(application=application, **form.cleaned_data)
    except StateConflictError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("servicecenter:public-status")
    except ValidationError as error:
        add_service_errors(form, error)
        return _status_page(request, application, form=form, status=400)
    messages.success(request, THANKS)
    if rating.is_bad and rating.round == 1:
        messages.info(request, BAD_NEXT % {"days": settings.RECTIFICATION_WORKDAYS})
    return redirect("servicecenter:public-status")


@require_POST
def forget(request):
    """Close the status page on this browser (a shared computer at the hall, say)."""
    request.session.pop(VERIFIED, None)
    request.session.pop(SUBMITTED, None)
    return redirect("servicecenter:public-status")


# --- Complaints ------------------------------------------------------------------------------


@never_cache
def complaint(request, code):
    town = portal.town(request, code)
    form = ComplaintForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                complaint_submit(town=town, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, COMPLAINT_RECEIVED)
                # Back to this page, which no cache keeps, so the thanks is always shown.
                return redirect("servicecenter:public-complaint", town.code)
    return render(
        request, "servicecenter/public/complaint.html", {"town": town, "form": form}, status=status
    )
