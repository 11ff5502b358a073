"""The saved-search forms: saving the list's current filters, renaming and re-timing one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bidding.models import SavedSearch
from marketplace.forms import StyledFormMixin
from marketplace.limits import TEXT_LIMITS


class SavedSearchChangeForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=TEXT_LIMITS["line"])
    frequency = forms.ChoiceField(label=_("Tell me about new projects"),
                                  choices=SavedSearch.Frequency.choices,
                                  widget=forms.RadioSelect)


class SavedSearchForm(SavedSearchChangeForm):
    # The list page's query string, carried from its "save this search" link.
    query = forms.CharField(required=False, max_length=TEXT_LIMITS["query"],
                            widget=forms.HiddenInput)
