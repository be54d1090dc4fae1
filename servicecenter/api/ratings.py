"""The public's rating of its own application (好差评) through the API: no login.

The receipt number and the verification code prove whose application it is; both are
checked before the body is read, so an unknown receipt and a wrong code give the same
404 whatever was posted, and a receipt is locked for a while after too many wrong codes.
"""

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from powers.api.public import PublicRateThrottle
from servicecenter.api.public import PublicSubmitThrottle
from servicecenter.choices import RatingLevel, RatingTag
from servicecenter.models import Rating
from servicecenter.services.ratings import rating_submit, verified_application

TAG = "public"


class RatingBodySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=8, help_text="The verification code on the receipt.")
    level = serializers.ChoiceField(
        choices=RatingLevel.choices, help_text="5 非常满意 … 1 非常不满意; 2 and 1 are bad ratings."
    )
    tags = serializers.ListField(
        child=serializers.ChoiceField(choices=RatingTag.choices), required=False, default=list
    )
    comment = serializers.CharField(
        max_length=Rating._meta.get_field("comment").max_length, required=False, allow_blank=True
    )


class RectificationSummarySerializer(serializers.Serializer):
    status = serializers.CharField()
    call_back_due = serializers.DateField(source="due_date")
    fix_due = serializers.DateField(source="fix_due_date")


class RatingSerializer(serializers.ModelSerializer):
    receipt_no = serializers.CharField(source="application.receipt_no")
    rectification = serializers.SerializerMethodField()

    class Meta:
        model = Rating
        fields = ["receipt_no", "round", "level", "tags", "comment", "rated_at", "rectification"]

    @extend_schema_field(RectificationSummarySerializer(allow_null=True))
    def get_rectification(self, rating):
        rectification = getattr(rating, "rectification", None)
        if rectification is None:
            return None
        return RectificationSummarySerializer(rectification).data


@extend_schema(
    tags=[TAG],
    request=RatingBodySerializer,
    responses={
        201: RatingSerializer,
        400: None,
        404: OpenApiResponse(description="Unknown receipt number or wrong code (one answer)."),
        409: OpenApiResponse(
            description="Not completed yet, or already rated (a second rating only after a "
            "bad one was rectified)."
        ),
    },
)
class PublicApplicationRating(generics.GenericAPIView):
    """Rate a completed application: once, and once more after a bad rating was rectified.

    A bad rating (2 or 1) opens a rectification: the hall calls back within one working
    day and rectifies within the configured working days."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (PublicRateThrottle, PublicSubmitThrottle)
    serializer_class = RatingSerializer

    def post(self, request, receipt_no):
        code = request.data.get("code") if hasattr(request.data, "get") else None
        application = verified_application(receipt_no, code if isinstance(code, str) else "")
        if application is None:
            raise Http404
        body = RatingBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rating = rating_submit(
            application=application,
            level=body.validated_data["level"],
            tags=body.validated_data["tags"],
            comment=body.validated_data.get("comment", ""),
        )
        return Response(self.get_serializer(rating).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path(
        "public/applications/<str:receipt_no>/rating/",
        PublicApplicationRating.as_view(),
        name="public-application-rating",
    ),
]
