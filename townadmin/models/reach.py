"""Reach: guardian object permissions on a Town or a County, with real foreign keys.

guardian's generic tables key the object by a varchar ``object_pk``, which cannot be
joined to ``town.id`` without a cast and has no foreign key. These direct tables
(guardian's "direct foreign keys" models) are found by guardian itself, so
``assign_perm``, ``user.has_perm(perm, town)`` and the admin keep working, and
``townadmin.access`` turns them into town ids with plain integer joins.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from townadmin.models.geography import County, Town


class TownUserObjectPermission(UserObjectPermissionBase):
    """A user's reach on one town ("may handle applications in Xiazhuang")."""

    content_object = models.ForeignKey(
        Town, models.CASCADE, related_name="user_reach", verbose_name=_("town")
    )

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("user reach on a town")
        verbose_name_plural = _("user reach on towns")


class TownGroupObjectPermission(GroupObjectPermissionBase):
    """A group's reach on one town."""

    content_object = models.ForeignKey(
        Town, models.CASCADE, related_name="group_reach", verbose_name=_("town")
    )

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("group reach on a town")
        verbose_name_plural = _("group reach on towns")


class CountyUserObjectPermission(UserObjectPermissionBase):
    """A user's reach on a county: every town of it, present and future."""

    content_object = models.ForeignKey(
        County, models.CASCADE, related_name="user_reach", verbose_name=_("county")
    )

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("user reach on a county")
        verbose_name_plural = _("user reach on counties")


class CountyGroupObjectPermission(GroupObjectPermissionBase):
    """A group's reach on a county: every town of it, present and future."""

    content_object = models.ForeignKey(
        County, models.CASCADE, related_name="group_reach", verbose_name=_("county")
    )

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("group reach on a county")
        verbose_name_plural = _("group reach on counties")
