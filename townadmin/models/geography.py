"""Administrative geography and organisation: counties, towns, villages, departments, posts."""

import pghistory
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from townadmin.choices import REACH_PERMISSIONS, DepartmentKind, ManagementMode, QuotaKind, TownKind

six_digits = RegexValidator(r"^\d{6}$", _("A county code has 6 digits."))
nine_digits = RegexValidator(r"^\d{9}$", _("A town code has 9 digits."))


@pghistory.track()
class County(models.Model):
    """A county (县): the level that devolves powers and reviews the town's reform.

    Its staffing totals may only decrease (Jiangsu opinion, seed 004: 编制只减不增);
    ``townadmin.services.county_staffing_total_set`` enforces that.
    """

    code = models.CharField(_("division code"), max_length=6, unique=True, validators=[six_digits])
    name = models.CharField(_("name"), max_length=64)
    province = models.CharField(_("province"), max_length=32)
    city = models.CharField(_("city"), max_length=32, blank=True)
    administrative_posts_total = models.PositiveIntegerField(
        _("administrative posts (county total)"), default=0
    )
    institutional_posts_total = models.PositiveIntegerField(
        _("institutional posts (county total)"), default=0
    )

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["code"]
        permissions = REACH_PERMISSIONS

    def __str__(self):
        return self.name


@pghistory.track()
class Town(models.Model):
    """A town, sub-district or township; every operational row points at one (the scoping key)."""

    county = models.ForeignKey(
        County, models.PROTECT, related_name="towns", verbose_name=_("county")
    )
    code = models.CharField(_("division code"), max_length=9, unique=True, validators=[nine_digits])
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=TownKind, default=TownKind.TOWN)
    is_pilot = models.BooleanField(_("economically developed town pilot"), default=False)
    pilot_batch = models.CharField(_("pilot batch"), max_length=64, blank=True)
    pilot_since = models.DateField(_("pilot since"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("town")
        verbose_name_plural = _("towns")
        ordering = ["code"]
        permissions = REACH_PERMISSIONS
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_pilot=False) | ~models.Q(pilot_batch=""),
                name="town_pilot_has_batch",
                violation_error_message=_("A pilot town needs its pilot batch."),
            )
        ]

    def __str__(self):
        return self.name


class Community(models.Model):
    """A community (社区) under a town; rural communities group several villages."""

    town = models.ForeignKey(
        Town, models.CASCADE, related_name="communities", verbose_name=_("town")
    )
    code = models.CharField(_("code"), max_length=12, blank=True)
    name = models.CharField(_("name"), max_length=64)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["town", "name"]
        constraints = [models.UniqueConstraint("town", "name", name="community_unique_name")]

    def __str__(self):
        return self.name


class Village(models.Model):
    """An administrative village (行政村) under a town, optionally inside a community."""

    town = models.ForeignKey(Town, models.CASCADE, related_name="villages", verbose_name=_("town"))
    community = models.ForeignKey(
        Community,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="villages",
        verbose_name=_("community"),
    )
    code = models.CharField(_("code"), max_length=12, blank=True)
    name = models.CharField(_("name"), max_length=64)

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["town", "name"]
        constraints = [models.UniqueConstraint("town", "name", name="village_unique_name")]

    def __str__(self):
        return self.name


@pghistory.track()
class Department(models.Model):
    """A county department, a town office, or an agency a county department stations in a town.

    County departments carry ``county`` only; town offices and stationed agencies carry
    ``town`` too. A stationed agency names its parent department and its management mode.
    """

    county = models.ForeignKey(
        County, models.PROTECT, related_name="departments", verbose_name=_("county")
    )
    town = models.ForeignKey(
        Town,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
        verbose_name=_("town"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=DepartmentKind)
    name = models.CharField(_("name"), max_length=64)
    short_name = models.CharField(_("short name"), max_length=32, blank=True)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="stationed_agencies",
        verbose_name=_("parent department"),
    )
    management_mode = models.CharField(
        _("management mode"), max_length=24, choices=ManagementMode, blank=True
    )
    duties = models.TextField(_("duties"), blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["county", "town", "kind", "name"]
        constraints = [
            models.UniqueConstraint("county", "town", "name", name="department_unique_name"),
            models.CheckConstraint(
                condition=models.Q(kind=DepartmentKind.COUNTY_DEPARTMENT, town__isnull=True)
                | (~models.Q(kind=DepartmentKind.COUNTY_DEPARTMENT) & models.Q(town__isnull=False)),
                name="department_town_matches_kind",
                violation_error_message=_(
                    "A county department belongs to no town; town offices and stationed "
                    "agencies belong to one."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(kind=DepartmentKind.STATIONED_AGENCY)
                ^ models.Q(management_mode=""),
                name="department_mode_only_for_stationed",
                violation_error_message=_("Only a stationed agency has a management mode."),
            ),
        ]

    def __str__(self):
        return self.name


@pghistory.track()
class StaffingQuota(models.Model):
    """Approved and filled posts of one kind in one unit (编制).

    The units' approved posts of a county never exceed the county's total for that
    kind; ``townadmin.services.staffing_quota_set`` is the only writer.
    """

    department = models.ForeignKey(
        Department, models.CASCADE, related_name="quotas", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=QuotaKind)
    approved = models.PositiveIntegerField(_("approved posts"), validators=[MinValueValidator(0)])
    filled = models.PositiveIntegerField(_("filled posts"), default=0)

    class Meta:
        verbose_name = _("staffing quota")
        verbose_name_plural = _("staffing quotas")
        constraints = [
            models.UniqueConstraint("department", "kind", name="staffing_quota_unique_kind")
        ]

    def __str__(self):
        return f"{self.department} {self.get_kind_display()} {self.filled}/{self.approved}"
