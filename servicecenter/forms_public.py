"""Forms of the public pages (no login) and of the staff pages that follow ratings up.

They parse what was typed; the services judge it. Text a service checks (a name, a
reason, measures) is not required here, so the service's own message reaches the page
and the API alike. ``add_service_errors`` puts a service's ValidationError on the
fields it names.
"""

import uuid

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from servicecenter.choices import RatingLevel, RatingTag
from townadmin.identity import ApplicantType

CHECKBOXES = forms.CheckboxSelectMultiple
TEXTAREA = forms.Textarea({"rows": 3})

# The national 好差评 system names its five levels so (GB/T 39735); citizens know them
# by these words, so the rating form shows them in Chinese whatever the page language.
LEVEL_NAMES = {
    RatingLevel.VERY_SATISFIED: "非常满意",
    RatingLevel.SATISFIED: "满意",
    RatingLevel.BASICALLY_SATISFIED: "基本满意",
    RatingLevel.DISSATISFIED: "不满意",
    RatingLevel.VERY_DISSATISFIED: "非常不满意",
}

# Where the intake service's error keys land on the online application form.
APPLY_FIELDS = {
    "applicant.name": "name",
    "applicant.phone": "phone",
    "applicant.id_number": "id_number",
    "service_item": None,
    "channel": None,
}


def add_service_errors(form, error, aliases=None):
    """Each message of a service's ValidationError on the field it names (through
    ``aliases``), the rest above the form."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        field = aliases.get(name, name)
        form.add_error(field if field in form.fields else None, messages)


class ApplyForm(forms.Form):
    """An online pre-submission (网上预审): who applies and which materials are attached.

    ``idempotency_key`` is fixed when the form is drawn: a second click, or a reload
    of the answer, returns the application the first one created.
    """

    applicant_type = forms.ChoiceField(
        label=_("I apply as"),
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
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=32,
        help_text=_("The hall sends its answers to this number."),
    )
    materials = forms.MultipleChoiceField(
        label=_("Materials I have ready"), required=False, widget=CHECKBOXES
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.guide = list(item.materials.all())
        self.fields["materials"].choices = [
            (str(material.pk), material.name) for material in self.guide if not material.shared_from
        ]
        self.fields["idempotency_key"].initial = uuid.uuid4().hex
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["id_number"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.fields["phone"].widget.attrs.update(type="tel", autocomplete="tel")

    @property
    def shared(self):
        """The guide's materials another system holds: the applicant need not bring them."""
        return [material for material in self.guide if material.shared_from]

    def applicant(self):
        data = self.cleaned_data
        return {
            "type": data["applicant_type"],
            "name": data["name"],
            "id_number": data["id_number"],
            "phone": data["phone"],
        }


class LookupForm(forms.Form):
    """The receipt number and the verification code printed on the receipt."""

    receipt_no = forms.CharField(label=_("Receipt number"), max_length=32)
    code = forms.CharField(
        label=_("Verification code"),
        max_length=8,
        help_text=_("Six digits, printed on the receipt or shown after applying online."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receipt_no"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.fields["code"].widget.attrs.update(autocomplete="off", inputmode="numeric")


class RatingForm(forms.Form):
    """好差评: one of five levels, the standard tags, a comment."""

    level = forms.TypedChoiceField(
        label=_("How satisfied are you?"), coerce=int, widget=forms.RadioSelect
    )
    tags = forms.MultipleChoiceField(
        label=_("What stood out?"), choices=RatingTag.choices, required=False, widget=CHECKBOXES
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=500, required=False, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese = (get_language() or "").startswith("zh")
        self.fields["level"].choices = [
            (
                int(level),
                LEVEL_NAMES[level] if chinese else f"{LEVEL_NAMES[level]} ({level.label})",
            )
            for level in RatingLevel
        ]


class ComplaintForm(forms.Form):
    """A complaint about the hall; the receipt and code link it to an application."""

    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=32,
        required=False,
        help_text=_("The town answers you at this number."),
    )
    content = forms.CharField(label=_("Your complaint"), required=False, widget=TEXTAREA)
    receipt_no = forms.CharField(
        label=_("Receipt number (if it concerns an application)"), max_length=32, required=False
    )
    code = forms.CharField(label=_("Verification code"), max_length=8, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs.update(type="tel", autocomplete="tel")
        self.fields["receipt_no"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.fields["code"].widget.attrs.update(autocomplete="off", inputmode="numeric")


# --- Staff: following a bad rating up, answering complaints ----------------------------


class CallBackForm(forms.Form):
    note = forms.CharField(label=_("What the applicant said"), required=False, widget=TEXTAREA)


class RectifyForm(forms.Form):
    measures = forms.CharField(label=_("Rectification measures"), required=False, widget=TEXTAREA)


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the rating is malicious"),
        required=False,
        widget=TEXTAREA,
        help_text=_("The county reform office decides; an upheld appeal excludes the rating."),
    )


class DecideAppealForm(forms.Form):
    uphold = forms.TypedChoiceField(
        label=_("Decision on the appeal"),
        choices=[
            ("yes", _("Uphold: exclude the rating")),
            ("no", _("Dismiss: the town rectifies")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reasons"), required=False, widget=TEXTAREA)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), required=False, widget=TEXTAREA)
