"""Credit pages in Chromium, in Chinese and in English: a blacklisted agency sees its real
standing and what to do about it (workspace, my credit, appeal, public credit page, profile);
the credit rules read in words; a contract's two parties rate each other by name, with scores
that say what they mean, and read the published ratings criterion by criterion."""

import datetime as dt
import re

import pytest
from django.utils import dateformat, timezone, translation
from playwright.sync_api import expect

from ratings import services
from tests.factories.accounts import PASSWORD, AgencyFactory, member_of
from tests.factories.ratings import closed_contract, regulator_user, user_of

pytestmark = pytest.mark.django_db(transaction=True)
REASON = "提供虚假资质证明材料，经查属实。"
def _until(days=200) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def _short(moment: dt.datetime, language: str) -> str:
    with translation.override(language):
        return dateformat.format(timezone.localtime(moment),
                                 "Y-m-d" if language == "zh-hans" else "j M Y")


WORDS = {
    "zh-hans": {"standing": "黑名单（至 {day}）", "cannot_bid": "不能参与竞价",
                "appeal": "对本次列入提出申诉", "in_force": "生效中"},
    "en": {"standing": "Blacklisted (until {day})", "cannot_bid": "cannot bid",
           "appeal": "Appeal against this listing", "in_force": "Currently listed"},
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_listed_agency_sees_its_real_standing(guide, language):
    words = WORDS[language]
    agency = AgencyFactory(name="重庆诚信检测咨询有限公司")
    admin = member_of(agency, username="chengxin-admin")
    until = _until()
    services.blacklist_add(organization=agency, reason=REASON, basis="渝监决〔2026〕12号",
                           source="regulator", ends_at=until, by=regulator_user())
    standing = words["standing"].format(day=_short(until, language))
    tour = guide.open("agency", language)
    page = tour.page

    tour.login(admin.username, PASSWORD)  # lands on the workspace
    notice = page.locator("#blacklist-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(REASON)
    expect(notice).to_contain_text(words["cannot_bid"])
    expect(page.locator("#standing")).to_have_text(standing)
    expect(page.locator("main")).not_to_contain_text("正常")

    notice.get_by_role("link", name=re.compile("^(我的信用|My credit)$")).click()
    tour.check("my credit")
    expect(page.locator("#standing")).to_have_text(standing)
    expect(page.locator("main")).to_contain_text(words["in_force"])

    page.get_by_role("link", name=words["appeal"]).click()
    tour.check("appeal form")
    expect(page.locator("main form")).to_be_visible()

    tour.goto(f"/credit/{agency.pk}/", "public credit page")
    expect(page.locator("#standing")).to_have_text(standing)
    tour.goto(f"/agencies/{agency.pk}/", "agency profile")
    expect(page.locator("#standing")).to_have_text(standing)
    expect(page.locator("#standing-alert")).to_have_text(standing)


@pytest.mark.parametrize(("language", "expected"), [
    ("zh-hans", ["15天", "1095天（约3年）", "365天（约1年）", "180天（约6个月）", "严重", "较重"]),
    ("en", ["15 days", "1095 days (about 3 years)", "180 days (about 6 months)", "Serious"]),
])
def test_the_credit_rules_read_in_words(guide, settings, language, expected):
    settings.MARKETPLACE_RATING_PERIOD = "15d"  # the default, not the journeys' short one
    tour = guide.open("public", language)
    tour.goto("/credit/how/", "how credit works")
    main = tour.page.locator("main")
    for text in expected:
        expect(main).to_contain_text(text)
    assert not re.search(r"(?<![\w.])\d+(?:wd|d|h)\b", main.inner_text())
    tour.goto("/credit/", "credit publication and market overview")
    chart = tour.page.locator("#monthly-chart")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 300  # the chart grows back to the desktop width


RATING_WORDS = {
    "zh-hans": {"rate": "评价{name}", "scores": ["5 很好", "4 较好", "5 很好", "4 较好", "5 很好"],
                "owner_criteria": ["服务质量", "服务时效", "服务态度", "服务收费", "服务规范"],
                "agency_criteria": ["配合程度", "需求清晰度", "按时付款"],
                "submit": "提交评价", "waiting": "对方评价后或评价期结束时",
                "published": "双方评价现已公开", "see": "查看双方评价"},
    "en": {"rate": "Rate {name}", "scores": ["5 Very good", "4 Good", "5 Very good", "4 Good",
                                             "5 Very good"],
           "owner_criteria": ["Quality", "Timeliness", "Attitude", "Fee compliance", "Conduct"],
           "agency_criteria": ["Cooperation", "Clarity of requirements", "Payment on time"],
           "submit": "Submit the rating", "waiting": "when the other party has rated",
           "published": "both ratings are now published", "see": "See both ratings"},
}


def _rate(tour, criteria, scores, words, label):
    page = tour.page
    for criterion, score in zip(criteria, scores, strict=True):
        page.get_by_role("group", name=criterion).get_by_label(score, exact=True).check()
    tour.submit(label, button=words["submit"])


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_parties_rate_by_name_and_read_criteria(guide, language):
    words = RATING_WORDS[language]
    contract = closed_contract(closed_at=timezone.now() - dt.timedelta(hours=2))
    url = f"/workspace/contracts/{contract.pk}/rate/"

    owner = guide.open("owner", language)
    owner.login(user_of(contract.owner).username, PASSWORD)
    owner.goto(url, "rate the agency")
    expect(owner.page.get_by_role("heading", level=1)).to_have_text(
        words["rate"].format(name=contract.agency.name))
    expect(owner.page.locator("#scale-help")).to_be_visible()
    _rate(owner, words["owner_criteria"], words["scores"], words, "owner rated")
    expect(owner.page.get_by_role("alert").first).to_contain_text(words["waiting"])

    agency = guide.open("agency", language)
    agency.login(user_of(contract.agency).username, PASSWORD)
    agency.goto(url, "rate the owner")
    expect(agency.page.get_by_role("heading", level=1)).to_have_text(
        words["rate"].format(name=contract.owner.name))
    _rate(agency, words["agency_criteria"], words["scores"][:3], words, "agency rated")
    message = agency.page.get_by_role("alert").first
    expect(message).to_contain_text(words["published"])
    message.get_by_role("link", name=words["see"]).click()
    agency.check("both ratings, published")
    ratings = agency.page.locator("#ratings")
    for name in words["owner_criteria"] + words["agency_criteria"]:
        expect(ratings).to_contain_text(name)
    assert "fee_compliance" not in ratings.inner_text()

    agency.goto(f"/credit/{contract.agency_id}/", "the agency's public credit page")
    averages = agency.page.locator(".criteria-averages")
    expect(averages).to_contain_text(words["owner_criteria"][0])
    expect(averages).to_contain_text("5.00")
    agency.goto(f"/agencies/{contract.agency_id}/", "the agency's profile")
    expect(agency.page.locator(".criteria-averages")).to_contain_text(
        words["owner_criteria"][3])
