"""Applications (办件), the materials presented with them and the notices issued on them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from servicecenter.choices import Channel, Decision, Delivery, NoticeKind
from servicecenter.models.items import Material, ServiceItem
from townadmin.access import ScopedQuerySet
from townadmin.identity import ApplicantType, mask
from townadmin.models.deadlines import (
    Clock,
    Supervised,
    due_date_field,
    sweep_index,
    warning_level_field,
)


class Status(models.TextChoices):
    DRAFT = "draft", _("pre-submitted")  # 网上预审 / 代办待收
    RECEIVED = "received", _("received")  # 已收件
    CORRECTION = "correction", _("awaiting missing materials")  # 一次性告知, 补正中
    ACCEPTED = "accepted", _("accepted")  # 已受理
    # A context: "refused" alone is also an extension's status (不予批准), a different act.
    REFUSED = "refused", pgettext_lazy("application status", "refused")  # 不予受理
    APPROVED = "approved", _("completed: approved")  # 办结 准予
    DENIED = "denied", _("completed: denied")  # 办结 不予
    DELIVERED = "delivered", _("delivered")  # 已送达


# Both clocks run from acceptance to completion; the sweep reads only these.
OPEN = (Status.ACCEPTED,)
COMPLETED = (Status.APPROVED, Status.DENIED, Status.DELIVERED)
BEFORE_ACCEPTANCE = (Status.DRAFT, Status.RECEIVED, Status.CORRECTION)
OPEN_CONDITION = models.Q(status__in=OPEN)


class Application(Supervised):
    """An application for a service item (办件), from receipt to delivery.

    Legal transitions (``servicecenter.services``, one function each)::

        (intake, window)      -> received
        (intake, online/agent) -> draft
        draft      -> received                    application_receive
        draft | received -> correction            application_notify_missing (一次性告知)
        correction -> received                    application_resubmit
        draft | received -> accepted              application_accept (容缺: with pending materials)
        draft | received | correction -> refused  application_refuse
        accepted   -> approved | denied           application_complete
        approved | denied -> delivered            application_deliver

    No row-history trigger: the e-supervision sweep updates levels of millions of rows
    in bulk, and every status change already has its transition record.

    While accepted, the clocks pause for special steps (Art. 45) and extend by approval
    (Art. 42), through ``townadmin.deadlines``. ``first_clerk`` owns follow-up (首问负责).
    The two clocks: ``due_date`` is the promised one, ``statutory_due_date`` the law's.
    """

    Status = Status

    town = models.ForeignKey(
        "townadmin.Town", models.PROTECT, related_name="applications", verbose_name=_("town")
    )
    item = models.ForeignKey(
        ServiceItem, models.PROTECT, related_name="applications", verbose_name=_("service item")
    )
    receipt_no = models.CharField(_("receipt number"), max_length=32, unique=True)
    # Printed on the receipt: with the receipt number it opens the public status page.
    verification_code = models.CharField(_("verification code"), max_length=8)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.RECEIVED)
    status_since = models.DateTimeField(_("status since"))
    applicant_type = models.CharField(_("applicant type"), max_length=16, choices=ApplicantType)
    applicant_name = models.CharField(_("applicant"), max_length=100)
    # The full number, read only through townadmin.audit.reveal_identity_number.
    applicant_id_number = models.CharField(_("identity number"), max_length=18)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    area_unknown = models.BooleanField(_("area code unknown"), default=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    first_clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first-contact clerk"),
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approver"),
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    visits = models.PositiveSmallIntegerField(_("visits"), default=0)
    pending_until = models.DateField(_("pending materials due"), null=True, blank=True)
    commitment = models.TextField(_("applicant's commitment"), blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision, blank=True)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    certificate_no = models.CharField(_("certificate number"), max_length=64, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_on_time = models.BooleanField(_("completed on time"), null=True, blank=True)
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery, blank=True)
    delivery_address = models.CharField(_("delivery address"), max_length=200, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, blank=True)
    request_fingerprint = models.CharField(_("request fingerprint"), max_length=64, blank=True)
    statutory_due_date = due_date_field(_("statutory due date"))
    statutory_warning_level = warning_level_field(_("statutory warning level"))

    CLOCKS = (
        Clock("promised", "due_date", "warning_level"),
        Clock("statutory", "statutory_due_date", "statutory_warning_level"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-received_at", "-pk"]
        permissions = [
            ("approve_extension", _("Can approve the extension of an application's limit")),
        ]
        indexes = [
            sweep_index(name="application_promised_sweep", condition=OPEN_CONDITION),
            sweep_index(
                name="application_statutory_sweep",
                due_field="statutory_due_date",
                condition=OPEN_CONDITION,
            ),
            # The window and back-office queues: one town, one status, newest first.
            models.Index(fields=["town", "status", "-status_since"], name="application_queue"),
            # A clerk's window queue (servicecenter.selectors.queue): the town's applications
            # before acceptance, oldest waiting first, so its first page is read in index
            # order and stops after a page instead of sorting every waiting application.
            models.Index(
                fields=["town", "status_since", "id"],
                condition=models.Q(status__in=BEFORE_ACCEPTANCE),
                name="application_window_queue",
            ),
            models.Index(fields=["item", "status"], name="application_by_item"),
        ]
        constraints = [
            # A client's retry with the same key finds the first application (NULL filer:
            # an online pre-submission; nulls are not distinct, so it is covered too).
            models.UniqueConstraint(
                "filed_by",
                "idempotency_key",
                condition=~models.Q(idempotency_key=""),
                nulls_distinct=False,
                name="application_idempotency_key",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=COMPLETED) | ~models.Q(decision=""),
                name="application_completed_has_decision",
            ),
        ]

    def __str__(self):
        return f"{self.receipt_no} {self.item.name}"

    def get_absolute_url(self):
        # The hall's page: the link of the e-supervision cards and the leader's inbox.
        return reverse("servicecenter:hall-application", args=[self.pk])

    @property
    def masked_id_number(self):
        return mask(self.applicant_type, self.applicant_id_number)

    @property
    def is_completed(self):
        return self.status in COMPLETED


class SubmittedMaterial(models.Model):
    """What became of one guide material on one application."""

    class State(models.TextChoices):
        PRESENTED = "presented", _("presented")  # 已提交
        MISSING = "missing", _("missing")  # 缺
        PENDING = "pending", _("pending under commitment")  # 容缺
        SHARED = "shared", _("obtained from another system")  # 共享获取

    application = models.ForeignKey(
        Application, models.CASCADE, related_name="materials", verbose_name=_("application")
    )
    material = models.ForeignKey(
        Material, models.PROTECT, related_name="+", verbose_name=_("material")
    )
    state = models.CharField(_("state"), max_length=16, choices=State)
    supplied_at = models.DateTimeField(_("supplied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("submitted material")
        verbose_name_plural = _("submitted materials")
        ordering = ["application", "material__position"]
        constraints = [
            models.UniqueConstraint("application", "material", name="submitted_material_unique"),
        ]

    def __str__(self):
        return f"{self.material}: {self.get_state_display()}"


class Notice(models.Model):
    """A written document issued on an application (受理通知书, 一次性告知书, ...).

    ``content`` is the snapshot printed (missing materials, reasons, remedy, due dates):
    the PDF is rendered from it, so a reprint says what the first print said.
    """

    application = models.ForeignKey(
        Application, models.PROTECT, related_name="notices", verbose_name=_("application")
    )
    town = models.ForeignKey(
        "townadmin.Town", models.PROTECT, related_name="+", verbose_name=_("town")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind)
    number = models.CharField(_("document number"), max_length=48, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    content = models.JSONField(_("content"), default=dict)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["application", "issued_at", "pk"]

    def __str__(self):
        return f"{self.number} {self.get_kind_display()}"
