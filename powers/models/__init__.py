"""Models of the powers app: the county catalogue, the devolution register, list versions
and the adjustments that publish them."""

from powers.models.adjustments import Adjustment, AdjustmentItem
from powers.models.catalogue import AccountabilityCase, LegalBasis, Power, ResponsibilityItem
from powers.models.lists import ListEntry, ListVersion
from powers.models.register import Devolution

__all__ = [
    "AccountabilityCase",
    "Adjustment",
    "AdjustmentItem",
    "Devolution",
    "LegalBasis",
    "ListEntry",
    "ListVersion",
    "Power",
    "ResponsibilityItem",
]
