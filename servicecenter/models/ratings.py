"""Ratings (好差评), the rectification of bad ones, and complaints."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicecenter.choices import BAD_RATINGS, RatingLevel, RatingTag
from servicecenter.models.applications import Application
from townadmin.access import ScopedQuerySet
from townadmin.models.deadlines import (
    Clock,
    Supervised,
    due_date_field,
    sweep_index,
    warning_level_field,
)


class Rating(models.Model):
    """The applicant's rating of a completed application: round 1, and round 2 once after
    a bad rating was rectified. ``excluded`` is set when the county reviewer upholds the
    town's appeal that the rating was malicious: it then counts in no statistic."""

    application = models.ForeignKey(
        Application, models.PROTECT, related_name="ratings", verbose_name=_("application")
    )
    town = models.ForeignKey(
        "townadmin.Town", models.PROTECT, related_name="+", verbose_name=_("town")
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    level = models.PositiveSmallIntegerField(_("rating"), choices=RatingLevel)
    tags = ArrayField(
        models.CharField(max_length=32, choices=RatingTag),
        verbose_name=_("tags"),
        default=list,
        blank=True,
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated at"), auto_now_add=True)
    excluded = models.BooleanField(_("excluded as malicious"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["application", "round"]
        constraints = [
            models.UniqueConstraint("application", "round", name="rating_once_per_round"),
            models.CheckConstraint(condition=models.Q(round__in=[1, 2]), name="rating_round"),
        ]

    def __str__(self):
        return f"{self.application.receipt_no} #{self.round}: {self.get_level_display()}"

    @property
    def is_bad(self):
        return self.level in BAD_RATINGS


class Rectification(Supervised):
    """The town's answer to a bad rating (差评整改): call back within one working day,
    rectify within the configured working days, then the applicant rates once more.

    Transitions (``servicecenter.services.ratings``)::

        open        -> called_back    rectification_call_back
        called_back -> rectified      rectification_rectify
        rectified   -> rerated        (the applicant's second rating)
        open | called_back -> appealed   rectification_appeal (the rating was malicious)
        appealed    -> upheld         rectification_decide_appeal (rating excluded)
        appealed    -> (back where it was)  rectification_decide_appeal (appeal dismissed)

    Clocks: ``callback`` (``due_date``) and ``fix`` (``fix_due_date``), from the rating.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("awaiting call-back")
        CALLED_BACK = "called_back", _("called back, rectifying")
        RECTIFIED = "rectified", _("rectified, awaiting re-rating")
        RERATED = "rerated", _("re-rated")
        APPEALED = "appealed", _("appealed as malicious")
        UPHELD = "upheld", _("appeal upheld: rating excluded")

    town = models.ForeignKey(
        "townadmin.Town", models.PROTECT, related_name="+", verbose_name=_("town")
    )
    rating = models.OneToOneField(
        Rating, models.PROTECT, related_name="rectification", verbose_name=_("rating")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    status_before_appeal = models.CharField(max_length=16, choices=Status, blank=True)
    fix_due_date = due_date_field(_("rectification due"))
    fix_warning_level = warning_level_field(_("rectification warning level"))
    call_back_note = models.TextField(_("call-back record"), blank=True)
    measures = models.TextField(_("rectification measures"), blank=True)
    appeal_reason = models.TextField(_("appeal"), blank=True)
    appeal_decision_reason = models.TextField(_("decision on the appeal"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible clerk"),
    )

    CLOCKS = (
        Clock("callback", "due_date", "warning_level"),
        Clock("fix", "fix_due_date", "fix_warning_level"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        permissions = [("decide_appeal", _("Can decide a town's appeal against a rating"))]
        ordering = ["-started_at", "-pk"]
        indexes = [
            sweep_index(
                name="rectification_callback_sweep",
                condition=models.Q(status="open"),
            ),
            sweep_index(
                name="rectification_fix_sweep",
                due_field="fix_due_date",
                condition=models.Q(status__in=["open", "called_back"]),
            ),
        ]

    def __str__(self):
        return f"{self.rating.application.receipt_no}: {self.get_status_display()}"


class Complaint(models.Model):
    """A complaint from the public about the hall (投诉), answered by the town."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "answered", _("answered")

    town = models.ForeignKey(
        "townadmin.Town", models.PROTECT, related_name="+", verbose_name=_("town")
    )
    application = models.ForeignKey(
        Application,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("application"),
    )
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20)
    content = models.TextField(_("complaint"))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self):
        return f"{self.town}: {self.content[:30]}"
