"""What the public API says about towns, published versions, powers and diffs."""

from functools import lru_cache

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from powers.choices import Category, DevolutionMode
from powers.diff import PUBLIC_FIELDS
from powers.lists import case_text
from powers.models import ListEntry, ListVersion


class CountySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CategoryCountsField(serializers.DictField):
    """Entries by category code (licence, penalty, ...); categories without entries left out."""

    child = serializers.IntegerField()


class PublicTownSerializer(serializers.Serializer):
    """A town that has published its lists, from its current version."""

    code = serializers.CharField(source="town.code")
    name = serializers.CharField(source="town.name")
    county = CountySerializer(source="town.county")
    current_version = serializers.IntegerField(source="number")
    published_at = serializers.DateTimeField()
    document_no = serializers.CharField()
    entry_count = serializers.IntegerField()
    counts = CategoryCountsField(source="category_counts")


class PublicVersionSerializer(serializers.ModelSerializer):
    """A published version: never changed after publication."""

    counts = CategoryCountsField(source="category_counts")

    class Meta:
        model = ListVersion
        fields = ["number", "published_at", "document_no", "summary", "entry_count", "counts"]


class LegalBasisSerializer(serializers.Serializer):
    law = serializers.CharField()
    article = serializers.CharField(required=False)
    excerpt = serializers.CharField(required=False)
    link = serializers.CharField(required=False)


class ResponsibilityItemSerializer(serializers.Serializer):
    name = serializers.CharField()
    content = serializers.CharField(required=False)


class AccountabilityCaseSerializer(serializers.Serializer):
    text = serializers.CharField()


@lru_cache
def _labels(choices, language):
    return {value: str(label) for value, label in choices.choices}


def labels(choices):
    """{code: label} of ``choices`` in the active language, built once per language:
    ``get_FOO_display`` rebuilds the choices' dict on every call, once per row."""
    return _labels(choices, get_language())


class LabelField(serializers.CharField):
    """The label of a stored code (category, mode) in the active language; an unknown
    code reads as itself, as ``get_FOO_display`` does."""

    def __init__(self, choices, **kwargs):
        self.choices_class = choices
        super().__init__(**kwargs)

    def to_representation(self, value):
        return labels(self.choices_class).get(value, value)


class PublicPowerSerializer(serializers.ModelSerializer):
    """A power as one row of a published list."""

    category_label = LabelField(Category, source="category")
    department = serializers.CharField(source="department_name")
    mode_label = LabelField(DevolutionMode, source="mode")

    class Meta:
        model = ListEntry
        fields = [
            "position",
            "code",
            "name",
            "category",
            "category_label",
            "department",
            "parent_code",
            "mode",
            "mode_label",
            "exercised_in_name_of",
            "implementing_body",
            "responsible_office",
            "fees",
        ]


# The stored columns of a row of PublicPowerSerializer: what a page selects.
ROW_COLUMNS = (
    "position",
    "code",
    "name",
    "category",
    "department_name",
    "parent_code",
    "mode",
    "exercised_in_name_of",
    "implementing_body",
    "responsible_office",
    "fees",
)


def public_rows(values):
    """PublicPowerSerializer's rows from ``.values(*ROW_COLUMNS)`` dicts, the same keys
    in the same order: an unfiltered page needs no model instances nor per-field calls."""
    categories, modes = labels(Category), labels(DevolutionMode)
    return [
        {
            "position": row["position"],
            "code": row["code"],
            "name": row["name"],
            "category": row["category"],
            "category_label": categories.get(row["category"], row["category"]),
            "department": row["department_name"],
            "parent_code": row["parent_code"],
            "mode": row["mode"],
            "mode_label": modes.get(row["mode"], row["mode"]),
            "exercised_in_name_of": row["exercised_in_name_of"],
            "implementing_body": row["implementing_body"],
            "responsible_office": row["responsible_office"],
            "fees": row["fees"],
        }
        for row in values
    ]


class PublicPowerDetailSerializer(PublicPowerSerializer):
    """A power as published, with its legal bases, responsibilities and remedies."""

    version = serializers.IntegerField(source="version.number")
    legal_bases = LegalBasisSerializer(many=True)
    responsibility_items = ResponsibilityItemSerializer(many=True)
    accountability_cases = serializers.SerializerMethodField()

    class Meta(PublicPowerSerializer.Meta):
        fields = [
            "version",
            *PublicPowerSerializer.Meta.fields,
            "legal_bases",
            "responsibility_items",
            "accountability_cases",
            "supervision_channel",
            "remedy_channel",
            "applies_on_application",
            "statutory_days",
            "promised_days",
        ]

    @extend_schema_field(AccountabilityCaseSerializer(many=True))
    def get_accountability_cases(self, entry):
        return [{"text": case_text(case)} for case in entry.accountability_cases]


class DiffEntrySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    category = serializers.CharField()
    department = serializers.CharField(source="department_name")


@extend_schema_field(
    {
        "type": "object",
        "description": "Each changed field (of " + ", ".join(PUBLIC_FIELDS) + ") as old and new.",
        "additionalProperties": {
            "type": "object",
            "properties": {"old": {}, "new": {}},
            "required": ["old", "new"],
        },
    }
)
class ChangedFieldsField(serializers.Field):
    """{field: {"old": value, "new": value}} for each public field that changed."""

    def to_representation(self, value):
        return {name: {"old": old, "new": new} for name, (old, new) in value.items()}


class DiffChangeSerializer(serializers.Serializer):
    def get_fields(self):
        # "fields" names a Serializer property, so it cannot be declared as an attribute.
        return {
            "code": serializers.CharField(),
            "name": serializers.CharField(),
            "fields": ChangedFieldsField(),
        }


class PublicDiffSerializer(serializers.Serializer):
    """What changed from version ``from_version`` to version ``to_version``."""

    from_version = serializers.IntegerField()
    to_version = serializers.IntegerField()
    added = DiffEntrySerializer(many=True)
    removed = DiffEntrySerializer(many=True)
    changed = DiffChangeSerializer(many=True)
