"""Forms of the hall's pages (/hall/): they parse what the clerk typed; the services judge it.

Text the services check (the applicant's name and identity number, a reason, a
certificate number, an address) is not required here: the service answers with its
own message after its permission check, so the same words reach the API and the page.
A form requires only what a service could not read without (a decision, a delivery
method). ``add_service_errors`` puts a service's ValidationError on the fields it names.
``ApplicantForm`` and ``add_service_errors`` serve the public pages too (``forms_public``).
"""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from servicecenter.choices import Channel, Decision, Delivery
from servicecenter.models import SubmittedMaterial
from townadmin.identity import ApplicantType

State = SubmittedMaterial.State
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CHECKBOXES = forms.CheckboxSelectMultiple

# Where a service's error keys land on the intake form (the API nests the applicant).
INTAKE_FIELDS = {
    "applicant.name": "name",
    "applicant.phone": "phone",
    "applicant.id_number": "id_number",
    "service_item": None,
}


class ApplicantForm(forms.Form):
    """Who applies and what they brought: the part the window's intake and the online
    pre-submission share, down to the ``applicant`` the intake service takes.

    ``materials`` lists only what the applicant brings; a material another system
    holds (``shared_from``) the service records itself. ``idempotency_key`` is fixed
    when the form is drawn, so a second click on a slow network returns the
    application the first one created instead of a duplicate.

    A subclass words the fields for its reader (``labels``) and says what the browser
    may fill in (``autocomplete``): a clerk types for someone else, so the hall's
    browser must not offer the clerk's own saved name and phone; a citizen's may.
    """

    applicant_type = forms.ChoiceField(
        label=_("Applicant"),
        choices=ApplicantType.choices,
        initial=ApplicantType.PERSON,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    id_number = forms.CharField(
        label=_("Identity number"),
        max_length=40,
        required=False,
        help_text=_("Resident identity number, or unified social credit code of an organisation."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    materials = forms.MultipleChoiceField(
        label=_("Materials presented"), required=False, widget=CHECKBOXES
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    labels = {}
    autocomplete = {"name": "off", "phone": "off"}

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.guide = list(item.materials.all())
        for name, label in self.labels.items():
            self.fields[name].label = label
        self.fields["materials"].choices = [
            (str(material.pk), material.name) for material in self.guide if not material.shared_from
        ]
        self.fields["idempotency_key"].initial = uuid.uuid4().hex
        self.fields["id_number"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.fields["phone"].widget.attrs["type"] = "tel"
        for name, hint in self.autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = hint

    def applicant(self):
        data = self.cleaned_data
        return {
            "type": data["applicant_type"],
            "name": data["name"],
            "id_number": data["id_number"],
            "phone": data["phone"],
        }


class IntakeForm(ApplicantForm):
    """An applicant at the window: who they are, what they brought, how the application came.

    The checklist shows every guide material; one another system holds is ticked and
    disabled.
    """

    channel = forms.ChoiceField(label=_("Channel"), widget=forms.RadioSelect)

    def __init__(self, *args, item, channels, **kwargs):
        super().__init__(*args, item=item, **kwargs)
        self.fields["channel"].choices = [(channel, Channel(channel).label) for channel in channels]
        if channels:
            self.fields["channel"].initial = channels[0]

    def material_rows(self):
        """(material, checked) of every guide material, as the checklist shows them."""
        ticked = set(self.data.getlist("materials")) if self.is_bound else set()
        return [
            (material, bool(material.shared_from) or str(material.pk) in ticked)
            for material in self.guide
        ]


class StepForm(forms.Form):
    """A form of one step on an application's page; ``application`` fills its choices."""

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application


def _material_choices(application, *states):
    rows = application.materials.select_related("material").filter(state__in=states)
    return [(str(row.material_id), row.material.name) for row in rows]


class NotifyMissingForm(StepForm):
    note = forms.CharField(
        label=_("Note for the applicant"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )


class ResubmitForm(StepForm):
    materials = forms.MultipleChoiceField(
        label=_("Materials brought back"), required=False, widget=CHECKBOXES
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materials"].choices = _material_choices(self.application, State.MISSING)


class AcceptPendingForm(StepForm):
    """容缺受理: accept with minor materials pending, on the applicant's signed commitment."""

    pending = forms.MultipleChoiceField(
        label=_("Materials left pending"), required=False, widget=CHECKBOXES
    )
    commitment = forms.CharField(
        label=_("The applicant's commitment"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("As the applicant signed it on the commitment form."),
    )
    pending_until = forms.DateField(
        label=_("Pending materials due by"), required=False, widget=DATE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = self.application.materials.select_related("material").filter(
            state=State.MISSING, material__required=True, material__may_be_pending=True
        )
        self.fields["pending"].choices = [(str(r.material_id), r.material.name) for r in rows]


class RefuseForm(StepForm):
    reason = forms.CharField(
        label=_("Reason for refusal"), required=False, widget=forms.Textarea({"rows": 3})
    )


class SupplyPendingForm(StepForm):
    materials = forms.MultipleChoiceField(
        label=_("Pending materials supplied"), required=False, widget=CHECKBOXES
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materials"].choices = _material_choices(self.application, State.PENDING)


class DeliverForm(StepForm):
    method = forms.ChoiceField(
        label=_("Delivery"),
        choices=Delivery.choices,
        initial=Delivery.PICKUP,
        widget=forms.RadioSelect,
    )
    address = forms.CharField(
        label=_("Postal address"),
        max_length=200,
        required=False,
        help_text=_("Only for delivery by post."),
    )


class PauseForm(StepForm):
    """A special step of the guide (行政许可法 Art. 45) that does not count toward the limit."""

    step = forms.ChoiceField(label=_("Special step"))
    reason = forms.CharField(
        label=_("Details"), max_length=300, required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = [each["name"] for each in self.application.item.special_steps]
        self.fields["step"].choices = [(name, name) for name in names]


class ExtensionRequestForm(StepForm):
    reason = forms.CharField(
        label=_("Why more time is needed"), required=False, widget=forms.Textarea({"rows": 2})
    )


class ExtensionDecideForm(StepForm):
    approve = forms.TypedChoiceField(
        label=_("Decision on the extension"),
        choices=[("yes", _("Approve the extension")), ("no", _("Refuse the extension"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class CompleteForm(StepForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    certificate_no = forms.CharField(
        label=_("Certificate number"),
        max_length=64,
        required=False,
        help_text=_("For an approval."),
    )
    reason = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("For a denial: the reasons and the applicant's remedy rights."),
    )


def add_service_errors(form, error, aliases=None):
    """Show a service's ValidationError on ``form``: each message on the field it names
    (through ``aliases`` for the service's own names), the rest above the form."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        field = aliases.get(name, name)
        if field in form.fields:
            form.add_error(field, messages)
        else:
            form.add_error(None, messages)
