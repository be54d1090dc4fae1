"""Writes of the core app: postings (and the reach they grant) and staffing quotas.

Each service is atomic, locks what it reads before it decides, checks the actor's
permission, and writes a transition record (DESIGN.md section 4).
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm, remove_perm

from townadmin import access, roles
from townadmin.audit import record_transition
from townadmin.choices import QuotaKind, Role
from townadmin.models.geography import County, StaffingQuota
from townadmin.models.people import Posting, User

NOT_ALLOWED = _("You are not allowed to do this.")
POSTING_TOWN_OUTSIDE_UNIT = _("A posting's town must be the town of its unit.")
POSTING_TOWN_OUTSIDE_COUNTY = _("A posting's town must lie in the county of its unit.")
POSTING_ALREADY_ENDED = _("This posting has already ended.")
POSTING_END_IN_FUTURE = _(
    "A posting is ended on its last day or later, not in advance: its reach ends at once."
)
STAFFING_TOTAL_CANNOT_GROW = _(
    "A county's staffing total can only decrease: %(current)d posts now, %(requested)d requested."
)
STAFFING_TOTAL_BELOW_APPROVED = _(
    "The county's units hold %(approved)d approved posts of this kind; reduce their "
    "quotas before lowering the total to %(requested)d."
)
STAFFING_QUOTA_EXCEEDS_TOTAL = _(
    "This quota would bring the county's approved posts to %(approved)d, above its total "
    "of %(total)d."
)
STAFFING_FILLED_EXCEEDS_APPROVED = _("Filled posts cannot exceed approved posts.")
STAFFING_TRANSFER_ACROSS_COUNTIES = _("Posts move only between units of the same county.")
STAFFING_TRANSFER_TO_ITSELF = _("Choose two different units.")
STAFFING_TRANSFER_NOT_POSITIVE = _("Transfer at least one post.")
STAFFING_TRANSFER_MORE_THAN_VACANT = _(
    "The unit has %(vacant)d vacant posts of this kind; it cannot give %(posts)d."
)

ACTIVE = "active"
ENDED = "ended"


def _require(actor, permission):
    if not (actor is not None and actor.is_active and actor.has_perm(permission)):
        raise PermissionDenied(NOT_ALLOWED)


# --- Postings -----------------------------------------------------------------------


def _reach_target(posting):
    """The Town (or the County, for a county-wide posting) a posting's reach is granted on."""
    return posting.town if posting.town_id else posting.department.county


def _reach_key(posting):
    if posting.town_id:
        return ("town", posting.town_id)
    return ("county", posting.department.county_id)


def active_postings(user, *, today=None):
    """Postings of ``user`` that hold their reach: not ended, term not over."""
    today = today or timezone.localdate()
    return (
        Posting.objects.filter(user=user)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .filter(ended_on__isnull=True)
    )


def posting_create(
    *, user, department, role, valid_from, valid_until=None, town=None, actor, reason=""
) -> Posting:
    """Post ``user`` to ``department`` in ``role`` and grant the role's reach.

    The reach is granted on ``town``, or, when the unit is a town's own and no town is
    given, on the unit's town; on the unit's county for a county-wide posting (a county
    department and no town). A posting in a staff role makes the user staff.
    """
    _require(actor, "townadmin.add_posting")
    role = Role(role)
    if town is None:
        town = department.town
    elif department.town_id and town.pk != department.town_id:
        raise ValidationError({"town": POSTING_TOWN_OUTSIDE_UNIT}, code="town_outside_unit")
    elif town.county_id != department.county_id:
        raise ValidationError({"town": POSTING_TOWN_OUTSIDE_COUNTY}, code="town_outside_county")
    with transaction.atomic():
        # Lock the person: two postings of one user created or ended at once must not
        # each decide on a stale view of the other's reach.
        person = User.objects.select_for_update().get(pk=user.pk)
        posting = Posting(
            user=person,
            department=department,
            town=town,
            role=role,
            valid_from=valid_from,
            valid_until=valid_until,
        )
        posting.full_clean()
        posting.save()
        person.groups.add(Group.objects.get(name=role))
        if roles.spec(role).staff and not person.is_staff:
            person.is_staff = True
            person.save(update_fields=["is_staff"])
        target = _reach_target(posting)
        for permission in roles.reach_permissions(role):
            assign_perm(permission, person, target)
        record_transition(
            obj=posting,
            from_status="",
            to_status=ACTIVE,
            actor=actor,
            reason=reason,
            payload=_posting_payload(posting),
        )
    access.forget(user)
    return posting


def _posting_payload(posting):
    return {
        "user": posting.user.username,
        "role": posting.role,
        "department": posting.department.name,
        "town": posting.town.code if posting.town_id else None,
        "county": posting.department.county.code,
        "valid_from": posting.valid_from,
        "valid_until": posting.valid_until,
        "reach": list(roles.reach_permissions(posting.role)),
    }


def _revoke(posting, *, today):
    """Remove the reach, group and staff flag ``posting`` gave that no other posting still does."""
    user = posting.user
    others = list(
        active_postings(user, today=today).exclude(pk=posting.pk).select_related("department")
    )
    target = _reach_target(posting)
    still_granted = {
        permission
        for other in others
        if _reach_key(other) == _reach_key(posting)
        for permission in roles.reach_permissions(other.role)
    }
    revoked = [
        permission
        for permission in roles.reach_permissions(posting.role)
        if permission not in still_granted
    ]
    for permission in revoked:
        remove_perm(permission, user, target)
    if not any(other.role == posting.role for other in others):
        user.groups.remove(Group.objects.get(name=posting.role))
    staff_roles = {role for role, spec in roles.ROLES.items() if spec.staff}
    if (
        posting.role in staff_roles
        and user.is_staff
        and not user.is_superuser
        and not any(other.role in staff_roles for other in others)
    ):
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    access.forget(user)
    return revoked


def posting_end(*, posting, on=None, actor, reason="") -> Posting:
    """End ``posting`` with ``on`` (default today) as its last day, and withdraw its reach.

    Reach that another active posting of the same user also grants stays.
    """
    _require(actor, "townadmin.change_posting")
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValidationError(POSTING_END_IN_FUTURE, code="end_in_future")
    with transaction.atomic():
        User.objects.select_for_update().get(pk=posting.user_id)
        posting = (
            Posting.objects.select_for_update(of=("self",))
            .select_related("user", "department__county", "town")
            .get(pk=posting.pk)
        )
        if posting.ended_on is not None:
            raise ValidationError(POSTING_ALREADY_ENDED, code="already_ended")
        until_before = posting.valid_until
        posting.valid_until = min(on, until_before) if until_before else on
        posting.ended_on = today
        posting.full_clean()
        posting.save(update_fields=["valid_until", "ended_on"])
        revoked = _revoke(posting, today=today)
        record_transition(
            obj=posting,
            from_status=ACTIVE,
            to_status=ENDED,
            actor=actor,
            reason=reason,
            payload={"valid_until": posting.valid_until, "revoked": revoked},
        )
    return posting


def postings_expire(*, today=None) -> int:
    """End the postings whose fixed term is over; return how many. Idempotent.

    For a daily beat job: a posting created with ``valid_until`` keeps its reach until
    this runs on a later day.
    """
    today = today or timezone.localdate()
    expired = Posting.objects.filter(valid_until__lt=today, ended_on__isnull=True)
    count = 0
    for posting_id, user_id in expired.values_list("pk", "user_id"):
        with transaction.atomic():
            User.objects.select_for_update().get(pk=user_id)  # same lock order as posting_end
            posting = (
                Posting.objects.select_for_update(of=("self",))
                .select_related("user", "department__county", "town")
                .get(pk=posting_id)
            )
            if posting.ended_on is not None:
                continue  # another worker got there first
            posting.ended_on = today
            posting.save(update_fields=["ended_on"])
            revoked = _revoke(posting, today=today)
            record_transition(
                obj=posting,
                from_status=ACTIVE,
                to_status=ENDED,
                actor=None,
                reason="term over",
                payload={"valid_until": posting.valid_until, "revoked": revoked},
            )
            count += 1
    return count


# --- Staffing quotas (编制) -----------------------------------------------------------

_TOTAL_FIELD = {
    QuotaKind.ADMINISTRATIVE: "administrative_posts_total",
    QuotaKind.INSTITUTIONAL: "institutional_posts_total",
}


def _approved_in_county(county, kind, *, excluding=None):
    quotas = StaffingQuota.objects.filter(department__county=county, kind=kind)
    if excluding is not None:
        quotas = quotas.exclude(department=excluding)
    return quotas.aggregate(total=Sum("approved"))["total"] or 0


def county_staffing_total_set(*, county, kind, total, actor, reason="") -> County:
    """Lower a county's staffing total of ``kind`` to ``total``; it never grows.

    Totals are entered when the county is created; afterwards they only decrease
    (Jiangsu opinion, seed 004: 编制只减不增), and not below what its units hold.
    """
    _require(actor, "townadmin.change_county")
    kind = QuotaKind(kind)
    field = _TOTAL_FIELD[kind]
    with transaction.atomic():
        county = County.objects.select_for_update().get(pk=county.pk)
        current = getattr(county, field)
        if total > current:
            raise ValidationError(
                STAFFING_TOTAL_CANNOT_GROW,
                code="total_cannot_grow",
                params={"current": current, "requested": total},
            )
        approved = _approved_in_county(county, kind)
        if total < approved:
            raise ValidationError(
                STAFFING_TOTAL_BELOW_APPROVED,
                code="total_below_approved",
                params={"approved": approved, "requested": total},
            )
        setattr(county, field, total)
        county.save(update_fields=[field])
        record_transition(
            obj=county,
            from_status=str(current),
            to_status=str(total),
            actor=actor,
            reason=reason,
            payload={"kind": kind.value},
        )
    return county


def _lock_county(county_id):
    # Every change to a county's quotas locks the county row first, so two changes
    # that are each within the total cannot together exceed it.
    return County.objects.select_for_update().get(pk=county_id)


def staffing_quota_set(*, department, kind, approved, filled, actor, reason="") -> StaffingQuota:
    """Set a unit's approved and filled posts of ``kind`` within the county's total."""
    _require(actor, "townadmin.change_staffingquota")
    kind = QuotaKind(kind)
    if filled > approved:
        raise ValidationError({"filled": STAFFING_FILLED_EXCEEDS_APPROVED}, code="overfilled")
    with transaction.atomic():
        county = _lock_county(department.county_id)
        total = getattr(county, _TOTAL_FIELD[kind])
        in_county = _approved_in_county(county, kind, excluding=department) + approved
        if in_county > total:
            raise ValidationError(
                STAFFING_QUOTA_EXCEEDS_TOTAL,
                code="exceeds_county_total",
                params={"approved": in_county, "total": total},
            )
        quota = (
            StaffingQuota.objects.select_for_update()
            .filter(department=department, kind=kind)
            .first()
        )
        before = f"{quota.filled}/{quota.approved}" if quota else ""
        quota = quota or StaffingQuota(department=department, kind=kind)
        quota.approved, quota.filled = approved, filled
        quota.full_clean()
        quota.save()
        record_transition(
            obj=quota,
            from_status=before,
            to_status=f"{filled}/{approved}",
            actor=actor,
            reason=reason,
            payload={"kind": kind.value, "unit": department.name},
            town=department.town,
        )
    return quota


def staffing_quota_transfer(
    *, source, target, kind, posts, actor, reason=""
) -> tuple[StaffingQuota, StaffingQuota]:
    """Move ``posts`` vacant approved posts of ``kind`` from unit ``source`` to ``target``."""
    _require(actor, "townadmin.change_staffingquota")
    kind = QuotaKind(kind)
    if posts <= 0:
        raise ValidationError(STAFFING_TRANSFER_NOT_POSITIVE, code="not_positive")
    if source.pk == target.pk:
        raise ValidationError(STAFFING_TRANSFER_TO_ITSELF, code="same_unit")
    if source.county_id != target.county_id:
        raise ValidationError(STAFFING_TRANSFER_ACROSS_COUNTIES, code="across_counties")
    with transaction.atomic():
        _lock_county(source.county_id)
        quotas = {
            quota.department_id: quota
            for quota in StaffingQuota.objects.select_for_update().filter(
                department__in=[source, target], kind=kind
            )
        }
        giving = quotas.get(source.pk) or StaffingQuota(department=source, kind=kind, approved=0)
        vacant = giving.approved - giving.filled
        if posts > vacant:
            raise ValidationError(
                STAFFING_TRANSFER_MORE_THAN_VACANT,
                code="more_than_vacant",
                params={"vacant": vacant, "posts": posts},
            )
        taking = quotas.get(target.pk) or StaffingQuota(department=target, kind=kind, approved=0)
        moved = []
        for quota, change in ((giving, -posts), (taking, posts)):
            before = f"{quota.filled}/{quota.approved}" if quota.pk else ""
            quota.approved += change
            quota.full_clean()
            quota.save()
            record_transition(
                obj=quota,
                from_status=before,
                to_status=f"{quota.filled}/{quota.approved}",
                actor=actor,
                reason=reason,
                payload={
                    "kind": kind.value,
                    "transfer": {"from": source.name, "to": target.name, "posts": posts},
                },
                town=quota.department.town,
            )
            moved.append(quota)
    return moved[0], moved[1]


def is_posting_ended(posting) -> bool:
    """Whether ``posting`` was ended (by ``posting_end`` or ``postings_expire``)."""
    return Posting.objects.filter(pk=posting.pk, ended_on__isnull=False).exists()
