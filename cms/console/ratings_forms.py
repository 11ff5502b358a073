"""Forms of the console's credit supervision pages (blacklist, complaints, cases, inspections,
credit events, market exit). The services check everything again; these only parse."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.forms import current_password_field, otp_code_field
from marketplace.accounts.models import Organization
from marketplace.catalog.models import Region, ServiceItem
from marketplace.dates import validate_date_in_range
from ratings.models import CreditEvent, ViolationCase

TEXTAREA = {"rows": 3}
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _text(label, *, required=True, help_text="", rows=3):
    return forms.CharField(label=label, required=required, max_length=4000, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


def _listed_organizations():
    return (Organization.objects.exclude(kind=Organization.Kind.REGULATOR)
            .order_by("name"))


class OrganizationField(forms.Field):
    """An organization named by its USCC (typed, or filled in from the page the regulator came
    from). A text box, not a select: the market has tens of thousands of organizations. After a
    market exit the USCC may name a new organization too; the one in the market is meant."""

    widget = forms.TextInput(attrs={"maxlength": 18, "autocomplete": "off"})
    default_error_messages = {"unknown": _("No organization has this unified social credit code.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Its unified social credit code (18 characters)."))
        super().__init__(**kwargs)

    @staticmethod
    def _find(value: str):
        found = _listed_organizations()
        if len(value) == 18:
            found = found.filter(uscc=value)
        elif value.isdigit():
            found = found.filter(pk=int(value))  # a link from an organization's page
        else:
            return None
        in_market_first = Case(When(status=Organization.Status.EXITED, then=Value(1)),
                               default=Value(0), output_field=IntegerField())
        return found.order_by(in_market_first, "-pk").first()

    def prepare_value(self, value):
        if isinstance(value, Organization):
            return value.uscc
        if isinstance(value, str | int) and str(value).isdigit() and len(str(value)) < 18:
            organization = self._find(str(value))
            return organization.uscc if organization else ""
        return value

    def to_python(self, value):
        value = (value or "").strip().upper()
        if not value:
            return None
        organization = self._find(value)
        if organization is None:
            raise ValidationError(self.error_messages["unknown"], code="unknown")
        return organization


class ReauthenticationForm(forms.Form):
    """A sanction is signed off with the regulator's password and a current code of their
    authenticator app (`check_reauthenticated`, called by the view right before the service).
    Not required here: the rule refuses a blank one with its coded message. Shown last."""

    password = current_password_field(required=False)
    otp_code = otp_code_field(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("password", "otp_code"):
            self.fields[name] = self.fields.pop(name)


class ReasonForm(forms.Form):
    # Not required here: the service refuses a blank reason with its own message.
    reason = _text(_("Reason"), required=False)


class SuspendForm(ReauthenticationForm, ReasonForm):
    pass


class ExitForm(ReauthenticationForm):
    reason = _text(_("Reason"), required=False,
                   help_text=_("Public: shown with the organization's credit record."))
    basis = _text(_("Basis (decision, document number)"), required=False, rows=2)


class BlacklistAddForm(ReauthenticationForm):
    organization = OrganizationField(label=_("Organization"))
    # Required here too, so the form marks it (the service refuses a blank one all the same).
    reason = forms.CharField(
        label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Public: shown on the blacklist and to the organization."),
        error_messages={"required": _("Give the reason for blacklisting.")})
    basis = _text(_("Basis (decision, document number)"), required=False, rows=2)
    ends_at = forms.DateTimeField(
        label=_("Listed until"), widget=DATETIME, validators=[validate_date_in_range],
        error_messages={"required": _("Give the end date of the listing.")})


class DecisionForm(forms.Form):
    decision = forms.TypedChoiceField(
        label=_("Decision"), widget=forms.RadioSelect, coerce=lambda value: value == "yes",
        choices=[("yes", _("Uphold / approve: the entry is lifted")),
                 ("no", _("Dismiss / refuse: the entry stays"))])
    reply = _text(_("Written reply"), required=False,
                  help_text=_("Sent to the organization."))


class ComplaintDecisionForm(forms.Form):
    decision = forms.TypedChoiceField(
        label=_("Decision"), widget=forms.RadioSelect, coerce=lambda value: value == "upheld",
        choices=[("upheld", _("Upheld: a credit event is recorded")),
                 ("not_upheld", _("Not upheld"))])
    outcome = _text(_("Outcome and reasons"), required=False,
                    help_text=_("Public, without the complainant's identity."))


class CaseDecisionForm(ReauthenticationForm):
    # Field names follow the service's, so its refusals land on the right field. Upheld, a
    # decision is a sanction (credit events, perhaps the blacklist): signed off like one.
    upheld = forms.TypedChoiceField(
        label=_("Outcome"), widget=forms.RadioSelect, coerce=lambda value: value == "upheld",
        choices=[("upheld", _("Upheld")), ("declined", _("Declined"))])
    decision = _text(_("Written decision and reasons"), required=False, rows=4)
    decline_reason = forms.ChoiceField(
        label=_("Reason for declining"), required=False,
        choices=[("", "—"), *[c for c in ViolationCase.DeclineReason.choices if c[0]]])
    blacklist_until = forms.DateTimeField(
        label=_("Blacklist until (optional, upheld only)"), required=False, widget=DATETIME,
        validators=[validate_date_in_range])


class CreditEventForm(ReauthenticationForm):
    organization = OrganizationField(label=_("Organization"))
    event_type = forms.ChoiceField(label=_("Type"), choices=[
        c for c in CreditEvent.Type.choices
        if c[0] not in (CreditEvent.Type.RATING_RECEIVED, CreditEvent.Type.REVERSAL)])
    basis = _text(_("Basis (decision, document number)"), required=False,
                  help_text=_("Required: the decision this event records."))
    public_note = _text(_("Public note"), required=False, rows=2)
    days = forms.IntegerField(label=_("Days (late delivery)"), min_value=1, required=False)


class InspectionPlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    service_item = forms.ModelChoiceField(
        label=_("Service item"), required=False,
        queryset=ServiceItem.objects.filter(is_active=True).order_by("code"))
    region = forms.ModelChoiceField(label=_("Region"), required=False,
                                    queryset=Region.objects.order_by("code"))
    grades = forms.MultipleChoiceField(
        label=_("Credit grades"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(g, g) for g in ("A", "B", "C", "D")],
        help_text=_("None ticked: every grade."))
    sample_size = forms.IntegerField(label=_("Agencies to draw (K)"), min_value=1)
    inspectors_per_agency = forms.IntegerField(label=_("Inspectors per agency"), min_value=1,
                                               max_value=10, initial=2)


class InspectionResultForm(forms.Form):
    result = forms.TypedChoiceField(
        label=_("Result"), widget=forms.RadioSelect, coerce=lambda value: value == "passed",
        choices=[("passed", _("Passed")), ("failed", _("Failed"))])
    findings = _text(_("Findings"), required=False,
                     help_text=_("Required for a failed inspection."))
