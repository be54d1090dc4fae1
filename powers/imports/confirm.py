"""The confirmation of a clean import preview: one draft adjustment, one item per row."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from powers.choices import AdjustmentAction
from powers.imports.rows import ImportResult
from powers.models import Adjustment
from powers.services import adjustment_create, adjustment_item_add

NOT_CLEAN = _("The preview still lists problems: correct the file and upload it again.")
NOTHING_TO_IMPORT = _("The file changes nothing on the town's list.")
TITLE = _("Import of %(file)s")
ROW_REASON = _("Import: %(file)s row %(row)s")
REMOVAL_REASON = _("Import: %(file)s leaves it out of the town's list")


def adjustment_import(*, town, result: ImportResult, file_name, document_no, actor) -> Adjustment:
    """Write the planned ``result`` (``import_preview``) as one draft adjustment of ``town``.

    All or nothing: an item the adjustment refuses (the town's list changed since the
    preview) rolls the whole import back and raises its ValidationError. The import
    drafts; only the adjustment's review and approval change the published list.
    """
    if not result.is_clean:
        raise ValidationError(NOT_CLEAN, code="not_clean")
    items = [row for row in result.rows if row.action]
    if not items and not result.removals:
        raise ValidationError(NOTHING_TO_IMPORT, code="nothing_to_import")
    with transaction.atomic():
        # The title has 200 characters; a file name can be longer.
        title = TITLE % {"file": Truncator(file_name).chars(150)}
        adjustment = adjustment_create(town=town, title=title, actor=actor, document_no=document_no)
        for row in items:
            adjustment_item_add(
                adjustment=adjustment,
                action=row.action,
                code=row.code,
                reason=ROW_REASON % {"file": file_name, "row": row.row},
                actor=actor,
                data=row.data,
            )
        for removal in result.removals:
            adjustment_item_add(
                adjustment=adjustment,
                action=AdjustmentAction.REMOVE,
                code=removal["code"],
                reason=REMOVAL_REASON % {"file": file_name},
                actor=actor,
            )
    return adjustment
