"""List adjustments (动态调整): the only way a published list changes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from powers.choices import AdjustmentAction
from powers.models.catalogue import Power
from powers.models.lists import ListVersion
from townadmin.models.geography import Town


class Adjustment(models.Model):
    """A batch of list changes for one town, reviewed before it publishes a new version.

    Transitions (``powers.services``): draft -> legal_review (``adjustment_submit``);
    legal_review -> submitted (``adjustment_pass_legal_review``) or -> returned;
    submitted -> approved (``adjustment_approve``: publishes a version, updates the
    register) or -> returned (``adjustment_return``, with comments); returned -> draft
    (``adjustment_revise``); draft or returned -> withdrawn.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        LEGAL_REVIEW = "legal_review", _("in legal review")
        SUBMITTED = "submitted", _("awaiting approval")
        RETURNED = "returned", _("returned")
        APPROVED = "approved", _("approved")
        WITHDRAWN = "withdrawn", _("withdrawn")

    town = models.ForeignKey(
        Town, models.PROTECT, related_name="adjustments", verbose_name=_("town")
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    document_no = models.CharField(_("document number"), max_length=100, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("drafted by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # When the adjustment entered its current status: the reviewers' queue shows how
    # long each has waited.
    status_since = models.DateTimeField(_("in this status since"), auto_now_add=True)
    legal_opinion = models.TextField(_("legal review opinion"), blank=True)
    review_comments = models.TextField(_("review comments"), blank=True)
    base_version = models.ForeignKey(
        ListVersion,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on version"),
    )
    published_version = models.OneToOneField(
        ListVersion,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustment",
        verbose_name=_("published version"),
    )

    class Meta:
        verbose_name = _("list adjustment")
        verbose_name_plural = _("list adjustments")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "status_since"], name="adjustment_queue")]
        permissions = [
            ("legal_review_adjustment", _("Can give the legal review of list adjustments")),
            ("approve_adjustment", _("Can approve or return list adjustments")),
        ]

    def __str__(self):
        return self.title


class AdjustmentItem(models.Model):
    """One change of an adjustment, with its reason (调整理由).

    ``data`` holds the power's fields as the change proposes them (for add and change:
    the catalogue fields plus devolution mode, office and dates); ``power`` is the
    catalogue power it concerns, when it already exists.
    """

    adjustment = models.ForeignKey(
        Adjustment, models.CASCADE, related_name="items", verbose_name=_("adjustment")
    )
    action = models.CharField(_("action"), max_length=8, choices=AdjustmentAction)
    code = models.CharField(_("power code"), max_length=48)
    power = models.ForeignKey(
        Power, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("power")
    )
    data = models.JSONField(_("proposed fields"), default=dict, blank=True)
    reason = models.TextField(_("reason"))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("adjustment item")
        verbose_name_plural = _("adjustment items")
        ordering = ["adjustment", "position"]
        constraints = [
            models.UniqueConstraint("adjustment", "code", name="adjustment_item_unique_code")
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.code}"
