"""Ratings (好差评), the rectification of bad ones and appeals against malicious ones
(DOMAIN.md "Service hall"); complaints are in ``complaints``, which shares this module's
public lookup (``verified_application``) and permission check (``require``).

The public rates a completed application once; a bad rating (不满意, 非常不满意) opens a
rectification with two clocks in working days: the call-back within one, the fix within
``settings.RECTIFICATION_WORKDAYS``. Once rectified, the applicant rates once more.
The town may appeal a rating it holds malicious; the county reviewer decides, and an
upheld appeal excludes the rating from every statistic.

Each transition locks its row, checks the current status, writes the change and its
Transition record in one transaction. The rating comes from the public (no actor): the
caller has checked the receipt number and verification code.
"""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from powers.selectors import reach_holders
from servicecenter.choices import RatingLevel, RatingTag
from servicecenter.models import Application, Rating, Rectification
from servicecenter.models.applications import COMPLETED
from servicecenter.selectors import application_by_receipt
from servicecenter.services.common import NOT_ALLOWED, lock, move
from townadmin.access import in_reach
from townadmin.audit import record_transition
from townadmin.deadlines import clear_alerts
from townadmin.models.calendar import DayType
from townadmin.models.deadlines import Alert, WarningLevel
from townadmin.notifications import notify
from townadmin.workflow import StateConflictError, require_status

Status = Rectification.Status

LEVEL_INVALID = _("Choose one of the five ratings.")
TAGS_INVALID = _("These are not standard rating tags: %(tags)s.")
COMMENT_TOO_LONG = _("Keep the comment within %(max)s characters.")
NOT_COMPLETED = _("An application can be rated once it is completed.")
ALREADY_RATED = _(
    "This application has been rated. It can be rated once more only after a bad rating "
    "was rectified."
)
NOTE_REQUIRED = _("Record what the applicant said on the call-back.")
MEASURES_REQUIRED = _("Describe the rectification measures.")
REASON_REQUIRED = _("Give the reason.")

SUBJECT_BAD_RATING = _("Bad rating to rectify: %(receipt)s")
BODY_BAD_RATING = _(
    "%(item)s was rated “%(level)s”. Call the applicant back by %(callback)s and rectify "
    "by %(fix)s."
)
SMS_RECTIFIED = _(
    "[%(town)s] We have acted on your rating of application %(receipt)s: %(measures)s "
    "You may rate it once more with your receipt number and verification code."
)
SUBJECT_APPEAL = _("Appeal against a rating: %(receipt)s")
SUBJECT_APPEAL_DECIDED = _("Appeal decided: %(receipt)s")

# (model permission, reaches any one of which will do) for each kind of step: the
# first-contact clerk or the town leader follows up (a rating, and a complaint); only the
# leader appeals for the town.
HALL_REACH = ("townadmin.handle_application", "townadmin.lead_town")
RECTIFY = ("servicecenter.change_rectification", HALL_REACH)
APPEAL = ("servicecenter.change_rectification", ("townadmin.lead_town",))
DECIDE = ("servicecenter.decide_appeal", ("townadmin.review_reform",))

# A receipt number takes this many wrong verification codes per window before every
# lookup of it answers "not found" until the window ends: six digits must not be
# guessable by trying them all. Counted in Django's cache (shared when the cache is).
LOOKUP_ATTEMPTS = 10
LOOKUP_WINDOW_SECONDS = 3600

COMMENT_MAX = Rating._meta.get_field("comment").max_length

# What a rectification's steps read after locking it: the town to notify, the applicant.
LOCKED_WITH = ("town", "rating__application")


def require(actor, needs, town_id):
    """PermissionDenied (403) without the model permission; Http404 outside every reach."""
    permission, reaches = needs
    if not (actor is not None and actor.is_active and actor.has_perm(permission)):
        raise PermissionDenied(NOT_ALLOWED)
    if not any(in_reach(actor, reach, town_id) for reach in reaches):
        raise Http404


def verified_application(receipt_no, code, *, town=None) -> Application | None:
    """The application with this receipt number and verification code (of ``town`` when
    given), or None.

    An unknown receipt, a wrong code and a receipt locked after too many wrong codes all
    answer None, so a caller shows one message for all and receipts cannot be probed
    (``servicecenter.selectors.application_by_receipt`` compares in constant time).
    """
    receipt_no = (receipt_no or "").strip()
    if not receipt_no or not (code or "").strip():
        return None
    key = "servicecenter:lookup-failures:" + hashlib.sha256(receipt_no.encode()).hexdigest()
    if (cache.get(key) or 0) >= LOOKUP_ATTEMPTS:
        return None
    application = application_by_receipt(receipt_no, code)
    if application is not None and town is not None and application.town_id != town.pk:
        application = None
    if application is None:
        cache.add(key, 0, LOOKUP_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # the window ended between add and incr
            cache.set(key, 1, LOOKUP_WINDOW_SECONDS)
    return application


def next_rating_round(application):
    """1 or 2: the round the applicant may rate in now; None when no rating is possible.

    Round 1 once the application is completed; round 2 once, after the round-1 bad
    rating's rectification was marked rectified. One query.
    """
    if application.status not in COMPLETED:
        return None
    rated = {
        rating.round: rating
        for rating in Rating.objects.filter(application=application).select_related("rectification")
    }
    if not rated:
        return 1
    first = rated.get(1)
    if 2 in rated or first is None:
        return None
    rectification = getattr(first, "rectification", None)
    if rectification is not None and rectification.status == Status.RECTIFIED:
        return 2
    return None


def rating_submit(*, application, level, tags=(), comment="") -> Rating:
    """The applicant rates a completed application (the caller verified the receipt).

    A bad rating in round 1 opens a rectification owned by the first-contact clerk
    (首问负责) and tells the clerk and the town's leaders; a round-2 rating closes the
    rectification as re-rated. A second rating of the same round, from a double click
    or a race, is a StateConflictError (409): the application row is locked, and the
    unique constraint on (application, round) would catch whatever got past it.
    """
    level, tags, comment = _rating_input(level, tags, comment)
    with transaction.atomic():
        locked = lock(application, related=("town", "item", "first_clerk"))
        if locked.status not in COMPLETED:
            raise StateConflictError(
                NOT_COMPLETED, code="not_completed", current={"status": locked.status}
            )
        round_ = next_rating_round(locked)
        if round_ is None:
            raise StateConflictError(
                ALREADY_RATED, code="already_rated", current={"status": locked.status}
            )
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    application=locked,
                    town_id=locked.town_id,
                    round=round_,
                    level=level,
                    tags=tags,
                    comment=comment,
                )
        except IntegrityError as error:
            raise StateConflictError(
                ALREADY_RATED, code="already_rated", current={"status": locked.status}
            ) from error
        record_transition(
            obj=locked,
            from_status=locked.status,
            to_status=locked.status,
            actor=None,
            payload={"step": "rated", "round": round_, "level": level, "rating": rating.pk},
        )
        if round_ == 2:
            _close_after_rerating(rating)
        elif rating.is_bad:
            _open_rectification(locked, rating)
    return rating


def rectification_call_back(*, rectification, actor, note) -> Rectification:
    """The clerk called the applicant back (回访): open -> called_back."""
    note = required_text(note, "note", NOTE_REQUIRED)
    require(actor, RECTIFY, rectification.town_id)
    with transaction.atomic():
        locked = lock(rectification, related=LOCKED_WITH)
        require_status(locked, Status.OPEN)
        locked.call_back_note = note
        move(locked, Status.CALLED_BACK, actor=actor, reason=note, fields=["call_back_note"])
        # The call-back clock has stopped; the fix clock still runs.
        _clear_clock_alerts(locked, "callback")
    return locked


def rectification_rectify(*, rectification, actor, measures) -> Rectification:
    """The town rectified what the rating was about: called_back -> rectified. The
    applicant is invited by SMS to rate once more."""
    measures = required_text(measures, "measures", MEASURES_REQUIRED)
    require(actor, RECTIFY, rectification.town_id)
    with transaction.atomic():
        locked = lock(rectification, related=LOCKED_WITH)
        require_status(locked, Status.CALLED_BACK)
        locked.measures = measures
        move(locked, Status.RECTIFIED, actor=actor, reason=measures, fields=["measures"])
        clear_alerts(locked)
        application = locked.rating.application
        if application.applicant_phone:
            notify(
                recipients=[application.applicant_phone],
                channels=("sms",),
                subject=SMS_RECTIFIED
                % {
                    "town": locked.town.name,
                    "receipt": application.receipt_no,
                    "measures": measures,
                },
                body="",
                town=locked.town,
                dedupe_key=f"rectification-rectified-{locked.pk}",
            )
    return locked


def rectification_appeal(*, rectification, actor, reason) -> Rectification:
    """The town leader holds the rating malicious (恶意差评) and appeals to the county:
    open | called_back -> appealed. The clocks are no longer watched meanwhile."""
    reason = required_text(reason, "reason", REASON_REQUIRED)
    require(actor, APPEAL, rectification.town_id)
    with transaction.atomic():
        locked = lock(rectification, related=LOCKED_WITH)
        require_status(locked, Status.OPEN, Status.CALLED_BACK)
        locked.status_before_appeal = locked.status
        locked.appeal_reason = reason
        # The clocks are not watched while appealed: their cards are cleared and their
        # levels put back with them, so that after a dismissed appeal the next sweep moves
        # them and cards them afresh (the engine raises a card when a level moves).
        levels = [clock.level_field for clock in Rectification.CLOCKS]
        for level in levels:
            setattr(locked, level, WarningLevel.NORMAL)
        move(
            locked,
            Status.APPEALED,
            actor=actor,
            reason=reason,
            fields=["status_before_appeal", "appeal_reason", *levels],
        )
        clear_alerts(locked)
        reviewers = reach_holders(
            locked.town, "review_reform", permission="servicecenter.decide_appeal"
        )
        notify(
            recipients=reviewers,
            subject=SUBJECT_APPEAL % {"receipt": locked.rating.application.receipt_no},
            body=reason,
            town=locked.town,
            link=reverse("servicecenter:rectification", args=[locked.pk]),
        )
    return locked


def rectification_decide_appeal(*, rectification, actor, uphold, reason) -> Rectification:
    """The county reviewer decides the town's appeal: upheld excludes the rating from
    every statistic; dismissed sends the rectification back where it was."""
    reason = required_text(reason, "reason", REASON_REQUIRED)
    require(actor, DECIDE, rectification.town_id)
    with transaction.atomic():
        locked = lock(rectification, related=LOCKED_WITH)
        require_status(locked, Status.APPEALED)
        locked.appeal_decision_reason = reason
        if uphold:
            to_status = Status.UPHELD
            Rating.objects.filter(pk=locked.rating_id).update(excluded=True)
            locked.rating.excluded = True
        else:
            to_status = locked.status_before_appeal or Status.OPEN
        move(
            locked,
            to_status,
            actor=actor,
            reason=reason,
            payload={"appeal": "upheld" if uphold else "dismissed"},
            fields=["appeal_decision_reason"],
        )
        notify(
            recipients=_town_watchers(locked),
            subject=SUBJECT_APPEAL_DECIDED % {"receipt": locked.rating.application.receipt_no},
            body=reason,
            town=locked.town,
            link=reverse("servicecenter:rectification", args=[locked.pk]),
        )
    return locked


# --- helpers -----------------------------------------------------------------------------


def _rating_input(level, tags, comment):
    errors = {}
    try:
        level = RatingLevel(int(level))
    except (TypeError, ValueError):
        errors["level"] = ValidationError(LEVEL_INVALID, code="invalid")
    tags = list(dict.fromkeys(str(tag) for tag in (tags or ())))
    unknown = [tag for tag in tags if tag not in RatingTag.values]
    if unknown:
        errors["tags"] = ValidationError(
            TAGS_INVALID, code="invalid", params={"tags": "、".join(unknown)}
        )
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        errors["comment"] = ValidationError(
            COMMENT_TOO_LONG, code="max_length", params={"max": COMMENT_MAX}
        )
    if errors:
        raise ValidationError(errors)
    return level, tags, comment


def required_text(text, field, message):
    """``text`` stripped; a ValidationError on ``field`` when nothing is left."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: ValidationError(message, code="required")})
    return text


def _open_rectification(application, rating):
    now = timezone.now()
    rectification = Rectification(
        town_id=application.town_id, rating=rating, owner=application.first_clerk
    )
    # Working days whatever the item's day type: DOMAIN.md gives the call-back and the
    # rectification period in working days.
    rectification.start_clocks(
        started_at=now,
        day_type=DayType.WORKING,
        callback=1,
        fix=settings.RECTIFICATION_WORKDAYS,
    )
    rectification.save()
    record_transition(
        obj=rectification,
        from_status="",
        to_status=rectification.status,
        actor=None,
        payload={"rating": rating.pk, "level": rating.level},
    )
    rectification.rating = rating
    notify(
        recipients=_town_watchers(rectification),
        subject=SUBJECT_BAD_RATING % {"receipt": application.receipt_no},
        body=BODY_BAD_RATING
        % {
            "item": application.item.name,
            "level": RatingLevel(rating.level).label,
            "callback": rectification.due_date.isoformat(),
            "fix": rectification.fix_due_date.isoformat(),
        },
        town=application.town,
        link=reverse("servicecenter:rectification", args=[rectification.pk]),
    )
    return rectification


def _close_after_rerating(rating):
    first = Rating.objects.get(application_id=rating.application_id, round=1)
    locked = lock(first.rectification, related=LOCKED_WITH)
    require_status(locked, Status.RECTIFIED)
    move(locked, Status.RERATED, actor=None, payload={"rating": rating.pk, "level": rating.level})
    clear_alerts(locked)


def _town_watchers(rectification):
    """The responsible clerk and the town's leaders."""
    leaders = list(reach_holders(rectification.town, "lead_town"))
    owner = rectification.owner
    if owner is not None and owner.is_active and owner not in leaders:
        leaders.insert(0, owner)
    return leaders


def _clear_clock_alerts(rectification, clock):
    return Alert.objects.filter(
        content_type=ContentType.objects.get_for_model(rectification),
        object_id=rectification.pk,
        clock=clock,
        cleared_at__isnull=True,
    ).update(cleared_at=timezone.now())
