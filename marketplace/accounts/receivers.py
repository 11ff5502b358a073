"""Login and logout keep the user's list of sessions; a password change revokes the user's API
tokens; a login lockout tells a regulator about their account (connected in
AccountsConfig.ready())."""

from axes.handlers.proxy import AxesProxyHandler
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from marketplace.accounts import services
from marketplace.accounts.middleware import client_ip, mark_seen, user_agent
from marketplace.accounts.models import ApiToken


@receiver(user_logged_in, dispatch_uid="accounts.track_login")
def track_login(sender, request, user, **kwargs):
    session = getattr(request, "session", None) if request is not None else None
    if session is None or not session.session_key:
        return
    now = timezone.now()
    services.session_started(user=user, session_key=session.session_key,
                             ip=client_ip(request), user_agent=user_agent(request), now=now)
    mark_seen(session, now=now)


@receiver(user_logged_in, dispatch_uid="accounts.forget_failures_on_login")
def forget_failures_on_login(sender, request, user, **kwargs):
    """A successful login forgets the failed attempts made with this user name (from any
    address), not the other names' failures from the same address."""
    AxesProxyHandler.reset_attempts(username=user.get_username())


@receiver(user_logged_out, dispatch_uid="accounts.track_logout")
def track_logout(sender, request, user, **kwargs):
    session = getattr(request, "session", None) if request is not None else None
    if session is not None:
        services.session_ended(session_key=session.session_key)


@receiver(post_save, sender=settings.AUTH_USER_MODEL,
          dispatch_uid="accounts.revoke_api_tokens_on_password_change")
def revoke_api_tokens_on_password_change(sender, instance, created, **kwargs):
    """Whatever path changed the password (the password page, the API, Django's admin, the
    console, a reset link, a command), it went through `set_password()` and `save()`; Django
    keeps the new raw password on the instance until `save()` has run its password-changed
    hooks, which is exactly when this signal fires. The login-time rehash of a password
    (a hasher upgrade) clears it before saving, so it revokes nothing."""
    if created or getattr(instance, "_password", None) is None:
        return
    services.api_tokens_revoke_all(user=instance,
                                   because=ApiToken.Revocation.PASSWORD_CHANGED)


@receiver(user_locked_out, dispatch_uid="accounts.lockout_notice")
def lockout_notice(sender, request, username, ip_address, **kwargs):
    """Axes sends this on the failure that locks the login and on every refused attempt while
    it holds; the regulator is told once, when the lock begins."""
    if getattr(request, "axes_failures_since_start", None) != settings.AXES_FAILURE_LIMIT:
        return
    user = get_user_model().objects.filter(username=username).first() if username else None
    if user is not None:
        services.login_lockout_notify(user=user, ip=ip_address)
