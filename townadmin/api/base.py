"""Base classes that put every API queryset through ``townadmin.access`` (DESIGN.md §3).

A viewset over town-owned rows derives from ``TownScopedViewSet`` (or one of the two
ready-made combinations below) and declares ``reach_permission``; rows of towns outside
the user's reach are not in its queryset, so their detail, update and delete answer
404. A create or update that would leave the row in a town outside the user's write
reach is rolled back and answers 404 too.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from rest_framework import mixins, viewsets
from rest_framework.filters import BaseFilterBackend

from townadmin import access


class TownScopeFilterBackend(BaseFilterBackend):
    """Scope a generic view's queryset by the view's ``reach_permission`` and ``town_field``.

    For views that are not ``TownScopedViewSet`` (which scopes in ``get_queryset``).
    """

    def filter_queryset(self, request, queryset, view):
        return access.scope(
            queryset,
            request.user,
            view.reach_permission,
            town_field=getattr(view, "town_field", "town"),
        )


class TownScopedViewSet(viewsets.GenericViewSet):
    """A viewset whose rows belong to towns; put it BEFORE DRF's mixins in the bases.

    ``reach_permission``: reach needed to see a row ("townadmin.view_records").
    ``write_reach_permission``: reach needed to create, change or delete one (defaults to
    ``reach_permission``). ``town_field``: lookup path from the row to its town.
    """

    reach_permission: str = ""
    write_reach_permission: str = ""
    town_field = "town"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # With a DRF mixin first in the bases, its perform_* would shadow the re-check
        # below and a clerk could save a record into another town.
        for name in ("perform_create", "perform_update", "perform_destroy"):
            owner = next(klass for klass in cls.__mro__ if name in vars(klass))
            if owner.__module__ == mixins.__name__:
                raise ImproperlyConfigured(
                    f"{cls.__name__}: list TownScopedViewSet before DRF's mixins in its bases"
                )

    def get_queryset(self):
        if not self.reach_permission:
            raise ImproperlyConfigured(f"{type(self).__name__} must declare reach_permission")
        return access.scope(
            super().get_queryset(),
            self.request.user,
            self.reach_permission,
            town_field=self.town_field,
        )

    def check_write_reach(self, instance):
        """Raise Http404 (answered as 404) unless ``instance``'s town is in write reach."""
        access.require_reach(
            self.request.user,
            self.write_reach_permission or self.reach_permission,
            access.town_id_of(instance, self.town_field),
        )

    def perform_create(self, serializer):
        with transaction.atomic():
            self.check_write_reach(serializer.save())

    def perform_update(self, serializer):
        with transaction.atomic():
            self.check_write_reach(serializer.save())

    def perform_destroy(self, instance):
        self.check_write_reach(instance)
        instance.delete()


class TownScopedReadOnlyViewSet(
    TownScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    """List and detail of town-owned rows, scoped."""


class TownScopedModelViewSet(
    TownScopedViewSet,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
):
    """List, detail, create, update and delete of town-owned rows, scoped and re-checked."""
