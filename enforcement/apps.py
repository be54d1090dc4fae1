from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    """Enforcement items, discretion benchmarks, cases, dispatch, joint operations, inspections."""

    name = "enforcement"
    verbose_name = _("Integrated enforcement")
