"""The project workspace: owner only, sealed before opening (the count and nothing else about
bids), the bid table after opening, "what you can do now" with the reason for every action that
is not possible, Q&A and objection forms, and a bounded number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from bidding import selectors_owner, services
from bidding.models import Objection, Project
from bidding.selectors_owner import owner_actions
from marketplace.formatting.money import format_money
from tests.factories.accounts import AgencyFactory, OwnerFactory, RegulatorFactory
from tests.factories.bidding import (
    T0,
    ProjectFactory,
    agency_offering,
    bid,
    open_bids,
    publish,
    published_project,
    user_of,
)
from tests.factories.owner_pages import browser_as

pytestmark = pytest.mark.django_db
PRICES = ["81234.00", "82345.00", "83456.00"]


def workspace(project, *, status=200, as_=None) -> str:
    response = browser_as(as_ or project.owner).get(f"/workspace/projects/{project.pk}/")
    assert response.status_code == status
    return response.content.decode()


def possible(project, now) -> dict[str, str]:
    """{action code: reason} ("" when possible), in English whatever an earlier test left
    active (a page request activates its language for the rest of the thread)."""
    project = Project.objects.get(pk=project.pk)
    with translation.override("en"):
        return {a.code: ("" if a.possible else str(a.reason))
                for a in owner_actions(project, now)}


@pytest.fixture
def bidders(project, agencies):
    return [bid(project, agency, price) for agency, price in zip(agencies, PRICES, strict=False)]


def test_before_opening_the_workspace_shows_the_bid_count_and_nothing_else(project, bidders):
    with time_machine.travel(project.bid_deadline - dt.timedelta(hours=1), tick=False):
        page = workspace(project)
    assert "3 bids received." in page
    for offer in bidders:
        assert offer.agency.name not in page
        assert format_money(offer.price) not in page
        assert offer.receipt not in page


def test_after_opening_the_workspace_shows_the_bid_table(project, bidders):
    open_bids(project)
    with time_machine.travel(project.bid_deadline + dt.timedelta(hours=1), tick=False):
        page = workspace(project)
    for offer in bidders:
        assert offer.agency.name in page
        assert format_money(offer.price) in page
        assert offer.receipt in page
    assert "bids received" not in page


def test_the_comprehensive_score_breakdown_and_discount_rates_are_shown(agencies):
    project = published_project(selection_method=Project.Method.COMPREHENSIVE,
                                quote_format=Project.QuoteFormat.DISCOUNT_RATE,
                                discount_rate_min=Decimal("0"), discount_rate_max=Decimal("30"))
    offers = [bid(project, agency, None, discount_rate=Decimal(rate))
              for agency, rate in zip(agencies[:3], ["10", "12.5", "20"], strict=True)]
    open_bids(project)
    page = workspace(project)
    for offer in offers:
        offer.refresh_from_db()
        assert offer.score["total"] in page
        assert str(offer.discount_rate) in page
    assert "Discount rate (%)" in page


def test_only_the_owner_reaches_the_workspace(project):
    for stranger in (OwnerFactory(), AgencyFactory(), RegulatorFactory()):
        workspace(project, status=404, as_=stranger)
    assert browser_as().get(f"/workspace/projects/{project.pk}/").status_code == 302
    draft = ProjectFactory()
    workspace(draft, status=404, as_=OwnerFactory())
    for action in ("open", "award", "finalize", "republish"):
        response = browser_as(OwnerFactory()).post(f"/workspace/projects/{project.pk}/{action}/")
        assert response.status_code == 404


def test_the_project_list_shows_drafts_filters_by_status_and_is_paginated():
    owner = OwnerFactory()
    drafts = [ProjectFactory(owner=owner, title=f"草稿{i}") for i in range(21)]
    published = publish(ProjectFactory(owner=owner, title="已发布项目"), now=T0)
    ProjectFactory(title="别人的草稿")
    browser = browser_as(owner)
    first = browser.get("/workspace/projects/")
    assert first.context["page"].paginator.count == 22
    assert "别人的草稿" not in first.content.decode()
    second = browser.get("/workspace/projects/?page=2").content.decode()
    assert "Page 2 of 2" in second
    only_bidding = browser.get("/workspace/projects/?status=bidding")
    assert [p.pk for p in only_bidding.context["page"].object_list] == [published.pk]
    only_drafts = browser.get("/workspace/projects/?status=draft")
    assert only_drafts.context["page"].paginator.count == len(drafts)


# --- What you can do now: each reason -------------------------------------------------------

def test_a_draft_can_be_edited_published_and_cancelled_only():
    project = ProjectFactory(bid_deadline=T0 + dt.timedelta(days=4))
    reasons = possible(project, T0)
    assert reasons["edit"] == reasons["publish"] == reasons["cancel"] == ""
    assert reasons["open"] == "Only a project open for bids can be opened."
    assert reasons["amend"].startswith("Correction notices are published")
    assert reasons["republish"] == "Only a failed project can be posted again as a new round."
    assert reasons["finalize"].startswith("An award becomes final after its publicity")


def test_publish_is_not_possible_with_a_deadline_too_close():
    project = ProjectFactory(bid_deadline=T0 + dt.timedelta(hours=10))
    with time_machine.travel(T0, tick=False):
        reasons = possible(project, T0)
        page = workspace(project)
    assert reasons["publish"] == ("The bid deadline 2026-03-02 20:00 leaves less than 72h for "
                                  "bidding; edit the deadline first.")
    assert reasons["publish"] in page


def test_bids_open_only_after_the_deadline(project, bidders):
    before = project.bid_deadline - dt.timedelta(seconds=1)
    reasons = possible(project, before)
    assert reasons["open"] == "The deadline is 2026-03-06 10:00; bids open after it."
    assert reasons["edit"] == ("Only a draft can be edited; the project is open for bids: "
                               "publish a correction notice instead.")
    assert reasons["publish"].startswith("Only a draft can be published")
    assert reasons["amend"] == "" and reasons["cancel"] == ""
    with time_machine.travel(before, tick=False):
        response = browser_as(project.owner).post(f"/workspace/projects/{project.pk}/open/")
    assert response.status_code == 409
    # The service refuses in the panel's words: both ask bidding.rules.check_can_open.
    assert response.content.decode().count(
        "The deadline is 2026-03-06 10:00; bids open after it.") == 2
    project.refresh_from_db()
    assert project.status == Project.Status.BIDDING
    after = possible(project, project.bid_deadline)
    assert after["open"] == ""
    assert after["amend"] == "The bid deadline 2026-03-06 10:00 has passed."


def test_after_opening_the_award_waits_for_abnormally_low_prices(project, agencies):
    offers = [bid(project, agencies[0], "20000.00"), bid(project, agencies[1], "90000.00"),
              bid(project, agencies[2], "95000.00")]
    open_bids(project)
    now = project.bid_deadline + dt.timedelta(hours=1)
    reasons = possible(project, now)
    assert reasons["open"] == "The bids were opened at 2026-03-06 10:00."
    assert reasons["cancel"].startswith("Only a draft or a project open for bids")
    assert reasons["decide_justification"] == ""
    assert reasons["award"] == "Decide on the abnormally low prices first (1 bid(s))."
    with time_machine.travel(now, tick=False):
        browser = browser_as(project.owner)
        response = browser.post(f"/workspace/projects/{project.pk}/award/")
        assert response.status_code == 409
        assert "Decide on the abnormally low prices first" in response.content.decode()
        response = browser.post(f"/workspace/projects/{project.pk}/bids/{offers[0].pk}/"
                                "justification/", {f"bid-{offers[0].pk}-decision": "accept"})
        assert response.status_code == 409  # the agency has not justified its price yet
        assert "The agency has not justified its price yet." in response.content.decode()
        response = browser.post(f"/workspace/projects/{project.pk}/bids/{offers[0].pk}/"
                                "justification/", {f"bid-{offers[0].pk}-decision": "reject",
                                                   f"bid-{offers[0].pk}-reply": "无法说明"})
        assert response.status_code == 302
    offers[0].refresh_from_db()
    assert offers[0].valid is False
    project.refresh_from_db()
    assert project.status == Project.Status.FAILED  # two valid bids left, three needed
    reasons = possible(project, now)
    assert reasons["republish"] == ""
    assert reasons["decide_justification"].startswith(
        "Abnormally low prices are justified and decided")


def test_finalize_waits_for_the_publicity_period_and_pending_objections(project, bidders):
    open_bids(project)
    award_at = project.bid_deadline + dt.timedelta(hours=1)
    services.project_award(project=project, by=user_of(project.owner), now=award_at)
    award = project.awards.get()
    reasons = possible(project, award_at)
    ends = award.publicity_ends_at.astimezone(T0.tzinfo)
    assert reasons["finalize"] == f"The publicity period runs until {ends:%Y-%m-%d %H:%M}."
    assert reasons["award"].startswith("The award is proposed while the bids are evaluated")
    services.objection_file(project=project, by=user_of(bidders[1].agency), reason="评分有误",
                            now=award_at + dt.timedelta(hours=1))
    reasons = possible(project, award.publicity_ends_at)
    assert reasons["finalize"] == "An objection is pending; it must be decided first."
    objection = Objection.objects.get()
    with time_machine.travel(award.publicity_ends_at, tick=False):
        browser = browser_as(project.owner)
        response = browser.post(f"/workspace/projects/{project.pk}/finalize/")
        assert response.status_code == 409
        assert "An objection is pending; it must be decided first." in response.content.decode()
        prefix = f"objection-{objection.pk}"
        response = browser.post(
            f"/workspace/projects/{project.pk}/objections/{objection.pk}/decide/",
            {f"{prefix}-decision": "rejected", f"{prefix}-reply": ""})
        assert response.status_code == 400 and response.context["objections"]
        assert "This field is required." in response.content.decode()
        response = browser.post(
            f"/workspace/projects/{project.pk}/objections/{objection.pk}/decide/",
            {f"{prefix}-decision": "rejected", f"{prefix}-reply": "评分无误"})
        assert response.status_code == 302
        assert possible(project, award.publicity_ends_at)["finalize"] == ""


def test_an_upheld_objection_returns_to_evaluation_from_the_workspace(project, agencies):
    offers = [bid(project, agency, price) for agency, price in
              zip(agencies, ["80000.00", "81000.00", "82000.00", "83000.00"], strict=True)]
    open_bids(project)
    at = project.bid_deadline + dt.timedelta(hours=1)
    services.project_award(project=project, by=user_of(project.owner), now=at)
    objection = services.objection_file(project=project, by=user_of(offers[1].agency),
                                        reason="中选人资质造假", now=at)
    prefix = f"objection-{objection.pk}"
    with time_machine.travel(at + dt.timedelta(hours=1), tick=False):
        response = browser_as(project.owner).post(
            f"/workspace/projects/{project.pk}/objections/{objection.pk}/decide/",
            {f"{prefix}-decision": "upheld", f"{prefix}-reply": "经核实属实",
             f"{prefix}-exclude_bid": "on"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == Project.Status.EVALUATING
    offers[0].refresh_from_db()
    assert offers[0].valid is False
    page = workspace(project)
    assert "Award cancelled" in page and "Objection decided" in page


def test_a_failed_project_is_posted_again_once(project, agencies):
    bid(project, agencies[0])
    open_bids(project)
    project.refresh_from_db()
    assert project.status == Project.Status.FAILED
    now = project.bid_deadline + dt.timedelta(hours=1)
    with time_machine.travel(now, tick=False):
        response = browser_as(project.owner).post(
            f"/workspace/projects/{project.pk}/republish/", {"republish-bid_deadline": ""})
        assert response.status_code == 302
        new = project.next_rounds.get()
        assert response["Location"] == f"/workspace/projects/{new.pk}/"
        assert possible(project, now)["republish"] == "This project already has a next round."
        response = browser_as(project.owner).post(
            f"/workspace/projects/{project.pk}/republish/", {"republish-bid_deadline": ""})
        assert response.status_code == 409
        assert "This project already has a next round." in response.content.decode()
    assert project.next_rounds.count() == 1


def test_questions_are_answered_from_the_workspace_without_naming_the_asker(project, agencies):
    asker = agencies[0]
    question = services.question_ask(project=project, by=user_of(asker), text="工期能否延长？",
                                     now=T0 + dt.timedelta(hours=2))
    prefix = f"question-{question.pk}"
    with time_machine.travel(T0 + dt.timedelta(hours=3), tick=False):
        page = workspace(project)
        assert "工期能否延长？" in page and asker.name not in page
        browser = browser_as(project.owner)
        response = browser.post(
            f"/workspace/projects/{project.pk}/questions/{question.pk}/answer/",
            {f"{prefix}-text": " "})
        assert response.status_code == 400
        assert "This field is required." in response.content.decode()
        response = browser.post(
            f"/workspace/projects/{project.pk}/questions/{question.pk}/answer/",
            {f"{prefix}-text": "不能延长"})
        assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "不能延长"


def _project_under_publicity(bidders: int, questions: int, objections: int) -> Project:
    project = published_project(selection_method=Project.Method.COMPREHENSIVE)
    agencies = [agency_offering() for _ in range(bidders)]
    for i, agency in enumerate(agencies):
        bid(project, agency, f"{80000 + i * 1000}.00")
    for i in range(questions):
        services.question_ask(project=project, by=user_of(agencies[i]), text=f"问题{i}",
                              now=T0 + dt.timedelta(hours=2))
    open_bids(project)
    services.project_award(project=project, by=user_of(project.owner),
                           now=project.bid_deadline + dt.timedelta(hours=1))
    for agency in agencies[1:1 + objections]:
        services.objection_file(project=project, by=user_of(agency), reason="异议",
                                now=project.bid_deadline + dt.timedelta(hours=2))
    return project


def test_the_workspace_runs_a_bounded_number_of_queries(django_assert_max_num_queries):
    small = _project_under_publicity(bidders=3, questions=1, objections=1)
    large = _project_under_publicity(bidders=8, questions=5, objections=3)
    browser_as(small.owner).get(f"/workspace/projects/{small.pk}/")  # warm the site caches
    counts = []
    for project in (small, large):
        browser = browser_as(project.owner)
        with django_assert_max_num_queries(34) as captured:
            response = browser.get(f"/workspace/projects/{project.pk}/")
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]  # no query per bid, question or objection
    assert len(selectors_owner.timeline(large)) >= 6
