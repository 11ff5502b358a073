"""`Authorization: Token <key>` for the API, with expiry and revocation.

An unknown key is DRF's refusal (401 `authentication_failed`); a key that was revoked or has
expired is a 401 with the code `auth.token_expired` and a message that says which, so a program
knows to ask `auth/token/` for a new one. Each accepted use slides the expiry, writing "last
used" at most once a minute (`services.api_token_seen`)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from marketplace.accounts.models import ApiToken
from marketplace.accounts.tokens import hash_key

TOKEN_EXPIRED = "auth.token_expired"


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Token"
    model = ApiToken

    def authenticate_credentials(self, key):
        from marketplace.accounts.services import api_token_seen  # services import the models

        now = timezone.now()
        token = (ApiToken.objects.select_related("user")
                 .filter(key_hash=hash_key(key)).first())
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if token.is_revoked:
            raise AuthenticationFailed(
                _("This API token has been revoked (%(why)s). Ask auth/token/ for a new one.")
                % {"why": token.get_revoked_because_display()}, code=TOKEN_EXPIRED)
        if token.is_expired(now):
            raise AuthenticationFailed(
                _("This API token expired after %(days)s days without use. Ask auth/token/ "
                  "for a new one.") % {"days": (token.expires_at - token.last_used_at).days},
                code=TOKEN_EXPIRED)
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        api_token_seen(token=token, now=now)
        return token.user, token
