"""Forms of the contract pages. They only parse; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract
from marketplace.accounts.forms import otp_code_field
from marketplace.accounts.models import Organization
from marketplace.forms import StyledFormMixin
from marketplace.limits import TEXT_LIMITS
from marketplace.uploads import accepted_description


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; the list may be empty."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class SignForm(StyledFormMixin, forms.Form):
    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete":
                                                                 "current-password"}))
    text_sha256 = forms.CharField(widget=forms.HiddenInput, required=False)
    otp_code = otp_code_field(required=False)

    def __init__(self, *args, with_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_code:  # only a signer with two-step verification is asked for a code
            del self.fields["otp_code"]


class DeliverForm(StyledFormMixin, forms.Form):
    note = forms.CharField(max_length=TEXT_LIMITS["note"],
                           label=_("What you deliver"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("Files"), help_text=accepted_description())


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(max_length=TEXT_LIMITS["reason"],
                             label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class TerminateForm(ReasonForm):
    at_fault = forms.ChoiceField(label=_("Party at fault"), choices=Contract.Party.choices)


class ContractFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(max_length=TEXT_LIMITS["line"], label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All"))] + list(Contract.Status.choices))
    owner = forms.ModelChoiceField(
        label=_("Owner"), required=False,
        queryset=Organization.objects.filter(contracts_as_owner__isnull=False).distinct())
    agency = forms.ModelChoiceField(
        label=_("Agency"), required=False,
        queryset=Organization.objects.filter(contracts_as_agency__isnull=False).distinct())
    created_from = forms.DateField(label=_("Drawn up from"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    created_to = forms.DateField(label=_("Drawn up until"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))


class VerifyForm(StyledFormMixin, forms.Form):
    """The public verification page's upload (checked by content and size by the service)."""

    file = forms.FileField(label=_("Signed contract (PDF)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = accepted_description(("pdf",))
