"""Login and logout keep the user's list of sessions (connected in AccountsConfig.ready())."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.utils import timezone

from marketplace.accounts import services
from marketplace.accounts.middleware import client_ip, mark_seen, user_agent


@receiver(user_logged_in, dispatch_uid="accounts.track_login")
def track_login(sender, request, user, **kwargs):
    session = getattr(request, "session", None) if request is not None else None
    if session is None or not session.session_key:
        return
    now = timezone.now()
    services.session_started(user=user, session_key=session.session_key,
                             ip=client_ip(request), user_agent=user_agent(request), now=now)
    mark_seen(session, now=now)


@receiver(user_logged_out, dispatch_uid="accounts.track_logout")
def track_logout(sender, request, user, **kwargs):
    session = getattr(request, "session", None) if request is not None else None
    if session is not None:
        services.session_ended(session_key=session.session_key)
