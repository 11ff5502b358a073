"""A locked login on a regulator's account: the regulator hears of it (in the inbox and by
e-mail). Not audited: failed logins are traffic, not decisions; axes keeps the attempts."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from marketplace.accounts.models import Membership
from marketplace.notifications.services import notify


def login_lockout_notify(*, user, ip: str | None, now: dt.datetime | None = None) -> bool:
    """Tell the account's holder when it is a regulator's; whether anyone was told."""
    now = now or timezone.now()
    membership = (Membership.objects.select_related("organization")
                  .filter(user=user, user__is_active=True).first())
    if membership is None or not membership.organization.is_regulator:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Failed log-in attempts locked your account")
        body = _("Logging in to your account %(username)s was paused after repeated failed "
                 "attempts (the last from IP address %(ip)s at %(time)s). If this was not "
                 "you, someone may be guessing your password: change it, and check where you "
                 "are logged in.") % {
            "username": user.get_username(), "ip": ip or "?",
            "time": date_format(timezone.localtime(now), "SHORT_DATETIME_FORMAT")}
    notify(users=[user], title=title, body=body, url=reverse("accounts:security"),
           kind="security.lockout")
    return True
