"""Writes of the powers app (DESIGN.md section 4): every one a keyword-only function with
an ``actor``, atomic, permission-checked, leaving a transition record.

The register (``devolution_*``) and the list adjustment workflow (``adjustment_*``);
``AdjustmentItemDataSerializer`` / ``item_data`` validate an item's proposed fields for
the drafting page, the API and the spreadsheet import alike.
"""

from powers.services.adjustments import (
    adjustment_create,
    adjustment_item_add,
    adjustment_item_remove,
    adjustment_pass_legal_review,
    adjustment_return,
    adjustment_revise,
    adjustment_submit,
    adjustment_withdraw,
)
from powers.services.approval import adjustment_approve
from powers.services.item_data import AdjustmentItemDataSerializer, item_data
from powers.services.register import devolution_register, devolution_renew, devolution_revoke

__all__ = [
    "AdjustmentItemDataSerializer",
    "adjustment_approve",
    "adjustment_create",
    "adjustment_item_add",
    "adjustment_item_remove",
    "adjustment_pass_legal_review",
    "adjustment_return",
    "adjustment_revise",
    "adjustment_submit",
    "adjustment_withdraw",
    "devolution_register",
    "devolution_renew",
    "devolution_revoke",
    "item_data",
]
