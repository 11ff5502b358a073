"""The rules of signing certificates, written once: the services call them, the pages that
say "you can/cannot" ask them through `marketplace.errors.refusal_of`."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from marketplace.errors import DomainError, StateConflict


class PkiUnavailable(DomainError):
    """The certificate authority cannot be used (no CA, a wrong passphrase): nothing is
    signed, nothing written (HTTP 503)."""

    status_code = 503
    code = "pki.unavailable"
    default_message = _("The signing service is not available: the certificate authority "
                        "cannot be reached. Nothing was signed; try again later.")


def check_can_revoke(certificate, *, now: dt.datetime) -> None:
    if certificate.revoked_at is not None:
        raise StateConflict(_("This certificate has already been revoked."),
                            code="pki.already_revoked")


def check_usable(certificate, *, now: dt.datetime) -> None:
    """A key signs only under a certificate that is neither revoked nor outside its
    validity."""
    if certificate.revoked_at is not None:
        raise StateConflict(_("The organization's signing certificate has been revoked."),
                            code="pki.revoked")
    if not certificate.not_before <= now < certificate.not_after:
        raise StateConflict(_("The organization's signing certificate is not valid now."),
                            code="pki.expired")
