"""Read-only admin for the audit trail: auditors look, nobody adds, changes or deletes.

Seeing a list needs the model's view permission (``townadmin.view_transition``,
``townadmin.view_securityevent``), which the auditor role carries. The database
refuses changes anyway (append-only triggers); these classes only keep the admin
from offering them.
"""

from django.contrib import admin

from townadmin.admin_services import ReadOnlyAdmin
from townadmin.models.audit import SecurityEvent, Transition


class ReadOnlyAuditAdmin(ReadOnlyAdmin):
    date_hierarchy = "at"
    # A fixed newest-first order on the chain: the same order the rows were written in.
    ordering = ("-chain_seq",)


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAuditAdmin):
    list_display = (
        "at",
        "content_type",
        "object_id",
        "from_status",
        "to_status",
        "actor",
        "town",
        "chain_seq",
    )
    # Only the object types that have transitions, not every model of the project.
    list_filter = (("content_type", admin.RelatedOnlyFieldListFilter), "to_status", "town")
    list_select_related = ("content_type", "actor", "town")
    search_fields = ("reason", "actor__username", "actor__display_name")


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAuditAdmin):
    list_display = ("at", "kind", "username", "user", "ip_address", "content_type", "object_id")
    list_filter = ("kind", "town")
    list_select_related = ("user", "content_type")
    search_fields = ("username", "ip_address", "reason", "user__display_name")
