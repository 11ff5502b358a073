"""Periods are shown in words, never as setting values ("15d", "1095d", "3wd"), through one
helper (`marketplace.periods.describe_period`, the `|period` filter in templates); the credit
rules page names each event's severity in the reader's language."""

import re

import pytest
from django.test import Client
from django.utils import translation

from marketplace.periods import describe_period

pytestmark = pytest.mark.django_db
RAW_PERIOD = re.compile(r"(?<![\w.])\d+(?:wd|d|h|m|s)\b")


@pytest.mark.parametrize(("value", "chinese", "english"), [
    ("15d", "15天", "15 days"),
    ("1d", "1天", "1 day"),
    ("1095d", "1095天（约3年）", "1095 days (about 3 years)"),
    ("365d", "365天（约1年）", "365 days (about 1 year)"),
    ("180d", "180天（约6个月）", "180 days (about 6 months)"),
    ("90d", "90天（约3个月）", "90 days (about 3 months)"),
    ("3wd", "3个工作日", "3 working days"),
    ("1wd", "1个工作日", "1 working day"),
    ("72h", "72小时", "72 hours"),
    ("30m", "30分钟", "30 minutes"),
    ("0s", "0秒", "0 seconds"),
])
def test_a_period_is_described_in_words_in_both_languages(value, chinese, english):
    with translation.override("zh-hans"):
        assert describe_period(value) == chinese
    with translation.override("en"):
        assert describe_period(value) == english


def test_an_invalid_period_is_refused_as_before():
    with pytest.raises(ValueError):
        describe_period("3 weeks")


def _main(language: str) -> str:
    client = Client()
    client.cookies["django_language"] = language
    html = client.get("/credit/how/").content.decode()
    return html[html.index("<main"):html.index("</main>")]


def test_the_credit_rules_page_shows_periods_in_words_and_translated_severities():
    page = _main("zh-hans")
    assert RAW_PERIOD.findall(re.sub(r"<[^>]+>", " ", page)) == []
    assert "15天" in page and "1095天（约3年）" in page and "365天（约1年）" in page
    assert "90天（约3个月）" in page and "180天（约6个月）" in page
    for severity in ("提示", "轻微", "较重", "严重"):
        assert f"<td>{severity}</td>" in page
    for english in ("<td>info</td>", "<td>minor</td>", "<td>major</td>", "<td>serious</td>"):
        assert english not in page


def test_the_english_rules_page_says_the_same_in_english():
    page = _main("en")
    assert RAW_PERIOD.findall(re.sub(r"<[^>]+>", " ", page)) == []
    assert "15 days" in page and "1095 days (about 3 years)" in page
    assert "<td>Serious</td>" in page and "<td>Minor</td>" in page


def test_the_rules_page_follows_the_settings(settings):
    settings.MARKETPLACE_RATING_PERIOD = "10wd"
    assert "10个工作日" in _main("zh-hans")
