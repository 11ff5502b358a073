"""The console's revocation of an organization's signing certificates (issue 16): a regulator,
re-authenticated, with a reason and a note; the service audits it and the CRL lists it."""

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cms.console.pages import BLACKLIST, denied, form_action, reauthenticated, when
from cms.console.ratings_forms import ReauthenticationForm
from marketplace.accounts.models import Organization
from marketplace.limits import TEXT_LIMITS
from marketplace.pki import selectors, services
from marketplace.pki.models import Certificate


class RevokeForm(ReauthenticationForm):
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=Certificate.Reason.choices)
    note = forms.CharField(label=gettext_lazy("Note"), required=False,
                           max_length=TEXT_LIMITS["reason"],
                           widget=forms.Textarea(attrs={"rows": 3}))


@denied(BLACKLIST)
@require_http_methods(["GET", "POST"])
def organization_certificates_revoke(request, pk: int):
    organization = get_object_or_404(Organization, pk=pk)
    manage = reverse("cms_console:organization_manage", args=[organization.pk])
    facts = [(_("Organization"), f"{organization.name} ({organization.uscc})")]
    facts += [(_("Certificate serial"), f"{c.serial} · {when(c.not_after)}"
               + (f" · {c.get_revocation_reason_display()}" if c.revoked_at else ""))
              for c in selectors.certificates_of(organization)[:5]]
    return form_action(
        request, RevokeForm(request.POST or None),
        reauthenticated(request, lambda data: services.organization_certificates_revoke(
            organization=organization, reason=data["reason"], note=data["note"],
            by=request.user)),
        success=_("The signing certificates of %(name)s have been revoked.")
        % {"name": organization.name}, done=manage, back=manage, danger=True,
        title=_("Revoke the signing certificates: %(name)s") % {"name": organization.name},
        icon="warning", submit=_("Revoke"), facts=facts)
