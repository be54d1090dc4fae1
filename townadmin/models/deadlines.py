"""The deadline engine's data (DESIGN.md section 5): rules, the ``Supervised`` mixin, the pause
ledger, extensions and e-supervision alerts (电子监察 黄牌/红牌).

A workflow model becomes supervised by inheriting :class:`Supervised` and having a
``town`` foreign key. Its clocks are declared in ``CLOCKS``: the mixin brings one
clock, ``due`` (``due_date`` + ``warning_level``); a model with two clocks, such as a
service application with a promised and a statutory limit, adds the second pair with
:func:`due_date_field` / :func:`warning_level_field` and lists both::

    class Application(Supervised):
        town = models.ForeignKey(Town, ...)
        statutory_due_date = due_date_field(_("statutory due date"))
        statutory_warning_level = warning_level_field(_("statutory warning level"))

        CLOCKS = (
            Clock("promised", "due_date", "warning_level"),
            Clock("statutory", "statutory_due_date", "statutory_warning_level"),
        )

        class Meta:
            indexes = [sweep_index(name="application_promised_sweep"), ...]

All clocks of an object share its start, its day type and its pauses; only
``townadmin.deadlines`` services change the due dates after the start.
"""

from typing import NamedTuple

import pghistory
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import checks
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townadmin.models.calendar import DayType
from townadmin.workdays import add_days


class WarningLevel(models.TextChoices):
    NORMAL = "normal", _("normal")
    YELLOW = "yellow", _("yellow card")  # 黄牌: due within N working days
    RED = "red", _("red card")  # 红牌: overdue


class ClockState(models.TextChoices):
    """Whether an object's clocks run; the from/to of the deadline steps in its timeline."""

    RUNNING = "deadline_running", _("deadline running")
    PAUSED = "deadline_paused", _("deadline paused")


class Clock(NamedTuple):
    """One deadline of a supervised model: its name (stored on alerts) and its two fields."""

    name: str
    due_field: str
    level_field: str


DUE_DATE = _("due date")
WARNING_LEVEL = _("warning level")


def due_date_field(verbose_name=DUE_DATE):
    # A date, not a time: periods are whole days and a deadline lasts to the end of its day.
    return models.DateField(verbose_name, null=True, blank=True)


def warning_level_field(verbose_name=WARNING_LEVEL):
    return models.CharField(
        verbose_name, max_length=8, choices=WarningLevel, default=WarningLevel.NORMAL
    )


def sweep_index(*, name, due_field="due_date", condition=None):
    """The partial index a clock's sweep reads: running clocks by due date.

    Paused and unstarted objects are left out, so the index stays as small as the
    set of objects the sweep can change. Pass the model's "open" condition too
    (``Q(status__in=...)``) when its sweep is limited to open objects.
    """
    running = models.Q(paused_on__isnull=True, **{f"{due_field}__isnull": False})
    return models.Index(
        fields=[due_field], name=name, condition=running & condition if condition else running
    )


class Supervised(models.Model):
    """Abstract: the fields a supervised workflow object carries (a clock, a pause, a level).

    ``started_at`` is a time, not a date: the moment of acceptance or filing is a
    legal fact printed on the receipt, and it orders the events of one day. Periods
    count from the next local day (民法典 Art. 201), so the calendar is given
    ``start_date``. ``paused_on`` is set while a pause of the ledger is open: the
    sweep leaves paused objects at the level they had, and resuming moves every due
    date by the paused days. The concrete model must have a ``town`` foreign key
    (the scoping key alerts and the ledger copy); ``manage.py check`` says so.
    """

    started_at = models.DateTimeField(_("clock started at"), null=True, blank=True)
    day_type = models.CharField(
        _("counted in"), max_length=16, choices=DayType, default=DayType.WORKING
    )
    due_date = due_date_field()
    warning_level = warning_level_field()
    paused_on = models.DateField(_("paused since"), null=True, blank=True)

    CLOCKS = (Clock("due", "due_date", "warning_level"),)

    class Meta:
        abstract = True

    @property
    def is_paused(self):
        return self.paused_on is not None

    @property
    def start_date(self):
        return timezone.localdate(self.started_at) if self.started_at else None

    def start_clocks(self, *, started_at, day_type, **days):
        """Start the clocks at ``started_at``: ``days`` gives each clock's period by name
        (``promised=5, statutory=20``). Sets the fields; the caller's service saves."""
        unknown = set(days) - {clock.name for clock in self.CLOCKS}
        if unknown:
            raise ValueError(f"{type(self).__name__} has no clock {sorted(unknown)}")
        self.started_at = started_at
        self.day_type = day_type
        for clock in self.CLOCKS:
            if clock.name in days:
                setattr(
                    self, clock.due_field, add_days(self.start_date, days[clock.name], day_type)
                )

    @classmethod
    def check(cls, **kwargs):
        errors = super().check(**kwargs)
        fields = {field.name for field in cls._meta.get_fields()}
        if "town" not in fields:
            errors.append(
                checks.Error(
                    "A supervised model needs a 'town' foreign key.", obj=cls, id="townadmin.E101"
                )
            )
        for clock in cls.CLOCKS:
            for field in (clock.due_field, clock.level_field):
                if field not in fields:
                    errors.append(
                        checks.Error(
                            f"Clock {clock.name!r} names a field {field!r} the model lacks.",
                            obj=cls,
                            id="townadmin.E102",
                        )
                    )
        return errors


@pghistory.track()
class DeadlineRule(models.Model):
    """A legal time limit as data: how many days, counted how, and which article says so.

    Apps point their items at a rule (a service guide's statutory limit, an
    enforcement item's decision limit) instead of writing numbers in code.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=128)
    day_type = models.CharField(_("counted in"), max_length=16, choices=DayType)
    days = models.PositiveSmallIntegerField(_("days"), validators=[MinValueValidator(1)])
    law = models.CharField(_("law"), max_length=128)
    article = models.CharField(_("article"), max_length=64)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=models.Q(days__gte=1), name="rule_days")]

    def __str__(self):
        return f"{self.name} ({self.days} {self.get_day_type_display()})"

    @property
    def citation(self):
        return f"《{self.law}》{self.article}"

    def due_from(self, start):
        """The due date of a period under this rule that starts on ``start`` (a date)."""
        return add_days(start, self.days, self.day_type)


class AboutSupervised(models.Model):
    """Abstract: a row about one supervised object, scoped by the object's town."""

    town = models.ForeignKey(
        "townadmin.Town", models.PROTECT, related_name="+", verbose_name=_("town")
    )
    content_type = models.ForeignKey(
        ContentType, models.PROTECT, related_name="+", verbose_name=_("object type")
    )
    object_id = models.BigIntegerField(_("object id"))
    obj = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True


@pghistory.track()
class DeadlinePause(AboutSupervised):
    """A stretch of time that does not count toward an object's deadlines (the pause ledger).

    行政许可法 Art. 45: hearings, auctions, testing, inspection, quarantine and expert
    review are not counted; so is the applicant's time to complete missing materials
    (补正). ``paused_days`` is filled on resume: the days (of the object's day type)
    by which every due date moved. One open pause per object, enforced here.
    """

    reason = models.TextField(_("reason"))
    citation = models.CharField(_("legal citation"), max_length=200)
    started_on = models.DateField(_("paused on"))
    ended_on = models.DateField(_("resumed on"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("days not counted"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("paused by")
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resumed by"),
    )

    class Meta:
        verbose_name = _("deadline pause")
        verbose_name_plural = _("deadline pauses")
        ordering = ["started_on", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="pause_object")]
        constraints = [
            models.UniqueConstraint(
                "content_type",
                "object_id",
                condition=models.Q(ended_on__isnull=True),
                name="pause_one_open_per_object",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="pause_period_is_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.started_on} – {self.ended_on or '…'}: {self.reason}"


@pghistory.track()
class DeadlineExtension(AboutSupervised):
    """More days for an object's clock, granted by someone entitled to (延期, e.g. 行政许可法
    Art. 42: ten more working days with the head's approval).

    Legal transitions: requested → approved (the due dates move) | refused.
    ``clock`` empty means every clock of the object.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    clock = models.CharField(_("clock"), max_length=32, blank=True)
    days = models.PositiveSmallIntegerField(_("days"), validators=[MinValueValidator(1)])
    reason = models.TextField(_("reason"))
    citation = models.CharField(_("legal citation"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["requested_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="extension_object")]
        constraints = [
            models.UniqueConstraint(
                "content_type",
                "object_id",
                condition=models.Q(status="requested"),
                name="extension_one_pending",
            ),
            models.CheckConstraint(condition=models.Q(days__gte=1), name="extension_days"),
            models.CheckConstraint(
                condition=models.Q(status="requested", decided_at__isnull=True)
                | (~models.Q(status="requested") & models.Q(decided_at__isnull=False)),
                name="extension_decided_when_not_pending",
            ),
        ]

    def __str__(self):
        return f"+{self.days} {self.get_status_display()}: {self.reason}"


class Alert(AboutSupervised):
    """An e-supervision card raised by a sweep: a clock of an object reached yellow or red.

    At most one open alert per object, clock and level (a partial unique index that
    the sweep's ``INSERT ... ON CONFLICT DO NOTHING`` relies on, so two sweeps at once
    raise it once). The sweep clears an alert (``cleared_at``) when its clock falls
    below its level again, after an extension; a later approach raises a new one.
    """

    clock = models.CharField(_("clock"), max_length=32)
    level = models.CharField(_("level"), max_length=8, choices=WarningLevel)
    due_date = models.DateField(_("due date"))
    raised_at = models.DateTimeField(_("raised at"), db_default=Now())
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-raised_at", "pk"]
        indexes = [
            models.Index(
                fields=["town", "-raised_at"],
                condition=models.Q(cleared_at__isnull=True),
                name="alert_open_by_town",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                "content_type",
                "object_id",
                "clock",
                "level",
                condition=models.Q(cleared_at__isnull=True),
                name="alert_one_open_per_level",
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=[WarningLevel.YELLOW, WarningLevel.RED]),
                name="alert_level_is_a_card",
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.clock} {self.due_date}"
