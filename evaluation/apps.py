from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """Reform plans, tasks and milestones, supervision visits, indicators, assessments."""

    name = "evaluation"
    verbose_name = _("Evaluation and supervision")
