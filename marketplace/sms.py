"""Text messages (SMS) through one small interface, so a deployment plugs in its gateway.

`send_sms(to, text)` hands the message to the backend named by the `SMS_BACKEND` setting (a
dotted path to a `SmsBackend` subclass). The default, `LocalSmsBackend`, sends nothing: it
keeps the message in `outbox` (this process's list, which tests and the in-process live
server read), logs it, and appends it to a file under `SMS_FILE_PATH` when that is set, the
way Django's file e-mail backend does for mail. docs/decisions.md "Public complaints: the SMS
sender" says how a real gateway plugs in.
"""

import json
import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TextMessage:
    to: str
    text: str


# What the local backend "sent", in this process: tests read it like `mail.outbox`.
outbox: list[TextMessage] = []


class SmsBackend(ABC):
    """A gateway: `send` delivers one message or raises (the caller logs the failure)."""

    @abstractmethod
    def send(self, message: TextMessage) -> None: ...


class LocalSmsBackend(SmsBackend):
    """Development and tests: nothing leaves the machine."""

    def send(self, message: TextMessage) -> None:
        outbox.append(message)
        logger.info("SMS to %s: %s", message.to, message.text)
        folder = getattr(settings, "SMS_FILE_PATH", "")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            line = json.dumps({"at": timezone.now().isoformat(), "to": message.to,
                               "text": message.text}, ensure_ascii=False)
            with open(Path(folder) / "outbox.jsonl", "a", encoding="utf-8") as out:
                out.write(line + "\n")


def get_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(to: str, text: str) -> None:
    get_backend().send(TextMessage(to=to, text=str(text)))
