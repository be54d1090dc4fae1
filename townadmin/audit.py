"""The audit trail's public API: what service functions and views call (DESIGN.md section 4).

* ``record_transition(...)``: every workflow step, written by the service in its transaction.
* ``timeline(obj)``: an object's transitions, oldest first.
* ``record_security_event(...)``: logins, logouts, failed logins (from the auth signals).
* ``reveal_identity_number(...)``: the only way to read a full identity number.
"""

import ipaddress

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from townadmin.models.audit import SecurityEvent, Transition
from townadmin.models.geography import Town

REASON_REQUIRED = _("Give the reason for revealing the full identity number.")
NOTHING_TO_REVEAL = _("This record has no identity number to reveal.")


def town_of(obj):
    """The town an audited object belongs to: itself for a Town, else its ``town``, if any."""
    if isinstance(obj, Town):
        return obj
    return getattr(obj, "town", None)


def record_transition(
    *, obj, from_status, to_status, actor, reason="", payload=None, town=None
) -> Transition:
    """Record that ``obj`` went from ``from_status`` to ``to_status``.

    Call it inside the service's ``transaction.atomic`` so the record commits or rolls
    back with the status change. ``town`` defaults to ``obj.town`` when the object has
    one. ``actor`` is None only for the system's own steps (a beat job).
    """
    return Transition.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        town=town if town is not None else town_of(obj),
        actor=actor,
        from_status=from_status or "",
        to_status=to_status,
        reason=reason,
        payload=payload or {},
    )


def timeline(obj):
    """The transitions of ``obj``, oldest first, with their actors and towns."""
    return (
        Transition.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )
        .select_related("actor", "town")
        .order_by("chain_seq")
    )


def client_address(request):
    """The client's IP address, or None.

    Behind ``settings.TRUSTED_PROXY_COUNT`` reverse proxies (nginx appends the address
    it saw to X-Forwarded-For), the client is the entry that many places from the
    right; entries further left come from the client and may be forged. Anything that
    is not an IP address falls back to REMOTE_ADDR rather than failing the request.
    """
    if request is None:
        return None
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    candidates = [forwarded[-proxies]] if proxies and len(forwarded) >= proxies else []
    for address in [*candidates, request.META.get("REMOTE_ADDR", "")]:
        try:
            return str(ipaddress.ip_address(address))
        except ValueError:
            continue
    return None


def record_security_event(
    *, kind, request=None, user=None, username="", obj=None, town=None, reason="", payload=None
) -> SecurityEvent:
    """Record a security event; ``request`` supplies the IP address and user agent."""
    meta = request.META if request is not None else {}
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=username or (user.get_username() if user is not None else ""),
        ip_address=client_address(request),
        user_agent=meta.get("HTTP_USER_AGENT", "")[:512],
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=obj.pk if obj is not None else None,
        town=town if town is not None else town_of(obj),
        reason=reason,
        payload=payload or {},
    )


def reveal_identity_number(*, actor, obj, field, reason, request=None) -> str:
    """Return the full identity number in ``obj.<field>`` and record who saw it and why.

    The caller checks the permission to reveal first; this function makes sure no
    full number leaves without a reason and an audit record. Raises ValidationError
    (nothing recorded) when the reason is blank or the field is empty.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(REASON_REQUIRED, code="reason_required")
    value = getattr(obj, field)
    if not value:
        raise ValidationError(NOTHING_TO_REVEAL, code="nothing_to_reveal")
    record_security_event(
        kind=SecurityEvent.Kind.IDENTITY_REVEALED,
        request=request,
        user=actor,
        obj=obj,
        reason=reason,
        payload={"field": field},
    )
    return value
