"""The back office's queue (/hall/office/) and the list of all applications (/hall/applications/).

The queue is what the approver decides next: accepted applications of their towns, the
red cards first, then the yellow, then by promised due date. The list is every
application of the user's towns, searched and filtered with the one ``ApplicationFilter``
the API uses too. Each page opens to whom the hall's menu (``hall_nav``) shows it: the
model permission is not enough without a town to act in, and the menu and the page agree.
"""

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from servicecenter.filters import ApplicationFilter
from servicecenter.selectors import OFFICE_QUEUE, applications_for
from servicecenter.views_hall import StaffListView, hall_nav
from townadmin.models.deadlines import WarningLevel

APPROVE = "townadmin.approve_application"

NOT_AN_APPROVER = _("Only the back office's approvers have this queue.")
NO_RECORDS = _("Only those who read a town's records can list its applications.")


def _card(level):
    return Q(warning_level=level) | Q(statutory_warning_level=level)


# The more urgent card of the two clocks decides the row's place.
URGENCY = Case(
    When(_card(WarningLevel.RED), then=Value(0)),
    When(_card(WarningLevel.YELLOW), then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class OfficeQueueView(StaffListView):
    """Accepted applications of the approver's towns, the most urgent first."""

    template_name = "servicecenter/hall/office.html"
    context_object_name = "applications"
    refusal = NOT_AN_APPROVER

    def allows(self, user):
        return hall_nav(user)["office"]

    def get_queryset(self):
        return (
            applications_for(self.request.user, APPROVE)
            .filter(status__in=OFFICE_QUEUE)
            .annotate(urgency=URGENCY)
            .order_by("urgency", "due_date", "status_since", "pk")
        )


class ApplicationListView(StaffListView):
    """Every application of the user's towns: searched, filtered, newest first."""

    template_name = "servicecenter/hall/applications.html"
    context_object_name = "applications"
    refusal = NO_RECORDS

    def allows(self, user):
        return hall_nav(user)["list"]

    def get_queryset(self):
        self.filterset = ApplicationFilter(
            self.request.GET or None,
            queryset=applications_for(self.request.user),
            request=self.request,
        )
        # An invalid filter value shows its error and lists nothing rather than everything.
        if self.filterset.is_bound and not self.filterset.is_valid():
            return applications_for(self.request.user).none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=self.filterset, query=query.urlencode(), hall_nav=hall_nav(self.request.user)
        )
        return context
