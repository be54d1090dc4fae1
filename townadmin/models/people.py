"""People: users, their postings to units, enforcement certificates and village agents."""

import pghistory
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from townadmin.choices import Role
from townadmin.models.geography import Department, Town, Village


@pghistory.track(exclude=["password", "last_login", "access_version"])
class User(AbstractUser):
    """A person who signs in: window clerk, dispatcher, reviewer, administrator."""

    display_name = models.CharField(_("display name"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # Raised by database triggers whenever the user's reach or model permissions change
    # (migration 0009): a process may then keep its answers across requests
    # (townadmin.access), and a revocation counts from the next request on.
    access_version = models.PositiveBigIntegerField(default=0, db_default=0, editable=False)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username


@pghistory.track()
class Posting(models.Model):
    """A user's posting to a unit in a role, for a period (the source of their reach)."""

    user = models.ForeignKey(User, models.CASCADE, related_name="postings", verbose_name=_("user"))
    department = models.ForeignKey(
        Department, models.PROTECT, related_name="postings", verbose_name=_("unit")
    )
    town = models.ForeignKey(
        Town,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
        verbose_name=_("town"),
        help_text=_("Empty for a county-wide posting."),
    )
    role = models.CharField(_("role"), max_length=24, choices=Role)
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)
    # Set once, by posting_end or postings_expire, when the posting's reach is withdrawn;
    # a posting past its valid_until keeps its reach until the daily expiry job runs.
    ended_on = models.DateField(_("reach withdrawn on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["user", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="posting_period_is_ordered",
                violation_error_message=_("A posting cannot end before it starts."),
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.department}"


@pghistory.track()
class EnforcementCertificate(models.Model):
    """An administrative enforcement certificate (执法证); two valid ones are needed per case."""

    user = models.ForeignKey(
        User, models.CASCADE, related_name="certificates", verbose_name=_("officer")
    )
    number = models.CharField(_("certificate number"), max_length=32, unique=True)
    issuing_body = models.CharField(_("issuing body"), max_length=64)
    field = models.CharField(_("field of enforcement"), max_length=64, blank=True)
    valid_until = models.DateField(_("valid until"))

    class Meta:
        verbose_name = _("enforcement certificate")
        verbose_name_plural = _("enforcement certificates")
        ordering = ["user", "-valid_until"]

    def __str__(self):
        return self.number


class VillageAgent(models.Model):
    """A village agent (代办员) who files applications on villagers' behalf."""

    user = models.OneToOneField(
        User, models.CASCADE, related_name="village_agent", verbose_name=_("user")
    )
    village = models.ForeignKey(
        Village, models.PROTECT, related_name="agents", verbose_name=_("village")
    )

    class Meta:
        verbose_name = _("village agent")
        verbose_name_plural = _("village agents")

    def __str__(self):
        return f"{self.user} · {self.village}"
