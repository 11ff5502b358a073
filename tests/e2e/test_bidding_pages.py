"""Journey 2: the bidding pages as the owner, the agency and the public see them, one test per
page area, each state built with the factories. Every page is checked (overflow, squeeze,
language, raw keys, outside requests, console errors, axe-core) in Chinese, and the
agency-facing pages in English too."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from bidding import services
from bidding.models import Award, Project
from marketplace.catalog.models import Region, ServiceItem
from providers.models import QualificationType
from tests.factories.accounts import PASSWORD, AgencyFactory, OwnerFactory, member_of
from tests.factories.bidding import (
    agency_offering,
    bid,
    open_bids,
    published_project,
    user_of,
)
from tests.factories.contracts import awarded_project, standing_award

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\ntechnical proposal\n%%EOF\n"
def log_in(guide, organization, who: str, language: str = "zh-hans"):
    tour = guide.open(who, language)
    tour.login(user_of(organization).username, PASSWORD)
    return tour


def open_project(owner=None, **kwargs) -> Project:
    """A project open for bids: published an hour ago, bids close in two days."""
    now = timezone.now()
    return published_project(now=now - dt.timedelta(hours=1), owner=owner or OwnerFactory(),
                             bid_deadline=now + dt.timedelta(days=2), **kwargs)


def opened_project(owner, prices=("81234.00", "82345.00", "83456.00")) -> Project:
    """Bids sealed yesterday, opened at the deadline an hour ago: the owner evaluates."""
    now = timezone.now()
    project = published_project(now=now - dt.timedelta(days=2), owner=owner,
                                bid_deadline=now - dt.timedelta(hours=1))
    for price in prices:
        bid(project, agency_offering(), price)
    return open_bids(project)


# --- 1. The owner's project form --------------------------------------------------------------

def test_the_project_form_reads_in_sections_with_one_checkbox_per_qualification(guide):
    owner = OwnerFactory()
    excluded = AgencyFactory(name="重庆某可研编制单位")
    member_of(owner, username="owner-form")
    tour = guide.open("owner", "zh-hans")
    tour.login("owner-form", PASSWORD)
    page = tour.page
    tour.goto("/workspace/projects/new/", "new project form in sections")

    # Each qualification is a checkbox with its label on one line, and the page stays short.
    labels = page.locator("#id_required_qualifications .form-check-label")
    expect(labels).to_have_count(QualificationType.objects.count())
    for size in ({"width": 1366, "height": 900}, {"width": 390, "height": 844}):
        page.set_viewport_size(size)
        line = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                             "'#id_required_qualifications .form-check-label')).lineHeight)")
        heights = [labels.nth(i).bounding_box()["height"] for i in range(labels.count())]
        assert max(heights) < 1.5 * line, (size, heights)
    page.set_viewport_size({"width": 1366, "height": 900})
    assert page.evaluate("document.documentElement.scrollHeight") < 3000
    legends = page.locator("fieldset.form-section > legend")
    expect(legends).to_have_text(["基本信息", "价格、选取方式与截止时间", "资金来源",
                                  "报价人资格要求", "项目附件", "回避情形"], use_inner_text=True)

    # Every field still works, the qualifications and the exclusion included.
    deadline = timezone.localtime() + dt.timedelta(days=5)
    page.get_by_label("项目名称").fill("某区污水管网工程环境影响评价")
    page.get_by_label("服务事项").select_option("EIA-R")
    page.get_by_label("区域").select_option("500103")
    page.get_by_label("需求说明").fill("编制环境影响报告表并取得批复。")
    page.get_by_label("最高限价（元）").fill("120000")
    page.get_by_label("报价截止时间").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    first, second = QualificationType.objects.order_by("code")[:2]
    page.get_by_label(first.name, exact=True).check()
    page.get_by_label(second.name, exact=True).check()
    page.locator("#id_exclusions-0-agency").fill(excluded.uscc)
    page.locator("#id_exclusions-0-reason").fill("编制了本项目的可行性研究报告")
    tour.submit("draft saved: the workspace", button="保存草稿")
    project = Project.objects.get(owner=owner)
    assert set(project.required_qualifications.all()) == {first, second}
    assert [e.agency_id for e in project.exclusions.all()] == [excluded.pk]
    terms = page.locator("#terms-heading + dl")
    expect(terms).to_contain_text(first.name)
    expect(terms).to_contain_text(excluded.name)


# --- 2. A new question: from the inbox to the answer form ------------------------------------

def test_the_new_question_notice_lands_on_the_answer_form(guide):
    owner = OwnerFactory()
    project = open_project(owner)
    agency = agency_offering()
    question = services.question_ask(project=project, by=user_of(agency),
                                     text="报告书是否需要包含公众参与篇章？")
    tour = log_in(guide, owner, "owner")
    page = tour.page

    tour.goto("/workspace/projects/", "my projects: one question to answer")
    expect(page.locator(".unanswered-questions")).to_have_text("1个问题待答复")

    tour.goto("/workspace/inbox/", "inbox with the new question")
    page.get_by_role("link", name=f"新提问：{project.title}").click()
    tour.check("workspace at the question")
    assert page.url.endswith(f"/workspace/projects/{project.pk}/#question-{question.pk}")
    answer = page.locator(f"#id_question-{question.pk}-text")
    expect(answer).to_be_visible()
    expect(answer).to_be_in_viewport()
    answer.fill("需要，按导则编写公众参与说明。")
    tour.submit("answer published", button="发布答复")
    question.refresh_from_db()
    assert question.answer == "需要，按导则编写公众参与说明。"

    tour.goto(f"/projects/{project.pk}/", "the public announcement, seen by its owner")
    page.get_by_role("link", name="在工作台管理此项目").click()
    tour.check("back in the workspace from the announcement")
    assert page.url.endswith(f"/workspace/projects/{project.pk}/")
    tour.goto("/workspace/projects/", "my projects: nothing left to answer")
    expect(page.locator(".unanswered-questions")).to_have_count(0)


# --- 3 and 9. Opened bids, confirmation steps, publicity, the contract ------------------------

def test_the_owner_confirms_the_award_and_the_final_award_and_reaches_the_contract(guide):
    owner = OwnerFactory()
    project = opened_project(owner)
    tour = log_in(guide, owner, "owner")
    page = tour.page

    tour.goto(f"/workspace/projects/{project.pk}/", "opened bids: what can be done now")
    possible = page.locator("#possible-actions [data-possible=yes]")
    expect(possible).to_have_count(1)
    expect(possible.get_by_role("link", name="确定拟中选结果")).to_be_visible()
    folded = page.locator("#other-actions")
    expect(folded.locator("summary")).to_have_text("其他操作及不可用原因")
    expect(folded.locator("[data-possible=no]").first).to_be_hidden()  # folded away
    folded.locator("summary").click()
    expect(folded.locator(".action-reason").first).to_be_visible()
    tour.check("opened bids with the other actions unfolded")

    possible.get_by_role("link", name="确定拟中选结果").click()
    tour.check("confirm the proposed award")
    expect(page.get_by_role("heading", level=1)).to_contain_text("确定")
    expect(page.locator("#proposed-agency")).not_to_be_empty()
    assert not Award.objects.filter(project=project).exists()
    tour.submit("award proposed: under publicity", button="确认，提出拟中选结果")
    award = Award.objects.get(project=project)
    expect(page.locator("#award-stage")).to_contain_text("公示中")
    expect(page.locator("#publicity-over")).to_have_count(0)

    with time_machine.travel(award.publicity_ends_at + dt.timedelta(minutes=5), tick=True):
        page.reload()
        tour.check("publicity over: the award can be made final")
        expect(page.locator("#publicity-over")).to_have_text("公示期已结束")
        expect(page.locator("#award-stage")).to_contain_text("现在可以确定最终中选结果")
        page.locator("#possible-actions").get_by_role("link", name="确定最终中选结果").click()
        tour.check("confirm the final award")
        tour.submit("award final: the contract is drawn up", button="确认，确定最终中选结果")
        project.refresh_from_db()
        assert project.status == Project.Status.AWARDED
        contract = page.locator("#contract-ready").get_by_role("link", name="打开合同并签署")
        expect(contract).to_be_visible()
        expect(page.locator("#contract-link")).to_have_text("查看合同")
        contract.click()
        tour.check("the contract page")
        assert re.search(r"/workspace/contracts/\d+/$", page.url)


# --- 4 and 5. The public list, the announcement and its countdown ------------------------------

def test_the_public_list_filters_from_lists_and_the_announcement_reads_naturally(guide):
    surveying = open_project(service_item=ServiceItem.objects.get(code="MAP-TOPO"),
                             region=Region.objects.get(code="500112"), title="某小区地形测绘",
                             description="完成1:500地形图测绘并提交成果。",
                             budget_cap=Decimal("60000.00"))
    other = open_project(title="某道路环境影响评价",
                         selection_method=Project.Method.COMPREHENSIVE)
    tour = guide.open("public", "zh-hans")
    page = tour.page

    tour.goto("/projects/", "project list")
    form = page.get_by_role("search")
    expect(form.locator("label")).to_have_text(
        ["关键词", "状态", "服务事项", "区域", "最高限价不低于（元）", "最高限价不高于（元）"])
    expect(form.locator("[name=owner]")).to_have_count(0)
    form.get_by_label("服务事项").select_option("MAP-TOPO")
    form.get_by_label("区域").select_option(label="渝北区")
    form.get_by_label("最高限价不高于（元）").fill("80000")
    form.get_by_role("button", name="搜索").click()
    tour.check("project list filtered from lists")
    expect(page.locator("tbody")).to_contain_text(surveying.title)
    expect(page.locator("tbody")).not_to_contain_text(other.title)

    page.get_by_role("link", name=surveying.title).click()
    tour.check("the announcement with its countdown")
    expect(page.locator("#countdown")).to_have_text(
        re.compile(r"^剩余时间：(\d+天 )?\d\d:\d\d:\d\d$"))
    description = page.locator("section", has=page.locator("#description-heading"))
    expect(description.locator("h2")).to_have_text("需求说明")
    expect(description).to_contain_text(surveying.description)
    requirements = page.locator("section", has=page.locator("#requirements-heading"))
    expect(requirements).not_to_contain_text(surveying.description)

    english = guide.open("public", "en")
    english.goto("/projects/", "project list in English")
    english.page.get_by_role("search").get_by_label("Service item").select_option("MAP-TOPO")
    english.page.get_by_role("search").get_by_role("button", name="Search").click()
    english.check("project list filtered, in English")
    english.page.get_by_role("link", name=surveying.title).click()
    english.check("the announcement in English")
    expect(english.page.locator("#countdown")).to_have_text(
        re.compile(r"^Time left: (1 day |\d+ days )?\d\d:\d\d:\d\d$"))


# --- 6 and 7. The bid form and the receipt, in both languages -----------------------------------

WORDS = {
    "zh-hans": {"bid": "提交报价", "price": "报价（元）", "days": "承诺服务时间（天）",
                "files": "附件",
                "submit": "密封并提交报价", "cap": "报价超过最高限价¥100,000.00。",
                "committed": "您对该服务承诺的服务时间为30天，报价承诺不得超过此时限。",
                "again": "表单有误，所选附件未保存：请重新选择附件。",
                "proves": "这张回执证明什么"},
    "en": {"bid": "Submit a bid", "price": "Price (yuan)", "days": "Promised service time (days)",
           "files": "Attachments", "submit": "Seal and submit the bid",
           "cap": "The price exceeds the budget cap of ¥100,000.00.",
           "committed": "You committed to a service time of 30 days for this service; a bid "
                        "cannot promise more.",
           "again": "The files you chose were not kept because the form has errors: choose "
                    "them again.",
           "proves": "What this receipt proves"},
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_bid_form_errors_at_once_and_clean_receipt(guide, language, tmp_path):
    """Every error of the offer at once, the committed days pre-filled, a plain word about the
    file to choose again; the receipt says what it proves and copies one command per block."""
    words = WORDS[language]
    project = open_project(budget_cap=Decimal("100000.00"))
    agency = agency_offering(promised_days=30)
    proposal = tmp_path / "proposal.pdf"
    proposal.write_bytes(PDF)
    tour = log_in(guide, agency, "agency", language)
    page = tour.page

    tour.goto(f"/projects/{project.pk}/", "the announcement with the agency's panel")
    page.locator("#agency-panel").get_by_role("link", name=words["bid"]).click()
    tour.check("bid form")
    days = page.get_by_label(words["days"])
    expect(days).to_have_value("30")  # the committed service time

    page.get_by_label(words["price"]).fill("120000")
    days.fill("45")
    page.get_by_label(words["files"]).set_input_files(str(proposal))
    tour.submit("bid form with every error at once", button=words["submit"])
    errors = page.locator(".errorlist li")
    expect(errors).to_have_text([words["cap"], words["committed"], words["again"]])

    page.get_by_label(words["price"]).fill("80000")
    page.get_by_label(words["days"]).fill("20")
    page.get_by_label(words["files"]).set_input_files(str(proposal))
    tour.submit("the receipt", button=words["submit"])
    assert re.search(r"/workspace/bids/\d+/$", page.url)

    meaning = page.locator("#receipt-meaning")
    expect(meaning).to_contain_text(words["proves"])
    commands = page.locator("pre.command")
    expect(commands).to_have_count(2)
    first, second = commands.nth(0).inner_text(), commands.nth(1).inner_text()
    assert "\n" not in first.strip() and first.startswith("python3 -c ")
    assert second.strip() == "sha256sum attachment.pdf"
    boxes = [commands.nth(i).bounding_box() for i in range(2)]
    assert boxes[1]["y"] >= boxes[0]["y"] + boxes[0]["height"]  # one block under the other
    assert meaning.bounding_box()["y"] < boxes[0]["y"]  # plain words before the detail


# --- 10. The agency's profile lists its final awards and links to its credit -------------------

def test_the_agency_profile_lists_its_final_awards_and_links_to_its_credit(guide):
    project = awarded_project()
    award = standing_award(project)
    agency = award.bid.agency
    tour = guide.open("public", "zh-hans")
    page = tour.page

    tour.goto(f"/agencies/{agency.pk}/", "agency profile with its awards")
    row = page.locator("#recent-awards tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(project.title)
    expect(row).to_contain_text(project.owner.name)
    expect(row).to_contain_text("¥80,000.00")
    expect(page.locator("main")).not_to_contain_text("暂无中选记录")

    page.get_by_role("link", name=re.compile("信用记录")).click()
    tour.check("the agency's credit page")
    assert page.url.endswith(f"/credit/{agency.pk}/")
    expect(page.locator("main")).to_contain_text(agency.name)

    english = guide.open("public", "en")
    english.goto(f"/agencies/{agency.pk}/", "agency profile in English")
    expect(english.page.locator("#recent-awards")).to_contain_text("¥80,000.00")
