"""Service items and their guides (政务服务事项 / 办事指南).

A town's service items are derived from the powers it holds that citizens apply for
(``ListEntry.applies_on_application``): licences, confirmations, payments, public
services. The guide is the item's own data: conditions, materials, both limits with
their day type, fee, channels, maximum visits and the special steps that do not count
toward the limit (行政许可法 Art. 45). Durations are data with their citation.
"""

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicecenter.choices import Channel, ItemKind, MaterialForm
from townadmin.access import ScopedQuerySet
from townadmin.models.calendar import DayType

# 行政许可法 Art. 42: twenty days, ten more with the head's approval.
STATUTORY_CITATION = "《中华人民共和国行政许可法》第四十二条"


@pghistory.track()
class ServiceItem(models.Model):
    """A service a town's hall takes applications for, with its published guide.

    ``power`` is the county catalogue power the town must hold on the day it accepts
    (``powers.selectors.holding``); ``code`` and ``name`` are copied from the list
    entry the item was derived from, so the guide reads alone.
    """

    town = models.ForeignKey(
        "townadmin.Town", models.PROTECT, related_name="service_items", verbose_name=_("town")
    )
    power = models.ForeignKey(
        "powers.Power", models.PROTECT, related_name="service_items", verbose_name=_("power")
    )
    code = models.CharField(_("item code"), max_length=48)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=16)
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind, default=ItemKind.PROMISED)
    conditions = models.TextField(_("conditions"), blank=True)  # 受理条件
    responsible_office = models.CharField(_("responsible office"), max_length=64, blank=True)
    exercised_in_name_of = models.CharField(_("decided in the name of"), max_length=100)
    day_type = models.CharField(
        _("counted in"), max_length=16, choices=DayType, default=DayType.WORKING
    )
    statutory_days = models.PositiveSmallIntegerField(_("statutory limit"))
    promised_days = models.PositiveSmallIntegerField(_("promised limit"))
    statutory_citation = models.CharField(
        _("legal basis of the limit"), max_length=200, default=STATUTORY_CITATION
    )
    # 行政许可法 Art. 42: the extension a head of the body may grant, as data.
    extension_days = models.PositiveSmallIntegerField(_("extension by approval"), default=10)
    fee = models.DecimalField(_("fee (yuan)"), max_digits=10, decimal_places=2, default=0)
    fee_basis = models.CharField(_("fee basis"), max_length=300, blank=True)
    channels = ArrayField(
        models.CharField(max_length=16, choices=Channel),
        verbose_name=_("channels"),
        default=list,
    )
    max_visits = models.PositiveSmallIntegerField(_("maximum visits"), default=1)  # 最多跑一次
    # [{"name": "专家评审", "citation": "...", "max_days": 10}]: paused, not counted.
    special_steps = models.JSONField(_("special steps"), default=list, blank=True)
    window = models.CharField(_("window"), max_length=100, blank=True)
    phone = models.CharField(_("enquiry phone"), max_length=32, blank=True)
    remedy_channel = models.CharField(_("remedy channel"), max_length=300, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["town", "code"]
        constraints = [
            models.UniqueConstraint("town", "code", name="service_item_unique_code"),
            models.CheckConstraint(
                condition=models.Q(promised_days__lte=models.F("statutory_days")),
                name="service_item_promise_within_statute",
                violation_error_message=_("The promised limit cannot exceed the statutory one."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_instant(self):
        return self.kind == ItemKind.INSTANT

    @property
    def compression(self):
        """承诺时限压缩比: 1 - promised/statutory."""
        return 1 - self.promised_days / self.statutory_days if self.statutory_days else 0


class Material(models.Model):
    """One material of a guide (申请材料); ``shared_from`` names the system that already
    holds it, so the applicant need not bring it (江苏意见: no re-submission)."""

    item = models.ForeignKey(
        ServiceItem, models.CASCADE, related_name="materials", verbose_name=_("service item")
    )
    position = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    form = models.CharField(
        _("form"), max_length=24, choices=MaterialForm, default=MaterialForm.ORIGINAL
    )
    copies = models.PositiveSmallIntegerField(
        _("copies"), default=1, validators=[MinValueValidator(1)]
    )
    required = models.BooleanField(_("required"), default=True)
    may_be_pending = models.BooleanField(_("may be pending (容缺)"), default=False)
    shared_from = models.CharField(_("obtained from"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint("item", "position", name="material_unique_position"),
            models.CheckConstraint(
                condition=models.Q(required=True) | models.Q(may_be_pending=False),
                name="material_pending_only_if_required",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def brought_by_applicant(self):
        return not self.shared_from
