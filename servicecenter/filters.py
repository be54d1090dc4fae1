"""The one filter of applications, shared by the staff API list and the hall's HTML list.

It narrows a queryset that is already scoped (``servicecenter.selectors.applications_for``):
filtering is never what keeps another town's rows out.
"""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicecenter.choices import Channel, ItemKind
from servicecenter.models import Application, ServiceItem
from townadmin.models.deadlines import WarningLevel

VIEW_RECORDS = "townadmin.view_records"


def _items(request):
    """The service items the user may see: the choices of the item filter."""
    if request is None:
        return ServiceItem.objects.none()
    return ServiceItem.objects.for_user(request.user, VIEW_RECORDS).order_by("town", "code")


def _start_of(day):
    """The first instant of ``day`` in the portal's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class ApplicationFilter(django_filters.FilterSet):
    """Applications by town, status (several at once), item, channel, warning levels,
    receipt number or applicant, and the local dates they were received between."""

    town = django_filters.CharFilter(field_name="town__code", label=_("Town division code"))
    status = django_filters.MultipleChoiceFilter(
        choices=Application.Status.choices, label=_("Status")
    )
    item = django_filters.ModelChoiceFilter(queryset=_items, label=_("Service item"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"))
    warning_level = django_filters.ChoiceFilter(
        choices=WarningLevel.choices, label=_("Warning level (promised limit)")
    )
    statutory_warning_level = django_filters.ChoiceFilter(
        choices=WarningLevel.choices, label=_("Warning level (statutory limit)")
    )
    q = django_filters.CharFilter(
        method="filter_search", label=_("Receipt number or applicant name")
    )
    received_after = django_filters.DateFilter(
        method="filter_received_after", label=_("Received on or after")
    )
    received_before = django_filters.DateFilter(
        method="filter_received_before", label=_("Received on or before")
    )

    class Meta:
        model = Application
        fields = [
            "town",
            "status",
            "item",
            "channel",
            "warning_level",
            "statutory_warning_level",
            "q",
            "received_after",
            "received_before",
        ]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # The receipt number exactly (unique index); the name as typed, anywhere in it.
        return queryset.filter(Q(receipt_no=value) | Q(applicant_name__icontains=value))

    # Dates are local days: compare the stored instants with the bounds of those days,
    # which keeps the comparison on the column (no conversion of each row).
    def filter_received_after(self, queryset, name, value):
        return queryset.filter(received_at__gte=_start_of(value))

    def filter_received_before(self, queryset, name, value):
        return queryset.filter(received_at__lt=_start_of(value + datetime.timedelta(days=1)))


class ServiceItemFilter(django_filters.FilterSet):
    """Service items by town, publication, kind and item code or name."""

    town = django_filters.CharFilter(field_name="town__code", label=_("Town division code"))
    is_published = django_filters.BooleanFilter(label=_("Published"))
    kind = django_filters.ChoiceFilter(choices=ItemKind.choices, label=_("Kind"))
    q = django_filters.CharFilter(method="filter_search", label=_("Item code or name"))

    class Meta:
        model = ServiceItem
        fields = ["town", "is_published", "kind", "q"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__iexact=value) | Q(name__icontains=value))
