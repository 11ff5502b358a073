"""Periods are a whole number and a unit: s, m, h, d or wd (DESIGN §5)."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from marketplace.periods import Period, add_period, parse_period, setting_period


@pytest.mark.parametrize("text,amount,unit", [
    ("72h", 72, "h"), ("3wd", 3, "wd"), ("0s", 0, "s"), ("15d", 15, "d"), ("5m", 5, "m"),
    ("30s", 30, "s"), (" 5wd ", 5, "wd"),
])
def test_valid_periods_parse(text, amount, unit):
    period = parse_period(text)

    assert period == Period(amount, unit)
    assert period.is_working_days is (unit == "wd")
    assert str(period) == f"{amount}{unit}"


@pytest.mark.parametrize("text", ["3w", "-1h", "h", "", "1.5h", "3 weeks", "wd3", "10000wd"])
def test_invalid_periods_are_refused(text):
    with pytest.raises(ValueError):
        parse_period(text)


def test_a_period_parses_to_itself():
    period = Period(3, "wd")

    assert parse_period(period) is period


START = dt.datetime(2026, 5, 20, 9, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize("text,delta", [
    ("0s", dt.timedelta(0)),
    ("30s", dt.timedelta(seconds=30)),
    ("5m", dt.timedelta(minutes=5)),
    ("72h", dt.timedelta(hours=72)),
    ("15d", dt.timedelta(days=15)),
])
def test_adding_clock_periods(text, delta):
    assert add_period(START, text) == START + delta


def test_zero_working_days_is_the_start_itself(db):
    assert add_period(START, "0wd") == START


def test_a_misconfigured_period_setting_is_reported_by_name(settings):
    settings.MARKETPLACE_PUBLICITY_PERIOD = "3 weeks"

    with pytest.raises(ImproperlyConfigured, match="MARKETPLACE_PUBLICITY_PERIOD"):
        setting_period("MARKETPLACE_PUBLICITY_PERIOD")


def test_the_configured_defaults_parse(settings):
    assert setting_period("MARKETPLACE_MIN_BIDDING_PERIOD") == Period(72, "h")
    assert setting_period("MARKETPLACE_PUBLICITY_PERIOD") == Period(3, "wd")
    assert setting_period("MARKETPLACE_SIGNING_PERIOD") == Period(5, "wd")
    assert setting_period("MARKETPLACE_RATING_PERIOD") == Period(15, "d")
