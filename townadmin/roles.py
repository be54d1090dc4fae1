"""Roles: what each role may do (model permissions) and where (reach), declared once.

A role is a Django group named by its code (``townadmin.choices.Role``; DESIGN.md
section 3). Its group holds the role's model permissions ("may open the application
list at all"). A posting in the role grants the holder the role's reach permissions on
the posting's town, or on its county for a county-wide posting ("... of Xiazhuang"):
``townadmin.services.posting_create`` does that, ``townadmin.access`` reads it.

To give a role a new app's permissions, add ``"app_label.codename"`` to its
``permissions`` below; ``sync_roles()`` (run after every ``migrate`` and by
``seed_demo``) brings the groups in line with these declarations.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Q

from townadmin.choices import REACH_PERMISSIONS, Role

REACH_CODENAMES = frozenset(codename for codename, _label in REACH_PERMISSIONS)


@dataclass(frozen=True)
class RoleSpec:
    permissions: tuple[str, ...] = ()  # model permissions, "app_label.codename"
    reach: tuple[str, ...] = ()  # reach codenames (REACH_PERMISSIONS) a posting grants
    staff: bool = False  # may open /admin/ (where its model permissions then apply)


def _crud(*models, app="townadmin"):
    return tuple(
        f"{app}.{action}_{model}"
        for model in models
        for action in ("add", "change", "delete", "view")
    )


def _view(*models, app="townadmin"):
    return tuple(f"{app}.view_{model}" for model in models)


# Everyone who works in the portal reads the organisation they work in.
ORGANISATION = _view("county", "town", "community", "village", "department")
# The catalogue, the register, the published lists and the adjustments, read-only.
POWERS = _view(
    "power",
    "legalbasis",
    "responsibilityitem",
    "accountabilitycase",
    "devolution",
    "listversion",
    "listentry",
    "adjustment",
    "adjustmentitem",
    app="powers",
)

# The service hall's records, read-only: items, applications, notices, ratings.
HALL = _view(
    "serviceitem",
    "material",
    "application",
    "submittedmaterial",
    "notice",
    "rating",
    "rectification",
    "complaint",
    app="servicecenter",
)

ROLES: dict[str, RoleSpec] = {
    Role.WINDOW_CLERK: RoleSpec(
        permissions=(
            *ORGANISATION,
            *HALL,
            "servicecenter.add_application",
            "servicecenter.change_application",
            # The first-contact clerk calls back after a bad rating and answers complaints.
            "servicecenter.change_rectification",
            "servicecenter.change_complaint",
        ),
        reach=("view_records", "handle_application"),
    ),
    Role.APPROVER: RoleSpec(
        permissions=(*ORGANISATION, *HALL, "servicecenter.change_application"),
        reach=("view_records", "approve_application"),
    ),
    # An agent files for villagers and follows their own filings, not the town's records.
    Role.VILLAGE_AGENT: RoleSpec(
        permissions=(
            *_view("town", "village"),
            *_view("serviceitem", "material", app="servicecenter"),
            "servicecenter.add_application",
        ),
        reach=("file_as_agent",),
    ),
    Role.DISPATCHER: RoleSpec(
        permissions=(*ORGANISATION, *_view("enforcementcertificate")),
        reach=("view_records", "dispatch_case"),
    ),
    Role.OFFICER: RoleSpec(
        permissions=ORGANISATION,
        reach=("view_records", "handle_case"),
    ),
    Role.GRID_WORKER: RoleSpec(
        permissions=_view("town", "community", "village"),
        reach=("report_event",),
    ),
    Role.GRID_LEADER: RoleSpec(
        permissions=ORGANISATION,
        reach=("view_records", "lead_grid"),
    ),
    # The county reform office gives the legal review, approves list adjustments and
    # keeps the devolution register (registers, revokes, renews entrustments).
    Role.REVIEWER: RoleSpec(
        permissions=(
            *ORGANISATION,
            *_view("staffingquota", "posting"),
            *POWERS,
            "powers.legal_review_adjustment",
            "powers.approve_adjustment",
            "powers.add_devolution",
            "powers.change_devolution",
            *HALL,
            "servicecenter.decide_appeal",
        ),
        reach=("view_records", "review_reform"),
    ),
    Role.FINANCE_OFFICER: RoleSpec(
        permissions=ORGANISATION,
        reach=("view_records", "manage_finance"),
    ),
    # Drafts the town's list adjustments.
    Role.TOWN_LEADER: RoleSpec(
        permissions=(
            *ORGANISATION,
            *_view("staffingquota", "posting"),
            *POWERS,
            "powers.add_adjustment",
            "powers.change_adjustment",
            *HALL,
            # Derives the town's service items from its list and keeps their guides.
            "servicecenter.add_serviceitem",
            "servicecenter.change_serviceitem",
            "servicecenter.add_material",
            "servicecenter.change_material",
            "servicecenter.delete_material",
            "servicecenter.approve_extension",
            "servicecenter.change_rectification",
            "servicecenter.change_complaint",
        ),
        reach=("view_records", "lead_town", "manage_lists"),
    ),
    # 等保三级 separates the auditor from the administrator: the auditor reads
    # everything, including the audit trail and the login records, and changes nothing.
    Role.AUDITOR: RoleSpec(
        permissions=(
            *ORGANISATION,
            *_view("staffingquota", "posting", "user", "enforcementcertificate", "villageagent"),
            *POWERS,
            *_view("transition", "securityevent", "outboxmessage"),
            *_view("holiday", "calendaryear", "deadlinerule", "deadlinepause"),
            *_view("deadlineextension", "alert"),
            *HALL,
            *_view("accessattempt", "accesslog", "accessfailurelog", app="axes"),
        ),
        reach=("view_records", "audit_town"),
        staff=True,
    ),
    # Keeps the master data and the accounts; reaches no town's records.
    Role.SYSTEM_ADMIN: RoleSpec(
        permissions=(
            *_crud(
                "county",
                "town",
                "community",
                "village",
                "department",
                "staffingquota",
                "posting",
                "user",
                "enforcementcertificate",
                "villageagent",
                # The working-day calendar (local holidays) and the deadline rules are data.
                "holiday",
                "calendaryear",
                "deadlinerule",
            ),
            # Retrying a notification that failed is changing its outbox row.
            *_view("outboxmessage"),
            "townadmin.change_outboxmessage",
            "auth.view_group",
            # Unlocking an account that django-axes locked is deleting its attempts.
            *_view("accessattempt", app="axes"),
            "axes.delete_accessattempt",
        ),
        staff=True,
    ),
}


def spec(role) -> RoleSpec:
    """The declaration of ``role`` (a ``Role`` or its code)."""
    return ROLES[Role(role)]


def reach_permissions(role) -> tuple[str, ...]:
    """The reach a posting in ``role`` grants, as ``"townadmin.<codename>"``."""
    return tuple(f"townadmin.{codename}" for codename in spec(role).reach)


def role_codes(user) -> list[str]:
    """The codes of the roles ``user`` holds (its groups that are roles), in Role order."""
    if not user.is_authenticated:
        return []
    names = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
    return [role.value for role in Role if role.value in names]


def is_system_admin(user) -> bool:
    """A superuser, or a staff member in the system administrators' group."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return user.is_staff and user.groups.filter(name=Role.SYSTEM_ADMIN).exists()


def _check_declarations():
    missing = set(Role.values) - {Role(role).value for role in ROLES}
    if missing:
        raise ImproperlyConfigured(f"Roles without a declaration: {sorted(missing)}")
    for role, role_spec in ROLES.items():
        unknown = set(role_spec.reach) - REACH_CODENAMES
        if unknown:
            raise ImproperlyConfigured(f"Role {role} declares unknown reach: {sorted(unknown)}")


def _permissions_by_name(names, using):
    wanted = Q()
    for name in names:
        app_label, codename = name.split(".", 1)
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    found = {
        f"{permission.content_type.app_label}.{permission.codename}": permission
        for permission in Permission.objects.using(using)
        .filter(wanted)
        .select_related("content_type")
    }
    unknown = set(names) - set(found)
    if unknown:
        # A typo in a declaration must not silently leave a role without a right.
        raise ImproperlyConfigured(f"Role declarations name unknown permissions: {sorted(unknown)}")
    return found


def sync_roles(*, using=DEFAULT_DB_ALIAS) -> list[Group]:
    """Create or update one group per role with exactly its declared model permissions.

    Idempotent. Permissions an administrator added to a role's group by hand are
    removed: the declarations above are the single source of what a role may do.
    """
    _check_declarations()
    names = {name for role_spec in ROLES.values() for name in role_spec.permissions}
    permissions = _permissions_by_name(names, using)
    groups = []
    with transaction.atomic(using=using):
        for role in Role:
            group, _created = Group.objects.using(using).get_or_create(name=role.value)
            group.permissions.set([permissions[name] for name in ROLES[role].permissions])
            groups.append(group)
    return groups


def sync_roles_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate handler: permissions of every app first, then the role groups.

    Django creates permissions app by app in INSTALLED_APPS order, and townadmin comes
    first, so the other apps' permissions do not exist yet when this runs.
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_roles(using=using)
