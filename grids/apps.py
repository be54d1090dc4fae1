from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    """Grids, grid members, event taxonomy, events and their dispatch."""

    name = "grids"
    verbose_name = _("Grid governance")
