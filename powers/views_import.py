"""Spreadsheet import of a town's list: upload, preview every row, confirm into a draft.

The preview writes nothing: the planned rows wait in the user's session, one pending
import per town, until the user confirms a clean preview; the confirmation writes one
draft adjustment through ``adjustment_import`` and opens it. Only a town leader of the
town (reach ``manage_lists`` and the model permission to draft adjustments) gets here.
"""

import dataclasses

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from powers.choices import AdjustmentAction, Category
from powers.forms import ImportForm
from powers.imports import ImportFileError, ImportResult, read_power_sheet
from powers.imports.confirm import adjustment_import
from powers.imports.plan import ImportDefaults, ImportKind, import_preview
from powers.services.adjustments import DRAFT_PERMISSION, MANAGE_LISTS
from townadmin.access import scope
from townadmin.models import Town

SESSION_KEY = "powers.import.%s"
NO_PENDING_IMPORT = _("There is no import waiting for confirmation: upload the file again.")
IMPORTED = _("The draft adjustment “%(title)s” holds %(count)s items from the file.")


class TownImportMixin(LoginRequiredMixin):
    """The town of the URL: 404 outside the user's list reach, 403 without drafting rights."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        towns = scope(
            Town.objects.select_related("county"), request.user, MANAGE_LISTS, town_field="pk"
        )
        self.town = get_object_or_404(towns, code=kwargs["code"])
        if not request.user.has_perm(DRAFT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def session_key(self):
        return SESSION_KEY % self.town.code

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, town=self.town)


class ImportUploadView(TownImportMixin, FormView):
    """Upload a list: read, check and plan it, keep it in the session, show the preview."""

    template_name = "powers/import_upload.html"
    form_class = ImportForm

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            result = read_power_sheet(upload, sheet=form.cleaned_data["sheet"].strip() or None)
        except ImportFileError as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        defaults = form.defaults()
        kind = form.cleaned_data["kind"]
        import_preview(result, town=self.town, kind=kind, defaults=defaults)
        self.request.session[self.session_key] = {
            "file_name": upload.name,
            "kind": kind,
            "defaults": dataclasses.asdict(defaults),
            "result": result.as_session(),
        }
        return redirect("powers:import-preview", code=self.town.code)


class ImportPreviewView(TownImportMixin, TemplateView):
    """Every row of the pending import with its problems; confirming drafts the adjustment."""

    template_name = "powers/import_preview.html"

    def pending(self):
        stored = self.request.session.get(self.session_key)
        if stored is None:
            return None
        try:
            return {
                **stored,
                "defaults": ImportDefaults(**stored["defaults"]),
                "result": ImportResult.from_session(stored["result"]),
            }
        except (KeyError, TypeError):  # kept by an earlier release of this page
            del self.request.session[self.session_key]
            return None

    def get(self, request, *args, **kwargs):
        pending = self.pending()
        if pending is None:
            messages.info(request, NO_PENDING_IMPORT)
            return redirect("powers:import-upload", code=self.town.code)
        return self.render_to_response(self.get_context_data(**pending))

    def post(self, request, *args, **kwargs):
        pending = self.pending()
        if pending is None:
            messages.error(request, NO_PENDING_IMPORT)
            return redirect("powers:import-upload", code=self.town.code)
        try:
            adjustment = adjustment_import(
                town=self.town,
                result=pending["result"],
                file_name=pending["file_name"],
                document_no=pending["defaults"].document_no,
                actor=request.user,
            )
        except ValidationError as error:
            # The town's list changed since the preview: nothing was written.
            for message in error.messages:
                messages.error(request, message)
            return redirect("powers:import-preview", code=self.town.code)
        del request.session[self.session_key]
        count = adjustment.items.count()
        messages.success(request, IMPORTED % {"title": adjustment.title, "count": count})
        return redirect("powers:adjustment-detail", pk=adjustment.pk)

    def get_context_data(self, **kwargs):
        result = kwargs["result"]
        by_row = result.problems_by_row()
        rows = [
            (row, Category(row.category).label if row.category else "", by_row.pop(row.row, []))
            for row in result.rows
        ]
        # What confirming would draft: the actions of the rows without problems.
        actions = [row.action for row, _label, problems in rows if not problems]
        return super().get_context_data(
            **kwargs,
            kind_label=ImportKind(kwargs["kind"]).label,
            rows=rows,
            # Problems outside the data rows: a column the header row lacks.
            table_problems=[problem for problems in by_row.values() for problem in problems],
            rows_with_problems=sum(1 for *_row, problems in rows if problems),
            additions=actions.count(AdjustmentAction.ADD),
            changes=actions.count(AdjustmentAction.CHANGE),
            unchanged=actions.count(""),
            can_confirm=result.is_clean and (any(actions) or bool(result.removals)),
        )


class ImportStartView(LoginRequiredMixin, TemplateView):
    """The import's entry from the menu: the towns whose lists the user drafts."""

    template_name = "powers/import_start.html"

    def get(self, request, *args, **kwargs):
        if not request.user.has_perm(DRAFT_PERMISSION):
            raise PermissionDenied
        towns = list(
            scope(Town.objects.all(), request.user, MANAGE_LISTS, town_field="pk").order_by("code")
        )
        if len(towns) == 1:
            return redirect("powers:import-upload", code=towns[0].code)
        return self.render_to_response(self.get_context_data(towns=towns))
