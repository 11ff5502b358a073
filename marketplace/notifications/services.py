"""The in-app inbox and the e-mails that go with it."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone, translation

from marketplace.notifications.models import Notification
from marketplace.outbox.services import enqueue

User = get_user_model()


@transaction.atomic
def notify(
    *,
    users: Iterable,
    title,
    body="",
    url: str = "",
    kind: str = "",
    email: bool = True,
) -> list[Notification]:
    """Put a message in each user's inbox; e-mail it after commit when `email`."""
    # Stored texts are rendered in the platform's default language (Chinese).
    with translation.override(settings.LANGUAGE_CODE):
        title, body = str(title), str(body)
    now = timezone.now()
    notifications = Notification.objects.bulk_create(
        [
            Notification(user=user, title=title, body=body, url=url, kind=kind, created_at=now)
            for user in {u.pk: u for u in users}.values()
        ]
    )
    if email and notifications:
        # bulk_create returns primary keys on PostgreSQL and on SQLite ≥ 3.35.
        from marketplace.notifications import (
            tasks as notifications_tasks,  # tasks call services: import here
        )
        enqueue(notifications_tasks.send_email, notification_ids=[n.pk for n in notifications])
    return notifications


def notify_organization(*, organization, admins_only: bool = False, **kwargs):
    users = User.objects.filter(membership__organization=organization, is_active=True)
    if admins_only:
        users = users.filter(membership__role="admin")
    return notify(users=list(users), **kwargs)


def send_email(*, notification_ids: list[int]) -> int:
    notifications = Notification.objects.filter(pk__in=notification_ids).select_related("user")
    messages = [
        (
            f"[{settings.WAGTAIL_SITE_NAME}] {n.title}",
            _email_body(n),
            settings.DEFAULT_FROM_EMAIL,
            [n.user.email],
        )
        for n in notifications
        if n.user.email
    ]
    return send_mass_mail(messages, fail_silently=False) if messages else 0


def _email_body(notification: Notification) -> str:
    parts = [notification.body]
    if notification.url:
        parts.append(settings.WAGTAILADMIN_BASE_URL.rstrip("/") + notification.url)
    return "\n\n".join(p for p in parts if p)


def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


def send_plain_email(*, to: str, subject, body, url: str = "") -> None:
    """E-mail someone who may have no account yet (an invitation), after commit."""
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = str(subject), str(body)
    if url:
        body = f"{body}\n\n{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{url}"
    from marketplace.notifications import (
        tasks as notifications_tasks,  # tasks call services: import here
    )
    enqueue(notifications_tasks.send_plain_email, to=to, subject=subject, body=body)


def deliver_plain_email(*, to: str, subject: str, body: str) -> int:
    return send_mass_mail(
        [(f"[{settings.WAGTAIL_SITE_NAME}] {subject}", body, settings.DEFAULT_FROM_EMAIL, [to])]
    )
