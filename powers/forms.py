"""Forms of the powers app's staff pages."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from powers.choices import DevolutionMode
from powers.imports.plan import ImportDefaults, ImportKind

# A town's list or a county's catalogue is well under a megabyte; this stops a
# mistaken upload (a scan, an archive) before it is read.
MAX_IMPORT_BYTES = 10 * 1024 * 1024
FILE_TOO_LARGE = _("The file is larger than %(limit)s MB: a power list is far smaller.")
TERM_REQUIRED = _("An entrustment needs the date its term ends.")
TERM_BEFORE_START = _("The term cannot end before it starts.")


class ImportForm(forms.Form):
    """The upload of a power list, and the holding of rows that do not state theirs."""

    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "An Excel workbook (.xlsx) or a CSV file with the columns 权力编码, 权力名称, "
            "权力类型 and, as available, 实施依据, 实施主体, 承办机构, 责任事项, 追责情形, 备注."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    kind = forms.ChoiceField(
        label=_("The file holds"),
        choices=ImportKind.choices,
        initial=ImportKind.ADDITIONS,
        widget=forms.RadioSelect,
    )
    document_no = forms.CharField(
        label=_("Document number (文号)"),
        max_length=100,
        help_text=_("Of the decision to devolve, for rows without a 文号 column."),
    )
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=DevolutionMode.choices,
        initial=DevolutionMode.DEVOLVE,
        help_text=_("For rows without a 下放方式 column."),
    )
    effective_from = forms.DateField(
        label=_("Effective from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For rows without a 生效日期 column."),
    )
    effective_until = forms.DateField(
        label=_("Effective until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The end of an entrustment's term."),
    )
    sheet = forms.CharField(
        label=_("Sheet"),
        required=False,
        max_length=100,
        help_text=_("Leave empty to read the first sheet of the workbook."),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                FILE_TOO_LARGE, params={"limit": MAX_IMPORT_BYTES // (1024 * 1024)}
            )
        return file

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("effective_from"), cleaned.get("effective_until")
        if cleaned.get("mode") == DevolutionMode.ENTRUST and not until:
            self.add_error("effective_until", TERM_REQUIRED)
        elif since and until and until < since:
            self.add_error("effective_until", TERM_BEFORE_START)
        return cleaned

    def defaults(self) -> ImportDefaults:
        until: datetime.date | None = self.cleaned_data.get("effective_until")
        return ImportDefaults(
            document_no=self.cleaned_data["document_no"].strip(),
            effective_from=self.cleaned_data["effective_from"].isoformat(),
            mode=self.cleaned_data["mode"],
            effective_until=until.isoformat() if until else "",
        )
