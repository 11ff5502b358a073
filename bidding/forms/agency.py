"""Forms of the agency's bidding pages: bids, justification, questions, objections, alerts.

They parse; every rule (the clock, eligibility, prices, the files' content) is the services'.
The bid form asks the same rule functions as the service (`eligibility`) so that it shows every
problem with an offer at once; the service still decides, and its refusals go back on the form.
"""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bidding.models import Bid, Project
from bidding.services import eligibility
from marketplace.accounts.models import Organization
from marketplace.formatting.money import format_money
from marketplace.forms import StyledFormMixin
from marketplace.limits import TEXT_LIMITS
from marketplace.uploads import accepted_description
from providers.selectors import agency_service_for


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


def _files_field(label) -> MultipleFileField:
    # The help text ("PDF, JPEG or PNG, at most …") is set per form, in the request's language.
    return MultipleFileField(label=label)


class BidForm(StyledFormMixin, forms.Form):
    """A new bid or a revision. An amount project asks for the price; a discount-rate project
    asks for the rate and shows the price it converts to."""

    price = forms.DecimalField(label=_("Price (yuan)"), max_digits=14, decimal_places=2,
                               min_value=Decimal("0.01"), required=False)
    discount_rate = forms.DecimalField(label=_("Discount rate (%)"), max_digits=5,
                                       decimal_places=2, min_value=Decimal(0),
                                       max_value=Decimal(100), required=False)
    promised_days = forms.IntegerField(label=_("Promised service time (days)"), min_value=1)
    proposal = forms.CharField(label=_("Proposal"), max_length=TEXT_LIMITS["proposal"],
                               widget=forms.Textarea(attrs={"rows": 6}),
                               required=False)
    files = _files_field(_("Attachments"))

    def __init__(self, *args, project: Project, agency: Organization | None = None,
                 bid: Bid | None = None, **kwargs):
        self.project = project
        self.agency = agency
        self.bid = bid
        super().__init__(*args, **kwargs)
        service = agency_service_for(agency, project.service_item) if agency else None
        self.fields["files"].help_text = accepted_description()
        cap = format_money(project.budget_cap)
        if project.quote_format == Project.QuoteFormat.DISCOUNT_RATE:
            del self.fields["price"]
            rate = self.fields["discount_rate"]
            rate.required = True
            low = project.discount_rate_min if project.discount_rate_min is not None else 0
            high = project.discount_rate_max if project.discount_rate_max is not None else 100
            rate.help_text = _("Between %(low)s%% and %(high)s%% off the budget cap of "
                               "%(cap)s.") % {"low": low, "high": high, "cap": cap}
            rate.widget.attrs.update({"data-budget-cap": str(project.budget_cap),
                                      "min": str(low), "max": str(high), "step": "0.01"})
        else:
            del self.fields["discount_rate"]
            self.fields["price"].required = True
            self.fields["price"].help_text = _("At most the budget cap of %(cap)s.") % {
                "cap": cap}
            if service is not None and service.fee_max is not None:
                self.fields["price"].help_text = _(
                    "At most the budget cap of %(cap)s and the maximum fee of %(fee)s in your "
                    "fee standard.") % {"cap": cap, "fee": format_money(service.fee_max)}
        if service is not None:
            self.fields["promised_days"].help_text = _(
                "Your commitment for this service: at most %(days)s days.") % {
                "days": service.promised_days}
            if bid is None and not self.is_bound:
                # A new bid starts from the committed service time (it may promise less).
                self.initial.setdefault("promised_days", service.promised_days)
        if bid is not None:
            self.fields["files"].label = _("Add attachments")
            current = [(a.pk, f"{a.original_name} ({a.sha256[:12]}…)")
                       for a in bid.attachments.all()]
            if current:
                self.fields["remove_attachments"] = forms.TypedMultipleChoiceField(
                    label=_("Remove attachments"), choices=current, coerce=int,
                    required=False, widget=forms.CheckboxSelectMultiple)
            # Put the file fields last, after the offer.
            for name in ("files", "remove_attachments"):
                if name in self.fields:
                    self.fields[name] = self.fields.pop(name)

    def clean(self):
        """Every problem with the offer at once, from the service's own rule functions."""
        data = super().clean()
        if self.agency is None:
            return data
        now = timezone.now()
        problems = []
        problem = eligibility.agency_problem(project=self.project, agency=self.agency, now=now)
        if problem is not None:
            problems.append(problem)
        problems += eligibility.offer_problems(
            project=self.project, agency=self.agency, price=data.get("price"),
            discount_rate=data.get("discount_rate"), promised_days=data.get("promised_days"))
        for problem in problems:
            self.add_problem(problem)
        return data

    def add_problem(self, problem) -> None:
        """A rule's refusal on the field it concerns: a price problem of a discount-rate quote
        on the rate; anything without a field of this form on the whole form."""
        field = problem.field
        if field == "price" and "discount_rate" in self.fields:
            field = "discount_rate"
        if field not in self.fields:
            field = None
        if field is not None and field in self.errors:
            return  # the field's own check already said what is wrong with it
        self.add_error(field, str(problem.message))

    def remind_files(self) -> None:
        """Files chosen on a submission that comes back with errors are not kept (nothing is
        stored before the bid is sealed): say so next to the file field."""
        if self.is_bound and self.errors and any(self.files.getlist("files")):
            self.add_error("files", _("The files you chose were not kept because the form "
                                      "has errors: choose them again."))

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {"promised_days": data["promised_days"], "proposal": data["proposal"],
                     "files": data.get("files") or []}
        if "price" in self.fields:
            arguments["price"] = data["price"]
        else:
            arguments["discount_rate"] = data["discount_rate"]
        if self.bid is not None:
            arguments["remove_attachments"] = data.get("remove_attachments") or []
        return arguments


class JustificationForm(StyledFormMixin, forms.Form):
    text = forms.CharField(max_length=TEXT_LIMITS["justification"],
                           label=_("Justification of the price"),
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("Explain how the price can be met; the owner accepts "
                                       "or rejects it."))


class QuestionForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Your question"), max_length=TEXT_LIMITS["question"],
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("The owner's answer is public; other agencies do not "
                                       "learn who asked."))


class ObjectionForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reasons for the objection"),
                             max_length=TEXT_LIMITS["objection"],
                             widget=forms.Textarea(attrs={"rows": 6}))
    files = _files_field(_("Evidence"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = accepted_description()


class BidStatusFilterForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All"))] + list(Bid.Status.choices))


class RegionalAlertsForm(StyledFormMixin, forms.Form):
    regional_alerts = forms.TypedChoiceField(
        label=_("Notify me of new projects"), coerce=lambda v: v == "region",
        choices=[("all", _("in every region")), ("region", _("in my organization's region "
                                                              "only"))],
        widget=forms.RadioSelect)
