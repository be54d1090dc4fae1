"""Django admin for the master data: counties, towns, villages, units, staff.

Town and County use guardian's object-permission admin, so an administrator can see
and grant reach ("may handle applications in Xiazhuang") on the town's own page.
Staffing quotas, county totals and postings are written by the services that check
their rules and record the step (``townadmin.admin_services`` explains how): a quota
never takes a county past its total, a total never grows, a posting grants its reach.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin

from townadmin import audit_admin  # noqa: F401 (registers the audit trail's read-only admin)
from townadmin.admin_services import ServiceAdminMixin, reason_field
from townadmin.choices import QuotaKind
from townadmin.deadlines import admin as deadlines_admin  # noqa: F401 (calendar, deadlines)
from townadmin.models import (
    Community,
    County,
    Department,
    EnforcementCertificate,
    Heartbeat,
    Posting,
    StaffingQuota,
    Town,
    User,
    Village,
    VillageAgent,
)
from townadmin.notifications import admin as notifications_admin  # noqa: F401 (outbox)
from townadmin.services import (
    county_staffing_total_set,
    is_posting_ended,
    posting_create,
    posting_end,
    staffing_quota_set,
)

POSTINGS_ENDED = _("%(count)d postings ended; their reach is withdrawn.")
COUNTY_TOTALS = {
    "administrative_posts_total": QuotaKind.ADMINISTRATIVE,
    "institutional_posts_total": QuotaKind.INSTITUTIONAL,
}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Portal"), {"fields": ("display_name", "phone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Portal"), {"fields": ("display_name", "phone")}),
    )
    list_display = ("username", "display_name", "phone", "email", "is_staff", "is_active")
    search_fields = ("username", "display_name", "first_name", "last_name", "email", "phone")


class CountyForm(forms.ModelForm):
    reason = reason_field()


@admin.register(County)
class CountyAdmin(ServiceAdminMixin, GuardedModelAdmin):
    """A new county states its totals; afterwards they only decrease (seed 004: 编制只减不增)."""

    form = CountyForm
    list_display = (
        "code",
        "name",
        "province",
        "city",
        "administrative_posts_total",
        "institutional_posts_total",
    )
    search_fields = ("code", "name")
    list_filter = ("province",)

    def run_service(self, request, obj, data, change):
        if change:
            for field, kind in COUNTY_TOTALS.items():
                if data[field] != getattr(obj, field):
                    county_staffing_total_set(
                        county=obj,
                        kind=kind,
                        total=data[field],
                        actor=request.user,
                        reason=data["reason"],
                    )
        return None  # the other fields are saved as usual

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # The service has written the totals (and recorded it); save the rest only.
        fields = [
            name for name in form.changed_data if name in ("code", "name", "province", "city")
        ]
        if fields:
            obj.save(update_fields=fields)


@admin.register(Town)
class TownAdmin(GuardedModelAdmin):
    list_display = ("code", "name", "county", "kind", "is_pilot", "pilot_since", "population")
    list_filter = ("county", "kind", "is_pilot")
    list_select_related = ("county",)
    search_fields = ("code", "name")


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "town")
    list_filter = ("town__county", "town")
    list_select_related = ("town",)
    search_fields = ("name", "code")
    autocomplete_fields = ("town",)


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "town", "community")
    list_filter = ("town__county", "town")
    list_select_related = ("town", "community")
    search_fields = ("name", "code")
    autocomplete_fields = ("town", "community")


class StaffingQuotaInline(admin.TabularInline):
    model = StaffingQuota
    fields = ("kind", "approved", "filled")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "county", "town", "parent", "management_mode")
    list_filter = ("county", "town", "kind", "management_mode")
    list_select_related = ("county", "town", "parent")
    search_fields = ("name", "short_name")
    autocomplete_fields = ("county", "town", "parent")
    inlines = [StaffingQuotaInline]


class StaffingQuotaForm(forms.ModelForm):
    reason = reason_field()


@admin.register(StaffingQuota)
class StaffingQuotaAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Quotas are set through ``staffing_quota_set``: within the county's total, audited.

    Not deleted: a unit that loses its posts keeps a quota of 0, so its history stays.
    """

    form = StaffingQuotaForm
    list_display = ("department", "kind", "approved", "filled")
    list_filter = ("department__county", "department__town", "kind")
    list_select_related = ("department",)
    search_fields = ("department__name",)
    autocomplete_fields = ("department",)

    def get_readonly_fields(self, request, obj=None):
        return ("department", "kind") if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def run_service(self, request, obj, data, change):
        return staffing_quota_set(
            department=obj.department if change else data["department"],
            kind=obj.kind if change else data["kind"],
            approved=data["approved"],
            filled=data["filled"],
            actor=request.user,
            reason=data["reason"],
        )


class PostingForm(forms.ModelForm):
    reason = reason_field()


@admin.register(Posting)
class PostingAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Postings are made with ``posting_create`` (which grants the role's reach) and ended
    with ``posting_end`` (which withdraws it); they are never edited or deleted."""

    form = PostingForm
    list_display = ("user", "role", "department", "town", "valid_from", "valid_until")
    list_filter = ("role", "town", "department__county")
    list_select_related = ("user", "department", "town")
    search_fields = ("user__username", "user__display_name", "department__name")
    autocomplete_fields = ("user", "department", "town")
    date_hierarchy = "valid_from"
    actions = ["end_postings"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_end_permission(self, request):
        return request.user.has_perm("townadmin.change_posting")

    def run_service(self, request, obj, data, change):
        return posting_create(
            user=data["user"],
            department=data["department"],
            role=data["role"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            town=data["town"],
            actor=request.user,
            reason=data["reason"],
        )

    @admin.action(description=_("End the selected postings today"), permissions=["end"])
    def end_postings(self, request, queryset):
        ended = 0
        for posting in queryset:
            if is_posting_ended(posting):
                continue
            try:
                posting_end(posting=posting, actor=request.user, reason="admin")
            except ValidationError as error:
                self.message_user(request, f"{posting}: {error.messages[0]}", messages.ERROR)
            else:
                ended += 1
        self.message_user(request, POSTINGS_ENDED % {"count": ended}, messages.SUCCESS)


@admin.register(EnforcementCertificate)
class EnforcementCertificateAdmin(admin.ModelAdmin):
    list_display = ("number", "user", "issuing_body", "field", "valid_until")
    list_filter = ("issuing_body",)
    list_select_related = ("user",)
    search_fields = ("number", "user__username", "user__display_name")
    autocomplete_fields = ("user",)


@admin.register(VillageAgent)
class VillageAgentAdmin(admin.ModelAdmin):
    list_display = ("user", "village")
    list_filter = ("village__town",)
    list_select_related = ("user", "village", "village__town")
    search_fields = ("user__username", "user__display_name", "village__name")
    autocomplete_fields = ("user", "village")


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "last_run_at")
