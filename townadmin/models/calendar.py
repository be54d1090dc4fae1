"""The working-day calendar's data: days that break the Monday-to-Friday rule (DESIGN.md s. 5).

A day is a working day when it is Monday to Friday and not a holiday, or when it is
a make-up workday (调休上班), usually a Saturday or Sunday next to a long holiday.
The State Council publishes each year's arrangement in November or December; the
``chinesecalendar`` package carries the published years and seeds this table
(``manage.py load_holidays``), administrators add local holidays and next year's
days as soon as they are announced.

A year counts as known only when a :class:`CalendarYear` row says so: a year
without holidays in the table could be a year nobody has entered yet, and
``townadmin.workdays`` refuses to answer for it rather than silently fall back to
weekdays.
"""

import pghistory
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DayType(models.TextChoices):
    """How a period is counted; every deadline rule states one (its law says which)."""

    # 行政许可法 Art. 82: licensing periods are working days, holidays excluded.
    WORKING = "working", _("working days")
    # 民法典 Art. 203: a calendar-day period ending on a rest day ends on the next working day.
    CALENDAR = "calendar", _("calendar days")


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("holiday")  # 放假
    WORKDAY = "workday", _("make-up workday")  # 调休上班


class CalendarSource(models.TextChoices):
    CHINESECALENDAR = "chinesecalendar", _("chinese-calendar package")
    LOCAL = "local", _("local holiday")
    MANUAL = "manual", _("entered by an administrator")


@pghistory.track()
class Holiday(models.Model):
    """A day that is not what the Monday-to-Friday rule says: a holiday or a make-up workday.

    Days from the ``chinesecalendar`` package are refreshed by ``load_holidays``;
    days of any other source are never touched by it, so an administrator's
    correction or a local holiday survives a package upgrade.
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind)
    name = models.CharField(_("name"), max_length=64, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=CalendarSource, default=CalendarSource.MANUAL
    )

    class Meta:
        verbose_name = _("holiday or make-up workday")
        verbose_name_plural = _("holidays and make-up workdays")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".rstrip()


@pghistory.track()
class CalendarYear(models.Model):
    """A year whose holidays and make-up workdays are complete in :class:`Holiday`.

    Mark a year here only after entering all of its days (the State Council's
    notice): from then on deadlines that run into that year are computed.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(1949), MaxValueValidator(9998)]
    )
    source = models.CharField(
        _("source"), max_length=16, choices=CalendarSource, default=CalendarSource.MANUAL
    )
    loaded_at = models.DateTimeField(_("loaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar year loaded")
        verbose_name_plural = _("calendar years loaded")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)
