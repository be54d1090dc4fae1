"""Forms of the public pages (no login) and of the staff pages that follow ratings up.

They parse what was typed; the services judge it. Text a service checks (a name, a
reason, measures) is not required here, so the service's own message reaches the page
and the API alike. ``servicecenter.forms.add_service_errors`` puts a service's
ValidationError on the fields it names.
"""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from servicecenter.choices import RatingLevel, RatingTag
from servicecenter.forms import INTAKE_FIELDS, ApplicantForm

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

# Where the intake service's error keys land on the online application form: as at the
# window, but the channel is not the citizen's choice, so its error goes above the form.
APPLY_FIELDS = {**INTAKE_FIELDS, "channel": None}


class ApplyForm(ApplicantForm):
    """An online pre-submission (网上预审): who applies and which materials are attached.

    The phone is required here: it is the only way the hall can answer an applicant it
    has not met.
    """

    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=32,
        help_text=_("The hall sends its answers to this number."),
    )

    labels = {"applicant_type": _("I apply as"), "materials": _("Materials I have ready")}
    autocomplete = {"name": "name", "phone": "tel"}

    @property
    def shared(self):
        """The guide's materials another system holds: the applicant need not bring them."""
        return [material for material in self.guide if material.shared_from]


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
