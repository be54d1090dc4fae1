"""The county's power catalogue (权力事项目录): every power a county department holds."""

import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _

from powers.choices import Category
from townadmin.models.geography import County, Department


@pghistory.track()
class Power(models.Model):
    """A county power (权力事项), a main item or one of its sub-items (子项).

    Codes are unique within a county and stable: lists, imports and the API refer to
    powers by code. Days are the service guide's defaults for powers citizens apply for.
    """

    county = models.ForeignKey(
        County, models.PROTECT, related_name="powers", verbose_name=_("county")
    )
    code = models.CharField(_("power code"), max_length=48)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=Category)
    department = models.ForeignKey(
        Department,
        models.PROTECT,
        related_name="powers",
        verbose_name=_("source department"),
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_items",
        verbose_name=_("main item"),
    )
    implementing_body = models.CharField(_("implementing body"), max_length=100, blank=True)
    may_devolve = models.BooleanField(_("may be devolved"), default=True)
    fees = models.CharField(_("fees"), max_length=300, blank=True)
    supervision_channel = models.CharField(_("supervision channel"), max_length=300, blank=True)
    remedy_channel = models.CharField(_("remedy channel"), max_length=300, blank=True)
    applies_on_application = models.BooleanField(
        _("citizens apply for it"),
        default=False,
        help_text=_("Licences, confirmations and services a citizen applies for at the hall."),
    )
    statutory_days = models.PositiveSmallIntegerField(_("statutory limit"), null=True, blank=True)
    promised_days = models.PositiveSmallIntegerField(_("promised limit"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("power")
        verbose_name_plural = _("powers")
        ordering = ["county", "code"]
        constraints = [
            models.UniqueConstraint("county", "code", name="power_unique_code_per_county"),
            models.CheckConstraint(
                condition=models.Q(promised_days__isnull=True)
                | models.Q(statutory_days__isnull=True)
                | models.Q(promised_days__lte=models.F("statutory_days")),
                name="power_promised_within_statutory",
                violation_error_message=_("The promised limit cannot exceed the statutory one."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class LegalBasis(models.Model):
    """A legal basis of a power, down to the article (实施依据)."""

    power = models.ForeignKey(
        Power, models.CASCADE, related_name="legal_bases", verbose_name=_("power")
    )
    law = models.CharField(_("law or regulation"), max_length=200)
    article = models.CharField(_("article"), max_length=100, blank=True)
    excerpt = models.TextField(_("excerpt"), blank=True)
    link = models.URLField(_("link"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["power", "position"]

    def __str__(self):
        return f"{self.law}{self.article}"


class ResponsibilityItem(models.Model):
    """What the implementing body answers for at one stage (责任事项: 受理责任, 审查责任 …)."""

    power = models.ForeignKey(
        Power, models.CASCADE, related_name="responsibility_items", verbose_name=_("power")
    )
    name = models.CharField(_("name"), max_length=100)
    content = models.TextField(_("content"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("responsibility item")
        verbose_name_plural = _("responsibility items")
        ordering = ["power", "position"]

    def __str__(self):
        return self.name


class AccountabilityCase(models.Model):
    """A case in which officials are held accountable (追责情形)."""

    power = models.ForeignKey(
        Power, models.CASCADE, related_name="accountability_cases", verbose_name=_("power")
    )
    text = models.TextField(_("case"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("accountability case")
        verbose_name_plural = _("accountability cases")
        ordering = ["power", "position"]

    def __str__(self):
        return self.text[:40]
