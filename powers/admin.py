"""Read-only admin of the powers app: the catalogue, the register, versions and adjustments.

Everything here changes only through ``powers.services``: the catalogue and the
register through approved list adjustments (the review pages and the staff API),
published versions never (the database refuses it). Auditors and administrators look.
"""

from django.contrib import admin

from powers.models import (
    AccountabilityCase,
    Adjustment,
    AdjustmentItem,
    Devolution,
    LegalBasis,
    ListEntry,
    ListVersion,
    Power,
    ResponsibilityItem,
)
from townadmin.admin_services import ReadOnlyAdmin, ReadOnlyInline


class LegalBasisInline(ReadOnlyInline):
    model = LegalBasis
    fields = ("position", "law", "article", "excerpt", "link")


class ResponsibilityItemInline(ReadOnlyInline):
    model = ResponsibilityItem
    fields = ("position", "name", "content")


class AccountabilityCaseInline(ReadOnlyInline):
    model = AccountabilityCase
    fields = ("position", "text")


@admin.register(Power)
class PowerAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "category", "department", "county", "may_devolve")
    list_filter = ("county", "category", "may_devolve")
    list_select_related = ("department", "county")
    search_fields = ("code", "name")
    inlines = (LegalBasisInline, ResponsibilityItemInline, AccountabilityCaseInline)


@admin.register(Devolution)
class DevolutionAdmin(ReadOnlyAdmin):
    list_display = (
        "town",
        "power",
        "mode",
        "exercised_in_name_of",
        "effective_from",
        "effective_until",
        "status",
        "due_date",
        "warning_level",
    )
    list_filter = ("status", "mode", "warning_level", "town")
    list_select_related = ("town", "power")
    search_fields = ("power__code", "power__name", "document_no")
    date_hierarchy = "effective_from"


class ListEntryInline(ReadOnlyInline):
    model = ListEntry
    fields = ("position", "code", "name", "category", "department_name", "mode")


@admin.register(ListVersion)
class ListVersionAdmin(ReadOnlyAdmin):
    list_display = ("town", "number", "published_at", "document_no", "entry_count", "approved_by")
    list_filter = ("town",)
    list_select_related = ("town", "approved_by")
    inlines = (ListEntryInline,)


class AdjustmentItemInline(ReadOnlyInline):
    model = AdjustmentItem
    fields = ("position", "action", "code", "reason", "data")


@admin.register(Adjustment)
class AdjustmentAdmin(ReadOnlyAdmin):
    list_display = ("title", "town", "status", "status_since", "drafted_by", "published_version")
    list_filter = ("status", "town")
    list_select_related = ("town", "drafted_by", "published_version")
    search_fields = ("title", "document_no")
    inlines = (AdjustmentItemInline,)
