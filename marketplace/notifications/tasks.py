from celery import shared_task

from marketplace.notifications import services


@shared_task(name="notifications.send_email", autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def send_email(*, notification_ids: list[int]) -> int:
    return services.send_email(notification_ids=notification_ids)


@shared_task(name="notifications.send_plain_email", autoretry_for=(OSError,),
             retry_backoff=True, max_retries=5)
def send_plain_email(*, to: str, subject: str, body: str) -> int:
    return services.deliver_plain_email(to=to, subject=subject, body=body)
