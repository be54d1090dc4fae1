from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TownadminConfig(AppConfig):
    """The core app: organisation, access, audit, calendar, deadlines, outbox."""

    name = "townadmin"
    verbose_name = _("Town administration")

    def ready(self):
        from townadmin import audit_signals

        audit_signals.connect()

        from django.db.models.signals import post_migrate

        from townadmin.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, sender=self, dispatch_uid="townadmin-roles")

        from townadmin.workdays import load_chinese_calendar_after_migrate

        post_migrate.connect(
            load_chinese_calendar_after_migrate, sender=self, dispatch_uid="townadmin-calendar"
        )
