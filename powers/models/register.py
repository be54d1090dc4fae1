"""The devolution register (下放事项登记): which county powers a town holds, how, since when."""

import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _

from powers.choices import DevolutionMode, DevolutionScope
from powers.models.catalogue import Power
from townadmin.models.deadlines import Supervised, sweep_index
from townadmin.models.geography import Department, Town


@pghistory.track()
class Devolution(Supervised):
    """One power held by one town for a period, in someone's name.

    Status: ``active`` -> ``revoked`` (``powers.services.devolution_revoke``); a term
    that ends simply stops ``powers.selectors.holding`` from answering for later dates.
    Entrusted powers are exercised in the delegating department's name, have a term and
    cannot be entrusted again (``parent`` names the entrustment a re-delegation would come
    from; the service refuses it). The inherited clock is the renewal deadline of an
    entrustment: ``due_date`` = 15 days before the term ends (DOMAIN.md), swept daily.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("in force")
        REVOKED = "revoked", _("revoked")

    town = models.ForeignKey(
        Town, models.PROTECT, related_name="devolutions", verbose_name=_("town")
    )
    power = models.ForeignKey(
        Power, models.PROTECT, related_name="devolutions", verbose_name=_("power")
    )
    mode = models.CharField(_("mode"), max_length=16, choices=DevolutionMode)
    exercised_in_name_of = models.CharField(_("exercised in the name of"), max_length=100)
    scope = models.CharField(
        _("scope"), max_length=16, choices=DevolutionScope, default=DevolutionScope.WHOLE
    )
    is_partial = models.BooleanField(_("part of the power only"), default=False)
    scope_note = models.CharField(_("scope note"), max_length=300, blank=True)
    receiving_office = models.ForeignKey(
        Department,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="received_powers",
        verbose_name=_("receiving town office"),
    )
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    document_no = models.CharField(_("document number"), max_length=100)  # 文号
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.ACTIVE)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="redelegations",
        verbose_name=_("delegated from"),
    )

    class Meta:
        verbose_name = _("devolution")
        verbose_name_plural = _("devolution register")
        ordering = ["town", "power__code"]
        constraints = [
            # One holding in force per town and power: a change revokes and registers anew.
            models.UniqueConstraint(
                "town",
                "power",
                condition=models.Q(status="active"),
                name="devolution_one_active_per_power",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_until__isnull=True)
                | models.Q(effective_until__gte=models.F("effective_from")),
                name="devolution_period_is_ordered",
                violation_error_message=_("A devolution cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~models.Q(mode=DevolutionMode.ENTRUST)
                | models.Q(effective_until__isnull=False),
                name="devolution_entrustment_has_term",
                violation_error_message=_("An entrustment needs the date its term ends."),
            ),
        ]
        indexes = [
            sweep_index(name="devolution_renewal_sweep", condition=models.Q(status="active")),
            models.Index(fields=["town", "power", "effective_from"], name="devolution_holding"),
        ]

    def __str__(self):
        return f"{self.town} · {self.power}"
