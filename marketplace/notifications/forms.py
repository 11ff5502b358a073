from django import forms

from marketplace.forms import StyledFormMixin
from marketplace.notifications.kinds import EmailKind


class EmailPreferencesForm(StyledFormMixin, forms.Form):
    """One box per kind of notice: ticked, it is e-mailed as well as put in the inbox."""


for _kind, _label in EmailKind.choices:
    EmailPreferencesForm.base_fields[_kind] = forms.BooleanField(label=_label, required=False)
