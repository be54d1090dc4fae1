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

from powers.selectors import holds
from servicecenter.choices import Channel, NoticeKind
from servicecenter.models import Application, Material, SubmittedMaterial
from servicecenter.services.common import (
    AGENT,
    INTAKE,
    choice,
    id_set,
    issue,
    material_line,
    next_receipt_no,
    require,
    verification_code,
)
from townadmin.access import in_reach
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
    A new application carries ``submitted_materials``, each with its guide entry.
    ``actor`` is None only for an online pre-submission by the public.
    """
    channel = choice(Channel, channel, "channel")
    filer = actor if actor is not None and actor.is_authenticated else None
    # A clerk may type in a village agent's paper filing: it is then received at the window.
    clerk = filer is not None and in_reach(filer, INTAKE[1], item.town_id)
    if channel == Channel.AGENT and not clerk:
        require(actor, AGENT, item.town_id)
    elif channel != Channel.ONLINE or filer is not None:
        require(actor, INTAKE, item.town_id)
    material_ids = id_set(materials, "materials")
    digest = fingerprint(item, channel, material_ids, applicant)
    try:
        return _take(item, channel, applicant, material_ids, filer, clerk, idempotency_key, digest)
    except (ValidationError, IntegrityError):
        # Nearly every key is new, so the retry is found by the unique key refusing the
        # insert rather than by a look-up before it (the window's hot path:
        # bench/intake.py). A retry that no longer validates (the item was unpublished
        # since) is still the first application.
        earlier = idempotency_key and _earlier(filer, idempotency_key, digest)
        if earlier:
            return earlier, False
        raise


def _take(item, channel, applicant, material_ids, filer, clerk, idempotency_key, digest):
    identity, name, phone = _applicant(applicant)
    presented = _materials(item, material_ids)
    if not item.is_published:
        raise ValidationError(
            {"service_item": ValidationError(ITEM_NOT_PUBLISHED, code="not_published")}
        )
    if channel not in item.channels:
        raise ValidationError({"channel": ValidationError(CHANNEL_NOT_OFFERED, code="channel")})
    now = timezone.now()
    require_held(item, timezone.localdate(now))
    at_window = channel in WINDOW_CHANNELS or (channel == Channel.AGENT and clerk)
    application = Application(
        town=item.town,
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
    with transaction.atomic():
        application.save()
        application.submitted_materials = SubmittedMaterial.objects.bulk_create(
            SubmittedMaterial(application=application, material=material, state=state)
            for material, state in presented
        )
        if at_window:
            issue(
                application,
                NoticeKind.RECEIPT,
                actor=filer,
                first=True,
                content={
                    "materials": [
                        material_line(material)
                        for material, state in presented
                        if state == State.PRESENTED
                    ]
                },
            )
        record_transition(
            obj=application,
            from_status="",
            to_status=application.status,
            actor=filer,
            payload={"channel": channel, "area_unknown": application.area_unknown},
        )
    return application, True


def require_held(item, on):
    """ValidationError naming who can help when ``item``'s town does not hold its power."""
    if not holds(town=item.town_id, power=item.power_id, on=on):
        raise ValidationError(
            NOT_HELD,
            code="not_held",
            params={"town": item.town.name, "power": item.name, "county": item.town.county.name},
        )


def material_states(item, presented_ids, materials=None):
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
        for material in (item.materials.all() if materials is None else materials)
    ]


def _materials(item, ids):
    materials = list(Material.objects.filter(item=item).order_by("position"))
    foreign = sorted(ids - {material.pk for material in materials})
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
    return material_states(item, ids, materials)


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
    # Two narrow reads rather than one wide one: nearly every key is new, and the intake
    # is on the window's hot path (bench/intake.py).
    found = (
        Application.objects.filter(filed_by=filer, idempotency_key=key)
        .values_list("pk", "request_fingerprint")
        .first()
    )
    if found is None:
        return None
    if found[1] != digest:
        raise IdempotencyKeyReusedError(KEY_REUSED, code="idempotency_key_reused")
    return Application.objects.get(pk=found[0])
