from django import forms
from django.utils.translation import gettext_lazy as _

from cms.models import AnnouncementKind
from marketplace.catalog.models import Region, ServiceItem
from marketplace.forms import StyledFormMixin


class AnnouncementFilterForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", _("All types")), *AnnouncementKind.choices])
    service_item = forms.ModelChoiceField(label=_("Service item"), required=False,
                                          queryset=ServiceItem.objects.all(), to_field_name="code",
                                          empty_label=_("All service items"))
    region = forms.ModelChoiceField(label=_("Region"), required=False,
                                    queryset=Region.objects.all(), to_field_name="code",
                                    empty_label=_("All regions"))
    date_from = forms.DateField(label=_("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data


class SiteSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search the site"), max_length=100, required=False)
