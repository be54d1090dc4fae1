"""The proposed fields of an adjustment item (``AdjustmentItem.data``): validated here, once.

The drafting page, the staff API and the spreadsheet import all hand their rows to
``adjustment_item_add``, which validates them with :class:`AdjustmentItemDataSerializer`
and stores the normalised JSON that :func:`item_data` returns. An "add" carries the
full power; a "change" only the fields it changes, checked against the current values.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from powers.choices import Category, DevolutionMode, DevolutionScope
from townadmin.models.geography import Department

UNKNOWN_FIELDS = _("Unknown fields: %(fields)s.")
UNKNOWN_DEPARTMENT = _("No department of this county is called “%(department)s”.")
NOTHING_CHANGED = _("A change must name at least one changed field.")
ENTRUSTMENT_NEEDS_TERM = _("An entrustment needs the date its term ends.")
TERM_ENDS_BEFORE_START = _("A devolution cannot end before it starts.")
PROMISED_ABOVE_STATUTORY = _("The promised limit cannot exceed the statutory one.")
NOT_AN_OBJECT = _("Give the proposed fields as an object of field names and values.")
CASE_IS_TEXT = _("Give each accountability case as text.")

# Fields of the catalogue power (Power), and of the town's holding (Devolution and the
# list entry): approval writes each group where it belongs.
POWER_FIELDS = (
    "name",
    "category",
    "department",
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
)
HOLDING_FIELDS = (
    "mode",
    "exercised_in_name_of",
    "scope",
    "is_partial",
    "scope_note",
    "responsible_office",
    "effective_from",
    "effective_until",
    "document_no",
)


class LegalBasisData(serializers.Serializer):
    law = serializers.CharField(max_length=200)
    article = serializers.CharField(max_length=100, allow_blank=True, default="")
    excerpt = serializers.CharField(allow_blank=True, default="")
    link = serializers.URLField(allow_blank=True, default="")


class ResponsibilityItemData(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    content = serializers.CharField(allow_blank=True, default="")


class AccountabilityCaseField(serializers.Field):
    """A case as text, or as ``{"text": ...}`` (the form list entries store)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = data.get("text")
        if not isinstance(data, str) or not data.strip():
            raise serializers.ValidationError(CASE_IS_TEXT)
        return {"text": data.strip()}

    def to_representation(self, value):
        return value


class AdjustmentItemDataSerializer(serializers.Serializer):
    """The fields an item proposes. Context: ``county`` (resolves the department) and, for
    a change (``partial=True``), ``current``: the values now in force, which the
    changed fields are checked against.
    """

    name = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=Category.choices)
    department = serializers.CharField(
        max_length=64, help_text="Source department: a county department's name or id."
    )
    parent_code = serializers.CharField(max_length=48, allow_blank=True, default="")
    implementing_body = serializers.CharField(max_length=100, allow_blank=True, default="")
    may_devolve = serializers.BooleanField(default=True)
    fees = serializers.CharField(max_length=300, allow_blank=True, default="")
    supervision_channel = serializers.CharField(max_length=300, allow_blank=True, default="")
    remedy_channel = serializers.CharField(max_length=300, allow_blank=True, default="")
    applies_on_application = serializers.BooleanField(default=False)
    statutory_days = serializers.IntegerField(
        min_value=0, max_value=32767, allow_null=True, default=None
    )
    promised_days = serializers.IntegerField(
        min_value=0, max_value=32767, allow_null=True, default=None
    )
    notes = serializers.CharField(allow_blank=True, default="")
    legal_bases = LegalBasisData(many=True, default=list)
    responsibility_items = ResponsibilityItemData(many=True, default=list)
    accountability_cases = serializers.ListField(child=AccountabilityCaseField(), default=list)
    mode = serializers.ChoiceField(choices=DevolutionMode.choices)
    exercised_in_name_of = serializers.CharField(max_length=100)
    scope = serializers.ChoiceField(choices=DevolutionScope.choices, default=DevolutionScope.WHOLE)
    is_partial = serializers.BooleanField(default=False)
    scope_note = serializers.CharField(max_length=300, allow_blank=True, default="")
    responsible_office = serializers.CharField(max_length=64, allow_blank=True, default="")
    effective_from = serializers.DateField()
    effective_until = serializers.DateField(allow_null=True, default=None)
    document_no = serializers.CharField(max_length=100)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {"data": [UNKNOWN_FIELDS % {"fields": ", ".join(unknown)}]}
                )
        return super().to_internal_value(data)

    def validate_department(self, value):
        county = self.context["county"]
        departments = Department.objects.filter(county=county).order_by("town_id", "pk")
        found = (
            departments.filter(pk=int(value)).first()
            if value.isdigit()
            else departments.filter(name=value.strip()).first()
        )
        if found is None:
            raise serializers.ValidationError(UNKNOWN_DEPARTMENT % {"department": value})
        return found

    def validate(self, attrs):
        if self.partial and not attrs:
            raise serializers.ValidationError(NOTHING_CHANGED)
        merged = {**self.context.get("current", {}), **attrs}
        errors = {}
        until, since = merged.get("effective_until"), merged.get("effective_from")
        if merged.get("mode") == DevolutionMode.ENTRUST and not until:
            errors["effective_until"] = ENTRUSTMENT_NEEDS_TERM
        elif until and since and until < since:
            errors["effective_until"] = TERM_ENDS_BEFORE_START
        promised, statutory = merged.get("promised_days"), merged.get("statutory_days")
        if promised is not None and statutory is not None and promised > statutory:
            errors["promised_days"] = PROMISED_ABOVE_STATUTORY
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def item_data(data, *, county, partial=False, current=None) -> dict:
    """Validate ``data`` and return it as stored in ``AdjustmentItem.data`` (plain JSON).

    Raises Django's ValidationError with one message list per field ("legal_bases.0.law"
    for a nested one) and nothing else happens.
    """
    if not isinstance(data, dict):
        raise ValidationError({"data": [NOT_AN_OBJECT]})
    serializer = AdjustmentItemDataSerializer(
        data=data, partial=partial, context={"county": county, "current": current or {}}
    )
    if not serializer.is_valid():
        raise ValidationError(_flatten(serializer.errors))
    stored = {}
    for field, value in serializer.validated_data.items():
        if isinstance(value, Department):
            stored["department"], stored["department_id"] = value.name, value.pk
        elif isinstance(value, datetime.date):
            stored[field] = value.isoformat()
        elif isinstance(value, list):
            stored[field] = [dict(entry) for entry in value]
        else:
            stored[field] = value
    return stored


def _flatten(errors, prefix=""):
    """DRF's nested errors as {"field.index.field": [messages]} for Django's ValidationError."""
    flat = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = "__all__" if key == "non_field_errors" and not prefix else key
            flat.update(_flatten(value, f"{prefix}.{name}" if prefix else name))
    elif isinstance(errors, list) and errors and not all(isinstance(e, str) for e in errors):
        for index, value in enumerate(errors):
            if value:
                flat.update(_flatten(value, f"{prefix}.{index}"))
    else:
        flat.setdefault(prefix or "__all__", []).extend(str(e) for e in errors)
    return flat
