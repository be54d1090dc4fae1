from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PowersConfig(AppConfig):
    """Power catalogue, devolution register, power and responsibility lists and their versions."""

    name = "powers"
    verbose_name = _("Powers and lists")
