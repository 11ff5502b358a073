"""Regulators are asked to enter the holidays of this year and next when nobody has yet."""

import datetime as dt
import zoneinfo
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from marketplace.catalog.models import CalendarYear
from marketplace.catalog.selectors import years_missing_calendar
from tests.factories.accounts import log_in_verified, member_of

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOV_2026 = dt.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)


def test_the_seeded_calendar_covers_2026_but_not_2027():
    assert CalendarYear.objects.filter(year=2026).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_next_year_is_missing_in_late_2026():
    assert years_missing_calendar(NOV_2026) == [2027]


def test_both_years_are_missing_in_2027():
    assert years_missing_calendar(dt.datetime(2027, 3, 1, tzinfo=SHANGHAI)) == [2027, 2028]


def test_the_year_is_the_local_one():
    # 20:00 UTC on New Year's Eve is already 2027 in Chongqing.
    new_year_in_chongqing = dt.datetime(2026, 12, 31, 20, 0, tzinfo=dt.UTC)

    assert years_missing_calendar(new_year_in_chongqing) == [2027, 2028]


def test_nothing_is_missing_once_a_regulator_entered_next_year():
    CalendarYear.objects.create(year=2027, source=CalendarYear.Source.REGULATOR)

    assert years_missing_calendar(NOV_2026) == []


def test_without_a_moment_it_uses_now():
    with time_machine.travel(NOV_2026, tick=False):
        assert years_missing_calendar() == [2027]


@pytest.fixture
def regulator_account(db):
    call_command("create_regulator", username="jianguan", password="Jianguan-2026-strong",
                 stdout=StringIO())
    return get_user_model().objects.get(username="jianguan")


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_workspace_warns_regulators_and_links_to_the_calendar(english, regulator_account):
    log_in_verified(english, regulator_account)

    with time_machine.travel(NOV_2026, tick=False):
        page = english.get("/workspace/").content.decode()

    assert 'id="calendar-notice"' in page
    assert "Enter the holidays for 2027" in page
    assert 'href="/console/supervision/calendar/days/"' in page
    assert english.get("/console/supervision/calendar/days/").status_code == 200


def test_workspace_warning_is_in_chinese_by_default(client, regulator_account):
    client.force_login(regulator_account)

    with time_machine.travel(NOV_2026, tick=False):
        page = client.get("/workspace/").content.decode()

    assert "请录入2027年的节假日" in page


def test_regulator_staff_without_admin_rights_are_told_whom_to_ask(english, regulator):
    staff = member_of(regulator, role="staff")
    english.force_login(staff)

    with time_machine.travel(NOV_2026, tick=False):
        page = english.get("/workspace/").content.decode()

    assert "Enter the holidays for 2027" in page
    assert "/console/supervision/calendar/" not in page
    assert "Ask an administrator of your organization to enter them." in page


def test_no_warning_once_the_year_is_entered(client, regulator_account):
    CalendarYear.objects.create(year=2027, source=CalendarYear.Source.REGULATOR)
    client.force_login(regulator_account)

    with time_machine.travel(NOV_2026, tick=False):
        page = client.get("/workspace/").content.decode()

    assert 'id="calendar-notice"' not in page


@pytest.mark.parametrize("member", ["agency_admin", "owner_admin"])
def test_agencies_and_owners_see_no_calendar_warning(client, member, request):
    client.force_login(request.getfixturevalue(member))

    with time_machine.travel(NOV_2026, tick=False):
        page = client.get("/workspace/").content.decode()

    assert 'id="calendar-notice"' not in page
