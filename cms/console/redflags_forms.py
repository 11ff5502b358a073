"""Forms of the console's red-flag pages: the list's filters (a GET form) and the dismissal."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cms.console.ratings_forms import ReasonForm, ReauthenticationForm
from marketplace.catalog.models import Region, ServiceItem
from ratings.models import Indicator

STATES = [("open", _("Open")), ("dismissed", _("Dismissed")),
          ("cleared", _("No longer holds")), ("all", _("All"))]
DATE = forms.DateInput(attrs={"type": "date"})


class RedFlagFilterForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), required=False,
                                  choices=[("", _("All indicators"))] + [
                                      # Lazy: an f-string would fix the label's language
                                      # when the module is imported.
                                      (code, format_lazy("{} {}", code, label))
                                      for code, label in Indicator.choices])
    service_item = forms.ModelChoiceField(label=_("Service item"), required=False,
                                          queryset=ServiceItem.objects.order_by("code"),
                                          to_field_name="code", empty_label=_("All items"))
    region = forms.ModelChoiceField(label=_("Region"), required=False,
                                    queryset=Region.objects.order_by("code"),
                                    to_field_name="code", empty_label=_("All regions"))
    since = forms.DateField(label=_("Confirmed from"), required=False, widget=DATE)
    until = forms.DateField(label=_("Confirmed until"), required=False, widget=DATE)
    state = forms.ChoiceField(label=_("State"), required=False, choices=STATES)

    def filters(self) -> dict:
        """The selector's keyword arguments; a field that does not parse is left out."""
        data = self.cleaned_data if self.is_valid() else {
            name: value for name, value in getattr(self, "cleaned_data", {}).items()
            if name not in self.errors}
        return {"indicator": data.get("indicator") or "",
                "service_item": data["service_item"].code if data.get("service_item") else "",
                "region": data["region"].code if data.get("region") else "",
                "since": data.get("since"), "until": data.get("until"),
                "state": data.get("state") or "open"}


class DismissForm(ReauthenticationForm, ReasonForm):
    pass
