"""Staff API of the service hall: applications (list, detail, intake and the workflow's
actions, POSTs named after their verbs) and the service items of the user's towns.

Every read goes through ``servicecenter.selectors.applications_for`` (scoped by
``townadmin.access``): an application outside the user's reach is 404, and so is every
action on it. Each action calls exactly one service; the services' refusals become 400
(bad input, nothing changed), 403 (the role may not), 409 (another clerk got there first:
the body carries the current state) and 422 (an Idempotency-Key reused for another body).
"""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from powers.api.staff import MayViewModel
from servicecenter import selectors, services
from servicecenter.api import serializers as s
from servicecenter.choices import Channel
from servicecenter.filters import ApplicationFilter, ServiceItemFilter
from servicecenter.models import Application, Material, ServiceItem
from townadmin import access
from townadmin.api.base import TownScopedReadOnlyViewSet, TownScopedViewSet

VIEW_RECORDS = "townadmin.view_records"
HANDLE = "townadmin.handle_application"
AGENT = "townadmin.file_as_agent"

CONFLICT = OpenApiResponse(description="Another user acted first: the body has the current state.")
NOT_FOUND = OpenApiResponse(description="No such application in the user's towns.")
RETRY = "A retry with the same Idempotency-Key and body: the first application."


def _body(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class MayViewApplications(BasePermission):
    """The role reads applications at all. Intake needs no reading: a village agent files
    for villagers without seeing the town's records (the intake service checks the rest)."""

    def has_permission(self, request, view):
        return view.action == "create" or request.user.has_perm("servicecenter.view_application")


def action_schema(request=None, summary=""):
    return extend_schema(
        request=request,
        responses={
            200: s.ApplicationSerializer,
            400: None,
            403: None,
            404: NOT_FOUND,
            409: CONFLICT,
        },
        summary=summary or None,
    )


class ApplicationViewSet(TownScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Applications of the towns whose records the user may view, and their workflow."""

    queryset = Application.objects.all()
    reach_permission = VIEW_RECORDS
    permission_classes = [IsAuthenticated, MayViewApplications]
    filterset_class = ApplicationFilter

    def get_queryset(self):
        # The selector is the one scoped base queryset of applications (pages use it too).
        queryset = selectors.applications_for(self.request.user, self.reach_permission)
        return selectors.with_details(queryset) if self.action == "retrieve" else queryset

    def get_serializer_class(self):
        return s.ApplicationSummarySerializer if self.action == "list" else s.ApplicationSerializer

    def _answer(self, application, code=status.HTTP_200_OK):
        # Read back through the scoped queryset: the answer shows what the user may see.
        scoped = selectors.applications_for(self.request.user, self.reach_permission)
        fresh = get_object_or_404(selectors.with_details(scoped), pk=application.pk)
        return Response(s.ApplicationSerializer(fresh).data, status=code)

    @extend_schema(
        request=s.IntakeBodySerializer,
        parameters=[s.IDEMPOTENCY_KEY],
        responses={
            201: s.ApplicationIntakeSerializer,
            200: OpenApiResponse(
                s.ApplicationIntakeSerializer,
                description=RETRY,
            ),
            400: None,
            403: None,
            404: OpenApiResponse(description="No such service item in the user's towns."),
            422: OpenApiResponse(description="The Idempotency-Key was used for another body."),
        },
    )
    def create(self, request):
        """Take an application (收件). The window takes it as received; a village agent's
        filing is a draft; at a self-service kiosk an instant item is decided at once.
        The answer carries the verification code for the receipt."""
        body = _body(s.IntakeBodySerializer, request)
        channel = body["channel"]
        reach = AGENT if channel == Channel.AGENT else HANDLE
        item = self._item(body["service_item"], reach)
        common = {
            "item": item,
            "applicant": body["applicant"],
            "materials": body["materials"],
            "actor": request.user,
            "idempotency_key": s.idempotency_key(request),
        }
        if channel == Channel.KIOSK:
            application, created = services.application_self_service(**common)
        else:
            application, created = services.application_intake(channel=channel, **common)
        if created and channel != Channel.KIOSK:
            # The item was read through the user's reach and the application is in its
            # town: the re-check after the write needs no query, nor does the answer (the
            # intake hands back the materials it wrote; the window's hot path:
            # bench/intake.py).
            access.require_reach(request.user, reach, application.town_id)
            answer = application
        else:
            scoped = selectors.with_materials(selectors.applications_for(request.user, reach))
            answer = get_object_or_404(scoped, pk=application.pk)
            answer.submitted_materials = answer.materials.all()
        return Response(
            s.ApplicationIntakeSerializer(answer).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def _item(self, pk, reach):
        """The item, if it is one of the towns where the user may take applications."""
        item = (
            ServiceItem.objects.for_user(self.request.user, reach)
            # The town's code numbers the receipt; its county is named only in a refusal.
            .select_related("town")
            .filter(pk=pk)
            .first()
        )
        if item is None:
            raise Http404
        return item

    @action_schema(summary="Take a draft in at the window (首问负责).")
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        """Take a draft (online or from a village agent) in at the window."""
        application = self.get_object()
        services.application_receive(application=application, actor=request.user)
        return self._answer(application)

    @action_schema(s.NoteSerializer, "Issue the one-time notice of every missing material.")
    @action(detail=True, methods=["post"], url_path="notify-missing")
    def notify_missing(self, request, pk=None):
        """Issue the one-time notice (一次性告知书) listing every required material missing."""
        application = self.get_object()
        body = _body(s.NoteSerializer, request)
        services.application_notify_missing(application=application, actor=request.user, **body)
        return self._answer(application)

    @action_schema(s.MaterialIdsSerializer, "Take the missing materials brought back.")
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        """Take the missing materials the applicant brought back: received again."""
        application = self.get_object()
        body = _body(s.MaterialIdsSerializer, request)
        services.application_resubmit(application=application, actor=request.user, **body)
        return self._answer(application)

    @action_schema(s.AcceptSerializer, "Accept: both clocks start (容缺 with pending materials).")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept (受理): both due dates are set. With ``pending`` material ids, accept under
        容缺 with the applicant's commitment and the date the materials are due."""
        application = self.get_object()
        body = _body(s.AcceptSerializer, request)
        services.application_accept(application=application, actor=request.user, **body)
        return self._answer(application)

    @action_schema(s.MaterialIdsSerializer, "Record the pending (容缺) materials supplied.")
    @action(detail=True, methods=["post"], url_path="supply-pending")
    def supply_pending(self, request, pk=None):
        """Record the pending materials the applicant brought as committed."""
        application = self.get_object()
        body = _body(s.MaterialIdsSerializer, request)
        services.application_supply_pending(application=application, actor=request.user, **body)
        return self._answer(application)

    @action_schema(s.ReasonSerializer, "Refuse to accept, with the reason.")
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        """Refuse to accept (不予受理), with the reason; the notice gives the remedy."""
        application = self.get_object()
        body = _body(s.ReasonSerializer, request)
        services.application_refuse(application=application, actor=request.user, **body)
        return self._answer(application)

    @action_schema(s.PauseSerializer, "Pause both clocks for a special step of the guide.")
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        """Pause both clocks for a special step (行政许可法 Art. 45)."""
        application = self.get_object()
        body = _body(s.PauseSerializer, request)
        services.application_pause(application=application, actor=request.user, **body)
        return self._answer(application)

    @action_schema(summary="Resume both clocks after a special step.")
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        """The special step is over: the clocks run again, the due dates move on."""
        application = self.get_object()
        services.application_resume(application=application, actor=request.user)
        return self._answer(application)

    @action_schema(s.ReasonSerializer, "Ask the town leader for the extension of the limit.")
    @action(detail=True, methods=["post"], url_path="request-extension")
    def request_extension(self, request, pk=None):
        """Ask the town's leader for the item's extension (行政许可法 Art. 42)."""
        application = self.get_object()
        body = _body(s.ReasonSerializer, request)
        services.application_extension_request(application=application, actor=request.user, **body)
        return self._answer(application)

    @action_schema(s.DecideExtensionSerializer, "Approve or refuse the requested extension.")
    @action(detail=True, methods=["post"], url_path="decide-extension")
    def decide_extension(self, request, pk=None):
        """The town leader approves (both due dates move) or refuses the extension."""
        application = self.get_object()
        body = _body(s.DecideExtensionSerializer, request)
        services.application_extension_decide(application=application, actor=request.user, **body)
        return self._answer(application)

    @action_schema(s.CompleteSerializer, "Decide: approved with certificate, or denied.")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Decide (办结): approved with the certificate number, or denied with reasons."""
        application = self.get_object()
        body = _body(s.CompleteSerializer, request)
        services.application_complete(application=application, actor=request.user, **body)
        return self._answer(application)

    @action_schema(s.DeliverSerializer, "Hand over the result: at the window or by post.")
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        """Hand over the result (送达): pickup at the window, or by post to the address."""
        application = self.get_object()
        body = _body(s.DeliverSerializer, request)
        services.application_deliver(application=application, actor=request.user, **body)
        return self._answer(application)


class ServiceItemViewSet(TownScopedReadOnlyViewSet):
    """Service items (published or not) with their guides, of the towns whose records the
    user may view or for which the user files as a village agent."""

    queryset = (
        ServiceItem.objects.select_related("town")
        .prefetch_related(Prefetch("materials", queryset=Material.objects.order_by("position")))
        .order_by("town__code", "code")
    )
    serializer_class = s.StaffServiceItemSerializer
    permission_classes = [IsAuthenticated, MayViewModel]
    filterset_class = ServiceItemFilter
    reach_permission = VIEW_RECORDS

    def get_queryset(self):
        # An agent files for villagers, so reads the guides, without the town's records:
        # the union of both reaches (superusers hold every town in both).
        user = self.request.user
        towns = access.towns_for(user, VIEW_RECORDS) | access.towns_for(user, AGENT)
        return self.queryset.filter(town_id__in=towns)


router = SimpleRouter()
router.register("applications", ApplicationViewSet, basename="application")
router.register("service-items", ServiceItemViewSet, basename="service-item")

urlpatterns = router.urls
