"""Choices shared across the core app. Codes are stable: they appear in the API and exports."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TownKind(models.TextChoices):
    TOWN = "town", _("town")  # 镇
    SUBDISTRICT = "subdistrict", _("sub-district")  # 街道
    TOWNSHIP = "township", _("township")  # 乡


class DepartmentKind(models.TextChoices):
    COUNTY_DEPARTMENT = "county_department", _("county department")  # 县直部门
    TOWN_OFFICE = "town_office", _("town office")  # 镇内设机构 (六办三中心)
    STATIONED_AGENCY = "stationed_agency", _("stationed agency")  # 派驻机构


class ManagementMode(models.TextChoices):
    """How a stationed agency is managed (seed 003: each has its own mode)."""

    TOWN_MANAGED = "town_managed", _("managed by the town")  # 属地管理
    DUAL = "dual", _("dual management")  # 双重管理
    STATIONED_ASSESSED = "stationed_assessed", _("stationed, assessed by the town")  # 派驻, 镇考核


class QuotaKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("administrative")  # 行政编制
    INSTITUTIONAL = "institutional", _("institutional")  # 事业编制


class Role(models.TextChoices):
    """A role is a Django group of the same code (DESIGN.md section 3)."""

    WINDOW_CLERK = "window_clerk", _("window clerk")  # 窗口受理员
    APPROVER = "approver", _("back-office approver")  # 后台审批员
    VILLAGE_AGENT = "village_agent", _("village agent")  # 村代办员
    DISPATCHER = "dispatcher", _("enforcement dispatcher")  # 执法调度员
    OFFICER = "officer", _("enforcement officer")  # 执法队员
    GRID_WORKER = "grid_worker", _("grid worker")  # 网格员
    GRID_LEADER = "grid_leader", _("grid leader")  # 网格长
    REVIEWER = "reviewer", _("county reform reviewer")  # 县改革办审核员
    FINANCE_OFFICER = "finance_officer", _("finance officer")  # 财政专管员
    TOWN_LEADER = "town_leader", _("town leader")  # 镇领导
    AUDITOR = "auditor", _("auditor")  # 审计员
    SYSTEM_ADMIN = "system_admin", _("system administrator")  # 系统管理员


# Reach: guardian object permissions granted on a Town, or on a County for every town
# in it. Defined on both models (guardian ties a permission to the object's model).
REACH_PERMISSIONS = [
    ("view_records", _("Can view the town's records")),
    ("handle_application", _("Can take applications at the town's window")),
    ("approve_application", _("Can decide the town's applications")),
    ("file_as_agent", _("Can file applications on a villager's behalf")),
    ("manage_lists", _("Can draft adjustments of the town's lists")),
    ("review_reform", _("Can review the town's list adjustments and reform")),
    ("dispatch_case", _("Can dispatch the town's enforcement cases")),
    ("handle_case", _("Can handle the town's enforcement cases")),
    ("report_event", _("Can report grid events in the town")),
    ("lead_grid", _("Can dispatch and verify the town's grid events")),
    ("manage_finance", _("Can keep the town's fiscal records")),
    ("lead_town", _("Can supervise the town as its leader")),
    ("audit_town", _("Can read the town's audit trail")),
]
