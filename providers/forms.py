"""Forms shared by the pages and the API (API views bind these same forms)."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.models import ServiceItem
from marketplace.forms import StyledFormMixin
from marketplace.limits import TEXT_LIMITS
from marketplace.uploads import accepted_description
from providers.models import QualificationType
from providers.services import MAX_PROMISED_DAYS


class ServiceItemChoiceField(forms.ModelChoiceField):
    """A service item by its code, as both the page and the API send it."""

    def __init__(self, *, mark_monopoly: bool = False, **kwargs):
        self.mark_monopoly = mark_monopoly
        super().__init__(queryset=ServiceItem.objects.filter(is_active=True),
                         to_field_name="code", **kwargs)

    def label_from_instance(self, obj) -> str:
        label = f"{obj.display_name} ({obj.code})"
        if self.mark_monopoly and obj.is_monopoly:
            return _("%(item)s · monopoly item") % {"item": label}
        return label


class QualificationTypeChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=QualificationType.objects.all(), to_field_name="code",
                         **kwargs)

    def label_from_instance(self, obj) -> str:
        return obj.display_name


class AgencyServiceEditForm(StyledFormMixin, forms.Form):
    """The three commitments (三承诺) of a service the agency already offers."""

    promised_days = forms.IntegerField(
        label=_("Promised service time (days)"), min_value=1, max_value=MAX_PROMISED_DAYS,
        help_text=_("Days from the signing of the contract to delivery."),
    )
    fee_standard = forms.CharField(max_length=TEXT_LIMITS["note"],
        label=_("Fee standard"), widget=forms.Textarea(attrs={"rows": 3}),
        # xgettext:no-python-format
        help_text=_("How the fee is set, e.g. “0.8% of the investment, at most ¥50,000”."),
    )
    fee_max = forms.DecimalField(
        label=_("Maximum fee (yuan)"), required=False, min_value=0, max_digits=14,
        decimal_places=2, help_text=_("Optional: the most you will charge for this service."),
    )
    service_standard = forms.CharField(max_length=TEXT_LIMITS["note"],
        label=_("Service standard"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the owner receives and to what standard."),
    )
    regional_alerts = forms.BooleanField(
        label=_("Alert me only to projects in my region"), required=False,
    )


class AgencyServiceForm(AgencyServiceEditForm):
    """A new service: the item plus its three commitments."""

    service_item = ServiceItemChoiceField(label=_("Service item"))

    field_order = ["service_item", "promised_days", "fee_standard", "fee_max",
                   "service_standard", "regional_alerts"]


class QualificationForm(StyledFormMixin, forms.Form):
    type = QualificationTypeChoiceField(label=_("Certificate type"))
    number = forms.CharField(label=_("Certificate number"), max_length=100)
    issuer = forms.CharField(label=_("Issued by"), max_length=200)
    valid_until = forms.DateField(
        label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    file = forms.FileField(
        label=_("Scan of the certificate"),
        help_text=lazy(accepted_description, str)(),
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class ReviewForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(ReviewForm):
    reason = forms.CharField(
        label=_("Reason for rejection"), max_length=2000,
        error_messages={"required": _("Give the reason for the rejection.")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
