"""What the staff API says about the catalogue, the register and list adjustments, and the
bodies of the adjustment workflow's actions (the services validate and act)."""

from rest_framework import serializers

from powers.choices import AdjustmentAction
from powers.models import Adjustment, AdjustmentItem, Devolution, Power


class CatalogueLegalBasisSerializer(serializers.Serializer):
    law = serializers.CharField()
    article = serializers.CharField()
    excerpt = serializers.CharField()
    link = serializers.CharField()


class CatalogueResponsibilityItemSerializer(serializers.Serializer):
    name = serializers.CharField()
    content = serializers.CharField()


class CatalogueAccountabilityCaseSerializer(serializers.Serializer):
    text = serializers.CharField()


class PowerSerializer(serializers.ModelSerializer):
    """A power of a county's catalogue, with its legal bases and responsibilities."""

    county_code = serializers.CharField(source="county.code", read_only=True)
    department = serializers.CharField(source="department.name", read_only=True)
    department_id = serializers.IntegerField(read_only=True)
    parent_code = serializers.CharField(
        source="parent.code", read_only=True, allow_null=True, default=None
    )
    legal_bases = CatalogueLegalBasisSerializer(many=True, read_only=True)
    responsibility_items = CatalogueResponsibilityItemSerializer(many=True, read_only=True)
    accountability_cases = CatalogueAccountabilityCaseSerializer(many=True, read_only=True)

    class Meta:
        model = Power
        fields = [
            "id",
            "county_code",
            "code",
            "name",
            "category",
            "department",
            "department_id",
            "parent_code",
            "implementing_body",
            "may_devolve",
            "fees",
            "supervision_channel",
            "remedy_channel",
            "applies_on_application",
            "statutory_days",
            "promised_days",
            "notes",
            "legal_bases",
            "responsibility_items",
            "accountability_cases",
        ]


class DevolutionSerializer(serializers.ModelSerializer):
    """One holding of the register; ``renewal_due`` is when an entrustment must be renewed."""

    town_code = serializers.CharField(source="town.code", read_only=True)
    town_name = serializers.CharField(source="town.name", read_only=True)
    power_id = serializers.IntegerField(read_only=True)
    power_code = serializers.CharField(source="power.code", read_only=True)
    power_name = serializers.CharField(source="power.name", read_only=True)
    receiving_office = serializers.CharField(
        source="receiving_office.name", read_only=True, allow_null=True, default=None
    )
    parent_id = serializers.IntegerField(read_only=True, allow_null=True)
    renewal_due = serializers.DateField(source="due_date", read_only=True)

    class Meta:
        model = Devolution
        fields = [
            "id",
            "town_code",
            "town_name",
            "power_id",
            "power_code",
            "power_name",
            "mode",
            "exercised_in_name_of",
            "scope",
            "is_partial",
            "scope_note",
            "receiving_office",
            "effective_from",
            "effective_until",
            "document_no",
            "status",
            "revoked_on",
            "revoke_reason",
            "parent_id",
            "renewal_due",
            "warning_level",
        ]


class AdjustmentItemSerializer(serializers.ModelSerializer):
    power_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = AdjustmentItem
        fields = ["id", "position", "action", "code", "power_id", "reason", "data"]


class AdjustmentSerializer(serializers.ModelSerializer):
    """An adjustment with its status, since when, and its items."""

    town_code = serializers.CharField(source="town.code", read_only=True)
    town_name = serializers.CharField(source="town.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    drafted_by = serializers.CharField(source="drafted_by.display_name", read_only=True)
    base_version = serializers.IntegerField(
        source="base_version.number", read_only=True, allow_null=True, default=None
    )
    published_version = serializers.IntegerField(
        source="published_version.number", read_only=True, allow_null=True, default=None
    )
    items = AdjustmentItemSerializer(many=True, read_only=True)

    class Meta:
        model = Adjustment
        fields = [
            "id",
            "town_code",
            "town_name",
            "title",
            "status",
            "status_display",
            "status_since",
            "document_no",
            "drafted_by",
            "created_at",
            "legal_opinion",
            "review_comments",
            "base_version",
            "published_version",
            "items",
        ]


class AdjustmentCreateSerializer(serializers.Serializer):
    town = serializers.RegexField(r"^\d{9}$", help_text="The town's division code.")
    title = serializers.CharField(max_length=200)
    document_no = serializers.CharField(max_length=100, required=False, default="")


class AdjustmentItemCreateSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=AdjustmentAction.choices)
    code = serializers.CharField(max_length=48)
    reason = serializers.CharField()
    data = serializers.JSONField(
        required=False,
        default=dict,
        help_text="The proposed fields: the whole power for an addition, only the changed "
        "fields for a change, nothing for a removal.",
    )


class OpinionSerializer(serializers.Serializer):
    opinion = serializers.CharField(help_text="The legal review's opinion.")


class CommentsSerializer(serializers.Serializer):
    comments = serializers.CharField(help_text="What must be corrected.")


class ApprovalSerializer(serializers.Serializer):
    document_no = serializers.CharField(max_length=100, help_text="Document number (文号).")


class NoBodySerializer(serializers.Serializer):
    """A step that takes no input."""
