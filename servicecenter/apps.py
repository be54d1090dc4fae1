from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _reaches(*reach):
    def visible(user):
        from townadmin.access import towns_for

        return any(towns_for(user, each) for each in reach)

    return visible


def _hall_page(page):
    def visible(user):
        from servicecenter.views_hall import hall_nav

        return hall_nav(user)[page]

    return visible


class ServicecenterConfig(AppConfig):
    """Service items and guides; the one-window hall: applications, notices, ratings, complaints."""

    name = "servicecenter"
    verbose_name = _("Service hall")

    def ready(self):
        from townadmin.navigation import NavItem, register

        for item in (
            NavItem(_("Application status"), "servicecenter:public-status"),
            NavItem(_("Service hall"), "servicecenter:hall", visible=_hall_page("desk")),
            NavItem(_("Back office"), "servicecenter:hall-office", visible=_hall_page("office")),
            NavItem(
                _("Applications"), "servicecenter:hall-applications", visible=_hall_page("list")
            ),
            NavItem(
                _("Supervision"),
                "servicecenter:supervision",
                visible=_reaches("townadmin.lead_town", "townadmin.review_reform"),
            ),
            NavItem(
                _("Hall statistics"),
                "servicecenter:statistics",
                permission="servicecenter.view_application",
                visible=_reaches("townadmin.view_records"),
            ),
            NavItem(
                _("Rectifications"),
                "servicecenter:rectifications",
                permission="servicecenter.change_rectification",
            ),
            NavItem(
                _("Rating appeals"),
                "servicecenter:rating-appeals",
                permission="servicecenter.decide_appeal",
            ),
        ):
            register(item)
