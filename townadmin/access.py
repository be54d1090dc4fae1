"""Access: the one place that turns a user into the towns they may act on (DESIGN.md §3).

Reach is a guardian object permission on a Town, or on a County (then every town
of it, present and future), held by the user directly or through a group. Every
queryset a view or the API returns goes through ``scope()`` (or
``ScopedQuerySet.for_user``, the base viewset in ``townadmin.api.base``, or
``TownScopedMixin`` below), so an object outside the user's reach is simply not
there: 404, never a 403 that confirms it exists.

Answers are cached on the user object, which Django keeps for one request, so a page
asking ten times costs one query. A service that changes reach calls ``forget()``.
"""

from collections import defaultdict

from django.db import models, transaction
from django.http import Http404

from townadmin.models.geography import Town
from townadmin.models.reach import (
    TownGroupObjectPermission,
    TownUserObjectPermission,
)
from townadmin.roles import REACH_CODENAMES, ROLES, role_codes

_CACHE = "_townadmin_reach"


def _codename(permission: str) -> str:
    app_label, _dot, codename = permission.partition(".")
    if app_label != "townadmin" or codename not in REACH_CODENAMES:
        # A misspelt permission would scope every list to nothing, silently.
        raise ValueError(f"{permission!r} is not a reach permission (townadmin.<reach codename>)")
    return codename


def _reach_pairs(user):
    """(codename, town id) of every reach ``user`` holds: one UNION query, integer joins."""
    reach = {"permission__codename__in": REACH_CODENAMES}
    direct = TownUserObjectPermission.objects.filter(user=user, **reach).values_list(
        "permission__codename", "content_object_id"
    )
    through_group = TownGroupObjectPermission.objects.filter(group__user=user, **reach)
    through_group = through_group.values_list("permission__codename", "content_object_id")
    county = Town.objects.filter(
        county__user_reach__user=user,
        county__user_reach__permission__codename__in=REACH_CODENAMES,
    ).values_list("county__user_reach__permission__codename", "id")
    county_through_group = Town.objects.filter(
        county__group_reach__group__user=user,
        county__group_reach__permission__codename__in=REACH_CODENAMES,
    ).values_list("county__group_reach__permission__codename", "id")
    return direct.union(through_group, county, county_through_group)


def _reach(user) -> dict[str, frozenset[int]]:
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    if not (user.is_authenticated and user.is_active):
        reach = {}
    elif user.is_superuser:
        every_town = frozenset(Town.objects.values_list("id", flat=True))
        reach = dict.fromkeys(REACH_CODENAMES, every_town)
    else:
        towns = defaultdict(set)
        for codename, town_id in _reach_pairs(user):
            towns[codename].add(town_id)
        reach = {codename: frozenset(ids) for codename, ids in towns.items()}
    setattr(user, _CACHE, reach)
    return reach


def towns_for(user, permission: str) -> frozenset[int]:
    """Ids of the towns where ``user`` holds ``permission`` ("townadmin.<reach codename>").

    Superusers: every town. Anonymous and inactive users: none. At most one query,
    none when the same user object was asked before.
    """
    return _reach(user).get(_codename(permission), frozenset())


def forget(user) -> None:
    """Drop the cached answers on ``user`` (after its reach changed)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def towns_by_role(user) -> dict[str, list[Town]]:
    """For each role ``user`` holds, the towns where it holds all of that role's reach.

    All of it, not any of it: a clerk of Xiazhuang who is also an approver in
    Shangcun holds "view_records" in both, but acts as a clerk only in Xiazhuang.
    A role with no reach (system administrator) maps to an empty list. Three queries.
    """
    reach = _reach(user)
    per_role = {}
    for code in role_codes(user):
        needed = ROLES[code].reach
        per_role[code] = (
            frozenset.intersection(*(reach.get(codename, frozenset()) for codename in needed))
            if needed
            else frozenset()
        )
    wanted = frozenset().union(*per_role.values())
    towns = {town.id: town for town in Town.objects.filter(id__in=wanted).order_by("code")}
    return {
        code: sorted((towns[town_id] for town_id in ids), key=lambda town: town.code)
        for code, ids in per_role.items()
    }


def scope(queryset, user, permission: str, *, town_field: str = "town"):
    """``queryset`` narrowed to rows whose ``town_field`` is a town in ``user``'s reach.

    ``town_field`` is the lookup path to the town ("town", "application__town", or
    "pk" for a Town queryset). A user with no reach gets an empty queryset that does
    not even hit the database.
    """
    codename = _codename(permission)
    if user.is_authenticated and user.is_active and user.is_superuser:
        return queryset
    return queryset.filter(**{f"{town_field}__in": _reach(user).get(codename, frozenset())})


def town_id_of(obj, town_field: str = "town"):
    """The town id of ``obj`` following ``town_field`` as ``scope()`` does."""
    *path, last = town_field.split("__")
    for step in path:
        obj = getattr(obj, step)
        if obj is None:
            return None
    if last == "pk":
        return obj.pk
    return getattr(obj, f"{last}_id")


def in_reach(user, permission: str, town) -> bool:
    """Whether ``town`` (a Town or its id) is in ``user``'s reach for ``permission``."""
    town_id = town.pk if isinstance(town, Town) else town
    return town_id is not None and town_id in towns_for(user, permission)


def require_reach(user, permission: str, town) -> None:
    """Raise Http404 unless ``town`` (a Town or its id) is in ``user``'s reach."""
    if not in_reach(user, permission, town):
        raise Http404


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows its town column: ``Model.objects.for_user(user, permission)``.

    Declare ``objects = ScopedQuerySet.as_manager()`` on a model with a ``town`` foreign
    key; for another path to the town, subclass and set ``town_field``.
    """

    town_field = "town"

    def for_user(self, user, permission: str):
        return scope(self, user, permission, town_field=self.town_field)


class TownScopedMixin:
    """For Django's ListView, DetailView, CreateView, UpdateView: scope and re-check.

    Declare ``reach_permission`` (reading) and, when writing needs another,
    ``write_reach_permission``. A saved object whose town is outside the writer's
    reach rolls back and answers 404: a clerk cannot move a record into another town.
    """

    reach_permission: str = ""
    write_reach_permission: str = ""
    town_field = "town"

    def get_queryset(self):
        return scope(
            super().get_queryset(),
            self.request.user,
            self.reach_permission,
            town_field=self.town_field,
        )

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            require_reach(
                self.request.user,
                self.write_reach_permission or self.reach_permission,
                town_id_of(self.object, self.town_field),
            )
        return response
