"""The regulator console (/console/) in Chromium, in Chinese: Wagtail's own screens are Chinese
(no "Search all pages…", no English editor guide), nothing is fetched from the internet (no
Gravatar), the organization list and the blacklist say an organization's real standing, and the
blacklist form says what it does; the listed agency's notice ends each sentence once."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.accounts import services as accounts
from ratings import services
from tests.factories.accounts import PASSWORD, AgencyFactory, give_authenticator, member_of

pytestmark = pytest.mark.django_db(transaction=True)
REASON = "在资质核查中提供伪造的检测报告，经查属实。"


def _regulator():
    user = accounts.create_regulator(username="jianguan", password=PASSWORD,
                                     email="jianguan@example.cn")
    user.first_name = "王监管"
    user.save(update_fields=["first_name"])
    give_authenticator(user)  # mandatory for regulators; the tour types its codes
    return user


def _day(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d")


def test_the_console_is_chinese_and_says_the_real_standing(guide):
    regulator = _regulator()
    listed = AgencyFactory(name="重庆远景工程咨询有限公司")
    until = timezone.now() + dt.timedelta(days=180)
    services.blacklist_add(organization=listed, reason="串通投标", basis="渝监决〔2026〕3号",
                           source="regulator", ends_at=until, by=regulator)
    tour = guide.open("regulator", "zh-hans")
    page = tour.page
    tour.login(regulator.username, PASSWORD)

    tour.goto("/console/", "console dashboard")
    expect(page.get_by_placeholder("搜索全部页面…")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("editor guide")
    expect(page.locator("body")).not_to_contain_text("Search all pages")

    page.get_by_role("button", name="监管", exact=True).click()
    page.get_by_role("link", name="单位").click()
    tour.check("organizations")
    row = page.locator("tr", has_text=listed.name)
    expect(row).to_contain_text(f"黑名单（至 {_day(until)}）")
    expect(row).not_to_contain_text("正常")

    tour.goto("/console/supervision/blacklist/", "blacklist in force")
    row = page.locator("tr", has_text=listed.name)
    expect(row).to_contain_text("生效中")
    expect(row).not_to_contain_text("正常")

    tour.goto("/console/account/", "account settings")
    expect(page.locator("main")).to_contain_text("主题偏好")


def test_the_blacklist_form_and_the_notice_it_sends(guide):
    regulator = _regulator()
    agency = AgencyFactory(name="重庆明达检测技术有限公司")
    admin = member_of(agency, username="mingda-admin")
    tour = guide.open("regulator", "zh-hans")
    page = tour.page
    tour.login(regulator.username, PASSWORD)
    tour.goto("/console/supervision/blacklist/", "blacklist")
    page.get_by_role("link", name="列入黑名单").click()
    tour.check("blacklist form")
    expect(page.locator("label[for='id_reason'] .w-required-mark")).to_have_text("*")
    expect(page.locator("header svg use[href$='#icon-cross']")).to_have_count(0)
    page.get_by_label("单位").fill(agency.uscc)
    page.get_by_label("理由").fill(REASON)
    until = timezone.localtime() + dt.timedelta(days=365)
    page.get_by_label("截止日期").fill(until.strftime("%Y-%m-%dT%H:%M"))
    tour.reauthenticate(regulator.username, PASSWORD)
    tour.submit("listed", button="列入黑名单")
    expect(page.locator("tr", has_text=agency.name)).to_contain_text("生效中")

    listed = guide.open("agency", "zh-hans")
    listed.login(admin.username, PASSWORD)
    expect(listed.page.locator("#blacklist-notice")).to_contain_text(REASON)
    listed.goto("/workspace/inbox/", "inbox")
    inbox = listed.page.locator("main")
    expect(inbox).to_contain_text(f"理由：{REASON}贵单位可以提出申诉")
    assert not re.search("。。|。\\.", inbox.inner_text())


def test_a_new_regulator_sets_up_two_step_verification_then_logs_in_with_a_code(guide):
    """The console sends a regulator without an authenticator app to set one up (QR code and
    key, confirmed with a current code, recovery codes shown once); the next login asks for a
    code after the password."""
    from base64 import b32decode

    from django_otp.oath import totp

    accounts.create_regulator(username="xinjianguan", password=PASSWORD)
    tour = guide.open("regulator", "zh-hans")
    page = tour.page
    tour.login("xinjianguan", PASSWORD)  # no app yet: the password alone
    tour.goto("/console/", "console asks for two-step verification")
    expect(page).to_have_url(re.compile(r"/accounts/security/two-step/"))
    tour.submit("authenticator setup", button=tour.t("Set up an authenticator app"))
    expect(page.locator("#otp-qr")).to_be_visible()
    secret = page.locator("#otp-secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.locator("#id_otp_code").fill(f"{totp(key):06d}")
    tour.submit("recovery codes", button=tour.t("Confirm"))
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    with page.expect_navigation():
        page.get_by_role("link", name=tour.t("I have saved them, continue")).click()
    tour.check("console after the setup")
    expect(page).to_have_url(re.compile(r"/console/$"))

    again = guide.open("regulator", "zh-hans")
    again.login("xinjianguan", PASSWORD)  # the tour types the code on the second step
    again.goto("/console/", "console after a login with a code")
    expect(again.page).to_have_url(re.compile(r"/console/$"))
