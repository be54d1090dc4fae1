"""What every workflow service raises when the object is not in a state that allows the step.

A service locks the row and checks its status first; if another user got there first
(or the step does not fit the state), it raises :class:`StateConflictError`, which the API
answers with HTTP 409 and the object's current state, and HTML views show as a message.
Nothing has changed when it is raised.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NOT_IN_STATE = _("This step is not possible now: it is %(status)s.")


class StateConflictError(ValidationError):
    """The object's current state does not allow the step (HTTP 409).

    ``current`` is what the client should see instead: usually ``{"status": ...}``.
    """

    def __init__(self, message=NOT_IN_STATE, *, code="state_conflict", current=None, params=None):
        self.current = current or {}
        super().__init__(message, code=code, params=params)


def require_status(obj, *allowed, message=NOT_IN_STATE):
    """Raise StateConflictError unless ``obj.status`` is one of ``allowed`` (under the lock)."""
    if obj.status not in allowed:
        raise StateConflictError(
            message,
            current={"status": obj.status},
            params={"status": obj.get_status_display()},
        )
