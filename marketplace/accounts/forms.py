"""Forms shared by the pages and the API (the API binds these same forms), so both validate
alike and speak the user's language."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ValidationError
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import INTRODUCTION_MAX_LENGTH, Organization
from marketplace.accounts.validators import normalize_uscc
from marketplace.catalog.models import Region
from marketplace.forms import StyledFormMixin


class RegionChoiceField(forms.ModelChoiceField):
    """Accepts a region by its GB/T 2260 code, as the API and the page both send it."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Region.objects.all(), to_field_name="code", **kwargs)


def _phone_field() -> forms.RegexField:
    return forms.RegexField(
        label=_("Phone"),
        regex=r"^[0-9+\-() ]{7,20}$",
        error_messages={"invalid": _("Enter a phone number of 7 to 20 digits.")},
    )


class RegistrationForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Organization name"), max_length=200)
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        help_text=_("18 characters, as printed on the business licence."),
    )
    region = RegionChoiceField(label=_("Region"))
    contact_name = forms.CharField(label=_("Contact person"), max_length=100)
    phone = _phone_field()
    email = forms.EmailField(label=_("E-mail"))
    username = forms.RegexField(
        label=_("User name"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={
            "invalid": _("Use letters, digits and @/./+/-/_ only.")
        },
    )
    # The rules are shown beside the field from the start, not only after a failed submit.
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False,
                               help_text=password_validators_help_text_html())

    kind = Organization.Kind.AGENCY

    def clean_uscc(self) -> str:
        return normalize_uscc(self.cleaned_data["uscc"])


class OwnerRegistrationForm(RegistrationForm):
    owner_kind = forms.ChoiceField(label=_("Kind of owner"), choices=Organization.OwnerKind)

    kind = Organization.Kind.OWNER


class InvitationForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail"))


class AcceptInvitationForm(StyledFormMixin, forms.Form):
    username = forms.RegexField(
        label=_("User name"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("Use letters, digits and @/./+/-/_ only.")},
    )
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False,
                               help_text=password_validators_help_text_html())
    password_again = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput, strip=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            raise ValidationError({"password_again": _("The two passwords differ.")})
        return cleaned


class LoginForm(StyledFormMixin, AuthenticationForm):
    pass


class PasswordChangeForm(StyledFormMixin, DjangoPasswordChangeForm):
    pass


class OrganizationDetailsForm(StyledFormMixin, forms.Form):
    """What an organization's administrator keeps up to date; the name and the USCC are not
    here (a regulator changes a name; a USCC never changes)."""

    contact_name = forms.CharField(label=_("Contact person"), max_length=100)
    phone = _phone_field()
    email = forms.EmailField(label=_("E-mail"))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    region = RegionChoiceField(label=_("Region"))
    introduction = forms.CharField(
        label=_("Introduction"), required=False, max_length=INTRODUCTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, organization: Organization, **kwargs):
        kwargs.setdefault("initial", {
            "contact_name": organization.contact_name, "phone": organization.phone,
            "email": organization.email, "address": organization.address,
            "region": organization.region.code if organization.region_id else None,
            "introduction": organization.introduction,
        })
        super().__init__(*args, **kwargs)
        self.fields["introduction"].help_text = _(
            "Shown on your public profile: what you do and for whom. At most %(max)s "
            "characters.") % {"max": INTRODUCTION_MAX_LENGTH}
        if organization.is_regulator:
            self.fields["region"].required = False


class PasswordResetForm(StyledFormMixin, DjangoPasswordResetForm):
    """Django's form (one e-mail per active account with that address, and the same answer
    whether or not there is one), with the link built on the site's public address rather
    than the request's Host header, and the e-mail sent after commit through the outbox."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        from marketplace.outbox.services import enqueue

        context["reset_url"] = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
            "accounts:password_reset_confirm", args=[context["uid"], context["token"]])
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        from marketplace.notifications import (
            tasks as notifications_tasks,  # tasks call services: import here
        )
        enqueue(notifications_tasks.send_plain_email, to=to_email, subject=subject, body=body)


class SetPasswordForm(StyledFormMixin, DjangoSetPasswordForm):
    """The new password from a reset link; saving ends every session of the account."""

    def __init__(self, user, *args, current_session_key: str | None = None, **kwargs):
        self.current_session_key = current_session_key
        super().__init__(user, *args, **kwargs)

    def save(self, commit=True):
        from marketplace.accounts.services import password_reset_complete

        return password_reset_complete(user=self.user,
                                       password=self.cleaned_data["new_password1"],
                                       current_session_key=self.current_session_key)


# --- Second factor ------------------------------------------------------------------------


def otp_code_field(*, required: bool = True) -> forms.CharField:
    """The code from an authenticator app, or a recovery code (the rules say which is wrong)."""
    return forms.CharField(
        label=_("Code from your authenticator app"), max_length=32, required=required,
        help_text=_("Six digits from the app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off",
                                      "spellcheck": "false"}))


def current_password_field(*, required: bool = True) -> forms.CharField:
    return forms.CharField(label=_("Your password"), strip=False, required=required,
                           widget=forms.PasswordInput(attrs={"autocomplete":
                                                             "current-password"}))


class SecondFactorCodeForm(StyledFormMixin, forms.Form):
    # Not required: the rule answers a blank code with its own coded message.
    otp_code = otp_code_field(required=False)


class SecondFactorRemoveForm(StyledFormMixin, forms.Form):
    password = current_password_field(required=False)
    otp_code = otp_code_field(required=False)
