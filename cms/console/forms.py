from django import forms
from django.utils.translation import gettext_lazy as _


class QualificationReviewForm(forms.Form):
    VERIFY, REJECT = "verify", "reject"

    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[(VERIFY, _("Verify: the certificate is genuine")),
                 (REJECT, _("Reject: the certificate is not acceptable"))])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Required for a rejection; the agency sees it."))


class ObjectionDecisionForm(forms.Form):
    decision = forms.TypedChoiceField(
        label=_("Decision"), widget=forms.RadioSelect, coerce=lambda value: value == "upheld",
        choices=[("upheld", _("Uphold: cancel the proposed award")),
                 ("rejected", _("Reject: the award stands"))])
    reply = forms.CharField(label=_("Reasons for the decision"), max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("Public; sent to the objector and the owner."))
    exclude_bid = forms.BooleanField(
        label=_("Exclude the awarded bid (when upheld)"), required=False, initial=True)


class RenameForm(forms.Form):
    # Not required here: the service refuses a blank name or reason with its own message.
    new_name = forms.CharField(label=_("New name"), max_length=200, required=False,
                               help_text=_("As on the changed business licence."))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("E.g. the registration authority's notice of the "
                                         "change; kept with the former name."))
