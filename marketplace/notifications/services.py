"""The in-app inbox and the e-mails that go with it."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from marketplace.audit import services as audit
from marketplace.errors import DomainError, NotFound
from marketplace.notifications.kinds import EmailKind, preference_key
from marketplace.notifications.models import EmailPreference, Notification
from marketplace.outbox.services import enqueue, enqueue_many

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


@dataclass(frozen=True)
class Notice:
    """One `notify_organization` call of `notify_organizations`."""

    organization_id: int
    title: str
    body: str = ""
    url: str = ""
    kind: str = ""


@transaction.atomic
def notify_organizations(notices: list[Notice], *, email: bool = True,
                         batch_size: int = 2000) -> list[Notification]:
    """`notify_organization(organization=…, **notice)` for each notice, in a few statements
    (a mass operation): one query for the members, one insert for the messages, one for the
    e-mails' outbox messages (one per organization, as each call makes)."""
    members: dict[int, list[int]] = {}
    ids = sorted({notice.organization_id for notice in notices})
    for start in range(0, len(ids), batch_size):
        for user_id, organization_id in (
                User.objects.filter(membership__organization_id__in=ids[start:start + batch_size],
                                    is_active=True)
                .values_list("pk", "membership__organization_id")):
            members.setdefault(organization_id, []).append(user_id)
    now = timezone.now()
    rows, groups = [], []
    with translation.override(settings.LANGUAGE_CODE):
        for notice in notices:
            users = members.get(notice.organization_id, [])
            title, body = str(notice.title), str(notice.body)
            groups.append(len(users))
            rows += [Notification(user_id=user_id, title=title, body=body, url=notice.url,
                                  kind=notice.kind, created_at=now) for user_id in users]
    notifications = Notification.objects.bulk_create(rows, batch_size=batch_size)
    if email:
        from marketplace.notifications import (
            tasks as notifications_tasks,  # tasks call services: import here
        )
        batches, start = [], 0
        for count in groups:
            if count:
                batches.append({"notification_ids": [n.pk for n in
                                                     notifications[start:start + count]]})
            start += count
        enqueue_many(notifications_tasks.send_email, batches)
    return notifications


def notify_organization(*, organization, admins_only: bool = False, **kwargs):
    users = User.objects.filter(membership__organization=organization, is_active=True)
    if admins_only:
        users = users.filter(membership__role="admin")
    return notify(users=list(users), **kwargs)


def send_email(*, notification_ids: list[int]) -> int:
    """E-mail these notifications, except those whose kind their user chose not to receive
    by e-mail (the inbox keeps them all)."""
    notifications = list(
        Notification.objects.filter(pk__in=notification_ids).select_related("user"))
    declined = set(EmailPreference.objects.filter(
        user_id__in={n.user_id for n in notifications}, email=False,
    ).values_list("user_id", "kind"))
    messages = [
        (
            f"[{settings.WAGTAIL_SITE_NAME}] {n.title}",
            _email_body(n),
            settings.DEFAULT_FROM_EMAIL,
            [n.user.email],
        )
        for n in notifications
        if n.user.email and (n.user_id, preference_key(n.kind)) not in declined
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


def notification_read(*, user, notification_id: int) -> Notification:
    """Mark one of the user's notifications read; someone else's is "not found"."""
    notification = Notification.objects.filter(pk=notification_id, user=user).first()
    if notification is None:
        raise NotFound(_("This message does not exist."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def email_preferences_set(*, user, email: dict[str, bool], now=None) -> dict[str, bool]:
    """Set which kinds of notice `user` receives by e-mail (kinds not named keep their
    choice). An unknown kind refuses the whole change."""
    unknown = sorted(set(email) - set(EmailKind.values))
    if unknown:
        raise DomainError(_("Unknown kind of notice: %(kinds)s.") % {"kinds": ", ".join(unknown)},
                          field="email", code="notifications.unknown_kind")
    for kind, wanted in email.items():
        EmailPreference.objects.update_or_create(user=user, kind=kind,
                                                 defaults={"email": bool(wanted)})
    audit.record(action="user.email_preferences_changed", actor=user, obj=user,
                 data={"email": {kind: bool(wanted) for kind, wanted in sorted(email.items())}},
                 now=now or timezone.now())
    from marketplace.notifications.selectors import email_preferences

    return email_preferences(user)


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
