"""The organisation page of a town and each user's workbench."""

from dataclasses import dataclass, field

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from townadmin.access import scope, towns_by_role, towns_for
from townadmin.choices import DepartmentKind, QuotaKind, Role
from townadmin.models import Community, Department, StaffingQuota, Town, Village
from townadmin.models.deadlines import Alert
from townadmin.notifications.inbox import inbox_for

VIEW_RECORDS = "townadmin.view_records"


def _count(model):
    # A correlated subquery per count: two joined COUNTs would multiply each other.
    rows = model.objects.filter(town=OuterRef("pk")).order_by().values("town")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


@dataclass
class StaffingRow:
    """Approved and filled posts of one unit, or the sum of several."""

    unit: Department | None = None
    administrative_approved: int = 0
    administrative_filled: int = 0
    institutional_approved: int = 0
    institutional_filled: int = 0

    def add(self, kind, approved, filled):
        if kind == QuotaKind.ADMINISTRATIVE:
            self.administrative_approved += approved
            self.administrative_filled += filled
        else:
            self.institutional_approved += approved
            self.institutional_filled += filled


@dataclass
class Organisation:
    """What a town's organisation page shows: its units and their posts."""

    town: Town
    offices: list = field(default_factory=list)
    stationed_agencies: list = field(default_factory=list)
    staffing: list = field(default_factory=list)
    total: StaffingRow = field(default_factory=StaffingRow)


def town_organisation(town):
    """The town's offices, stationed agencies and staffing, in two queries whatever its size."""
    units = (
        Department.objects.filter(town=town)
        .select_related("parent")
        .prefetch_related(Prefetch("quotas", queryset=StaffingQuota.objects.order_by("kind")))
        .order_by("kind", "pk")
    )
    organisation = Organisation(town=town)
    for unit in units:
        if unit.kind == DepartmentKind.STATIONED_AGENCY:
            organisation.stationed_agencies.append(unit)
        else:
            organisation.offices.append(unit)
    for unit in [*organisation.offices, *organisation.stationed_agencies]:
        row = StaffingRow(unit=unit)
        for quota in unit.quotas.all():
            row.add(quota.kind, quota.approved, quota.filled)
            organisation.total.add(quota.kind, quota.approved, quota.filled)
        organisation.staffing.append(row)
    return organisation


class OrganisationView(LoginRequiredMixin, TemplateView):
    """A town's facts, units, stationed agencies and staffing, for users who reach the town.

    A town outside the user's reach answers 404, like every object outside reach.
    """

    template_name = "townadmin/organisation.html"

    def get_context_data(self, **kwargs):
        towns = scope(
            Town.objects.select_related("county").annotate(
                community_count=_count(Community), village_count=_count(Village)
            ),
            self.request.user,
            VIEW_RECORDS,
            town_field="pk",
        )
        town = get_object_or_404(towns, code=kwargs["code"])
        return super().get_context_data(**kwargs, town=town, organisation=town_organisation(town))


@dataclass
class RoleTowns:
    """One of the user's roles and the towns where they act in it."""

    role: str
    label: str
    towns: list


class WorkbenchView(LoginRequiredMixin, TemplateView):
    """Where a signed-in user starts: their roles and towns, unread messages, what is due.

    "What is due" is every open yellow or red card in the user's towns, overdue first;
    the numbers of queries do not depend on how many there are.
    """

    template_name = "townadmin/workbench.html"
    messages_shown = 5
    alerts_shown = 10

    def get_context_data(self, **kwargs):
        user = self.request.user
        roles = [
            RoleTowns(code, Role(code).label, towns) for code, towns in towns_by_role(user).items()
        ]
        viewable = towns_for(user, VIEW_RECORDS)
        town_ids = viewable.union(town.id for role in roles for town in role.towns)
        unread = inbox_for(user).filter(read_at__isnull=True)
        # Red cards have earlier due dates than yellow ones, so due date puts overdue first.
        alerts = (
            Alert.objects.filter(town_id__in=town_ids, cleared_at__isnull=True)
            .select_related("town", "content_type")
            .order_by("due_date", "pk")
        )
        return super().get_context_data(
            **kwargs,
            roles=roles,
            viewable_town_ids=viewable,
            unread_count=unread.count(),
            unread_messages=unread[: self.messages_shown],
            alert_count=alerts.count(),
            alerts=alerts.prefetch_related("obj")[: self.alerts_shown],
        )
