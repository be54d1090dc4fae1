from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: window clerk, dispatcher, reviewer, administrator.

    Our own model from the first migration, so that staff fields (display name,
    postings) can be added later without swapping the user model.
    """

    display_name = models.CharField(_("display name"), max_length=64, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username


class Heartbeat(models.Model):
    """The last time a periodic job ran; /healthz reports its age to show beat is alive."""

    name = models.CharField(_("name"), max_length=64, primary_key=True)
    last_run_at = models.DateTimeField(_("last run at"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name} @ {self.last_run_at:%Y-%m-%d %H:%M:%S}"
