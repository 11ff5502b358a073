"""Forms of the owner's pages: posting and editing a project, its documents and exclusions,
correction notices, and the decisions taken in the project workspace.

The forms only parse; the services decide (their refusals are shown on the field concerned).
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from bidding.models import Project
from bidding.rules import check_selection_method
from bidding.services.documents import MAX_DOCUMENTS
from marketplace.accounts.models import Organization
from marketplace.catalog.models import Region
from marketplace.errors import refusal_of
from marketplace.formatting.money import format_money
from marketplace.forms import StyledFormMixin
from marketplace.limits import TEXT_LIMITS
from marketplace.uploads import accepted_description
from providers.forms import ServiceItemChoiceField
from providers.models import QualificationType

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
MONEY = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 5, "decimal_places": 2, "min_value": Decimal(0),
        "max_value": Decimal(100)}


class DateTimeLocalField(forms.DateTimeField):
    """A `datetime-local` input, read and shown in the site's time zone (Asia/Shanghai)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S",
                                            "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"])
        super().__init__(**kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (by content)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        if len(files) > MAX_DOCUMENTS:
            raise forms.ValidationError(
                _("Attach at most %(max)s documents.") % {"max": MAX_DOCUMENTS})
        return files


def documents_field(**kwargs) -> MultipleFileField:
    return MultipleFileField(
        label=_("Project documents"), required=False,
        help_text=_("Several files may be chosen: %(accepted)s")
        % {"accepted": accepted_description()}, **kwargs)


class QualificationTypeMultipleField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        return obj.display_name


class ProjectForm(StyledFormMixin, forms.Form):
    """Every term of `project_create` / `project_update`. Exclusions come from
    `ExclusionFormSet` beside it."""

    title = forms.CharField(label=_("Project title"), max_length=200)
    service_item = ServiceItemChoiceField(label=_("Service item"), mark_monopoly=True)
    description = forms.CharField(label=_("Description of the need"),
                                  max_length=TEXT_LIMITS["description"], widget=forms.Textarea(
        attrs={"rows": 6}))
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(),
                                    to_field_name="code")
    budget_cap = forms.DecimalField(label=_("Budget cap (yuan)"), min_value=Decimal("0.01"),
                                    **MONEY)
    selection_method = forms.ChoiceField(label=_("Selection method"),
                                         choices=Project.Method.choices)
    bid_deadline = DateTimeLocalField(
        label=_("Bid deadline"),
        help_text=_("Beijing time (Asia/Shanghai). It must leave the minimum bidding period "
                    "after publication."))
    min_bidders = forms.IntegerField(
        label=_("Minimum number of valid bids"), min_value=1, max_value=100, initial=3,
        help_text=_("With fewer valid bids at opening the bidding fails (direct selection "
                    "needs one)."))
    required_qualifications = QualificationTypeMultipleField(
        label=_("Required qualifications"), queryset=QualificationType.objects.all(),
        required=False)
    min_grade = forms.ChoiceField(
        label=_("Minimum credit grade"), required=False,
        choices=[("", _("No minimum"))] + list(Project.Grade.choices))
    weight_price = forms.IntegerField(label=_("Price weight"), min_value=0, max_value=100,
                                      initial=60, required=False,
                                      help_text=_("Comprehensive scoring only; the three "
                                                  "weights add up to 100."))
    weight_credit = forms.IntegerField(label=_("Credit weight"), min_value=0, max_value=100,
                                       initial=20, required=False)
    weight_commitment = forms.IntegerField(label=_("Service time weight"), min_value=0,
                                           max_value=100, initial=20, required=False)
    quote_format = forms.ChoiceField(label=_("Quote format"),
                                     choices=Project.QuoteFormat.choices,
                                     initial=Project.QuoteFormat.AMOUNT)
    discount_rate_min = forms.DecimalField(label=_("Minimum discount rate (%)"),
                                           required=False, **RATE)
    discount_rate_max = forms.DecimalField(label=_("Maximum discount rate (%)"),
                                           required=False, **RATE,
                                           help_text=_("Discount-rate quotes only."))
    complaint_contact = forms.CharField(
        label=_("Complaint contact"), max_length=200, required=False,
        help_text=_("Shown on the announcement; your organization's phone when left empty."))

    funding_source = forms.ChoiceField(
        label=_("Funding source"), choices=Project.FundingSource.choices,
        initial=Project.FundingSource.OWN_FUNDS, required=False)
    budget_reference = forms.CharField(
        label=_("Budget line or document number"), max_length=TEXT_LIMITS["line"],
        required=False,
        help_text=_("Required for the government budget (财政资金): the budget line or the "
                    "document that funds the project."))

    # The service's field names that are not form fields, and the field that shows them.
    ERROR_FIELDS = {"weights": "weight_price", "files": "documents",
                    "exclusions": "exclusions"}
    # The page shows the form in these sections (the exclusions formset is the last one).
    SECTIONS = (
        ("basics", _("Basics"), ("title", "service_item", "region", "description",
                                 "complaint_contact")),
        ("price", _("Price, selection method and deadline"), (
            "budget_cap", "quote_format", "discount_rate_min", "discount_rate_max",
            "selection_method", "weight_price", "weight_credit", "weight_commitment",
            "min_bidders", "bid_deadline")),
        ("funding", _("Who pays"), ("funding_source", "budget_reference")),
        ("requirements", _("Requirements for bidders"), ("required_qualifications",
                                                         "min_grade")),
        ("documents", _("Project documents"), ("documents",)),
    )

    def __init__(self, *args, owner: Organization, with_documents: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        if owner.is_government_owner:
            # Direct selection only for a monopoly item (issue 17 §3): `clean` asks the rule
            # the service applies, so the page refuses with the service's message.
            self.fields["selection_method"].help_text = _(
                "Direct selection is allowed only for a monopoly service item (marked in the "
                "list); choose a competitive method for any other item.")
            # The department pays from its budget, never the enterprise (issue 17 §2); the
            # service refuses anything else with its own message.
            funding = self.fields["funding_source"]
            funding.widget.choices = [c for c in funding.widget.choices
                                      if c[0] == Project.FundingSource.GOVERNMENT_BUDGET]
            funding.initial = Project.FundingSource.GOVERNMENT_BUDGET
            funding.help_text = _("A government department pays for the work it commissions "
                                  "from its budget; enterprises are never charged for it.")
        if with_documents:
            self.fields["documents"] = documents_field()
            self.fields["documents"].widget.attrs["class"] = "form-control"
        if not self.is_bound and "complaint_contact" not in self.initial:
            self.initial["complaint_contact"] = owner.phone

    # Fields that take the section's whole width; the others sit two by two on wide screens.
    WIDE_FIELDS = frozenset({"title", "description", "required_qualifications", "documents",
                             "complaint_contact"})

    def sections(self) -> list[tuple[str, str, list]]:
        """(key, legend, [(bound field, wide)]) of each section with a field on this form."""
        sections = []
        for key, legend, names in self.SECTIONS:
            fields = [(self[name], name in self.WIDE_FIELDS) for name in names
                      if name in self.fields]
            if fields:
                sections.append((key, legend, fields))
        return sections

    def clean(self):
        data = super().clean()
        refusal = refusal_of(check_selection_method, owner=self.owner,
                             service_item=data.get("service_item"),
                             method=data.get("selection_method"))
        if refusal is not None:
            self.add_error("selection_method", str(refusal.message))
        if data.get("quote_format") != Project.QuoteFormat.DISCOUNT_RATE:
            data["discount_rate_min"] = data["discount_rate_max"] = None
        return data

    def terms(self) -> dict:
        """The service's keyword arguments (without exclusions and documents)."""
        data = self.cleaned_data
        terms = {name: data[name] for name in (
            "title", "service_item", "description", "region", "budget_cap", "selection_method",
            "bid_deadline", "min_bidders", "quote_format", "discount_rate_min",
            "discount_rate_max", "complaint_contact")}
        # Funding not posted (a client that skips the fields): the service's default on a new
        # project, what the draft has on an edit.
        if data.get("funding_source"):
            terms["funding_source"] = data["funding_source"]
            terms["budget_reference"] = data.get("budget_reference") or ""
        elif data.get("budget_reference"):
            terms["budget_reference"] = data["budget_reference"]
        terms["required_qualifications"] = list(data["required_qualifications"])
        terms["min_grade"] = data.get("min_grade") or ""
        if data["selection_method"] == Project.Method.COMPREHENSIVE:
            terms["weights"] = {"price": data.get("weight_price") or 0,
                                "credit": data.get("weight_credit") or 0,
                                "commitment": data.get("weight_commitment") or 0}
        return terms

    @staticmethod
    def initial_for(project: Project) -> dict:
        return {
            "title": project.title, "service_item": project.service_item.code,
            "description": project.description, "region": project.region.code,
            "budget_cap": project.budget_cap, "selection_method": project.selection_method,
            "bid_deadline": project.bid_deadline, "min_bidders": project.min_bidders,
            "required_qualifications": list(project.required_qualifications.all()),
            "min_grade": project.min_grade, "weight_price": project.weight_price,
            "weight_credit": project.weight_credit,
            "weight_commitment": project.weight_commitment,
            "quote_format": project.quote_format,
            "discount_rate_min": project.discount_rate_min,
            "discount_rate_max": project.discount_rate_max,
            "complaint_contact": project.complaint_contact,
            "funding_source": project.funding_source,
            "budget_reference": project.budget_reference,
        }


class ExclusionForm(StyledFormMixin, forms.Form):
    """One conflict-of-interest exclusion (回避): the agency by its credit code, and why."""

    agency = forms.CharField(
        label=_("Agency's unified social credit code"), max_length=18, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        code = (data.get("agency") or "").strip().upper()
        reason = (data.get("reason") or "").strip()
        if not code and not reason:
            data["organization"] = None
            return data
        if not code:
            self.add_error("agency", _("Enter the agency's unified social credit code."))
            return data
        if not reason:
            self.add_error("reason", _("Give the reason for the exclusion."))
        organization = Organization.objects.filter(uscc=code).first()
        if organization is None or not organization.is_agency:
            self.add_error("agency", _("No agency has this unified social credit code."))
        data["organization"] = organization
        return data


class BaseExclusionFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            organization = form.cleaned_data.get("organization")
            if organization is None:
                continue
            if organization.pk in seen:
                raise forms.ValidationError(_("Each agency can be excluded only once."))
            seen.add(organization.pk)

    def exclusions(self) -> list[tuple[Organization, str]]:
        return [(form.cleaned_data["organization"], form.cleaned_data["reason"].strip())
                for form in self.forms if form.cleaned_data.get("organization") is not None]


ExclusionFormSet = forms.formset_factory(ExclusionForm, formset=BaseExclusionFormSet, extra=2,
                                         max_num=50, validate_max=True)


def exclusion_initial(project: Project) -> list[dict]:
    return [{"agency": e.agency.uscc, "reason": e.reason}
            for e in project.exclusions.select_related("agency")]


class DocumentsForm(StyledFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form: its help text is formatted in the request's language.
        self.fields["documents"] = documents_field()
        self.fields["documents"].required = True
        self.fields["documents"].widget.attrs["class"] = "form-control"


class ProjectStatusFilter(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status"))] + list(Project.Status.choices))


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(max_length=TEXT_LIMITS["reason"],
                             label=_("Public reason for cancelling"),
                             widget=forms.Textarea(attrs={"rows": 3}))


class AmendForm(StyledFormMixin, forms.Form):
    """A correction notice: the reason and the terms as they should read after it; only the
    terms that differ from the announcement are sent."""

    reason = forms.CharField(max_length=TEXT_LIMITS["reason"], label=_("Reason for the correction"),
                             widget=forms.Textarea(attrs={"rows": 3}))
    title = forms.CharField(label=_("Project title"), max_length=200)
    description = forms.CharField(label=_("Description of the need"),
                                  max_length=TEXT_LIMITS["description"],
                                  widget=forms.Textarea(attrs={"rows": 6}))
    budget_cap = forms.DecimalField(label=_("Budget cap (yuan)"), min_value=Decimal("0.01"),
                                    **MONEY)
    bid_deadline = DateTimeLocalField(
        label=_("Bid deadline"),
        help_text=_("Moved later automatically when less than the minimum bidding period "
                    "would remain."))
    required_qualifications = QualificationTypeMultipleField(
        label=_("Required qualifications"), queryset=QualificationType.objects.all(),
        required=False)
    min_grade = forms.ChoiceField(
        label=_("Minimum credit grade"), required=False,
        choices=[("", _("No minimum"))] + list(Project.Grade.choices))
    complaint_contact = forms.CharField(label=_("Complaint contact"), max_length=200)
    discount_rate_min = forms.DecimalField(label=_("Minimum discount rate (%)"),
                                           required=False, **RATE)
    discount_rate_max = forms.DecimalField(label=_("Maximum discount rate (%)"),
                                           required=False, **RATE)
    weight_price = forms.IntegerField(label=_("Price weight"), min_value=0, max_value=100,
                                      required=False)
    weight_credit = forms.IntegerField(label=_("Credit weight"), min_value=0, max_value=100,
                                       required=False)
    weight_commitment = forms.IntegerField(label=_("Service time weight"), min_value=0,
                                           max_value=100, required=False)

    ERROR_FIELDS = {"weights": "weight_price", "changes": None}

    def __init__(self, *args, project: Project, **kwargs):
        self.project = project
        kwargs.setdefault("initial", {
            "title": project.title, "description": project.description,
            "budget_cap": project.budget_cap, "bid_deadline": project.bid_deadline,
            "required_qualifications": list(project.required_qualifications.all()),
            "min_grade": project.min_grade, "complaint_contact": project.complaint_contact,
            "discount_rate_min": project.discount_rate_min,
            "discount_rate_max": project.discount_rate_max,
            "weight_price": project.weight_price, "weight_credit": project.weight_credit,
            "weight_commitment": project.weight_commitment,
        })
        super().__init__(*args, **kwargs)
        if project.quote_format != Project.QuoteFormat.DISCOUNT_RATE:
            del self.fields["discount_rate_min"], self.fields["discount_rate_max"]
        if project.selection_method != Project.Method.COMPREHENSIVE:
            for name in ("weight_price", "weight_credit", "weight_commitment"):
                del self.fields[name]

    def changes(self) -> dict:
        """The terms that differ from the project as published."""
        data, project = self.cleaned_data, self.project
        changes = {}
        for name in ("title", "description", "budget_cap", "bid_deadline", "min_grade",
                     "complaint_contact", "discount_rate_min", "discount_rate_max"):
            if name in self.fields and data.get(name) != getattr(project, name):
                changes[name] = data.get(name) if name != "min_grade" else data.get(name) or ""
        wanted = {q.pk for q in data.get("required_qualifications") or ()}
        if wanted != {q.pk for q in project.required_qualifications.all()}:
            changes["required_qualifications"] = list(data["required_qualifications"])
        if "weight_price" in self.fields:
            weights = {"price": data.get("weight_price") or 0,
                       "credit": data.get("weight_credit") or 0,
                       "commitment": data.get("weight_commitment") or 0}
            if weights != project.weights:
                changes["weights"] = weights
        return changes


class RepublishForm(StyledFormMixin, forms.Form):
    bid_deadline = DateTimeLocalField(
        label=_("Bid deadline of the new round"), required=False,
        help_text=_("Leave empty for the earliest allowed; you can edit the new draft "
                    "before publishing it."))


class AnswerForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Answer (public)"), max_length=TEXT_LIMITS["answer"],
                           widget=forms.Textarea(attrs={"rows": 3}))


class JustificationDecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        ("accept", _("Accept the justification: the bid stays valid")),
        ("reject", _("Reject the price: the bid becomes invalid"))])
    reply = forms.CharField(max_length=TEXT_LIMITS["reply"],
                            label=_("Reply to the agency"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionDecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        ("upheld", _("Uphold: the award is cancelled")),
        ("rejected", _("Reject: the award stands"))])
    reply = forms.CharField(max_length=TEXT_LIMITS["reply"],
                            label=_("Reasons (sent to the objector)"),
                            widget=forms.Textarea(attrs={"rows": 3}))
    exclude_bid = forms.BooleanField(
        label=_("When upheld, exclude the awarded bid"), required=False, initial=True)


class DirectAwardForm(StyledFormMixin, forms.Form):
    bid = forms.TypedChoiceField(label=_("Bid to award"), coerce=int)

    def __init__(self, *args, bids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bid"].choices = [
            (bid.pk, f"{bid.agency.name} · {format_money(bid.price)}") for bid in bids]
