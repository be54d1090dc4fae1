"""Stable codes of the service hall: they appear in the API, filters, exports and PDFs."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    """Where an application comes in (办理渠道)."""

    WINDOW = "window", _("service hall window")  # 窗口
    ONLINE = "online", _("online")  # 网上预审
    AGENT = "agent", _("village agent")  # 村代办员
    KIOSK = "kiosk", _("self-service kiosk")  # 自助终端


class ItemKind(models.TextChoices):
    """即办件 are decided on the spot; 承诺件 within the promised limit."""

    INSTANT = "instant", _("instant item")  # 即办件
    PROMISED = "promised", _("promised item")  # 承诺件


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("original")  # 原件
    COPY = "copy", _("copy")  # 复印件
    ORIGINAL_AND_COPY = "original_and_copy", _("original and copy")  # 原件及复印件


class Decision(models.TextChoices):
    # Contexts: "approved" alone is an adjustment's or an extension's status (已批准).
    APPROVED = "approved", pgettext_lazy("licence decision", "approved")  # 准予
    DENIED = "denied", pgettext_lazy("licence decision", "denied")  # 不予


class Delivery(models.TextChoices):
    PICKUP = "pickup", _("pickup at the window")  # 窗口领取
    MAIL = "mail", _("by post")  # 邮寄送达


class NoticeKind(models.TextChoices):
    """The written documents the hall issues (行政许可法 Arts. 32, 38)."""

    RECEIPT = "receipt", _("receipt of materials")  # 收件回执
    ONE_TIME = "one_time", _("one-time notice of missing materials")  # 一次性告知书
    ACCEPTANCE = "acceptance", _("acceptance notice")  # 受理通知书
    PENDING = "pending", _("acceptance with materials pending")  # 容缺受理承诺书
    REFUSAL = "refusal", _("notice of refusal")  # 不予受理通知书
    DECISION = "decision", _("decision")  # 准予/不予许可决定书


class RatingLevel(models.IntegerChoices):
    """好差评: five levels; the last two are bad ratings (DOMAIN.md "Service hall")."""

    VERY_SATISFIED = 5, _("very satisfied")  # 非常满意
    SATISFIED = 4, _("satisfied")  # 满意
    BASICALLY_SATISFIED = 3, _("basically satisfied")  # 基本满意
    DISSATISFIED = 2, _("dissatisfied")  # 不满意
    VERY_DISSATISFIED = 1, _("very dissatisfied")  # 非常不满意


BAD_RATINGS = (RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED)


class RatingTag(models.TextChoices):
    """The standard tags of the national 好差评 system (GB/T 39735), good and bad."""

    FRIENDLY = "friendly", _("friendly and patient")  # 服务热情
    EFFICIENT = "efficient", _("handled quickly")  # 办事效率高
    CLEAR_GUIDE = "clear_guide", _("clear guidance")  # 指引清晰
    FEW_VISITS = "few_visits", _("few visits needed")  # 少跑腿
    SLOW = "slow", _("handled slowly")  # 办理超时
    UNCLEAR = "unclear", _("unclear requirements")  # 告知不清
    REPEATED_VISITS = "repeated_visits", _("had to come back repeatedly")  # 多次跑动
    ATTITUDE = "attitude", _("poor attitude")  # 态度不好
    EXTRA_MATERIALS = "extra_materials", _("materials asked beyond the guide")  # 要求额外材料
