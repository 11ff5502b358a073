"""Forms of the ratings pages."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from marketplace.forms import StyledFormMixin
from marketplace.limits import TEXT_LIMITS
from ratings.models.ratings import AGENCY_RATES_OWNER, CRITERION_LABELS, OWNER_RATES_AGENCY

# What each score means, shown beside its radio button (1 to 5, left to right).
SCORE_MEANINGS = {1: _("Very poor"), 2: _("Poor"), 3: _("Fair"), 4: _("Good"),
                  5: _("Very good")}
SCORE_CHOICES = [(n, format_lazy("{} {}", n, meaning)) for n, meaning in SCORE_MEANINGS.items()]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class EvidenceForm(StyledFormMixin, forms.Form):
    text = forms.CharField(max_length=TEXT_LIMITS["statement"],
                           label=_("Statement"), widget=forms.Textarea(attrs={"rows": 5}))
    evidence = MultipleFileField(label=_("Evidence (PDF, JPEG or PNG)"), required=False)


class RatingForm(StyledFormMixin, forms.Form):
    """One required choice of 1-5 per criterion (radio buttons labelled with what the score
    means), then an optional comment."""

    comment = forms.CharField(max_length=TEXT_LIMITS["comment"], label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, owner_rates: bool, **kwargs):
        super().__init__(*args, **kwargs)
        criteria = OWNER_RATES_AGENCY if owner_rates else AGENCY_RATES_OWNER
        comment = self.fields.pop("comment")
        for name in criteria:
            self.fields[name] = forms.TypedChoiceField(
                label=CRITERION_LABELS[name], choices=SCORE_CHOICES, coerce=int,
                error_messages={"required": _("Choose a score from 1 to 5.")},
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
        self.fields["comment"] = comment
        self.criteria = criteria

    def score_fields(self) -> list:
        return [self[name] for name in self.criteria]

    def scores(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.criteria}


class ReplyForm(StyledFormMixin, forms.Form):
    text = forms.CharField(max_length=TEXT_LIMITS["reply"],
                           label=_("Your public reply"), widget=forms.Textarea(attrs={"rows": 3}))
