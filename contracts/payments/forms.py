"""Forms of the payment pages. They only parse; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contracts.models import Payment
from marketplace.forms import StyledFormMixin
from marketplace.limits import TEXT_LIMITS


class StartForm(StyledFormMixin, forms.Form):
    method = forms.ChoiceField(label=_("Payment method"), choices=Payment.Provider.choices)

    def __init__(self, *args, methods=None, **kwargs):
        super().__init__(*args, **kwargs)
        if methods is not None:
            self.fields["method"].choices = [c for c in Payment.Provider.choices
                                             if c[0] in methods]


class RecordTransferForm(StyledFormMixin, forms.Form):
    amount = forms.DecimalField(label=_("Amount transferred (yuan)"), max_digits=14,
                                decimal_places=2, min_value=0)
    date = forms.DateField(label=_("Transfer date"),
                           widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Bank reference"), max_length=100,
                                help_text=_("The transaction number on the bank's receipt."))


class DisputeForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(max_length=TEXT_LIMITS["reason"],
                             label=_("Why the transfer is disputed"), widget=forms.Textarea(
        attrs={"rows": 3}))


class ResolveForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=[
        ("confirmed", _("The money arrived: the payment is confirmed")),
        ("pending", _("The money did not arrive: the owner pays again")),
    ])
    note = forms.CharField(max_length=TEXT_LIMITS["note"], label=_("Reasons for the decision"),
                           widget=forms.Textarea(attrs={"rows": 3}))

