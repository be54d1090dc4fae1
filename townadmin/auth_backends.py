"""Django's model permissions, kept in the process across requests under the user's
access version (see ``townadmin.access``): a request that checks ``has_perm`` costs no
query once the process has seen the user, and a change of the user's groups or
permissions, however made, counts from their next request (migration 0009)."""

from django.contrib.auth.backends import ModelBackend

from townadmin.access import VersionedAnswers

_PERMISSIONS = VersionedAnswers()


class VersionedModelBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = _PERMISSIONS.get(user_obj, self._look_up)
        return user_obj._perm_cache

    def _look_up(self, user_obj):
        # ModelBackend's own answer (user and group permissions, all of them for a
        # superuser), frozen: one answer is shared by every request of the process.
        return frozenset(super().get_all_permissions(user_obj))
