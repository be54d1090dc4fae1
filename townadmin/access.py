"""Access: the one place that turns a user into the towns they may act on (DESIGN.md §3).

Reach is a guardian object permission on a Town, or on a County (then every town
of it, present and future), held by the user directly or through a group. Every
queryset a view or the API returns goes through ``scope()`` (or
``ScopedQuerySet.for_user``, the base viewset in ``townadmin.api.base``, or
``TownScopedMixin`` below), so an object outside the user's reach is simply not
there: 404, never a 403 that confirms it exists.

Answers are kept on the user object for the request, and in the process across requests
under the user's access version, which database triggers raise whenever the user's reach
or permissions change (migration 0009): a page costs no query for reach once the process
has seen the user, and a revocation counts from the user's next request. A service that
changes reach in a request calls ``forget()``.
"""

import threading
from collections import OrderedDict, defaultdict

from django.conf import settings
from django.db import models, transaction
from django.http import Http404

from townadmin.models.geography import Town
from townadmin.models.reach import (
    TownGroupObjectPermission,
    TownUserObjectPermission,
)
from townadmin.roles import REACH_CODENAMES, ROLES, role_codes

_CACHE = "_townadmin_reach"


class VersionedAnswers:
    """A bounded, thread-safe map from a user's identity at an access version to an answer
    (their reach, their model permissions). Entries of older versions are never asked for
    again and age out."""

    def __init__(self):
        self._answers = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(user):
        # date_joined tells apart two users given the same id after a table was emptied.
        return (user.pk, user.access_version, user.is_superuser, user.date_joined)

    def get(self, user, compute):
        size = settings.ACCESS_ANSWERS_KEPT
        if not size:
            return compute(user)
        key = self.key(user)
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        answer = compute(user)
        with self._lock:
            self._answers[key] = answer
            while len(self._answers) > size:
                self._answers.popitem(last=False)
        return answer

    def clear(self):
        with self._lock:
            self._answers.clear()


_REACH = VersionedAnswers()


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
    reach = {} if not (user.is_authenticated and user.is_active) else _REACH.get(user, _look_up)
    setattr(user, _CACHE, reach)
    return reach


def _look_up(user) -> dict[str, frozenset[int]]:
    if user.is_superuser:
        every_town = frozenset(Town.objects.values_list("id", flat=True))
        return dict.fromkeys(REACH_CODENAMES, every_town)
    towns = defaultdict(set)
    for codename, town_id in _reach_pairs(user):
        towns[codename].add(town_id)
    return {codename: frozenset(ids) for codename, ids in towns.items()}


def towns_for(user, permission: str) -> frozenset[int]:
    """Ids of the towns where ``user`` holds ``permission`` ("townadmin.<reach codename>").

    Superusers: every town. Anonymous and inactive users: none. At most one query, none
    when this process has answered for the user at its access version before.
    """
    return _reach(user).get(_codename(permission), frozenset())


def forget(user) -> None:
    """Drop the answers kept on ``user`` (after its reach changed in this request) and read
    its new access version, so the next question is answered afresh."""
    for attribute in (_CACHE, "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, attribute):
            delattr(user, attribute)
    if user.pk is not None:
        user.refresh_from_db(fields=["access_version"])


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
