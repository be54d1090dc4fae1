"""What the service hall's API says (applications, service items) and the bodies it takes
(intake and the workflow's actions). Serializers check the shape of a body; the services
check everything else and act. What the public sees of one application is in ``public``.

Identity numbers and phones leave only masked; the verification code only in the answer
to the intake request, which the clerk prints on the receipt.
"""

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers

from servicecenter.choices import Channel, Decision, Delivery, ItemKind, MaterialForm, NoticeKind
from servicecenter.models import Application, Material, Notice, ServiceItem, SubmittedMaterial
from townadmin.audit import timeline
from townadmin.identity import AREA_UNKNOWN, ApplicantType
from townadmin.models.calendar import DayType
from townadmin.models.deadlines import WarningLevel
from townadmin.sms import mask_phone

IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX = Application._meta.get_field("idempotency_key").max_length
IDEMPOTENCY_KEY_TOO_LONG = _("The Idempotency-Key header has at most %(max)d characters.")

IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_KEY_HEADER,
    str,
    OpenApiParameter.HEADER,
    description=(
        "A key the client makes up per application: a retry with the same key and body "
        "returns the first application (200); the same key with another body is refused (422)."
    ),
)


def idempotency_key(request):
    """The request's Idempotency-Key header ("" without one); too long a key is a 400."""
    key = request.headers.get(IDEMPOTENCY_KEY_HEADER, "").strip()
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise ValidationError(
            {
                IDEMPOTENCY_KEY_HEADER: ValidationError(
                    IDEMPOTENCY_KEY_TOO_LONG, code="max_length", params={"max": IDEMPOTENCY_KEY_MAX}
                )
            }
        )
    return key


# --- Pieces --------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class CodeField(serializers.CharField):
    """A stable code of a choice set in an answer, documented by its codes.

    Not a schema enum: the same choice sets (statuses, kinds, warning levels) appear
    under several names across the apps' answers, and drf-spectacular warns about each
    enum name it must guess. Bodies keep their ``ChoiceField``s, which validate.
    """

    def __init__(self, choices, **kwargs):
        kwargs.setdefault("help_text", "One of: " + ", ".join(str(v) for v in choices.values))
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)


def code_list(choices, **kwargs):
    return serializers.ListField(child=CodeField(choices), read_only=True, **kwargs)


class ItemRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class ApplicantOutSerializer(serializers.Serializer):
    """The applicant as staff see them: identity number and phone masked."""

    type = CodeField(ApplicantType, source="applicant_type")
    name = serializers.CharField(source="applicant_name")
    id_number = serializers.CharField(source="masked_id_number")
    phone = serializers.SerializerMethodField()

    def get_phone(self, application) -> str:
        return mask_phone(application.applicant_phone) if application.applicant_phone else ""


class SubmittedMaterialSerializer(serializers.ModelSerializer):
    """A guide material on one application; ``id`` is the guide material's id, the one the
    actions (resubmit, accept's pending, supply-pending) take."""

    id = serializers.IntegerField(source="material_id")
    name = serializers.CharField(source="material.name")
    state = CodeField(SubmittedMaterial.State)
    state_label = serializers.CharField(source="get_state_display")

    class Meta:
        model = SubmittedMaterial
        fields = ["id", "name", "state", "state_label"]


def notice_url(notice):
    """The notice's PDF in the hall, or None while the hall has no such page."""
    try:
        return reverse("servicecenter:hall-notice-pdf", args=[notice.pk])
    except NoReverseMatch:
        return None


class NoticeSerializer(serializers.ModelSerializer):
    kind = CodeField(NoticeKind)
    kind_label = serializers.CharField(source="get_kind_display")
    url = serializers.CharField(required=False, help_text="The notice's PDF, when the hall has it.")

    class Meta:
        model = Notice
        fields = ["number", "kind", "kind_label", "issued_at", "url"]

    def to_representation(self, notice):
        data = super().to_representation(notice)
        data.pop("url", None)
        url = notice_url(notice)
        if url is not None:
            data["url"] = url
        return data


class TimelineStepSerializer(serializers.Serializer):
    """One step of the timeline: statuses, who (display name; null for the public or the
    system), when and why."""

    def get_fields(self):
        # "from" is a Python keyword: declared here instead of as a class attribute.
        return {
            "from": serializers.CharField(source="from_status"),
            "to": serializers.CharField(source="to_status"),
            "actor": serializers.SerializerMethodField(method_name="actor_name"),
            "at": serializers.DateTimeField(),
            "reason": serializers.CharField(),
        }

    def actor_name(self, step) -> str | None:
        return str(step.actor) if step.actor_id else None


def area_code(application):
    """The area code inside the stored number (where ``townadmin.identity`` reads it)."""
    number = application.applicant_id_number
    return number[:6] if application.applicant_type == ApplicantType.PERSON else number[2:8]


def warnings(application):
    """What the clerk should check although nothing was refused: an unknown area code."""
    if not application.area_unknown:
        return []
    return [str(AREA_UNKNOWN % {"code": area_code(application)})]


def display_name(user):
    return str(user) if user is not None else None


# --- Staff: applications -------------------------------------------------------------------


class ApplicationSummarySerializer(serializers.ModelSerializer):
    """A row of the application list."""

    status = CodeField(Application.Status)
    status_label = serializers.CharField(source="get_status_display")
    channel = CodeField(Channel)
    item = ItemRefSerializer()
    town = serializers.CharField(source="town.code")
    applicant = ApplicantOutSerializer(source="*")
    warning_level = CodeField(WarningLevel)
    statutory_warning_level = CodeField(WarningLevel)
    decision = CodeField(Decision)
    first_clerk = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "receipt_no",
            "status",
            "status_label",
            "channel",
            "item",
            "town",
            "applicant",
            "area_unknown",
            "received_at",
            "started_at",
            "due_date",
            "statutory_due_date",
            "warning_level",
            "statutory_warning_level",
            "paused_on",
            "decision",
            "first_clerk",
        ]

    def get_first_clerk(self, application) -> str | None:
        return display_name(application.first_clerk)


class ApplicationIntakeSerializer(ApplicationSummarySerializer):
    """The answer to an intake: the application with its verification code (printed on
    the receipt), what became of each material, and warnings."""

    materials = SubmittedMaterialSerializer(many=True, source="submitted_materials")
    warnings = serializers.SerializerMethodField()

    class Meta(ApplicationSummarySerializer.Meta):
        fields = [
            *ApplicationSummarySerializer.Meta.fields,
            "verification_code",
            "materials",
            "warnings",
        ]

    def get_warnings(self, application) -> list[str]:
        return warnings(application)


class ApplicationSerializer(ApplicationSummarySerializer):
    """One application with everything its page shows, the whole timeline included."""

    materials = SubmittedMaterialSerializer(many=True)
    warnings = serializers.SerializerMethodField()
    delivery = CodeField(Delivery)
    approver = serializers.SerializerMethodField()
    notices = NoticeSerializer(many=True)
    timeline = serializers.SerializerMethodField()

    class Meta(ApplicationSummarySerializer.Meta):
        fields = [
            *ApplicationSummarySerializer.Meta.fields,
            "warnings",
            "materials",
            "visits",
            "pending_until",
            "commitment",
            "refusal_reason",
            "decision_reason",
            "certificate_no",
            "completed_at",
            "completed_on_time",
            "delivery",
            "delivered_at",
            "approver",
            "notices",
            "timeline",
        ]

    def get_warnings(self, application) -> list[str]:
        return warnings(application)

    def get_approver(self, application) -> str | None:
        return display_name(application.approver)

    @extend_schema_field(TimelineStepSerializer(many=True))
    def get_timeline(self, application):
        return TimelineStepSerializer(timeline(application), many=True).data


# --- Staff: bodies -------------------------------------------------------------------------


class ApplicantInSerializer(serializers.Serializer):
    """The applicant as entered; the intake service validates the identity number (its
    errors come back under ``applicant.id_number``, ``applicant.name``, ``applicant.phone``)."""

    type = serializers.CharField(allow_blank=True, help_text="person or organisation")
    name = serializers.CharField(allow_blank=True, default="")
    id_number = serializers.CharField(
        allow_blank=True,
        default="",
        help_text="Resident identity number (GB 11643) or unified social credit code (GB 32100).",
    )
    phone = serializers.CharField(allow_blank=True, default="")


class PublicIntakeBodySerializer(serializers.Serializer):
    service_item = serializers.IntegerField(help_text="Id of the service item.")
    materials = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        default=list,
        help_text="Ids of the guide's materials presented.",
    )
    applicant = ApplicantInSerializer()


class IntakeBodySerializer(PublicIntakeBodySerializer):
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.WINDOW)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, default="")


class MaterialIdsSerializer(serializers.Serializer):
    materials = serializers.ListField(
        child=serializers.IntegerField(min_value=1), help_text="Ids of the guide's materials."
    )


class AcceptSerializer(serializers.Serializer):
    """Plain acceptance, or 容缺 with ``pending`` material ids, the applicant's commitment
    and the date the pending materials are due."""

    pending = serializers.ListField(child=serializers.IntegerField(min_value=1), default=list)
    commitment = serializers.CharField(allow_blank=True, default="")
    pending_until = serializers.DateField(allow_null=True, default=None)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, default="")


class PauseSerializer(serializers.Serializer):
    step = serializers.CharField(help_text="Name of one of the item's special steps.")
    reason = serializers.CharField(allow_blank=True, default="")


class DecideExtensionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()


class CompleteSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    certificate_no = serializers.CharField(allow_blank=True, default="")
    reason = serializers.CharField(allow_blank=True, default="")


class DeliverSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=Delivery.choices)
    address = serializers.CharField(allow_blank=True, default="")


# --- Service items -------------------------------------------------------------------------


class PublicMaterialSerializer(serializers.ModelSerializer):
    form = CodeField(MaterialForm)

    class Meta:
        model = Material
        fields = ["id", "name", "required", "form", "copies", "may_be_pending", "shared_from"]


class PublicServiceItemSerializer(serializers.ModelSerializer):
    """An item of a town's published service list, with its guide's materials."""

    kind = CodeField(ItemKind)
    day_type = CodeField(DayType)
    channels = code_list(Channel)
    materials = PublicMaterialSerializer(many=True)

    class Meta:
        model = ServiceItem
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "promised_days",
            "statutory_days",
            "day_type",
            "fee",
            "channels",
            "max_visits",
            "materials",
        ]


class StaffMaterialSerializer(PublicMaterialSerializer):
    class Meta(PublicMaterialSerializer.Meta):
        fields = [*PublicMaterialSerializer.Meta.fields, "position", "note"]


class StaffServiceItemSerializer(PublicServiceItemSerializer):
    """A service item of the user's towns, published or not, with its whole guide."""

    town = serializers.CharField(source="town.code")
    materials = StaffMaterialSerializer(many=True)

    class Meta(PublicServiceItemSerializer.Meta):
        fields = [
            *PublicServiceItemSerializer.Meta.fields,
            "town",
            "category",
            "is_published",
            "conditions",
            "extension_days",
            "statutory_citation",
            "special_steps",
        ]
