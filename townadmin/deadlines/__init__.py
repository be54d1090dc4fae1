"""The deadline engine (DESIGN.md section 5): clock steps and the e-supervision sweep.

The data lives in ``townadmin.models.deadlines`` (the ``Supervised`` mixin, rules,
the pause ledger, extensions, alerts); the calendar in ``townadmin.workdays``.
"""

from townadmin.deadlines.services import (
    DeadlineStateError,
    deadline_extend,
    deadline_extension_decide,
    deadline_extension_request,
    deadline_pause,
    deadline_resume,
)
from townadmin.deadlines.sweep import SweepResult, clear_alerts, sweep

__all__ = [
    "DeadlineStateError",
    "SweepResult",
    "clear_alerts",
    "deadline_extend",
    "deadline_extension_decide",
    "deadline_extension_request",
    "deadline_pause",
    "deadline_resume",
    "sweep",
]
