"""The public portal of published lists: no login, Chinese first, built for phones.

Every page reads one published version (the current one, or ``?version=N``) and
answers a repeated read with 304 (``powers.portal``). The list page and the downloads
filter with the same FilterSet as the public API.
"""

import json
from functools import partial

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views.decorators.http import condition
from django.views.generic import ListView, RedirectView, TemplateView

from powers import exports, portal
from powers.choices import Category, ListKind
from powers.diff import diff_versions, display_value, field_label
from powers.filters import ListEntryFilter
from powers.lists import KINDS, current_versions, entries, kind_size

PAGE_SIZE = 50
DEFAULT_KIND = ListKind.POWER
# JSON inside <script>: these would end the element or start an entity.
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def category_counts(version):
    """(label, count) of each category the version holds, in the categories' order."""
    counts = version.category_counts
    return [(label, counts[value]) for value, label in Category.choices if counts.get(value)]


def requested_kind(request):
    kind = request.GET.get("kind") or DEFAULT_KIND
    if kind not in ListKind.values:
        raise Http404
    return kind


def filtered_entries(request, version, kind):
    """The version's entries of ``kind`` through the shared FilterSet, and the FilterSet."""
    data = request.GET.copy()
    data["kind"] = kind
    filterset = ListEntryFilter(data, queryset=entries(version))
    return filterset.qs, filterset


@method_decorator(
    condition(etag_func=portal.towns_etag, last_modified_func=portal.towns_modified), name="get"
)
class TownIndexView(ListView):
    """The towns that have published their lists, with counts by category."""

    template_name = "powers/public/towns.html"
    context_object_name = "versions"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return current_versions()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for version in context["versions"]:
            version.counts = category_counts(version)
        return context


class TownView(RedirectView):
    """A town's address leads to its current power list."""

    pattern_name = "powers:town-lists"


@method_decorator(
    condition(
        etag_func=partial(portal.list_etag, default_kind=DEFAULT_KIND),
        last_modified_func=portal.version_published,
    ),
    name="get",
)
class TownListView(ListView):
    """One list of a town's published version: tabs, filters, search and 50 per page."""

    template_name = "powers/public/list.html"
    context_object_name = "entries"
    paginate_by = PAGE_SIZE

    def get(self, request, *args, **kwargs):
        self.version = portal.version(request, kwargs["code"])
        self.kind = requested_kind(request)
        self.entries, self.filterset = filtered_entries(request, self.version, self.kind)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.entries

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version, kind = self.version, self.kind
        form = self.filterset.form
        kind_categories = KINDS[kind].categories
        context.update(
            town=version.town,
            version=version,
            kind=kind,
            kind_label=ListKind(kind).label,
            columns=KINDS[kind].columns,
            tabs=[(value, label, kind_size(version, value)) for value, label in ListKind.choices],
            categories=[
                (value, label)
                for value, label in Category.choices
                if kind_categories is None or value in kind_categories
            ],
            departments=list(
                entries(version, kind)
                .order_by("department_name")
                .values_list("department_name", flat=True)
                .distinct()
            ),
            q=form.data.get("q", ""),
            category=form.cleaned_data.get("category") or "",
            department=form.cleaned_data.get("department") or "",
            filter_errors=form.errors,
            is_current=not self.request.GET.get("version"),
        )
        return context


@method_decorator(
    condition(etag_func=portal.entry_etag, last_modified_func=portal.version_published),
    name="get",
)
class EntryView(TemplateView):
    """One power as published: legal bases, who exercises it, responsibilities, remedies."""

    template_name = "powers/public/entry.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = portal.entry(self.request, kwargs["code"], kwargs["entry_code"])
        version = entry.version
        context.update(
            entry=entry,
            version=version,
            town=version.town,
            is_current=not self.request.GET.get("version"),
            json_ld=self.json_ld(entry, version.town),
        )
        return context

    def json_ld(self, entry, town):
        """schema.org GovernmentService, for search engines and assistants."""
        data = {
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": entry.name,
            "serviceType": str(entry.get_category_display()),
            "identifier": entry.code,
            "provider": {
                "@type": "GovernmentOrganization",
                "name": entry.implementing_body or entry.exercised_in_name_of or town.name,
            },
            "areaServed": {"@type": "AdministrativeArea", "name": town.name},
            "url": self.request.build_absolute_uri(
                reverse("powers:entry", args=[town.code, entry.code])
            ),
        }
        # Safe: the characters that could end the script element are escaped.
        return mark_safe(json.dumps(data, ensure_ascii=False).translate(SCRIPT_ESCAPES))


@method_decorator(
    condition(etag_func=portal.history_etag, last_modified_func=portal.history_modified),
    name="get",
)
class VersionHistoryView(TemplateView):
    """Every published version of a town's lists, each with what it changed."""

    template_name = "powers/public/versions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = portal.history(self.request, kwargs["code"])
        for later, earlier in zip(versions, versions[1:], strict=False):
            later.previous = earlier
        for version in versions:
            version.counts = category_counts(version)
        context.update(town=portal.town(self.request, kwargs["code"]), versions=versions)
        return context


def compare(request, code):
    """The compare form's answer: the diff of the two versions chosen."""
    a, b = request.GET.get("a", ""), request.GET.get("b", "")
    if not (a.isdigit() and b.isdigit()):
        raise Http404
    return redirect("powers:version-diff", code=code, a=int(a), b=int(b))


@method_decorator(
    condition(etag_func=portal.diff_etag, last_modified_func=portal.diff_modified), name="get"
)
class VersionDiffView(TemplateView):
    """What changed from version a to version b: added, removed, changed fields."""

    template_name = "powers/public/diff.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        code, a, b = kwargs["code"], kwargs["a"], kwargs["b"]
        first, second = portal.version(self.request, code, a), portal.version(self.request, code, b)
        diff = diff_versions(first, second)
        for change in diff["changed"]:
            change["rows"] = [
                (field_label(field), display_value(field, old), display_value(field, new))
                for field, (old, new) in change["fields"].items()
            ]
        for entry in diff["added"] + diff["removed"]:
            entry["category_label"] = Category(entry["category"]).label
        context.update(town=first.town, first=first, second=second, diff=diff)
        return context


def _download_etag(request, code, fmt, **kwargs):
    return f"{portal.list_etag(request, code, default_kind=DEFAULT_KIND)}-{fmt}"


@condition(etag_func=_download_etag, last_modified_func=portal.version_published)
def download(request, code, fmt):
    """All rows of the list the page shows (same kind, filters and search) as a file."""
    version = portal.version(request, code)
    kind = requested_kind(request)
    rows, _filterset = filtered_entries(request, version, kind)
    title = f"{version.town.name}{ListKind(kind).label} v{version.number}"
    return exports.download(
        rows, fmt=fmt, filename=exports.filename(version, kind), title=str(title)
    )
