"""Journey 1: a member of the public reads the market, in Chinese and in English.

The market is the demo one (`seed_demo`), made through the real services.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from bidding.models import Project
from marketplace.accounts.models import Organization

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = {
    "zh-hans": {"projects": "项目", "search": "搜索", "directory": "中介机构名录",
                "blacklist": "黑名单", "open_data": "开放数据", "credit": "信用",
                "service": "服务事项", "region": "区域", "status": "状态"},
    "en": {"projects": "Projects", "search": "Search", "directory": "Agency directory",
           "blacklist": "Blacklist", "open_data": "Open data", "credit": "Credit",
           "service": "Service item", "region": "Region", "status": "Status"},
}


CUT_OFF_SELECTS_JS = """
() => {
  const canvas = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll('form[role=search] select')].filter(select => {
    const style = getComputedStyle(select);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = select.options[select.selectedIndex].text;
    const room = select.clientWidth - parseFloat(style.paddingLeft)
                 - parseFloat(style.paddingRight);
    return canvas.measureText(text).width > room;
  }).map(select => select.name);
}
"""


@pytest.fixture
def demo_market(db):
    call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_public_reads_projects_agencies_credit_and_open_data(guide, demo_market, language):
    words = WORDS[language]
    tour = guide.open("public", language)
    page = tour.page

    tour.goto("/", "home")
    expect(page.locator("html")).to_have_attribute("lang", language)
    # The language menu names the current language in itself and offers each in its own name.
    expect(page.locator("#language-menu")).to_contain_text(
        "简体中文" if language == "zh-hans" else "English")
    expect(page.locator("button[name=language][value=en]")).to_have_text("English")
    expect(page.locator("button[name=language][value=zh-hans]")).to_have_text("简体中文")
    # "Log in" and "Register" are two links, each on one line.
    for name in ("Log in", "Register"):
        link = page.get_by_role("navigation").get_by_role("link", name=tour.t(name), exact=True)
        box, line = link.bounding_box(), link.evaluate(
            "e => parseFloat(getComputedStyle(e).lineHeight)")
        assert box["height"] < 2 * line, name
    # Service items and their categories in the page's language.
    expect(page.locator("main")).to_contain_text(
        "环境评价" if language == "zh-hans" else "Environmental assessment")

    # The project list, filtered by status, service item and region chosen from lists.
    page.get_by_role("navigation").get_by_role("link", name=words["projects"]).first.click()
    tour.check("project list")
    surveying = Project.objects.filter(service_item__code="MAP-TOPO").first()
    form = page.get_by_role("search")
    form.get_by_label(words["service"]).select_option(surveying.service_item.code)
    form.get_by_label(words["region"]).select_option(surveying.region.code)
    form.get_by_role("button", name=words["search"]).click()
    tour.check("project list filtered by service item and region")
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text(surveying.service_item.display_name)
    for title in Project.objects.exclude(service_item=surveying.service_item).exclude(
            status=Project.Status.DRAFT).values_list("title", flat=True)[:3]:
        expect(page.locator("tbody")).not_to_contain_text(title)

    # An announcement: the project page with its deadline, budget cap and how to bid.
    page.locator("tbody a").first.click()
    tour.check("project announcement")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"\S"))
    expect(page.locator("main")).to_contain_text("¥")

    # The directory: text 环评 and a region.
    page.get_by_role("navigation").get_by_role("link", name=tour.t("Agencies"),
                                               exact=True).first.click()
    tour.check("agency directory")
    # No filter list cut off: each select is wide enough for the choice it shows.
    assert page.evaluate(CUT_OFF_SELECTS_JS) == []
    eia_agency = Organization.objects.get(name="重庆绿源环境影响评价有限公司")
    page.get_by_label(words["search"], exact=True).fill("环评")
    page.get_by_role("search").get_by_label(words["region"]).select_option(eia_agency.region.code)
    page.get_by_role("search").get_by_role("button", name=words["search"]).click()
    tour.check("directory: 环评 in one region")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text(eia_agency.name)
    # Every row says where the agency stands, not only the listed ones.
    expect(page.locator("tbody tr [data-standing]")).to_have_text(tour.t("Active"))

    page.get_by_role("link", name=eia_agency.name).click()
    tour.check("agency profile")
    page.locator("main").get_by_role("link", name=re.compile(words["credit"], re.I)).first.click()
    tour.check("agency credit page")
    expect(page.locator("main")).to_contain_text(eia_agency.name)

    tour.goto("/credit/", "credit publication and market overview")
    tour.goto("/credit/how/", "how credit is computed")
    tour.goto("/blacklist/", "public blacklist")
    tour.goto("/announcements/", "announcements")
    page.locator("main a[href^='/announcements/']:not([href*='feed']):not([href*='atom'])"
                 ).first.click()
    tour.check("one announcement")
    page.get_by_role("link", name=tour.t("Audit checkpoints")).click()
    tour.check("audit checkpoints")
    page.locator("footer").get_by_role("link", name=tour.t("Service-item catalogue")).click()
    tour.check("service-item catalogue")
    page.locator("main a[href^='/service-items/']:not([href*='?']):not([href='/service-items/'])"
                 ).first.click()
    tour.check("one service item's published terms")
    expect(page.locator("[data-term='legal_basis']")).to_be_visible()
    tour.goto("/open-data/", "open data")
    with page.expect_download() as download:
        page.locator("main a[href*='.csv'], main a[href*='format=csv']").first.click()
    assert download.value.suggested_filename.endswith(".csv")
