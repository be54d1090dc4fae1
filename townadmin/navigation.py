"""The main navigation: one registry, filtered by what the signed-in user may do.

Each app registers its sections in its ``AppConfig.ready()``; a section shows
only to users who hold its permission (roles are groups with model
permissions), so a window clerk never sees the enforcement menu.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None  # "app.codename"; None: no permission needed
    login_required: bool = False
    staff_only: bool = False
    # badge(user) -> int, shown next to the label; evaluated only if the page renders it.
    badge: Callable | None = None

    def visible_to(self, user):
        if self.staff_only and not user.is_staff:
            return False
        if (self.login_required or self.permission) and not user.is_authenticated:
            return False
        return self.permission is None or user.has_perm(self.permission)


def _unread_messages(user):
    # Imported here: AppConfig modules import this one before the models are loaded.
    from townadmin.notifications.inbox import unread_count

    return unread_count(user)


_registry = [
    NavItem(_("Home"), "home"),
    NavItem(_("Workbench"), "workbench", login_required=True),
    NavItem(_("My messages"), "inbox", login_required=True, badge=_unread_messages),
    NavItem(_("API"), "api-docs", login_required=True),
    NavItem(_("Administration"), "admin:index", staff_only=True),
]


def register(item):
    if item not in _registry:
        _registry.append(item)


def visible_items(user, items=None):
    return [item for item in (_registry if items is None else items) if item.visible_to(user)]


def context_processor(request):
    from django.conf import settings

    links = []
    for item in visible_items(request.user):
        url = reverse(item.url_name)
        current = request.path == url or (url != "/" and request.path.startswith(url))
        badge = SimpleLazyObject(partial(item.badge, request.user)) if item.badge else None
        links.append(
            {
                "label": item.label,
                "url": url,
                "current": current,
                "name": item.url_name,
                "badge": badge,
            }
        )
    return {"nav_items": links, "portal_name": settings.PORTAL_NAME}
