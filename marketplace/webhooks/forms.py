from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.limits import TEXT_LIMITS
from marketplace.webhooks.events import Event


class EndpointForm(forms.Form):
    url = forms.CharField(label=_("Address (URL)"), max_length=TEXT_LIMITS["url"],
                          help_text=_("Where events are POSTed as JSON; https:// in "
                                      "production."),
                          widget=forms.URLInput(attrs={"class": "form-control",
                                                       "placeholder": "https://"}))
    description = forms.CharField(label=_("Description"), max_length=TEXT_LIMITS["line"],
                                  required=False,
                                  widget=forms.TextInput(attrs={"class": "form-control"}))
    events = forms.MultipleChoiceField(label=_("Events"), choices=Event.choices,
                                       widget=forms.CheckboxSelectMultiple(
                                           attrs={"class": "form-check-input"}))
