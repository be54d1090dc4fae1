"""Forms of the list adjustment pages: they parse what the user typed; the services judge it.

Text the services check (a title, a reason, comments, an opinion, a document number)
is not required here: the service answers a missing one with its own message, after
its permission check, so a user without the right gets 403 whatever they posted.
``add_service_errors`` puts a service's ValidationError on the fields it names.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from powers.choices import AdjustmentAction, Category, DevolutionMode
from townadmin.models import Department, Town

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Where the serializer's nested field names land on the item form.
NESTED_FIELDS = {"legal_bases.0.law": "law", "legal_bases.0.article": "article", "data": None}


def _blank(choices):
    return [("", "—"), *choices]


class AdjustmentCreateForm(forms.Form):
    """A new draft adjustment of one of the towns the user drafts lists for."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("For example: 2026 adjustment of the power list"),
    )
    town = forms.ModelChoiceField(label=_("Town"), queryset=Town.objects.none())

    def __init__(self, *args, towns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns
        self.fields["town"].empty_label = None


class AdjustmentItemForm(forms.Form):
    """One proposed change: its action, the power's code, the reason and, for an addition
    or a change, the power's main fields (a change states only what it changes)."""

    action = forms.ChoiceField(
        label=_("Action"), choices=AdjustmentAction.choices, widget=forms.RadioSelect
    )
    code = forms.CharField(label=_("Power code"), max_length=48, required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea({"rows": 2}))
    name = forms.CharField(label=_("Name of the power"), max_length=200, required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=_blank(Category.choices), required=False
    )
    department = forms.ChoiceField(label=_("Source department"), choices=(), required=False)
    mode = forms.ChoiceField(
        label=_("Mode"), choices=_blank(DevolutionMode.choices), required=False
    )
    exercised_in_name_of = forms.CharField(
        label=_("Exercised in the name of"), max_length=100, required=False
    )
    implementing_body = forms.CharField(
        label=_("Implementing body"), max_length=100, required=False
    )
    responsible_office = forms.ChoiceField(
        label=_("Responsible office"), choices=(), required=False
    )
    law = forms.CharField(label=_("Legal basis: law or regulation"), max_length=200, required=False)
    article = forms.CharField(label=_("Legal basis: article"), max_length=100, required=False)
    effective_from = forms.DateField(label=_("Effective from"), required=False, widget=DATE)
    effective_until = forms.DateField(
        label=_("Effective until"),
        required=False,
        widget=DATE,
        help_text=_("Required for an entrustment: the end of its term."),
    )
    document_no = forms.CharField(
        label=_("Document number of the devolution (文号)"), max_length=100, required=False
    )

    basics = ("action", "code", "reason")

    def __init__(self, *args, town, **kwargs):
        super().__init__(*args, **kwargs)
        units = Department.objects.filter(county_id=town.county_id).order_by("name")
        names = list(units.values_list("town_id", "name"))
        self.fields["department"].choices = _blank(
            [(name, name) for town_id, name in names if town_id is None]
        )
        self.fields["responsible_office"].choices = _blank(
            [(name, name) for town_id, name in names if town_id == town.pk]
        )

    def power_fields(self):
        return [self[name] for name in self.fields if name not in self.basics]

    def data_for_service(self):
        """The proposed fields as ``adjustment_item_add`` takes them: only those filled in."""
        cleaned = self.cleaned_data
        data = {
            name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in cleaned.items()
            if name not in (*self.basics, "law", "article") and value not in ("", None)
        }
        if cleaned.get("law") or cleaned.get("article"):
            data["legal_bases"] = [{"law": cleaned["law"], "article": cleaned["article"]}]
        return data


class LegalOpinionForm(forms.Form):
    opinion = forms.CharField(
        label=_("Opinion of the legal review"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )


class ApprovalForm(forms.Form):
    document_no = forms.CharField(
        label=_("Document number of the approval (文号)"), max_length=100, required=False
    )


class ReturnForm(forms.Form):
    comments = forms.CharField(
        label=_("What must be corrected"), required=False, widget=forms.Textarea({"rows": 3})
    )


def add_service_errors(form, error):
    """Show a service's ValidationError on ``form``: each message on the field it names,
    the rest (and names the form does not have) above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        field = NESTED_FIELDS.get(name, name)
        if field in form.fields:
            form.add_error(field, messages)
        else:
            form.add_error(None, messages)
