from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TownadminConfig(AppConfig):
    """The core app: organisation, access, audit, calendar, deadlines, outbox."""

    name = "townadmin"
    verbose_name = _("Town administration")
