"""Helpers of the public complaint tests: filing as a person without an account, and reading
the code the way the person would (the e-mail, or the local SMS backend's outbox)."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import TestCase

from marketplace import sms
from ratings.models import Complaint

EMAIL = "zhang.san@example.cn"
PHONE = "138 0013 8000"
ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def _fresh_throttles_and_outbox(settings, tmp_path):
    """Each test starts with no counts and an empty SMS outbox."""
    cache.clear()
    sms.outbox.clear()
    settings.SMS_BACKEND = "marketplace.sms.LocalSmsBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    yield
    cache.clear()


def delivered():
    """Run what waits for the commit (the deliveries) when the block ends: the test's own
    transaction never commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def post(client, url, data=None, *, address=ADDRESS, **extra):
    """A visitor's POST (in English, from `address`), its deliveries made."""
    with delivered():
        return client.post(url, data or {}, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en",
                           **extra)


def file_complaint(client, url, *, contact=EMAIL, name="张三", text="收费高于公示标准",
                   files=(), address=ADDRESS):
    data = {"name": name, "contact": contact, "text": text}
    if files:
        data["attachments"] = list(files)
    return post(client, url, data, address=address)


def last_code() -> str:
    """The code in the last message sent to the person (e-mail or text message)."""
    texts = [m.body for m in mail.outbox] + [m.text for m in sms.outbox]
    codes = [re.search(r"\b(\d{6})\b", t) for t in texts if "/complaints/follow/" not in t]
    return [c.group(1) for c in codes if c][-1]


def follow_link() -> str:
    """The follow link as the person receives it on their contact."""
    texts = [m.body for m in mail.outbox] + [m.text for m in sms.outbox]
    links = [re.search(r"(/complaints/follow/[\w\-]+/)", t) for t in texts]
    return [link.group(1) for link in links if link][-1]


def verify_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def the_complaint() -> Complaint:
    return Complaint.objects.select_related("public_complainant").get()
