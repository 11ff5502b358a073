"""An organization's standing is said the same way everywhere, from one function
(`marketplace.accounts.standing.standing_of`): an organization in good standing is 正常, a
blacklisted one is 黑名单（至 <date>）, never 正常; suspended and exited ones say so. The listed
organization's workspace tells it since when, until when, why, what it means, and how to appeal
or ask for credit repair, offering only what the rules allow now."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import dateformat, timezone, translation

from marketplace.accounts.models import Organization
from marketplace.accounts.standing import standing_of
from ratings import services
from ratings.rules import repair_available_at
from tests.factories.accounts import AgencyFactory, OwnerFactory, member_of

pytestmark = pytest.mark.django_db
UNTIL = timezone.now() + dt.timedelta(days=300)
DAY = timezone.localtime(UNTIL).strftime("%Y-%m-%d")  # the Chinese short date


def visitor(user=None, language="zh-hans") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def listed(reg_user):
    agency = AgencyFactory()
    admin = member_of(agency)
    entry = services.blacklist_add(organization=agency, reason="提供虚假材料，经查属实。",
                                   basis="渝监决〔2026〕12号", source="regulator",
                                   ends_at=UNTIL, by=reg_user)
    agency.refresh_from_db()
    return agency, admin, entry


def test_the_standing_of_a_blacklisted_organization_names_the_blacklist_and_its_end(listed):
    agency, _, _ = listed
    with translation.override("zh-hans"):
        standing = standing_of(agency)
        assert standing.code == "blacklisted"
        assert standing.label == f"黑名单（至 {DAY}）"
    with translation.override("en"):
        english_day = dateformat.format(timezone.localtime(UNTIL), "j M Y")
        assert standing_of(agency).label == f"Blacklisted (until {english_day})"


def test_suspended_exited_and_good_standings_have_their_own_labels(reg_user):
    good, suspended, exited = AgencyFactory(), AgencyFactory(), OwnerFactory()
    services.organization_suspend(organization=suspended, reason="调查中", by=reg_user)
    services.organization_expel(organization=exited, reason="严重违规", by=reg_user)
    for organization in (suspended, exited):
        organization.refresh_from_db()
    with translation.override("zh-hans"):
        assert standing_of(good).label == "正常"
        assert standing_of(suspended).code == "suspended"
        assert standing_of(suspended).label == "已暂停"
        assert standing_of(exited).code == "exited"
        assert standing_of(exited).label.startswith("已清退出市场（")
        assert "前不得重新注册" in standing_of(exited).label


def test_a_suspended_and_blacklisted_organization_shows_both(listed, reg_user):
    agency, _, _ = listed
    services.organization_suspend(organization=agency, reason="调查中", by=reg_user)
    agency.refresh_from_db()
    with translation.override("zh-hans"):
        assert standing_of(agency).label == f"黑名单（至 {DAY}）；已暂停"


def test_the_workspace_of_a_blacklisted_agency_shows_the_standing_and_the_notice(listed):
    agency, admin, entry = listed
    page = visitor(admin).get("/workspace/").content.decode()
    assert f"黑名单（至 {DAY}）" in page
    assert 'id="blacklist-notice"' in page
    assert "提供虚假材料，经查属实。" in page and "渝监决〔2026〕12号" in page
    assert "不能参与竞价" in page
    assert f"/workspace/credit/entries/{entry.pk}/appeal/" in page
    # credit repair only from the minimum period on: the page says from when, no link yet
    assert f"/workspace/credit/entries/{entry.pk}/repair/" not in page
    repair_from = timezone.localtime(repair_available_at(entry)).strftime("%Y-%m-%d")
    assert repair_from in page
    assert ">正常<" not in page


def test_the_workspace_offers_credit_repair_once_the_rules_allow_it(listed, settings):
    agency, admin, entry = listed
    settings.MARKETPLACE_CREDIT_REPAIR_MIN_PERIOD = "0s"
    page = visitor(admin).get("/workspace/").content.decode()
    assert f"/workspace/credit/entries/{entry.pk}/repair/" in page


def test_a_pending_appeal_replaces_the_appeal_link_with_the_reason(listed):
    agency, admin, entry = listed
    services.appeal_submit(entry=entry, text="依据有误", by=admin)
    page = visitor(admin, "en").get("/workspace/").content.decode()
    assert f"/workspace/credit/entries/{entry.pk}/appeal/" not in page
    assert "An appeal against this entry is already pending." in page


def test_an_agency_in_good_standing_has_no_notice(agency_admin):
    page = visitor(agency_admin).get("/workspace/").content.decode()
    assert 'id="blacklist-notice"' not in page and 'data-standing="active"' in page
    assert "正常" in page


def test_my_credit_shows_the_standing_and_the_entry_in_force_not_normal(listed):
    _, admin, _ = listed
    page = visitor(admin).get("/workspace/credit/").content.decode()
    assert f"黑名单（至 {DAY}）" in page
    assert "<strong>生效中</strong>" in page
    assert "正常" not in page
    assert 'id="blacklist-notice"' in page


def test_the_public_credit_page_and_profile_show_the_standing(listed):
    agency, _, _ = listed
    for url in (f"/credit/{agency.pk}/", f"/agencies/{agency.pk}/"):
        page = visitor().get(url).content.decode()
        assert f"黑名单（至 {DAY}）" in page, url
    directory = visitor().get("/agencies/").content.decode()
    assert f"黑名单（至 {DAY}）" in directory


def test_a_suspended_owner_is_told_on_its_workspace(reg_user, owner_admin):
    owner = Organization.objects.get(memberships__user=owner_admin)
    services.organization_suspend(organization=owner, reason="调查中", by=reg_user)
    page = visitor(owner_admin).get("/workspace/").content.decode()
    assert 'id="standing-notice"' in page and "已暂停" in page


def test_the_notice_follows_the_entry_in_force_only(listed, reg_user):
    agency, admin, entry = listed
    services.blacklist_lift(entry=entry, reason="申诉成立", by=reg_user)
    page = visitor(admin).get("/workspace/").content.decode()
    assert 'id="blacklist-notice"' not in page
    assert "黑名单（至" not in page
