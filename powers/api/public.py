"""The public API of published lists: no login, lightly throttled, 304 on a repeated read.

Public data is not town-scoped: anyone may read every town's published versions, and
nothing unpublished is reachable from here. ``?format=xlsx`` and ``?format=csv`` on the
powers list answer every row the same filters select, in the columns offices use.
"""

from django.core.cache import cache
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.http import condition
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from powers import exports, portal
from powers.api.public_serializers import (
    ROW_COLUMNS,
    PublicDiffSerializer,
    PublicPowerDetailSerializer,
    PublicPowerSerializer,
    PublicTownSerializer,
    PublicVersionSerializer,
    public_rows,
)
from powers.choices import ListKind
from powers.diff import diff_versions
from powers.filters import ListEntryFilter
from powers.lists import current_versions, entries
from powers.models import ListEntry, ListVersion

TAG = "public"


class PublicRateThrottle(AnonRateThrottle):
    """Per client address; the rate is REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public"]."""

    scope = "public"


class SpreadsheetRenderer(BaseRenderer):
    """Renders the rows a view hands over (list entries) as a file of the exchange columns."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return self.write(data, title=renderer_context["view"].export_title)


class XlsxRenderer(SpreadsheetRenderer):
    media_type = exports.XLSX
    format = "xlsx"

    def write(self, rows, *, title):
        return exports.xlsx_bytes(rows, title=title)


class CsvRenderer(SpreadsheetRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def write(self, rows, *, title):
        return exports.csv_bytes(rows)


class PublicView(generics.GenericAPIView):
    """Anyone may read; who asks changes nothing, so no credentials are looked at."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (PublicRateThrottle,)

    def handle_exception(self, exc):
        # An error is JSON even when a spreadsheet was asked for.
        if isinstance(getattr(self.request, "accepted_renderer", None), SpreadsheetRenderer):
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


@extend_schema(tags=[TAG])
class PublicTownList(PublicView, generics.ListAPIView):
    """Towns that have published their lists: current version and counts by category."""

    serializer_class = PublicTownSerializer

    def get_queryset(self):
        return current_versions()

    @method_decorator(
        condition(etag_func=portal.towns_etag, last_modified_func=portal.towns_modified)
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


NOT_FOUND = OpenApiResponse(description="Unknown town or version, or no published list.")
VERSION = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    description="Version number to read; the current version when left out.",
)
FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "xlsx", "csv"],
    description=(
        "json: one page. xlsx or csv: every row the filters select, in the columns offices "
        "use (序号, 权力编码, 权力名称, 权力类型, 实施依据, 实施主体, 承办机构, 责任事项, "
        "追责情形, 备注); CSV in UTF-8 with a byte order mark."
    ),
)


# The query parameters of ListEntryFilter: a request giving none of them reads the whole
# version, the public's usual read, which VersionPages serves.
FILTERS = ("kind", "category", "department", "q")
PAGE_CACHE_SECONDS = 24 * 60 * 60


class VersionPages:
    """The entries of a published version as the paginator reads them, unfiltered.

    The count is the version's ``entry_count`` (no COUNT query), and a page's rows are
    built from ``.values()`` once and then cached. A published version never changes
    (the database refuses UPDATE and DELETE of versions and entries), so a page cached
    under the version's id is never stale; a new version has a new id, so it is served
    at once. The language is in the key: the rows carry labels.
    """

    def __init__(self, version):
        self.version = version

    def count(self):
        return self.version.entry_count

    def __len__(self):
        return self.version.entry_count

    def __getitem__(self, window):
        key = f"powers:public-page:{self.version.pk}:{get_language()}:{window.start}:{window.stop}"
        rows = cache.get(key)
        if rows is None:
            values = entries(self.version).values(*ROW_COLUMNS)[window]
            rows = public_rows(values)
            cache.set(key, rows, PAGE_CACHE_SECONDS)
        return rows


@extend_schema(
    tags=[TAG],
    parameters=[VERSION, FORMAT],
    responses={
        (200, "application/json"): PublicPowerSerializer(many=True),
        (200, exports.XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="Workbook"),
        (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV"),
        404: NOT_FOUND,
    },
)
class PublicPowerList(PublicView, generics.ListAPIView):
    """The powers of a town's published version (current unless ``version``), filtered
    by list kind, category, source department and Chinese search."""

    serializer_class = PublicPowerSerializer
    filter_backends = (DjangoFilterBackend,)
    filterset_class = ListEntryFilter
    renderer_classes = (JSONRenderer, BrowsableAPIRenderer, XlsxRenderer, CsvRenderer)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ListEntry.objects.none()
        version = portal.version(self.request, self.kwargs["code"])
        if self.wants_spreadsheet():
            return entries(version)
        # A page shows the row's columns only: the JSON copies (legal bases,
        # responsibilities, cases) would be fetched, a few KB a row, and thrown away.
        return entries(version).only(*ROW_COLUMNS)

    def wants_spreadsheet(self):
        return isinstance(getattr(self.request, "accepted_renderer", None), SpreadsheetRenderer)

    @method_decorator(
        condition(etag_func=portal.list_etag, last_modified_func=portal.version_published)
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        if self.wants_spreadsheet():
            return self.download(self.filter_queryset(self.get_queryset()))
        if not any(request.query_params.get(name) for name in FILTERS):
            version = portal.version(request, self.kwargs["code"])
            page = self.paginate_queryset(VersionPages(version))
            return self.get_paginated_response(page)
        return super().list(request, *args, **kwargs)

    def download(self, rows):
        version = portal.version(self.request, self.kwargs["code"])
        kind = self.request.query_params.get("kind", "")
        label = ListKind(kind).label if kind in ListKind.values else ""
        self.export_title = f"{version.town.name}{label} v{version.number}"
        fmt = self.request.accepted_renderer.format
        name = exports.filename(version, kind)
        return Response(
            rows, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
        )


@extend_schema(
    tags=[TAG],
    parameters=[VERSION],
    responses={200: PublicPowerDetailSerializer, 404: NOT_FOUND},
)
class PublicPowerDetail(PublicView):
    """One power as published in a version (current unless ``version``)."""

    serializer_class = PublicPowerDetailSerializer

    @method_decorator(
        condition(etag_func=portal.entry_etag, last_modified_func=portal.version_published)
    )
    def get(self, request, code, entry_code):
        return Response(self.get_serializer(portal.entry(request, code, entry_code)).data)


@extend_schema(
    tags=[TAG],
    responses={200: PublicVersionSerializer(many=True), 404: NOT_FOUND},
)
class PublicVersionList(PublicView, generics.ListAPIView):
    """Every published version of a town's lists, the latest first."""

    serializer_class = PublicVersionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ListVersion.objects.none()
        town = portal.town(self.request, self.kwargs["code"])
        return ListVersion.objects.filter(town=town).order_by("-number")

    @method_decorator(
        condition(etag_func=portal.history_etag, last_modified_func=portal.history_modified)
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


@extend_schema(tags=[TAG], responses={200: PublicDiffSerializer, 404: NOT_FOUND})
class PublicVersionDiff(PublicView):
    """What changed from version ``a`` to version ``b``: added, removed, changed fields."""

    serializer_class = PublicDiffSerializer

    @method_decorator(
        condition(etag_func=portal.diff_etag, last_modified_func=portal.diff_modified)
    )
    def get(self, request, code, a, b):
        first, second = portal.version(request, code, a), portal.version(request, code, b)
        diff = {"from_version": first.number, "to_version": second.number}
        diff.update(diff_versions(first, second))
        return Response(self.get_serializer(diff).data)
