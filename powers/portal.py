"""What a public request reads, and its ETag and Last-Modified (DESIGN.md section 7).

Published versions never change, so a version number identifies what a page shows:
the ETag is the town, the version and a hash of everything else the response depends
on (query parameters, language, media type, who is signed in). Django's ``condition``
asks for the ETag and Last-Modified before the view runs; the lookups are memoised on
the request so that the view does not repeat them.
"""

import hashlib
import json

from django.db import connection
from django.db.models import Count, Max
from django.http import Http404
from django.utils.translation import get_language

from powers import selectors
from powers.models import ListEntry, ListVersion
from townadmin.models import County, Town


def _memo(request, key, compute):
    # A DRF Request wraps the HttpRequest: memoise on the one both layers share.
    http_request = getattr(request, "_request", request)
    memo = http_request.__dict__.setdefault("_powers_portal", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def town(request, code):
    """The town with division code ``code`` (and its county); Http404 if there is none."""

    def lookup():
        found = Town.objects.select_related("county").filter(code=code).first()
        if found is None:
            raise Http404
        return found

    return _memo(request, ("town", code), lookup)


def version(request, code, number=None):
    """Version ``number`` of the town's lists, or the one ``?version=`` names, or the
    current one; Http404 for an unknown town or version, or a town with no published
    list."""
    if number is None:
        number = request.GET.get("version", "")

    def lookup():
        if number in ("", None):
            return _current(request, code)
        place = town(request, code)
        found = None
        if str(number).isdigit():
            try:
                found = selectors.version(place, int(number))
            except ListVersion.DoesNotExist:
                found = None
        if found is None:
            raise Http404
        found.town = place
        return found

    return _memo(request, ("version", code, str(number)), lookup)


# Every public list request, 304s included, starts with "the town's current version":
# written as SQL because compiling the ORM's three-table SELECT cost more than running it
# (bench/public_list.py). Model.from_db builds the instances as the ORM would.
VERSION_COLUMNS = (
    "id",
    "town_id",
    "number",
    "published_at",
    "document_no",
    "summary",
    "entry_count",
    "category_counts",
)
TOWN_COLUMNS = ("id", "county_id", "code", "name", "kind")
COUNTY_COLUMNS = ("id", "code", "name", "province", "city")
CURRENT_VERSION_SQL = f"""
    SELECT {", ".join(f"v.{c}" for c in VERSION_COLUMNS)},
           {", ".join(f"t.{c}" for c in TOWN_COLUMNS)},
           {", ".join(f"c.{c}" for c in COUNTY_COLUMNS)}
    FROM powers_listversion v
    JOIN townadmin_town t ON t.id = v.town_id
    JOIN townadmin_county c ON c.id = t.county_id
    WHERE t.code = %s
    ORDER BY v.number DESC
    LIMIT 1
"""


def _current(request, code):
    """The town's current version, with its town and county, in one query (the public
    list's usual read, whose ETag is computed on every request, 304 or not); the town is
    memoised from it. Http404 for an unknown town or one with no published list."""
    with connection.cursor() as cursor:
        cursor.execute(CURRENT_VERSION_SQL, [code])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    versions, towns = len(VERSION_COLUMNS), len(VERSION_COLUMNS) + len(TOWN_COLUMNS)
    found = ListVersion.from_db(connection.alias, VERSION_COLUMNS, row[:versions])
    # The JSON column comes back as text from a plain cursor.
    if isinstance(found.category_counts, str):
        found.category_counts = json.loads(found.category_counts)
    town = Town.from_db(connection.alias, TOWN_COLUMNS, row[versions:towns])
    town.county = County.from_db(connection.alias, COUNTY_COLUMNS, row[towns:])
    found.town = town
    _memo(request, ("town", code), lambda: town)
    return found


def entry(request, code, entry_code):
    """The entry ``entry_code`` of the version the request reads; Http404 if absent."""

    def lookup():
        published = version(request, code)
        found = ListEntry.objects.filter(version=published, code=entry_code).first()
        if found is None:
            raise Http404
        found.version = published
        return found

    return _memo(request, ("entry", code, entry_code), lookup)


def history(request, code):
    """All published versions of the town's lists, the latest first (a list)."""
    return _memo(
        request,
        ("history", code),
        lambda: list(ListVersion.objects.filter(town=town(request, code)).order_by("-number")),
    )


def publications(request):
    """How many versions exist, the last one's id and when the last was published: the
    towns index changes exactly when these do (versions are insert-only)."""
    return _memo(
        request,
        ("publications",),
        lambda: ListVersion.objects.aggregate(
            count=Count("pk"), last=Max("pk"), published_at=Max("published_at")
        ),
    )


def variant(request):
    """A short hash of what else a response depends on besides the version."""
    user = getattr(request, "user", None)
    parts = [
        get_language() or "",
        request.META.get("HTTP_ACCEPT", ""),
        str(getattr(user, "pk", None) or ""),
        *(f"{key}={value}" for key in sorted(request.GET) for value in request.GET.getlist(key)),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


# ETag and Last-Modified functions for django.views.decorators.http.condition: each
# takes the request and the URL's keyword arguments.


def list_etag(request, code, default_kind="", **kwargs):
    published = version(request, code)
    kind = request.GET.get("kind") or default_kind or "all"
    return f"{published.town.code}-v{published.number}-{kind}-{variant(request)}"


def version_published(request, code, **kwargs):
    return version(request, code).published_at


def entry_etag(request, code, entry_code, **kwargs):
    found = entry(request, code, entry_code)
    return f"{code}-v{found.version.number}-{found.pk}-{variant(request)}"


def history_etag(request, code, **kwargs):
    versions = history(request, code)
    latest = versions[0].number if versions else 0
    return f"{code}-v{latest}-versions-{variant(request)}"


def history_modified(request, code, **kwargs):
    versions = history(request, code)
    return versions[0].published_at if versions else None


def diff_etag(request, code, a, b, **kwargs):
    first, second = version(request, code, a), version(request, code, b)
    return f"{code}-v{first.number}-v{second.number}-diff-{variant(request)}"


def diff_modified(request, code, a, b, **kwargs):
    return max(version(request, code, a).published_at, version(request, code, b).published_at)


def towns_etag(request, **kwargs):
    state = publications(request)
    return f"towns-{state['count']}-{state['last'] or 0}-{variant(request)}"


def towns_modified(request, **kwargs):
    return publications(request)["published_at"]
