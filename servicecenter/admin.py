"""Admin of the service hall: the guides the town leader keeps, and the hall's records read-only.

A service item is derived from the town's published list (``service_items_derive``):
what it copies from the list (code, name, power, limits, office, remedy, fees) is shown
but not edited here, since the next derivation would overwrite it. The rest of the guide
(conditions, materials, channels, special steps, fee, visits, window) is the hall's own
master data, kept by the leader of the town (``lead_town`` reach).

Applications and notices change only through ``servicecenter.services``: the admin shows
them and offers nothing else. The applicant's identity number is shown masked, never in
full (DESIGN.md section 8: the full number needs a reason and an audit record).

Every list is scoped like the rest of the portal (``townadmin.access``): a user sees the
rows of the towns whose records they may view, and nothing of the others (404).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from servicecenter.choices import Channel
from servicecenter.models import Application, Material, Notice, ServiceItem, SubmittedMaterial
from townadmin.access import in_reach, scope
from townadmin.admin_services import ReadOnlyAdmin, ReadOnlyInline
from townadmin.sms import mask_phone

VIEW_RECORDS = "townadmin.view_records"
KEEP_GUIDE = "townadmin.lead_town"

SPECIAL_STEPS_SHAPE = _(
    "Special steps are a list of objects with a “name”, and optionally a “citation” and “max_days”."
)

# Copied from the list entry by service_items_derive: refreshed there, not edited here.
FROM_THE_LIST = (
    "town",
    "power",
    "code",
    "name",
    "category",
    "kind",
    "statutory_days",
    "promised_days",
    "responsible_office",
    "exercised_in_name_of",
    "remedy_channel",
    "fee_basis",
)


class TownScopedAdmin:
    """For a ModelAdmin: only the rows of the towns whose records the user may view."""

    town_field = "town"

    def get_queryset(self, request):
        return scope(
            super().get_queryset(request), request.user, VIEW_RECORDS, town_field=self.town_field
        )


def keeps_guide(request, item):
    """Whether the user keeps ``item``'s guide: the leader of its town (or a superuser)."""
    return item is None or in_reach(request.user, KEEP_GUIDE, item.town_id)


class ServiceItemForm(forms.ModelForm):
    channels = forms.TypedMultipleChoiceField(
        label=_("channels"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ServiceItem
        # The hall's own part of the guide; FROM_THE_LIST is shown read-only.
        fields = (
            "is_published",
            "day_type",
            "statutory_citation",
            "extension_days",
            "special_steps",
            "conditions",
            "channels",
            "max_visits",
            "fee",
            "window",
            "phone",
        )

    def clean_special_steps(self):
        # application_pause looks steps up by name: a malformed entry would break it.
        steps = self.cleaned_data["special_steps"] or []
        well_formed = isinstance(steps, list) and all(
            isinstance(step, dict) and str(step.get("name") or "").strip() for step in steps
        )
        if not well_formed:
            raise ValidationError(SPECIAL_STEPS_SHAPE, code="invalid")
        return steps


class MaterialInline(admin.TabularInline):
    model = Material
    fields = ("position", "name", "form", "copies", "required", "may_be_pending", "shared_from")
    extra = 0

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and keeps_guide(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and keeps_guide(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A material that applications refer to is protected: the admin says so on save.
        return super().has_delete_permission(request, obj) and keeps_guide(request, obj)


@admin.register(ServiceItem)
class ServiceItemAdmin(TownScopedAdmin, admin.ModelAdmin):
    form = ServiceItemForm
    list_display = (
        "code",
        "name",
        "town",
        "kind",
        "promised_days",
        "statutory_days",
        "is_published",
    )
    list_filter = (("town", admin.RelatedOnlyFieldListFilter), "kind", "category", "is_published")
    list_select_related = ("town",)
    search_fields = ("code", "name")
    readonly_fields = (*FROM_THE_LIST, "updated_at")
    fieldsets = (
        (None, {"fields": ("code", "name", "town", "power", "category", "kind", "is_published")}),
        (
            _("Time limits"),
            {
                "fields": (
                    "day_type",
                    "statutory_days",
                    "promised_days",
                    "statutory_citation",
                    "extension_days",
                    "special_steps",
                )
            },
        ),
        (
            _("Guide"),
            {
                "fields": (
                    "conditions",
                    "channels",
                    "max_visits",
                    "fee",
                    "fee_basis",
                    "responsible_office",
                    "exercised_in_name_of",
                    "window",
                    "phone",
                    "remedy_channel",
                    "updated_at",
                )
            },
        ),
    )
    inlines = (MaterialInline,)

    def has_add_permission(self, request):
        # Items come from the published list (service_items_derive), never from here.
        return False

    def has_delete_permission(self, request, obj=None):
        # Past applications point at the item: a withdrawn item is unpublished instead.
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and keeps_guide(request, obj)


class SubmittedMaterialInline(ReadOnlyInline):
    model = SubmittedMaterial
    fields = ("material", "state", "supplied_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("material")


class NoticeInline(ReadOnlyInline):
    model = Notice
    fields = ("number", "kind", "issued_at", "issued_by")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("issued_by")


@admin.register(Application)
class ApplicationAdmin(TownScopedAdmin, ReadOnlyAdmin):
    list_display = (
        "receipt_no",
        "item",
        "town",
        "status",
        "applicant_name",
        "masked_identity",
        "received_at",
        "due_date",
        "statutory_due_date",
        "warning_level",
    )
    list_filter = (
        "status",
        "channel",
        "warning_level",
        "statutory_warning_level",
        ("town", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("item", "town")
    search_fields = ("receipt_no", "applicant_name")
    # Not the identity number and phone (masked instead), nor the verification code that
    # opens the public status page, nor the client's idempotency bookkeeping.
    fields = (
        "receipt_no",
        "town",
        "item",
        "channel",
        "status",
        "status_since",
        "applicant_type",
        "applicant_name",
        "masked_identity",
        "area_unknown",
        "masked_phone",
        "filed_by",
        "first_clerk",
        "approver",
        "received_at",
        "visits",
        "started_at",
        "day_type",
        "due_date",
        "warning_level",
        "statutory_due_date",
        "statutory_warning_level",
        "paused_on",
        "pending_until",
        "commitment",
        "refusal_reason",
        "decision",
        "decision_reason",
        "certificate_no",
        "completed_at",
        "completed_on_time",
        "delivery",
        "delivery_address",
        "delivered_at",
    )
    readonly_fields = ("masked_identity", "masked_phone")
    inlines = (SubmittedMaterialInline, NoticeInline)

    @admin.display(description=_("identity number"))
    def masked_identity(self, obj):
        return obj.masked_id_number

    @admin.display(description=_("phone"))
    def masked_phone(self, obj):
        return mask_phone(obj.applicant_phone)


@admin.register(Notice)
class NoticeAdmin(TownScopedAdmin, ReadOnlyAdmin):
    list_display = ("number", "kind", "application", "town", "issued_at", "issued_by")
    list_filter = ("kind", ("town", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("application__item", "town", "issued_by")
    search_fields = ("number", "application__receipt_no")
    fields = ("number", "kind", "application", "town", "issued_at", "issued_by", "content")
