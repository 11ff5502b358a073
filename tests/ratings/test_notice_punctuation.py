"""A notice that quotes what a regulator wrote ends each sentence once: "属实。" followed by the
platform's own sentence never reads "属实。。", and a reason written without a full stop gets
the language's own ("。" in Chinese, "." in English)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation

from marketplace.notifications.models import Notification
from marketplace.notifications.text import as_sentence
from ratings import services
from tests.factories.accounts import AgencyFactory, member_of

pytestmark = pytest.mark.django_db
DOUBLED = ("。。", "..", "。.", ".。")


@pytest.mark.parametrize(("text", "chinese", "english"), [
    ("经查属实。", "经查属实。", "经查属实。"),
    ("经查属实", "经查属实。", "经查属实."),
    ("  Confirmed by inspection  ", "Confirmed by inspection。", "Confirmed by inspection."),
    ("Confirmed!", "Confirmed!", "Confirmed!"),
    ("是否属实？", "是否属实？", "是否属实？"),
    ("", "", ""),
])
def test_a_written_text_becomes_one_sentence(text, chinese, english):
    with translation.override("zh-hans"):
        assert as_sentence(text) == chinese
    with translation.override("en"):
        assert as_sentence(text) == english


@pytest.mark.parametrize("reason", ["提供虚假材料，经查属实。", "提供虚假材料，经查属实"])
def test_the_blacklisting_notice_ends_each_sentence_once(reg_user, reason):
    agency = AgencyFactory()
    member_of(agency)
    services.blacklist_add(organization=agency, reason=reason, basis="决定书",
                           source="regulator", by=reg_user,
                           ends_at=timezone.now() + dt.timedelta(days=30))
    notice = Notification.objects.get(kind="ratings.blacklisted")
    assert "理由：提供虚假材料，经查属实。贵单位可以提出申诉" in notice.body
    assert not any(mark in notice.body for mark in DOUBLED), notice.body
    assert notice.title == "贵单位已被列入黑名单"


def test_the_notice_is_stored_in_chinese_whoever_blacklists(reg_user):
    agency = AgencyFactory()
    member_of(agency)
    with translation.override("en"):
        services.blacklist_add(organization=agency, reason="Forged certificate.",
                               basis="x", source="regulator", by=reg_user,
                               ends_at=timezone.now() + dt.timedelta(days=30))
    body = Notification.objects.get(kind="ratings.blacklisted").body
    assert body.startswith("期限至 ") and "理由：Forged certificate.贵单位" in body


def test_no_message_puts_a_full_stop_after_quoted_words():
    """The same mistake elsewhere: a message (source or translation) that puts a full stop
    right after a placeholder carrying someone's own words (a reason, a reply, a note)."""
    po = (Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(
        encoding="utf-8")
    quoted = r"%\((reason|reply|text|note|outcome|decision|statement|comment|basis)\)s[。.]"
    assert re.findall(quoted, po) == []
