"""Stable codes of the powers app: they appear in the API, filters and exports."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """The ten kinds of administrative power, plus public services (a list of its own)."""

    LICENCE = "licence", _("administrative licence")  # 行政许可
    PENALTY = "penalty", _("administrative penalty")  # 行政处罚
    COERCION = "coercion", _("administrative coercion")  # 行政强制
    LEVY = "levy", _("administrative levy")  # 行政征收
    PAYMENT = "payment", _("administrative payment")  # 行政给付
    INSPECTION = "inspection", _("administrative inspection")  # 行政检查
    CONFIRMATION = "confirmation", _("administrative confirmation")  # 行政确认
    REWARD = "reward", _("administrative reward")  # 行政奖励
    ADJUDICATION = "adjudication", _("administrative adjudication")  # 行政裁决
    OTHER = "other", _("other administrative power")  # 其他行政权力
    PUBLIC_SERVICE = "public_service", _("public service")  # 公共服务


class DevolutionMode(models.TextChoices):
    """How a county power reaches the town (DOMAIN.md "Lists and devolution")."""

    DEVOLVE = "devolve", _("devolve")  # 下放: exercised in the town's name
    ENTRUST = (
        "entrust",
        _("entrust"),
    )  # 委托: in the department's name, for a term, not re-entrusted
    AUTHORISE = "authorise", _("authorise")  # 授权: in the town's name
    ASSIGN = "assign", _("assign")  # 交由: in the town's name


class DevolutionScope(models.TextChoices):
    """Which stages of handling the town does: all of them, or one."""

    WHOLE = "whole", _("whole power")  # 全部
    ACCEPT = "accept", _("acceptance")  # 受理
    REVIEW = "review", _("review")  # 审查
    DECIDE = "decide", _("decision")  # 决定


class ListKind(models.TextChoices):
    """The lists and catalogues published from one list version (seed 001 names them)."""

    POWER = "power", _("power list")  # 权力清单
    RESPONSIBILITY = "responsibility", _("responsibility list")  # 责任清单
    PUBLIC_SERVICE = "public_service", _("public service list")  # 公共服务清单
    APPROVAL = "approval", _("approval catalogue")  # 审批目录
    ENFORCEMENT = "enforcement", _("enforcement item list")  # 执法事项清单
    SUPERVISION = "supervision", _("supervision list")  # 监管清单
    FEE = "fee", _("fee list")  # 收费清单


class AdjustmentAction(models.TextChoices):
    ADD = "add", _("add")  # 新增
    REMOVE = "remove", _("remove")  # 取消
    CHANGE = "change", _("change")  # 变更
