"""The agency's bidding pages, through the browser: bid with files, revise, withdraw, confirm
after an amendment, justify, the receipt page, "my bids" with outcomes, questions, objections,
and the clock (the service's, whatever the page shows)."""

import datetime as dt
import hashlib
import html
import json
import re
from decimal import Decimal
from urllib.parse import unquote

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from bidding import receipts, services
from bidding.models import Bid, BidAttachment, Objection, ObjectionAttachment, Project, Question
from marketplace.audit.models import AuditEntry
from marketplace.formatting.moments import local_minute
from tests.factories.accounts import AgencyFactory, member_of
from tests.factories.bidding import (
    T0,
    agency_offering,
    as_its_agency,
    bid,
    open_bids,
    published_project,
    user_of,
)
from tests.factories.files import pdf, png, program

pytestmark = pytest.mark.django_db
SECOND = dt.timedelta(seconds=1)
DURING = T0 + dt.timedelta(days=1)


def browser(organization=None, user=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if organization is not None or user is not None:
        client.force_login(user or user_of(organization))
    return client


def at(moment):
    return time_machine.travel(moment, tick=False)


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def agency():
    return agency_offering()


def submit(client, project, **data):
    body = {"price": "80000.00", "promised_days": "20", "proposal": "技术方案", **data}
    return client.post(f"/workspace/bids/projects/{project.pk}/bid/", body)


def passed(project) -> str:
    return f"The bid deadline {local_minute(project.bid_deadline)} has passed."


def test_an_agency_bids_with_files_and_lands_on_its_receipt(project, agency):
    client = browser(agency)
    with at(DURING):
        assert client.get(f"/workspace/bids/projects/{project.pk}/bid/").status_code == 200
        response = submit(client, project, files=[pdf("方案.pdf"), png("图.png")])
    offer = as_its_agency(Bid.objects.get())
    assert response.status_code == 302
    assert response["Location"] == f"/workspace/bids/{offer.pk}/"
    assert offer.attachments.count() == 2 and offer.price == Decimal("80000.00")
    with at(DURING):
        page = text(client.get(response["Location"]))
    assert offer.receipt in page and offer.salt in page
    assert "方案.pdf" in page and offer.attachments.first().sha256 in page
    # The canonical text is shown exactly (HTML-escaped), so the agency can recompute it.
    canonical = receipts.canonical_of_bid(offer)
    assert canonical.replace('"', "&quot;") in page
    assert "matches the bid as stored" in page


def test_the_receipt_can_be_recomputed_from_the_receipt_page_alone(project, agency):
    offer = bid(project, agency, files=[pdf()], proposal="含“引号”与<标签>的方案", now=DURING)
    page = text(browser(agency).get(f"/workspace/bids/{offer.pk}/"))
    canonical = html.unescape(re.search(r'<pre[^>]*id="canonical">(.*?)</pre>', page, re.S)[1])
    salt = re.search(r'id="salt">([0-9a-f]{64})<', page)[1]
    receipt = re.search(r'id="receipt">([0-9a-f]{64})<', page)[1]
    assert hashlib.sha256((canonical + salt).encode("utf-8")).hexdigest() == receipt
    download = re.search(r'id="canonical-download" href="data:application/json;charset=utf-8,'
                         r'([^"]*)"', page)[1]
    assert unquote(html.unescape(download)) == canonical
    assert receipt == offer.receipt


def test_a_discount_rate_bid_shows_and_stores_the_converted_price(agency):
    project = published_project(quote_format=Project.QuoteFormat.DISCOUNT_RATE,
                                discount_rate_min=Decimal("5"), discount_rate_max=Decimal("30"))
    client = browser(agency)
    with at(DURING):
        form = text(client.get(f"/workspace/bids/projects/{project.pk}/bid/"))
        assert 'name="price"' not in form and 'data-budget-cap="100000.00"' in form
        refused = client.post(f"/workspace/bids/projects/{project.pk}/bid/",
                              {"discount_rate": "40", "promised_days": "20"})
        assert "between 5" in text(refused) and not Bid.objects.exists()
        client.post(f"/workspace/bids/projects/{project.pk}/bid/",
                    {"discount_rate": "12.5", "promised_days": "20"})
    offer = as_its_agency(Bid.objects.get())
    assert offer.discount_rate == Decimal("12.50") and offer.price == Decimal("87500.00")


def test_the_clock_one_second_before_the_deadline_accepts(project, agency):
    with at(project.bid_deadline - SECOND):
        response = submit(browser(agency), project, files=[pdf()])
    assert response.status_code == 302 and Bid.objects.count() == 1


def test_the_clock_one_second_after_the_deadline_refuses_and_stores_nothing(project, agency):
    with at(project.bid_deadline + SECOND):
        response = submit(browser(agency), project, files=[pdf()])
    assert response.status_code == 409
    assert passed(project) in text(response)
    assert not Bid.objects.exists() and not BidAttachment.objects.exists()


def test_a_bad_attachment_is_refused_on_the_form_and_nothing_is_stored(project, agency):
    with at(DURING):
        response = submit(browser(agency), project, files=[pdf(), program("合同.pdf")])
    assert response.status_code == 200
    assert "This file type is not accepted" in text(response)
    assert 'value="80000.00"' in text(response)  # what was typed is kept
    assert not Bid.objects.exists() and not BidAttachment.objects.exists()


def test_an_ineligible_agency_is_told_why(project):
    stranger = AgencyFactory()  # offers no service at all
    with at(DURING):
        response = submit(browser(stranger), project)
    assert "does not offer the service item" in text(response)
    assert not Bid.objects.exists()


def test_revise_replaces_a_file_and_gives_a_new_receipt(project, agency):
    offer = bid(project, agency, files=[pdf("old.pdf", b"old")], now=DURING)
    old = offer.attachments.get()
    client = browser(agency)
    with at(DURING + SECOND):
        form = text(client.get(f"/workspace/bids/{offer.pk}/revise/"))
        assert "old.pdf" in form and 'value="80000.00"' in form
        response = client.post(f"/workspace/bids/{offer.pk}/revise/", {
            "price": "75000.00", "promised_days": "18", "proposal": "修订方案",
            "remove_attachments": [old.pk], "files": [pdf("new.pdf", b"new")]})
    assert response.status_code == 302
    revised = as_its_agency(Bid.objects.get(pk=offer.pk))
    assert revised.receipt != offer.receipt and revised.price == Decimal("75000.00")
    assert list(revised.attachments.values_list("original_name", flat=True)) == ["new.pdf"]
    assert receipts.verify_bid_receipt(revised)


def test_a_revision_one_second_after_the_deadline_is_refused_and_changes_nothing(project,
                                                                                agency):
    offer = bid(project, agency, files=[pdf()], now=DURING)
    with at(project.bid_deadline + SECOND):
        response = browser(agency).post(f"/workspace/bids/{offer.pk}/revise/", {
            "price": "1000.00", "promised_days": "20", "files": [pdf("late.pdf", b"late")]})
    assert response.status_code == 409 and passed(project) in text(response)
    after = as_its_agency(Bid.objects.get())
    assert (after.price, after.receipt) == (offer.price, offer.receipt)
    assert after.attachments.count() == 1


def test_withdraw_asks_first_then_withdraws(project, agency):
    offer = bid(project, agency, now=DURING)
    client = browser(agency)
    with at(DURING + SECOND):
        assert "Yes, withdraw the bid" in text(client.get(f"/workspace/bids/{offer.pk}/withdraw/"))
        assert Bid.objects.get().status == Bid.Status.SUBMITTED
        client.post(f"/workspace/bids/{offer.pk}/withdraw/")
    assert Bid.objects.get().status == Bid.Status.WITHDRAWN


def test_withdraw_after_the_deadline_is_refused_with_the_message(project, agency):
    offer = bid(project, agency, now=DURING)
    with at(project.bid_deadline + SECOND):
        response = browser(agency).post(f"/workspace/bids/{offer.pk}/withdraw/")
    assert response.status_code == 409 and passed(project) in text(response)
    assert Bid.objects.get().status == Bid.Status.SUBMITTED


def test_confirm_after_an_amendment(project, agency):
    offer = bid(project, agency, now=DURING)
    services.project_amend(project=project, by=user_of(project.owner), reason="更正预算说明",
                           changes={"description": "补充"}, now=DURING + SECOND)
    client = browser(agency)
    with at(DURING + 2 * SECOND):
        page = text(client.get(f"/projects/{project.pk}/"))
        assert f"/workspace/bids/{offer.pk}/confirm/" in page
        assert "更正预算说明" in text(client.get(f"/workspace/bids/{offer.pk}/confirm/"))
        response = client.post(f"/workspace/bids/{offer.pk}/confirm/")
    assert response.status_code == 302
    offer.refresh_from_db()
    assert not offer.needs_reconfirmation and offer.confirmed_at is not None


def test_others_cannot_reach_an_agencys_bid_pages(project, agency, regulator):
    offer = bid(project, agency, now=DURING)
    for outsider in (agency_offering(), project.owner, regulator):
        client = browser(outsider)
        for suffix in ("", "revise/", "withdraw/", "confirm/", "justify/"):
            assert client.get(f"/workspace/bids/{offer.pk}/{suffix}").status_code in (403, 404)
    response = browser(agency_offering()).post(f"/workspace/bids/{offer.pk}/withdraw/")
    assert response.status_code == 404
    assert Bid.objects.get().status == Bid.Status.SUBMITTED
    assert browser().get(f"/workspace/bids/{offer.pk}/").status_code == 302  # to the login


def test_staff_of_the_agency_bids_too(project, agency):
    staff = member_of(agency, role="staff")
    with at(DURING):
        assert submit(browser(user=staff), project).status_code == 302


@pytest.fixture
def opened(project, agencies):
    """Three bids in, the middle price wins the lowest-price project; a fourth withdrew."""
    offers = [bid(project, a, p, now=DURING) for a, p in
              zip(agencies[:3], ["90000", "80000", "85000"], strict=True)]
    gone = bid(project, agencies[3], "70000", now=DURING)
    services.bid_withdraw(bid=gone, by=user_of(agencies[3]), now=DURING + SECOND)
    return {"project": open_bids(project), "offers": offers, "agencies": agencies, "gone": gone}


def outcomes(client) -> dict[int, str]:
    page = text(client.get("/workspace/bids/"))
    return {int(pk): code for pk, code in
            re.findall(r'<tr data-bid="(\d+)">.*?data-outcome="(\w+)"', page, re.S)}


def test_my_bids_show_outcomes_through_award_and_final(opened):
    project, offers, agencies = opened["project"], opened["offers"], opened["agencies"]
    assert outcomes(browser(agencies[1])) == {offers[1].pk: "evaluating"}
    assert outcomes(browser(agencies[3])) == {opened["gone"].pk: "withdrawn"}
    now = project.bid_deadline + dt.timedelta(hours=1)
    services.project_award(project=project, by=user_of(project.owner), now=now)
    with at(now + SECOND):
        assert outcomes(browser(agencies[1])) == {offers[1].pk: "publicity"}
        assert outcomes(browser(agencies[0])) == {offers[0].pk: "not_chosen"}
        page = text(browser(agencies[0]).get(f"/workspace/bids/{offers[0].pk}/"))
        assert "rank" in text(browser(agencies[0]).get("/workspace/bids/")).lower()
        for offer in offers:  # every receipt is published at opening
            assert offer.receipt in page
        assert "File an objection" in page


def test_my_bids_show_invalid_bids_with_the_reason(project, agencies):
    offers = [bid(project, a, p, now=DURING) for a, p in
              zip(agencies[:3], ["90000", "80000", "85000"], strict=True)]
    services.bids_invalidate_for(agency=agencies[0], reason="列入黑名单", now=DURING + SECOND)
    open_bids(project)
    client = browser(agencies[0])
    assert outcomes(client) == {offers[0].pk: "invalid"}
    assert "列入黑名单" in text(client.get("/workspace/bids/"))


def test_my_bids_filter_by_status_and_paginate(agency):
    projects = [published_project() for _ in range(22)]
    for p in projects:
        bid(p, agency, now=DURING)
    services.bid_withdraw(bid=Bid.objects.filter(agency=agency).first(), by=user_of(agency),
                          now=DURING + SECOND)
    client = browser(agency)
    assert len(outcomes(client)) == 20
    assert "Page 1 of 2" in text(client.get("/workspace/bids/"))
    withdrawn = text(client.get("/workspace/bids/?status=withdrawn"))
    assert withdrawn.count('<tr data-bid="') == 1
    assert "status=withdrawn&amp;page=2" not in withdrawn
    page2 = text(client.get("/workspace/bids/?status=submitted&page=2"))
    assert page2.count('<tr data-bid="') == 1


def test_my_bids_is_for_agencies(project):
    response = browser(project.owner).get("/workspace/bids/")
    assert response.status_code == 403
    assert "This page is for intermediary agencies." in response.content.decode()
    assert browser().get("/workspace/bids/").status_code == 302


def test_justify_an_abnormally_low_price(project, agencies):
    low = bid(project, agencies[0], "20000", now=DURING)
    for agency, price in zip(agencies[1:], ["90000", "95000", "92000"], strict=True):
        bid(project, agency, price, now=DURING)
    open_bids(project)
    client = browser(agencies[0])
    with at(project.bid_deadline + dt.timedelta(hours=1)):
        assert "Justify the price" in text(client.get(f"/workspace/bids/{low.pk}/"))
        empty = client.post(f"/workspace/bids/{low.pk}/justify/", {"text": ""})
        assert empty.status_code == 200 and "This field is required" in text(empty)
        response = client.post(f"/workspace/bids/{low.pk}/justify/",
                               {"text": "自有设备，人工成本低"})
    assert response.status_code == 302
    assert Bid.objects.get(pk=low.pk).justification == "自有设备，人工成本低"


def test_ask_a_question_while_bidding_only(project, agency):
    client = browser(agency)
    with at(DURING):
        response = client.post(f"/workspace/bids/projects/{project.pk}/question/",
                               {"text": "是否需要现场踏勘？"})
    assert response.status_code == 302 and Question.objects.get().asked_by == agency
    with at(project.bid_deadline + SECOND):
        late = client.post(f"/workspace/bids/projects/{project.pk}/question/", {"text": "晚了"})
    assert late.status_code == 409 and Question.objects.count() == 1
    assert "Questions are asked while the project is open for bids." in late.content.decode()


def test_file_an_objection_with_evidence(opened):
    project, agencies = opened["project"], opened["agencies"]
    now = project.bid_deadline + dt.timedelta(hours=1)
    services.project_award(project=project, by=user_of(project.owner), now=now)
    client = browser(agencies[0])
    url = f"/workspace/bids/projects/{project.pk}/objection/"
    with at(now + SECOND):
        assert "File an objection" in text(client.get(f"/projects/{project.pk}/"))
        bad = client.post(url, {"reason": "资质造假", "files": [program()]})
        assert "This file type is not accepted" in text(bad)
        assert not Objection.objects.exists() and not ObjectionAttachment.objects.exists()
        response = client.post(url, {"reason": "资质造假", "files": [pdf("证据.pdf")]})
        assert response.status_code == 302
        outsider = browser(agency_offering()).post(url, {"reason": "我也反对"})
        assert outsider.status_code == 403
        assert "bidders can object to its award." in outsider.content.decode()
    objection = Objection.objects.get()
    assert objection.attachments.get().original_name == "证据.pdf"
    assert AuditEntry.objects.filter(action="objection.filed").count() == 1


def test_every_page_action_is_audited(project, agency):
    client = browser(agency)
    with at(DURING):
        submit(client, project, files=[pdf()])
    entry = AuditEntry.objects.get(action="bid.submitted")
    offer = Bid.objects.get()
    assert entry.data["attachments"] == offer.attachment_hashes
    assert "80000" not in json.dumps(entry.data)  # never the price


def _my_bids_queries(agency) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = browser(agency)
    client.get("/workspace/bids/")  # the session and the per-request lookups warm up
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/workspace/bids/").status_code == 200
    return len(queries)


def _bid_on(agency, *, opened_count: int, sealed_count: int) -> None:
    for n in range(opened_count + sealed_count):
        project = published_project(min_bidders=1)
        bid(project, agency, now=DURING)
        if n < opened_count:
            open_bids(project)
            services.project_award(project=project, by=user_of(project.owner),
                                   now=project.bid_deadline + dt.timedelta(hours=1))


def test_my_bids_reads_a_page_in_the_same_queries_however_many_rows(agency):
    """The standing awards and the sealed bids' keys are read for the whole page at once."""
    other = agency_offering()
    _bid_on(agency, opened_count=1, sealed_count=1)
    _bid_on(other, opened_count=4, sealed_count=4)

    assert _my_bids_queries(other) == _my_bids_queries(agency)
    assert set(outcomes(browser(other)).values()) == {"publicity", "sealed"}
