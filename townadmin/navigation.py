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
    # "app.codename", or a tuple of them of which any one will do; None: no permission needed
    permission: str | tuple[str, ...] | None = None
    login_required: bool = False
    staff_only: bool = False
    # badge(user) -> int, shown next to the label; evaluated only if the page renders it.
    badge: Callable | None = None
    # visible(user) -> bool, for sections a model permission alone does not decide (the
    # back office needs the approval reach in some town, not just the permission).
    visible: Callable | None = None

    def visible_to(self, user):
        if self.staff_only and not user.is_staff:
            return False
        if (self.login_required or self.permission) and not user.is_authenticated:
            return False
        if self.permission is not None:
            wanted = (self.permission,) if isinstance(self.permission, str) else self.permission
            if not any(user.has_perm(permission) for permission in wanted):
                return False
        return self.visible is None or self.visible(user)


def _unread_messages(user):
    # Imported here: AppConfig modules import this one before the models are loaded.
    from townadmin.notifications.inbox import unread_count

    return unread_count(user)


_registry = [
    NavItem(_("Home"), "home"),
    NavItem(_("Power lists"), "powers:towns"),
    NavItem(_("Workbench"), "workbench", login_required=True),
    NavItem(_("My messages"), "inbox", login_required=True, badge=_unread_messages),
    NavItem(
        _("Review"),
        "powers:review-queue",
        permission=("powers.legal_review_adjustment", "powers.approve_adjustment"),
    ),
    NavItem(_("List adjustments"), "powers:adjustment-list", permission="powers.add_adjustment"),
    NavItem(_("Import a list"), "powers:import-start", permission="powers.add_adjustment"),
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

    items = [(item, reverse(item.url_name)) for item in visible_items(request.user)]
    # The section whose address is the longest prefix of the page's: /review/import/ is
    # "Import a list", not also "Review" at /review/.
    matches = [
        url
        for _item, url in items
        if request.path == url or (url != "/" and request.path.startswith(url))
    ]
    current_url = max(matches, key=len, default=None)
    links = []
    for item, url in items:
        current = url == current_url
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
