from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a periodic job ran; /healthz reports its age to show beat is alive."""

    name = models.CharField(_("name"), max_length=64, primary_key=True)
    last_run_at = models.DateTimeField(_("last run at"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name} @ {self.last_run_at:%Y-%m-%d %H:%M:%S}"
