"""Reads of the powers app that several apps, views and services share.

``holding`` is the question every later app asks before it acts: is power P held by
town T on date D, and in whose name (``Devolution.exercised_in_name_of``)? A service
hall accepts an application, an enforcement office files a case, only when it answers.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q

from powers.models import Adjustment, Devolution, ListVersion
from townadmin import access
from townadmin.models.reach import (
    CountyGroupObjectPermission,
    CountyUserObjectPermission,
    TownGroupObjectPermission,
    TownUserObjectPermission,
)


def in_force_on(on):
    """The condition of a devolution in force on date ``on``.

    Active with ``on`` inside its term, or revoked later than ``on``: a revocation ends
    the holding from its day on, it does not rewrite what was held before.
    """
    in_term = Q(effective_from__lte=on) & (
        Q(effective_until__isnull=True) | Q(effective_until__gte=on)
    )
    return in_term & (
        Q(status=Devolution.Status.ACTIVE) | Q(status=Devolution.Status.REVOKED, revoked_on__gt=on)
    )


def holding(*, town, power, on) -> Devolution | None:
    """The devolution by which ``town`` holds ``power`` on ``on``, or None (one query)."""
    return (
        Devolution.objects.filter(in_force_on(on), town=town, power=power)
        .select_related("power", "receiving_office")
        .order_by("-effective_from", "-pk")
        .first()
    )


def holds(*, town, power, on) -> bool:
    """Whether ``town`` holds ``power`` on ``on``: ``holding`` without fetching the row."""
    return Devolution.objects.filter(in_force_on(on), town=town, power=power).exists()


def holding_by_code(*, town, code, on) -> Devolution | None:
    """``holding`` for the power of ``town``'s county with catalogue code ``code``."""
    return (
        Devolution.objects.filter(
            in_force_on(on), town=town, power__county_id=town.county_id, power__code=code
        )
        .select_related("power", "receiving_office")
        .order_by("-effective_from", "-pk")
        .first()
    )


def current_version(town) -> ListVersion | None:
    """The published version of ``town``'s lists the public reads now (highest number)."""
    return ListVersion.objects.filter(town=town).order_by("-number").first()


def version(town, number) -> ListVersion:
    """Version ``number`` of ``town``'s lists; raises ListVersion.DoesNotExist."""
    return ListVersion.objects.get(town=town, number=number)


def reach_holders(town, reach, *, permission=None):
    """Active users holding reach ``reach`` (a codename) on ``town``, directly or through
    its county, as themselves or through a group; with ``permission``
    ("app_label.codename"), only those who also hold that model permission.
    """
    users = get_user_model().objects.filter(is_active=True)
    on_town = {"content_object": town, "permission__codename": reach}
    on_county = {"content_object_id": town.county_id, "permission__codename": reach}
    holders = users.filter(
        Q(pk__in=TownUserObjectPermission.objects.filter(**on_town).values("user"))
        | Q(pk__in=CountyUserObjectPermission.objects.filter(**on_county).values("user"))
        | Q(groups__in=TownGroupObjectPermission.objects.filter(**on_town).values("group"))
        | Q(groups__in=CountyGroupObjectPermission.objects.filter(**on_county).values("group"))
    )
    if permission:
        app_label, codename = permission.split(".", 1)
        granted = {"content_type__app_label": app_label, "codename": codename}
        holders = holders.filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=_permissions(granted))
            | Q(groups__permissions__in=_permissions(granted))
        )
    return holders.distinct().order_by("pk")


def _permissions(lookup):
    return Permission.objects.filter(**lookup).values("pk")


def adjustments_awaiting(user):
    """Adjustments waiting for ``user``'s step, oldest wait first: the reviewer's queue.

    Legal review for those who give it, approval for those who approve, in the towns
    where ``user`` reviews reform.
    """
    statuses = []
    if user.has_perm("powers.legal_review_adjustment"):
        statuses.append(Adjustment.Status.LEGAL_REVIEW)
    if user.has_perm("powers.approve_adjustment"):
        statuses.append(Adjustment.Status.SUBMITTED)
    queryset = Adjustment.objects.filter(status__in=statuses)
    return (
        access.scope(queryset, user, "townadmin.review_reform")
        .select_related("town", "drafted_by", "base_version")
        .order_by("status_since", "pk")
    )
