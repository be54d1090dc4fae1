"""townadmin's models, one module per subdomain (DESIGN.md section 2).

Each module is imported here so Django registers its models; import the
classes from their own module (``from townadmin.models.geography import Town``)
or from this package for the common ones.
"""

from townadmin.models import audit, calendar, deadlines, outbox, reach  # noqa: F401 (registration)
from townadmin.models.geography import (
    Community,
    County,
    Department,
    StaffingQuota,
    Town,
    Village,
)
from townadmin.models.people import EnforcementCertificate, Posting, User, VillageAgent
from townadmin.models.system import Heartbeat

__all__ = [
    "Community",
    "County",
    "Department",
    "EnforcementCertificate",
    "Heartbeat",
    "Posting",
    "StaffingQuota",
    "Town",
    "User",
    "Village",
    "VillageAgent",
]
