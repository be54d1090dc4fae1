"""The API's answer to our services' exceptions: services raise Django's, DRF speaks HTTP.

- ``StateConflictError`` -> 409 with the message and the object's current state;
  one whose code is in ``UNPROCESSABLE_CODES`` (an Idempotency-Key reused) -> 422;
- Django's ``ValidationError`` -> 400 with its messages (per field where it has them);
- Django's ``PermissionDenied`` -> 403; ``Http404`` -> 404 (DRF's own handler).
"""

from django.core.exceptions import ValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from townadmin.workflow import StateConflictError

# Conflicts that retrying the same request cannot resolve: 422, not 409. By code, so the
# core does not import the apps (servicecenter's IdempotencyKeyReusedError raises it).
UNPROCESSABLE_CODES = frozenset({"idempotency_key_reused"})


def exception_handler(exc, context):
    if isinstance(exc, StateConflictError) and exc.code in UNPROCESSABLE_CODES:
        return Response(
            {"detail": exc.messages[0], "code": exc.code},
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if isinstance(exc, StateConflictError):
        return Response(
            {"detail": exc.messages[0], "code": exc.code, "current": exc.current},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, ValidationError):
        body = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    # DRF maps Django's PermissionDenied to 403 and Http404 to 404 itself.
    return drf_exception_handler(exc, context)
