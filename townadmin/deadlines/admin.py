"""Admin for the working-day calendar and the deadline engine (DESIGN.md section 5).

Administrators keep the holiday table (local holidays, next year's arrangement as
soon as the State Council announces it) and the deadline rules. The pause
ledger, extensions and alerts are written by the services and the sweep only,
so the admin shows them read-only.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from townadmin.admin_services import ReadOnlyAdmin
from townadmin.models.calendar import CalendarSource, CalendarYear, Holiday
from townadmin.models.deadlines import Alert, DeadlineExtension, DeadlinePause, DeadlineRule
from townadmin.workdays import missing_years

MISSING_YEARS = _(
    "The working-day calendar has no data for %(years)s: deadlines that run into it cannot "
    "be computed. Enter the holidays and make-up workdays of the State Council's notice, "
    "then add the year under “Calendar years loaded”."
)


class WarnsOfMissingYears:
    """Shows a warning above the list while this or next year is not loaded."""

    def changelist_view(self, request, extra_context=None):
        missing = missing_years()
        if missing:
            years = ", ".join(str(year) for year in missing)
            self.message_user(request, MISSING_YEARS % {"years": years}, messages.WARNING)
        return super().changelist_view(request, extra_context)


@admin.register(Holiday)
class HolidayAdmin(WarnsOfMissingYears, admin.ModelAdmin):
    list_display = ("date", "kind", "name", "source")
    list_filter = ("kind", "source")
    search_fields = ("name",)
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        # An edited package day becomes the administrator's, so that the next
        # load_holidays (a package upgrade) does not undo the correction.
        if change and form.changed_data and obj.source == CalendarSource.CHINESECALENDAR:
            obj.source = CalendarSource.MANUAL
        super().save_model(request, obj, form, change)


@admin.register(CalendarYear)
class CalendarYearAdmin(WarnsOfMissingYears, admin.ModelAdmin):
    list_display = ("year", "source", "loaded_at")
    list_filter = ("source",)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "days", "day_type", "law", "article")
    list_filter = ("day_type", "law")
    search_fields = ("code", "name", "law")


class WrittenByServicesAdmin(ReadOnlyAdmin):
    """Read-only: these rows change only through the deadline services and the sweep."""

    def get_queryset(self, request):
        # The object column follows a generic foreign key: one query per type, not per row.
        return super().get_queryset(request).prefetch_related("obj")


@admin.register(DeadlinePause)
class DeadlinePauseAdmin(WrittenByServicesAdmin):
    list_display = ("obj", "town", "started_on", "ended_on", "paused_days", "citation")
    list_filter = ("town", "content_type")
    list_select_related = ("town", "content_type")
    date_hierarchy = "started_on"


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(WrittenByServicesAdmin):
    list_display = ("obj", "town", "clock", "days", "status", "requested_at", "decided_by")
    list_filter = ("status", "town", "content_type")
    list_select_related = ("town", "content_type", "decided_by")


@admin.register(Alert)
class AlertAdmin(WrittenByServicesAdmin):
    list_display = ("obj", "town", "clock", "level", "due_date", "raised_at", "cleared_at")
    list_filter = ("level", "town", "content_type")
    list_select_related = ("town", "content_type")
    date_hierarchy = "raised_at"
