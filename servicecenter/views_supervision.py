"""E-supervision and statistics pages of the service hall.

* ``/hall/supervision/``: the town leader and the county reviewer watch the towns in their
  reach: cards on both clocks by town, the carded, paused and extended applications, the
  rectifications of bad ratings and the open complaints;
* ``/hall/statistics/``: staff who read the towns' records see the indicators per town,
  item and month, charted and in tables;
* ``/towns/<code>/services/statistics/``: the public sees one town's aggregate figures.

Every page costs a fixed number of queries however many rows it shows. Charts are drawn
by ``static/servicecenter/charts.js`` from data in ``json_script`` blocks, so the pages
carry no inline script; the same figures are in tables for screen readers and print.
"""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicecenter import statistics
from servicecenter.models import ServiceItem
from servicecenter.supervision import supervision_board
from townadmin.access import towns_for
from townadmin.models import Town
from townadmin.workdays import missing_years

SUPERVISE = ("townadmin.lead_town", "townadmin.review_reform")
VIEW_RECORDS = "townadmin.view_records"
TREND_MONTHS = 12
ITEM_CHART_SIZE = 15

NOT_A_SUPERVISOR = _(
    "Only town leaders and the county reform office's reviewers watch the hall's supervision."
)
NO_RECORDS = _("You read the records of no town, so there are no statistics to show.")


def forbidden(request, reason):
    return render(request, "forbidden.html", {"reason": reason}, status=403)


# --- Supervision -----------------------------------------------------------------------


@login_required
def supervision(request):
    """The supervision board of the towns the user leads or reviews."""
    towns = frozenset().union(*(towns_for(request.user, reach) for reach in SUPERVISE))
    if not towns:
        return forbidden(request, NOT_A_SUPERVISOR)
    board = supervision_board(towns, today=timezone.localdate())
    return render(
        request,
        "servicecenter/supervision/board.html",
        {"board": board, "today": timezone.localdate()},
    )


# --- Statistics ------------------------------------------------------------------------


class PeriodForm(forms.Form):
    """The period of receipt; the staff page adds a town and an item."""

    start = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class StatisticsForm(PeriodForm):
    town = forms.ModelChoiceField(
        label=_("Town"), queryset=Town.objects.none(), required=False, to_field_name="code"
    )
    item = forms.ModelChoiceField(
        label=_("Service item"), queryset=ServiceItem.objects.none(), required=False
    )
    field_order = ["town", "item", "start", "end"]

    def __init__(self, *args, towns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = Town.objects.filter(pk__in=towns).order_by("code")
        self.fields["item"].queryset = (
            ServiceItem.objects.filter(town_id__in=towns)
            .select_related("town")
            .order_by("town__code", "code")
        )
        self.fields["item"].label_from_instance = lambda item: f"{item.town.name} · {item.name}"


@login_required
def statistics_page(request):
    """The indicators of the towns whose records the user reads, per town, item and month."""
    towns = towns_for(request.user, VIEW_RECORDS)
    if not towns:
        return forbidden(request, NO_RECORDS)
    form = StatisticsForm(request.GET or None, towns=towns)
    context = {"form": form, "missing_years": missing_years()}
    if form.is_bound and not form.is_valid():
        return render(request, "servicecenter/supervision/statistics.html", context, status=400)
    choice = form.cleaned_data if form.is_bound else {}
    town = choice.get("town")
    scope = {
        "towns": [town.pk] if town else towns,
        "item": choice.get("item"),
        "start": choice.get("start"),
        "end": choice.get("end"),
    }
    context.update(_figures(scope, by_town=True))
    return render(request, "servicecenter/supervision/statistics.html", context)


def public_statistics(request, code):
    """One town's aggregate figures for the public: no names, no single applications."""
    town = get_object_or_404(Town, code=code)
    form = PeriodForm(request.GET or None)
    context = {"town": town, "form": form, "missing_years": missing_years()}
    if form.is_bound and not form.is_valid():
        return render(
            request, "servicecenter/supervision/public_statistics.html", context, status=400
        )
    choice = form.cleaned_data if form.is_bound else {}
    scope = {
        "towns": [town.pk],
        "item": None,
        "start": choice.get("start"),
        "end": choice.get("end"),
    }
    context.update(_figures(scope, by_town=False, published_only=True))
    return render(request, "servicecenter/supervision/public_statistics.html", context)


# --- The figures, as rows for tables and specs for charts ---------------------------------


class Row:
    """A table row: its label and the indicators, with shares as percentages."""

    def __init__(self, label, indicators, *, detail="", promised_days=None):
        self.label, self.detail, self.counts = label, detail, indicators
        self.promised_days = promised_days
        self.percent = {key: _percent(value) for key, _label, value in indicators.shares()}
        average = indicators.average_handling_days
        self.average_days = None if average is None else round(average, 1)


def _percent(value, digits=1):
    return None if value is None else round(value * 100, digits)


def _figures(scope, *, by_town, published_only=False):
    overall = statistics.indicators(**scope)
    by_item = statistics.indicators_by("item", **scope)
    items = ServiceItem.objects.filter(pk__in=list(by_item)).select_related("town")
    if published_only:
        items = items.filter(is_published=True)
    items = {item.pk: item for item in items}
    item_rows = [
        Row(
            items[pk].name,
            counts,
            detail=f"{items[pk].town.name} · {items[pk].code}" if by_town else items[pk].code,
            promised_days=items[pk].promised_days,
        )
        for pk, counts in by_item.items()
        if pk in items
    ]
    item_rows.sort(key=lambda row: (-row.counts.applications, row.label))
    trend_scope = dict(scope)
    if trend_scope["start"] is None:
        trend_scope["start"] = _months_back(scope["end"] or timezone.localdate(), TREND_MONTHS)
    by_month = statistics.indicators_by("month", **trend_scope)
    figures = {
        "overall": Row(_("All"), overall),
        "shares": _share_facts(overall),
        "item_rows": item_rows,
        "month_rows": [Row(month, counts) for month, counts in by_month.items()],
    }
    town_rows = []
    if by_town:
        by_town_counts = statistics.indicators_by("town", **scope)
        names = dict(Town.objects.filter(pk__in=list(by_town_counts)).values_list("pk", "name"))
        town_rows = [Row(names[pk], counts) for pk, counts in by_town_counts.items()]
        town_rows.sort(key=lambda row: row.label)
        figures["town_rows"] = town_rows
    series_rows = town_rows or [Row(_("This town"), overall)]
    figures["charts"] = [
        _shares_chart(series_rows),
        _trend_chart(figures["month_rows"]),
        _items_chart(item_rows[:ITEM_CHART_SIZE]),
    ]
    return figures


def _months_back(day, months):
    month = day.year * 12 + day.month - 1 - (months - 1)
    return datetime.date(month // 12, month % 12 + 1, 1)


def _target(target):
    # Two decimals: Shanghai's 99.96% good ratings must not read as 100%.
    return _percent(target.value, 2)


def _share_facts(overall):
    """(label, percent, [(source, target percent)]) of each share, for the key figures."""
    targets = {}
    for target in statistics.TARGETS:
        targets.setdefault(target.indicator, []).append((target.source, _target(target)))
    return [
        (label, _percent(value), targets.get(key, [])) for key, label, value in overall.shares()
    ]


def _shares_chart(rows):
    keys = list(statistics.SHARES)
    references = {}
    for target in statistics.TARGETS:
        data = references.setdefault(str(target.source), [None] * len(keys))
        data[keys.index(target.indicator)] = _target(target)
    return {
        "id": "chart-shares",
        "data_id": "chart-shares-data",
        "title": str(_("Indicators against the Hangzhou and Shanghai figures (%)")),
        "spec": {
            "categories": [str(label) for label in statistics.SHARES.values()],
            "axes": [{"name": "%", "max": 100}],
            "series": [
                {"name": str(row.label), "kind": "bar", "data": [row.percent[k] for k in keys]}
                for row in rows
            ]
            + [
                {"name": name, "kind": "reference", "data": data}
                for name, data in references.items()
            ],
        },
    }


def _trend_chart(month_rows):
    return {
        "id": "chart-trend",
        "data_id": "chart-trend-data",
        "title": str(_("Applications and on-time rate by month of receipt")),
        "spec": {
            "categories": [row.label.strftime("%Y-%m") for row in month_rows],
            "axes": [{"name": str(_("applications"))}, {"name": "%", "max": 100}],
            "series": [
                {
                    "name": str(_("Applications")),
                    "kind": "bar",
                    "data": [row.counts.applications for row in month_rows],
                },
                {
                    "name": str(_("On-time rate")),
                    "kind": "line",
                    "axis": 1,
                    "data": [row.percent["on_time_rate"] for row in month_rows],
                },
            ],
        },
    }


def _items_chart(item_rows):
    return {
        "id": "chart-items",
        "data_id": "chart-items-data",
        "title": str(_("Average handling time and promised limit by item (working days)")),
        "spec": {
            "categories": [str(row.label) for row in item_rows],
            "axes": [{"name": str(_("working days"))}],
            "horizontal": True,
            "series": [
                {
                    "name": str(_("Average handling time")),
                    "kind": "bar",
                    "data": [row.average_days for row in item_rows],
                },
                {
                    "name": str(_("Promised limit")),
                    "kind": "bar",
                    "data": [row.promised_days for row in item_rows],
                },
            ],
        },
    }
