"""The lists and catalogues a published version holds (seed 001 names them).

A version is one set of entries; each list kind is a filter of it, with the columns
that list shows. The power list and the responsibility list are the same entries (every
power but public services) seen through different columns.
"""

from dataclasses import dataclass

from django.db.models import BigIntegerField, Q, Subquery, Value
from django.db.models.functions import Cast

from powers.choices import Category, ListKind
from powers.models import ListEntry, ListVersion

# The fee list holds the entries that charge. Lists say "no fee" in several ways, often
# with the law that says so: "不收费", "不涉及收费", "不收费（《行政许可法》第五十八条）".
NO_FEE_EXACT = ("", "无")
NO_FEE_PREFIXES = ("不收费", "不涉及收费", "免费", "免收费")


def _free():
    free = Q(fees__in=NO_FEE_EXACT)
    for prefix in NO_FEE_PREFIXES:
        free |= Q(fees__startswith=prefix)
    return free


def charges(fees):
    """Whether a fees text says that something is charged (the Python twin of the fee list)."""
    fees = fees.strip()
    return fees not in NO_FEE_EXACT and not fees.startswith(NO_FEE_PREFIXES)


ENFORCEMENT_CATEGORIES = (Category.PENALTY, Category.COERCION, Category.INSPECTION)


@dataclass(frozen=True)
class Kind:
    """One list kind: which entries it holds and the columns its table shows.

    ``categories`` names the categories it holds when it is defined by category alone
    (its size then follows from ``ListVersion.category_counts``); ``columns`` are the
    keys the list template and nothing else reads.
    """

    condition: Q
    categories: frozenset | None
    columns: tuple[str, ...]


def _but_public_services():
    return frozenset(set(Category.values) - {Category.PUBLIC_SERVICE})


KINDS = {
    ListKind.POWER: Kind(
        ~Q(category=Category.PUBLIC_SERVICE),
        _but_public_services(),
        ("category", "department", "mode"),
    ),
    ListKind.RESPONSIBILITY: Kind(
        ~Q(category=Category.PUBLIC_SERVICE),
        _but_public_services(),
        ("responsibility_items", "accountability_cases"),
    ),
    ListKind.PUBLIC_SERVICE: Kind(
        Q(category=Category.PUBLIC_SERVICE),
        frozenset({Category.PUBLIC_SERVICE}),
        ("department", "implementing_body", "days"),
    ),
    ListKind.APPROVAL: Kind(
        Q(category=Category.LICENCE),
        frozenset({Category.LICENCE}),
        ("department", "days", "fees"),
    ),
    ListKind.ENFORCEMENT: Kind(
        Q(category__in=ENFORCEMENT_CATEGORIES),
        frozenset(ENFORCEMENT_CATEGORIES),
        ("category", "department", "mode"),
    ),
    ListKind.SUPERVISION: Kind(
        Q(category=Category.INSPECTION),
        frozenset({Category.INSPECTION}),
        ("department", "supervision_channel"),
    ),
    ListKind.FEE: Kind(~_free(), None, ("department", "fees")),
}


def entries(version, kind=None):
    """The entries of ``version`` in list order; only those of ``kind`` when given.

    The search columns are left out of the SELECT: they are for the index only.
    """
    # A bigint, not the integer literal psycopg2 writes: btree_gin's int8 operator class
    # has no int8 = int4 operator, and without it the search index cannot take the
    # version as an index condition (see ListEntry's "list_entry_search").
    version_id = Cast(Value(getattr(version, "pk", version)), BigIntegerField())
    queryset = (
        ListEntry.objects.filter(version_id=version_id)
        .order_by("position")
        .defer("search_words", "search_vector")
    )
    return queryset.filter(KINDS[kind].condition) if kind else queryset


def kind_size(version, kind):
    """How many entries list ``kind`` of ``version`` holds, from the version's counts
    (no query); None for a list that is not defined by category (the fee list)."""
    categories = KINDS[kind].categories
    if categories is None:
        return None
    return sum(version.category_counts.get(category, 0) for category in categories)


def current_versions():
    """The current version of every town that has published its lists (one query),
    with its town and county, ordered by county and town code."""
    latest = ListVersion.objects.order_by("town_id", "-number").distinct("town_id").values("pk")
    return (
        ListVersion.objects.filter(pk__in=Subquery(latest))
        .select_related("town__county")
        .order_by("town__county__code", "town__code")
    )


# The JSON copies of an entry hold dicts (publication validates them); these read
# them for people, tolerating the plain strings an older copy might hold.


def basis_text(basis, *, excerpt=False):
    """A legal basis as cited: 《law》article, and "：excerpt" with ``excerpt``."""
    if isinstance(basis, str):
        return basis
    law = basis.get("law", "")
    if law and not law.startswith("《"):
        law = f"《{law}》"
    text = f"{law}{basis.get('article', '')}"
    if excerpt and basis.get("excerpt"):
        text = f"{text}：{basis['excerpt']}"
    return text


def item_text(item):
    """A responsibility item as "name：content"."""
    if isinstance(item, str):
        return item
    name, content = item.get("name", ""), item.get("content", "")
    return f"{name}：{content}" if content else name


def case_text(case):
    return case if isinstance(case, str) else case.get("text", "")
