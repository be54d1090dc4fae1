from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    """Fiscal regimes, revenue records, settlements, funding of devolved powers."""

    name = "finance"
    verbose_name = _("County-town fiscal sharing")
