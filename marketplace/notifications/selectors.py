from marketplace.notifications.kinds import EmailKind
from marketplace.notifications.models import EmailPreference, Notification


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def inbox(user, *, unread: bool | None = None):
    notifications = Notification.objects.filter(user=user)
    if unread is not None:
        notifications = notifications.filter(read_at__isnull=unread)
    return notifications


def email_preferences(user) -> dict[str, bool]:
    """Every kind a user may decline by e-mail, with their choice (yes unless declined)."""
    chosen = dict(EmailPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: chosen.get(kind, True) for kind in EmailKind.values}
