"""Intake (收件): an application comes in at the window, from a village agent, online or at
a kiosk. The window takes it as received; an agent's filing and an online pre-submission
are drafts the hall reviews; a kiosk item is decided on the spot.
"""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from powers.selectors import holding
from servicecenter.choices import Channel
from servicecenter.models import Application, Material, SubmittedMaterial
from servicecenter.services.common import AGENT, INTAKE, next_receipt_no, require, verification_code
from townadmin.audit import record_transition
from townadmin.identity import parse_identity
from townadmin.workflow import StateConflictError

Status = Application.Status
State = SubmittedMaterial.State

NAME_REQUIRED = _("Give the applicant's name.")
PHONE_INVALID = _("Give a phone number of 7 to 20 digits.")
ITEM_NOT_PUBLISHED = _("This service item is not published.")
CHANNEL_NOT_OFFERED = _("This item cannot be applied for through this channel.")
MATERIAL_OF_ANOTHER_ITEM = _("These materials do not belong to the item: %(ids)s.")
NOT_HELD = _(
    "%(town)s does not hold the power “%(power)s” today: apply at the %(county)s "
    "government service centre (县政务服务中心)."
)
KEY_REUSED = _("This Idempotency-Key was already used for a different application: use a new key.")

WINDOW_CHANNELS = (Channel.WINDOW, Channel.KIOSK)


class IdempotencyKeyReusedError(StateConflictError):
    """The same key came with a different body (answered 422, not 409: retrying the
    same request cannot succeed)."""


def fingerprint(item, channel, materials, applicant) -> str:
    """A stable digest of an intake request, to tell a retry from a different request."""
    body = {
        "item": item.pk,
        "channel": channel,
        "materials": sorted(int(pk) for pk in materials),
        "applicant": {key: str(applicant.get(key) or "") for key in sorted(applicant)},
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def application_intake(
    *, item, channel, applicant, materials, actor, idempotency_key=""
) -> tuple[Application, bool]:
    """Take an application for ``item``; returns (application, created).

    ``applicant`` is ``{"type", "name", "id_number", "phone"}``; ``materials`` the ids of
    the guide's materials presented. With ``idempotency_key``, a retry with the same
    body returns the first application (created False) and a different body is refused.
    ``actor`` is None only for an online pre-submission by the public.
    """
    channel = Channel(channel)
    if channel == Channel.AGENT:
        require(actor, AGENT, item.town_id)
    elif channel != Channel.ONLINE or actor is not None and actor.is_authenticated:
        require(actor, INTAKE, item.town_id)
    filer = actor if actor is not None and actor.is_authenticated else None
    digest = fingerprint(item, channel, materials, applicant)
    if idempotency_key:
        earlier = _earlier(filer, idempotency_key, digest)
        if earlier is not None:
            return earlier, False
    identity, name, phone = _applicant(applicant)
    presented = _materials(item, materials)
    if not item.is_published:
        raise ValidationError({"service_item": ITEM_NOT_PUBLISHED}, code="not_published")
    if channel not in item.channels:
        raise ValidationError({"channel": CHANNEL_NOT_OFFERED}, code="channel")
    now = timezone.now()
    require_held(item, timezone.localdate(now))
    at_window = channel in WINDOW_CHANNELS
    application = Application(
        town_id=item.town_id,
        item=item,
        receipt_no=next_receipt_no(item.town, timezone.localdate(now)),
        verification_code=verification_code(),
        channel=channel,
        status=Status.RECEIVED if at_window else Status.DRAFT,
        status_since=now,
        applicant_type=identity.kind,
        applicant_name=name,
        applicant_id_number=identity.number,
        applicant_phone=phone,
        area_unknown=not identity.area_known,
        filed_by=filer,
        first_clerk=filer if at_window else None,
        received_at=now,
        visits=1 if at_window else 0,
        idempotency_key=idempotency_key,
        request_fingerprint=digest if idempotency_key else "",
    )
    try:
        with transaction.atomic():
            application.save()
            SubmittedMaterial.objects.bulk_create(
                SubmittedMaterial(application=application, material=material, state=state)
                for material, state in presented
            )
            record_transition(
                obj=application,
                from_status="",
                to_status=application.status,
                actor=filer,
                payload={"channel": channel, "area_unknown": application.area_unknown},
            )
    except IntegrityError:
        # A concurrent retry with the same key inserted first: answer as a retry does.
        earlier = idempotency_key and _earlier(filer, idempotency_key, digest)
        if earlier:
            return earlier, False
        raise
    return application, True


def require_held(item, on):
    """ValidationError naming who can help when ``item``'s town does not hold its power."""
    if holding(town=item.town, power=item.power, on=on) is None:
        raise ValidationError(
            NOT_HELD,
            code="not_held",
            params={"town": item.town.name, "power": item.name, "county": item.town.county.name},
        )


def material_states(item, presented_ids):
    """(material, state) for every material of ``item``'s guide."""
    return [
        (
            material,
            State.PRESENTED
            if material.pk in presented_ids
            else State.SHARED
            if material.shared_from
            else State.MISSING,
        )
        for material in item.materials.all()
    ]


def _materials(item, ids):
    ids = {int(pk) for pk in ids}
    known = set(Material.objects.filter(item=item).values_list("pk", flat=True))
    foreign = sorted(ids - known)
    if foreign:
        raise ValidationError(
            {
                "materials": ValidationError(
                    MATERIAL_OF_ANOTHER_ITEM,
                    code="invalid",
                    params={"ids": ", ".join(map(str, foreign))},
                )
            }
        )
    return material_states(item, ids)


def _applicant(applicant):
    errors = {}
    name = (applicant.get("name") or "").strip()
    if not name:
        errors["applicant.name"] = ValidationError(NAME_REQUIRED, code="required")
    phone = "".join((applicant.get("phone") or "").split())
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 20):
        errors["applicant.phone"] = ValidationError(PHONE_INVALID, code="invalid")
    identity = None
    try:
        identity = parse_identity(applicant.get("type"), applicant.get("id_number"))
    except ValidationError as error:
        errors["applicant.id_number"] = error
    if errors:
        # Dotted keys: the API's body nests the applicant, and a form names its fields so.
        raise ValidationError(errors)
    return identity, name, phone


def _earlier(filer, key, digest):
    earlier = Application.objects.filter(filed_by=filer, idempotency_key=key).first()
    if earlier is not None and earlier.request_fingerprint != digest:
        raise IdempotencyKeyReusedError(KEY_REUSED, code="idempotency_key_reused")
    return earlier
