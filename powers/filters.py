"""The one filter of published list entries, shared by the public page and the public API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from powers.choices import Category, ListKind
from powers.lists import KINDS
from powers.models import ListEntry
from powers.search import search


class ListEntryFilter(django_filters.FilterSet):
    """Entries of one version: by list kind, category, source department and search."""

    kind = django_filters.ChoiceFilter(
        choices=ListKind.choices, method="filter_kind", label=_("List")
    )
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("Category"))
    department = django_filters.CharFilter(
        field_name="department_name", label=_("Source department")
    )
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))

    class Meta:
        model = ListEntry
        fields = ["kind", "category", "department", "q"]

    def filter_kind(self, queryset, name, value):
        return queryset.filter(KINDS[value].condition)

    def filter_search(self, queryset, name, value):
        return search(queryset, value)
