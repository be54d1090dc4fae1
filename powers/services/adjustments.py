"""List adjustments (动态调整): drafting, legal review, approval or return.

Transitions (``Adjustment``'s docstring has the table) lock the adjustment, check its
status, write the new status and ``status_since``, notify whoever acts next and
write the transition record last. Approval applies the items to the catalogue and
the register (``powers.services.approval``) and publishes the next list version.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from powers.choices import AdjustmentAction
from powers.models import Adjustment, AdjustmentItem, Devolution, Power
from powers.selectors import current_version, reach_holders
from powers.services.item_data import item_data
from powers.services.register import NOT_ALLOWED, NOT_DEVOLVABLE, require
from townadmin.access import require_reach
from townadmin.audit import record_transition
from townadmin.notifications import notify
from townadmin.workflow import require_status

Status = Adjustment.Status
ADD, REMOVE, CHANGE = AdjustmentAction.ADD, AdjustmentAction.REMOVE, AdjustmentAction.CHANGE

DRAFT_PERMISSION = "powers.add_adjustment"
LEGAL_REVIEW_PERMISSION = "powers.legal_review_adjustment"
APPROVE_PERMISSION = "powers.approve_adjustment"
MANAGE_LISTS = "townadmin.manage_lists"
REVIEW_REFORM = "townadmin.review_reform"

TITLE_REQUIRED = _("Give the adjustment a title.")
CODE_REQUIRED = _("Give the power code.")
CODE_TOO_LONG = _("A power code has at most 48 characters.")
REASON_REQUIRED = _("Give the reason for this change.")
UNKNOWN_ACTION = _("Choose add, remove or change.")
ALREADY_LISTED = _("%(code)s is already on the town's list: propose a change instead.")
NOT_LISTED = _("%(code)s is not on the town's list.")
ALREADY_IN_ADJUSTMENT = _("This adjustment already has an item for %(code)s.")
REMOVAL_TAKES_NO_FIELDS = _("A removal proposes no fields: give only its reason.")
EMPTY_ADJUSTMENT = _("Add at least one item before submitting the adjustment.")
ITEMS_NO_LONGER_FIT = _(
    "These items no longer fit the town's current list: %(codes)s. Remove or correct them."
)
OPINION_REQUIRED = _("Give the legal review's opinion.")
COMMENTS_REQUIRED = _("Say what must be corrected.")

SUBJECT_SUBMITTED = _("List adjustment for legal review: %(title)s")
SUBJECT_REVIEWED = _("List adjustment awaiting approval: %(title)s")
SUBJECT_APPROVED = _("List adjustment approved: %(title)s")
SUBJECT_RETURNED = _("List adjustment returned: %(title)s")
BODY = _("%(town)s: “%(title)s”, %(items)d items. %(note)s")


def adjustment_create(*, town, title, actor, document_no="") -> Adjustment:
    """Open a draft adjustment of ``town``'s lists, based on its current version."""
    require(actor, DRAFT_PERMISSION, town, MANAGE_LISTS)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": TITLE_REQUIRED}, code="required")
    with transaction.atomic():
        adjustment = Adjustment(
            town=town,
            title=title,
            document_no=(document_no or "").strip(),
            drafted_by=actor,
            base_version=current_version(town),
        )
        adjustment.full_clean()
        adjustment.save()
        record_transition(obj=adjustment, from_status="", to_status=Status.DRAFT, actor=actor)
    return adjustment


def adjustment_item_add(*, adjustment, action, code, reason, actor, data=None) -> AdjustmentItem:
    """Add an item to a draft: add a power to the list, remove one, or change its fields.

    "add": the code is not on the base version, ``data`` holds the whole power and its
    holding; "remove": the code is on it and ``data`` is empty; "change": the code is
    on it and ``data`` holds only the changed fields. Bad input raises ValidationError.
    """
    require(actor, DRAFT_PERMISSION, adjustment.town_id, MANAGE_LISTS)
    action, code, reason = _item_basics(action, code, reason)
    with transaction.atomic():
        locked = _lock(adjustment)
        require_status(locked, Status.DRAFT)
        if locked.items.filter(code=code).exists():
            raise _code_error(ALREADY_IN_ADJUSTMENT, "duplicate", code)
        town = locked.town
        listed = _base_entry(locked, code)
        power = Power.objects.filter(county_id=town.county_id, code=code).first()
        if action == ADD:
            if listed is not None:
                raise _code_error(ALREADY_LISTED, "already_listed", code)
            if power is not None and not power.may_devolve:
                raise ValidationError({"code": NOT_DEVOLVABLE}, code="not_devolvable")
            stored = item_data(data, county=town.county)
        else:
            if listed is None:
                raise _code_error(NOT_LISTED, "not_listed", code)
            power = listed.power
            if action == REMOVE:
                if data:
                    raise ValidationError({"data": REMOVAL_TAKES_NO_FIELDS}, code="invalid")
                stored = {}
            else:
                current = _current_values(listed, _active_holding(town, power))
                stored = item_data(data, county=town.county, partial=True, current=current)
        last = locked.items.order_by("-position").values_list("position", flat=True).first()
        item = AdjustmentItem.objects.create(
            adjustment=locked,
            action=action,
            code=code,
            power=power,
            data=stored,
            reason=reason,
            position=(last or 0) + 1,
        )
        record_transition(
            obj=locked,
            from_status=Status.DRAFT,
            to_status=Status.DRAFT,
            actor=actor,
            reason=reason,
            payload={"step": "item_added", "action": action, "code": code},
        )
    return item


def adjustment_item_remove(*, item, actor) -> None:
    """Take an item out of a draft adjustment."""
    adjustment = item.adjustment
    require(actor, DRAFT_PERMISSION, adjustment.town_id, MANAGE_LISTS)
    with transaction.atomic():
        locked = _lock(adjustment)
        require_status(locked, Status.DRAFT)
        deleted, _rows = AdjustmentItem.objects.filter(pk=item.pk, adjustment=locked).delete()
        if deleted:
            record_transition(
                obj=locked,
                from_status=Status.DRAFT,
                to_status=Status.DRAFT,
                actor=actor,
                payload={"step": "item_removed", "action": item.action, "code": item.code},
            )


def adjustment_submit(*, adjustment, actor) -> Adjustment:
    """Send a draft to legal review (法制审核); refuses an empty one or stale items."""
    require(actor, DRAFT_PERMISSION, adjustment.town_id, MANAGE_LISTS)
    with transaction.atomic():
        locked = _lock(adjustment)
        require_status(locked, Status.DRAFT)
        items = list(locked.items.all())
        if not items:
            raise ValidationError(EMPTY_ADJUSTMENT, code="empty")
        _require_items_fit(locked, items)
        reviewers = reach_holders(locked.town, "review_reform", permission=LEGAL_REVIEW_PERMISSION)
        _notify(locked, reviewers, SUBJECT_SUBMITTED, len(items))
        _move(locked, Status.LEGAL_REVIEW, actor, payload=_counts(items))
    _copy(locked, adjustment)
    return locked


def adjustment_pass_legal_review(*, adjustment, opinion, actor) -> Adjustment:
    """Record the legal review's opinion and put the adjustment before the approvers."""
    require(actor, LEGAL_REVIEW_PERMISSION, adjustment.town_id, REVIEW_REFORM)
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError({"opinion": OPINION_REQUIRED}, code="required")
    with transaction.atomic():
        locked = _lock(adjustment)
        require_status(locked, Status.LEGAL_REVIEW)
        locked.legal_opinion = opinion
        approvers = reach_holders(locked.town, "review_reform", permission=APPROVE_PERMISSION)
        _notify(locked, approvers, SUBJECT_REVIEWED, locked.items.count(), note=opinion)
        _move(locked, Status.SUBMITTED, actor, reason=opinion, fields=["legal_opinion"])
    _copy(locked, adjustment)
    return locked


def adjustment_return(*, adjustment, comments, actor) -> Adjustment:
    """Return an adjustment in legal review or awaiting approval, with what to correct.

    Legal reviewers return from legal review; approvers from either step.
    """
    if not (
        actor is not None
        and actor.is_active
        and (actor.has_perm(APPROVE_PERMISSION) or actor.has_perm(LEGAL_REVIEW_PERMISSION))
    ):
        raise PermissionDenied(NOT_ALLOWED)
    require_reach(actor, REVIEW_REFORM, adjustment.town_id)
    comments = (comments or "").strip()
    if not comments:
        raise ValidationError({"comments": COMMENTS_REQUIRED}, code="required")
    with transaction.atomic():
        locked = _lock(adjustment)
        require_status(locked, Status.LEGAL_REVIEW, Status.SUBMITTED)
        if locked.status == Status.SUBMITTED and not actor.has_perm(APPROVE_PERMISSION):
            raise PermissionDenied(NOT_ALLOWED)
        locked.review_comments = comments
        _notify(locked, [locked.drafted_by], SUBJECT_RETURNED, locked.items.count(), note=comments)
        _move(locked, Status.RETURNED, actor, reason=comments, fields=["review_comments"])
    _copy(locked, adjustment)
    return locked


def adjustment_revise(*, adjustment, actor) -> Adjustment:
    """Reopen a returned adjustment as a draft, based on the town's current version."""
    require(actor, DRAFT_PERMISSION, adjustment.town_id, MANAGE_LISTS)
    with transaction.atomic():
        locked = _lock(adjustment)
        require_status(locked, Status.RETURNED)
        previous = locked.base_version.number if locked.base_version_id else None
        # Another adjustment may have been published meanwhile: the revision is checked
        # against, and will be approved on top of, the list as it is now.
        locked.base_version = current_version(locked.town)
        payload = {"base_version": [previous, getattr(locked.base_version, "number", None)]}
        _move(locked, Status.DRAFT, actor, fields=["base_version"], payload=payload)
    _copy(locked, adjustment)
    return locked


def adjustment_withdraw(*, adjustment, actor) -> Adjustment:
    """Withdraw a draft or returned adjustment: it will not be published."""
    require(actor, DRAFT_PERMISSION, adjustment.town_id, MANAGE_LISTS)
    with transaction.atomic():
        locked = _lock(adjustment)
        require_status(locked, Status.DRAFT, Status.RETURNED)
        _move(locked, Status.WITHDRAWN, actor)
    _copy(locked, adjustment)
    return locked


# --- Helpers shared with the approval ----------------------------------------------------


def _lock(adjustment):
    return Adjustment.objects.select_for_update().select_related("town").get(pk=adjustment.pk)


def _move(locked, to_status, actor, *, reason="", fields=(), payload=None):
    """Write the new status and the transition record (last: it takes the audit lock)."""
    from_status = locked.status
    locked.status, locked.status_since = to_status, timezone.now()
    locked.save(update_fields=["status", "status_since", *fields])
    record_transition(
        obj=locked,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        payload=payload,
    )


def _copy(locked, adjustment):
    # The caller keeps working with its instance: give it the committed row.
    if adjustment is not locked:
        for field in Adjustment._meta.concrete_fields:
            setattr(adjustment, field.attname, getattr(locked, field.attname))


def _notify(adjustment, recipients, subject, item_count, *, note=""):
    values = {
        "title": adjustment.title,
        "town": adjustment.town.name,
        "items": item_count,
        "note": note,
    }
    notify(
        recipients=recipients,
        subject=subject % values,
        body=BODY % values,
        town=adjustment.town,
        link=reverse("powers:adjustment-detail", args=[adjustment.pk]),
    )


def _counts(items):
    counts = dict.fromkeys(AdjustmentAction.values, 0)
    for item in items:
        counts[item.action] += 1
    return {"items": counts}


def _code_error(message, error_code, code):
    return ValidationError(
        {"code": ValidationError(message, code=error_code, params={"code": code})}
    )


def _item_basics(action, code, reason):
    errors = {}
    if action not in AdjustmentAction.values:
        errors["action"] = UNKNOWN_ACTION
    code = (code or "").strip()
    if not code:
        errors["code"] = CODE_REQUIRED
    elif len(code) > AdjustmentItem._meta.get_field("code").max_length:
        errors["code"] = CODE_TOO_LONG
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = REASON_REQUIRED
    if errors:
        raise ValidationError(errors)
    return AdjustmentAction(action), code, reason


def _base_entry(adjustment, code):
    if adjustment.base_version_id is None:
        return None
    return adjustment.base_version.entries.select_related("power").filter(code=code).first()


def _active_holding(town, power):
    return Devolution.objects.filter(
        town=town, power=power, status=Devolution.Status.ACTIVE
    ).first()


def _current_values(entry, holding):
    """What a change is checked against: the listed entry and the holding in force."""
    current = {
        "mode": entry.mode,
        "statutory_days": entry.statutory_days,
        "promised_days": entry.promised_days,
    }
    if holding is not None:
        current["effective_from"] = holding.effective_from
        current["effective_until"] = holding.effective_until
    return current


def _require_items_fit(adjustment, items):
    """After a revision the base moved: every item must still fit the new base."""
    listed = set()
    if adjustment.base_version_id is not None:
        listed = set(
            adjustment.base_version.entries.filter(
                code__in=[item.code for item in items]
            ).values_list("code", flat=True)
        )
    misfits = [
        item.code
        for item in items
        if (item.action == ADD and item.code in listed)
        or (item.action != ADD and item.code not in listed)
    ]
    if misfits:
        raise ValidationError(
            ITEMS_NO_LONGER_FIT, code="items_no_longer_fit", params={"codes": ", ".join(misfits)}
        )
