from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicecenterConfig(AppConfig):
    """Service items and guides; the one-window hall: applications, notices, ratings, complaints."""

    name = "servicecenter"
    verbose_name = _("Service hall")
