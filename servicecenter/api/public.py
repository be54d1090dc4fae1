"""The service hall's public API: no login, throttled per client address.

Anyone may read a town's published service list, pre-submit an application online (a
draft the hall reviews), and read the status of one application with its receipt number
and verification code. An unknown receipt, a wrong code and a receipt locked after too
many wrong codes give the same 404, so receipts cannot be probed nor codes guessed;
identity numbers never leave, the name only masked.
"""

from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from powers.api.public import PublicRateThrottle
from servicecenter import selectors, services
from servicecenter.api import serializers as s
from servicecenter.api.serializers import CodeField, ItemRefSerializer, warnings
from servicecenter.choices import Channel, Decision
from servicecenter.models import Application, ServiceItem
from servicecenter.services.ratings import next_rating_round, verified_application
from townadmin.models import Town

TAG = "public"
RETRY = "A retry with the same Idempotency-Key and body: the first application."


# --- What the public sees of an application ------------------------------------------


def masked_name(name):
    """张** for 张三丰: the first character, the rest starred (at least one star)."""
    name = (name or "").strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


class PublicStepSerializer(serializers.Serializer):
    status = CodeField(Application.Status)
    label = serializers.SerializerMethodField()
    at = serializers.DateTimeField()

    def get_label(self, step) -> str:
        return str(Application.Status(step["status"]).label)


class PublicApplicationSerializer(serializers.ModelSerializer):
    """What the applicant sees with the receipt number and the verification code."""

    item = serializers.CharField(source="item.name")
    town = serializers.CharField(source="town.name")
    status = CodeField(Application.Status)
    status_label = serializers.CharField(source="get_status_display")
    decision = CodeField(Decision)
    accepted_at = serializers.DateTimeField(source="started_at")
    applicant = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    may_rate = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "receipt_no",
            "item",
            "town",
            "status",
            "status_label",
            "received_at",
            "accepted_at",
            "due_date",
            "statutory_due_date",
            "completed_at",
            "decision",
            "applicant",
            "timeline",
            "may_rate",
        ]

    def get_applicant(self, application) -> str:
        return masked_name(application.applicant_name)

    @extend_schema_field(PublicStepSerializer(many=True))
    def get_timeline(self, application):
        return PublicStepSerializer(selectors.public_timeline(application), many=True).data

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_may_rate(self, application):
        # Round 1 once completed; round 2 once, after a bad rating was rectified.
        return next_rating_round(application) is not None


class PublicIntakeResultSerializer(serializers.ModelSerializer):
    """The answer to an online pre-submission: the receipt number and the code that open
    the status page, and the draft's status (the hall reviews it)."""

    status = CodeField(Application.Status)
    status_label = serializers.CharField(source="get_status_display")
    item = ItemRefSerializer()
    town = serializers.CharField(source="town.code")
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "receipt_no",
            "verification_code",
            "status",
            "status_label",
            "item",
            "town",
            "received_at",
            "warnings",
        ]

    def get_warnings(self, application) -> list[str]:
        return warnings(application)


# --- Views ------------------------------------------------------------------------------


class PublicSubmitThrottle(PublicRateThrottle):
    """Anonymous writes: REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public_submit"]."""

    scope = "public_submit"


class PublicView(generics.GenericAPIView):
    """Anyone may call; who asks changes nothing, so no credentials are looked at (and a
    clerk's session needs no CSRF token here)."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (PublicRateThrottle,)
    pagination_class = None


@extend_schema(
    tags=[TAG],
    responses={
        200: s.PublicServiceItemSerializer(many=True),
        404: OpenApiResponse(description="No town with this division code."),
    },
)
class PublicServiceList(PublicView):
    """The published service items of a town, with their guides' materials, by item code.

    Not paginated: a town's hall has a few hundred items at most. Two queries, whatever
    the number of items (a third only to tell an unknown town from one with none)."""

    serializer_class = s.PublicServiceItemSerializer
    queryset = ServiceItem.objects.none()  # for the schema; get() reads through the selector

    def get(self, request, code):
        items = list(selectors.published_items(code))
        if not items and not Town.objects.filter(code=code).exists():
            raise Http404
        return Response(self.get_serializer(items, many=True).data)


CODE = OpenApiParameter(
    "code",
    OpenApiTypes.STR,
    required=True,
    description="The verification code printed on the receipt.",
)


@extend_schema(
    tags=[TAG],
    parameters=[CODE],
    responses={
        200: PublicApplicationSerializer,
        404: OpenApiResponse(description="Unknown receipt number or wrong code (one answer)."),
    },
)
class PublicApplicationLookup(PublicView):
    """The status of one application: its steps and dates, the masked applicant, and
    whether the applicant may rate it now."""

    serializer_class = PublicApplicationSerializer

    def get(self, request, receipt_no):
        # The same check as the status page's, with its limit on wrong codes per receipt.
        application = verified_application(receipt_no, request.query_params.get("code"))
        if application is None:
            raise Http404
        return Response(self.get_serializer(application).data)


@extend_schema(
    tags=[TAG],
    request=s.PublicIntakeBodySerializer,
    parameters=[s.IDEMPOTENCY_KEY],
    responses={
        201: PublicIntakeResultSerializer,
        200: OpenApiResponse(
            PublicIntakeResultSerializer,
            description=RETRY,
        ),
        400: None,
        404: OpenApiResponse(description="No such published service item."),
        422: OpenApiResponse(description="The Idempotency-Key was used for another body."),
    },
)
class PublicApplicationIntake(PublicView):
    """Pre-submit an application online (网上预审): a draft the hall reviews and receives.

    The answer has the receipt number and the verification code for the status lookup."""

    serializer_class = PublicIntakeResultSerializer
    throttle_classes = (PublicRateThrottle, PublicSubmitThrottle)

    def post(self, request):
        body = s.PublicIntakeBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = (
            ServiceItem.objects.filter(pk=body.validated_data["service_item"], is_published=True)
            .select_related("town__county", "power")
            .first()
        )
        if item is None:
            raise Http404
        application, created = services.application_intake(
            item=item,
            channel=Channel.ONLINE,
            applicant=body.validated_data["applicant"],
            materials=body.validated_data["materials"],
            actor=None,
            idempotency_key=s.idempotency_key(request),
        )
        return Response(
            self.get_serializer(application).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


urlpatterns = [
    path(
        "public/towns/<str:code>/services/",
        PublicServiceList.as_view(),
        name="public-services",
    ),
    path("public/applications/", PublicApplicationIntake.as_view(), name="public-applications"),
    path(
        "public/applications/<str:receipt_no>/",
        PublicApplicationLookup.as_view(),
        name="public-application",
    ),
]
