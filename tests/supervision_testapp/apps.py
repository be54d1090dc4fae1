from django.apps import AppConfig


class SupervisionTestappConfig(AppConfig):
    """Concrete models for the deadline engine's tests."""

    name = "tests.supervision_testapp"
    label = "supervision_testapp"
    default_auto_field = "django.db.models.BigAutoField"
