"""Journeys 2 to 4: from an agency's registration to a paid, rated contract, in the browser.

2. A new agency registers, adds a service with its three commitments, declares a qualification
   with a file, finds the project from its alert, asks a question, submits a sealed bid with an
   attachment, sees and verifies its receipt, revises, withdraws and submits again.
3. The owner creates the project through the form (every field, qualifications and exclusions
   included), publishes after the confirmation page, answers the question starting from the
   notification, opens the bids, handles an abnormally low price, proposes the award, sees the
   publicity end, finalizes, reaches the contract from the award page and signs.
4. The agency signs and delivers; the owner rejects once, then accepts and records an offline
   payment; both rate; each side's credit page shows the change.

The agency acts in Chinese and, in the second run, in English; the owner in Chinese.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from bidding import services as bidding_services
from bidding.models import Bid, Project
from contracts.models import Contract
from marketplace.accounts.models import Organization
from ratings.models.ratings import AGENCY_RATES_OWNER, OWNER_RATES_AGENCY
from tests.e2e.market_story import (
    ITEM,
    NEW_PASSWORD,
    PASSWORD,
    RIVAL_PRICES,
    Cast,
    Clock,
    cast_the_market,
    deadline_input,
)
from tests.factories.bidding import user_of
from tests.factories.files import pdf

pytestmark = pytest.mark.django_db(transaction=True)
PLAN = "技术方案.pdf"


def attach_pdf(file_input, name: str, body: bytes) -> None:
    """Choose a small PDF (checked by content on the server) in a file input."""
    file_input.set_input_files(files=[{"name": name, "mimeType": "application/pdf",
                                       "buffer": pdf(name, body).read()}])


def agency_registers(tour, cast: Cast) -> None:
    page = tour.page
    tour.goto("/", "home before registering")
    page.get_by_role("link", name=tour.t("Register"), exact=True).first.click()
    tour.check("registration form")
    # The password rules are beside the field before anything is submitted.
    expect(page.locator("#id_password_helptext")).to_be_visible()
    page.locator("#id_name").fill(cast.agency_name)
    page.locator("#id_uscc").fill(cast.agency_uscc)
    page.locator("#id_region").select_option("500103")
    page.locator("#id_contact_name").fill("李青山")
    page.locator("#id_phone").fill("023-63210000")
    page.locator("#id_email").fill("qingshan@example.cn")
    page.locator("#id_username").fill(cast.agency_user)
    tour.names.add(cast.agency_user)
    page.locator("#id_password").fill(PASSWORD)
    tour.submit("workspace after registration")
    expect(page.locator("main")).to_contain_text(cast.agency_name)
    # Not a wall of buttons: one highlighted next step, the rest grouped by area.
    expect(page.locator("main .btn")).to_have_count(1)
    expect(page.locator("#next-steps .btn-primary")).to_have_text(tour.t("Add a service"))
    expect(page.locator("#workspace-areas > section")).to_have_count(5)


def agency_offers_its_service(tour) -> None:
    page = tour.page
    page.get_by_role("link", name=tour.t("Add a service")).first.click()
    tour.check("add a service")
    page.locator("#id_service_item").select_option(ITEM)
    page.locator("#id_promised_days").fill("25")
    page.locator("#id_fee_standard").fill("按国家计价格〔2002〕125号文下浮20%")
    page.locator("#id_fee_max").fill("98000")
    page.locator("#id_service_standard").fill("按HJ 2.1-2016导则编制，一次通过专家评审")
    tour.submit("services after adding one")
    expect(page.locator("main")).to_contain_text("25")


def agency_declares_a_qualification(tour) -> None:
    page = tour.page
    tour.goto("/workspace/", "workspace with the next step")
    page.get_by_role("link", name=tour.t("Declare a qualification")).first.click()
    tour.check("declare a qualification")
    page.locator("#id_type").select_option("EIA")
    page.locator("#id_number").fill("国环评证乙字第3201号")
    page.locator("#id_issuer").fill("重庆市生态环境局")
    page.locator("#id_valid_until").fill("2029-12-31")
    attach_pdf(page.locator("#id_file"), "资质证书.pdf", b"EIA-CERTIFICATE")
    tour.submit("qualifications after declaring one")
    expect(page.locator("main")).to_contain_text("国环评证乙字第3201号")


def owner_posts_the_project(tour, cast: Cast, clock: Clock) -> Project:
    page = tour.page
    tour.login(cast.owner_user.username, PASSWORD)
    page.get_by_role("link", name=tour.t("My projects")).first.click()
    tour.check("my projects")
    page.get_by_role("link", name=tour.t("New project")).first.click()
    tour.check("new project form")
    # The form stays a readable length: no label squeezed one character per line.
    assert page.evaluate("document.documentElement.scrollHeight") < 3600
    page.locator("#id_title").fill(cast.project_title)
    page.locator("#id_service_item").select_option(ITEM)
    page.locator("#id_description").fill(
        "礼嘉片区道路改造工程（全长2.4公里）建设项目环境影响报告表编制，含现状监测与专家评审。")
    page.locator("#id_region").select_option("500112")
    page.locator("#id_budget_cap").fill("100000")
    page.locator("#id_budget_reference").fill("渝财建〔2026〕18号")
    page.locator("#id_selection_method").select_option("lowest_price")
    page.locator("#id_bid_deadline").fill(deadline_input(clock_now(), days=3))
    page.locator("#id_min_bidders").fill("3")
    page.get_by_label("环境影响评价" if tour.chinese else "Environmental impact assessment",
                      exact=True).check()
    page.locator("#id_min_grade").select_option("C")
    page.locator("#id_quote_format").select_option("amount")
    page.locator("#id_complaint_contact").fill("023-67000000 两江新区建设管理局法规科")
    attach_pdf(page.locator("#id_documents"), "项目概况.pdf", b"PROJECT-BRIEF")
    page.locator("#id_exclusions-0-agency").fill(cast.excluded.uscc)
    page.locator("#id_exclusions-0-reason").fill("该单位编制了本项目可行性研究报告")
    tour.submit("project workspace: draft")
    project = Project.objects.get(title=cast.project_title)
    expect(page.locator("main")).to_contain_text(cast.excluded.name)
    expect(page.locator("main")).to_contain_text("项目概况.pdf")

    page.get_by_role("link", name=tour.t("Publish"), exact=True).first.click()
    tour.check("publish confirmation")
    expect(page.locator("main")).to_contain_text(cast.excluded.name)
    tour.submit("project workspace: published", button=tour.t("Yes, publish"))
    project.refresh_from_db()
    assert project.status == Project.Status.BIDDING
    assert list(project.required_qualifications.values_list("code", flat=True)) == ["EIA"]
    assert project.min_grade == "C"
    return project


def clock_now():
    from django.utils import timezone
    return timezone.now()


def agency_finds_the_project_and_asks(tour, cast: Cast, project: Project) -> None:
    page = tour.page
    page.get_by_role("link", name=re.compile(tour.t("Inbox"))).first.click()
    tour.check("inbox with the project alert")
    page.get_by_role("link", name=re.compile(re.escape(project.title))).first.click()
    tour.check("project announcement from the alert")
    expect(page.locator("#eligibility")).to_be_visible()
    page.get_by_role("link", name=tour.t("Ask a question")).click()
    tour.check("ask a question")
    page.locator("main textarea").first.fill("现状监测是否需要包含夜间噪声？")
    tour.submit("announcement after asking")


def agency_bids(tour, cast: Cast, project: Project) -> Bid:
    page = tour.page
    page.get_by_role("link", name=tour.t("Submit a bid")).click()
    tour.check("bid form")
    # The promised days come pre-filled from the service's commitment.
    expect(page.locator("#id_promised_days")).to_have_value("25")
    page.locator("#id_price").fill("120000")        # above the budget cap
    page.locator("#id_promised_days").fill("40")    # beyond the committed 25 days
    attach_pdf(page.locator("main input[type=file]").first, PLAN, b"TECHNICAL-PLAN")
    tour.submit("bid form with errors")
    errors = page.locator("main .errorlist li")
    assert errors.count() >= 2, "every field's error is shown at once"
    page.locator("#id_price").fill("90000")
    page.locator("#id_promised_days").fill("25")
    page.locator("#id_proposal").fill("组建5人项目组，20个工作日内提交报告表送审稿。")
    attach_pdf(page.locator("main input[type=file]").first, PLAN, b"TECHNICAL-PLAN")
    tour.submit("receipt after sealing the bid")
    bid = Bid.objects.get(project=project, agency__uscc=cast.agency_uscc, status="submitted")
    expect(page.locator("#receipt")).to_have_text(bid.receipt)
    # The agency verifies its receipt: SHA-256 of the canonical text and the salt.
    canonical = page.locator("#canonical").inner_text()
    salt = page.locator("#salt").inner_text()
    assert hashlib.sha256((canonical + salt).encode()).hexdigest() == bid.receipt
    return bid


def agency_revises_withdraws_and_bids_again(tour, cast: Cast, project: Project) -> Bid:
    page = tour.page
    page.get_by_role("link", name=tour.t("Revise"), exact=True).first.click()
    tour.check("revise the bid")
    page.locator("#id_price").fill("88000")
    attach_pdf(page.locator("main input[type=file]").first, PLAN, b"TECHNICAL-PLAN")
    tour.submit("receipt after revising")
    expect(page.locator("main")).to_contain_text("88,000.00")
    page.get_by_role("link", name=tour.t("Withdraw"), exact=True).first.click()
    tour.check("withdraw the bid")
    tour.submit("after withdrawing", button=None)
    page.goto(tour.base_url + project.get_absolute_url())
    tour.check("announcement after withdrawing")
    page.get_by_role("link", name=tour.t("Submit a bid")).click()
    tour.check("bid form again")
    page.locator("#id_price").fill("88000")
    page.locator("#id_proposal").fill("组建5人项目组，20个工作日内提交报告表送审稿。")
    attach_pdf(page.locator("main input[type=file]").first, PLAN, b"TECHNICAL-PLAN")
    tour.submit("receipt of the bid submitted again")
    return Bid.objects.get(project=project, agency__uscc=cast.agency_uscc, status="submitted")


def rivals_bid(cast: Cast, project: Project) -> None:
    for rival, price in zip(cast.rivals, RIVAL_PRICES, strict=True):
        bidding_services.bid_submit(project=project, by=user_of(rival), price=price,
                                    promised_days=20, proposal="技术方案")


def owner_answers_from_the_notification(tour, project: Project) -> None:
    page = tour.page
    tour.goto("/workspace/inbox/", "owner's inbox with the new question")
    page.locator("main a", has_text=project.title).first.click()
    tour.check("owner's project page at the question")
    answer = page.locator("main textarea").first
    expect(answer).to_be_visible()
    answer.fill("需要。请按《声环境质量标准》开展昼夜各一次的现状监测。")
    tour.submit("owner's project page after answering", form="main form:has(textarea)")
    expect(page.locator("main")).to_contain_text("昼夜各一次")


def owner_opens_handles_and_proposes(tour, cast: Cast, project: Project, clock: Clock) -> None:
    page = tour.page
    clock.advance(days=3, hours=1)  # past the deadline
    tour.goto(f"/workspace/projects/{project.pk}/", "owner's project after the deadline")
    page.get_by_role("button", name=tour.t("Open the bids")).click()
    page.wait_for_load_state()
    tour.check("opened bids")
    low = page.locator("tr", has_text=cast.rivals[2].name)
    expect(low).to_contain_text(tour.t("Abnormally low"))
    # The abnormally low price: the agency did not justify it, the owner rejects it.
    low_bid = Bid.objects.get(project=project, agency=cast.rivals[2], status="submitted")
    decision = page.locator(f"form[action$='/bids/{low_bid.pk}/justification/']")
    decision.get_by_label(tour.t("Reject the price: the bid becomes invalid")).check()
    decision.locator("textarea").fill("未在评审期内说明低价理由。")
    tour.submit("opened bids after rejecting the low price",
                form=f"form[action$='/bids/{low_bid.pk}/justification/']")
    expect(page.locator("tr", has_text=cast.rivals[2].name).first).to_contain_text(
        tour.t("Invalid"))
    page.get_by_role("link", name=tour.t("Propose the award")).first.click()
    tour.check("confirm the proposed award")
    expect(page.locator("main")).to_contain_text(cast.agency_name)
    tour.submit("publicity", button=tour.t("Yes, propose the award"))
    project.refresh_from_db()
    assert project.status == Project.Status.PUBLICITY


def owner_finalizes_and_signs(tour, cast: Cast, project: Project, clock: Clock) -> None:
    page = tour.page
    clock.advance(hours=3)  # the (shortened) publicity period is over
    tour.goto(f"/workspace/projects/{project.pk}/", "owner's project after publicity")
    # The page changed when the publicity ended: it says so and offers the final award.
    expect(page.locator("#publicity-over")).to_be_visible()
    expect(page.locator("#award-stage")).to_have_attribute("data-stage", "publicity_over")
    page.get_by_role("link", name=tour.t("Make the award final")).first.click()
    tour.check("confirm the final award")
    tour.submit("award page", button=tour.t("Yes, make the award final"))
    page.locator("#contract-link").click()
    tour.check("contract from the award page")
    page.get_by_role("link", name=tour.t("Sign the contract")).first.click()
    tour.check("owner signs")
    page.locator("#id_password").fill(PASSWORD)
    tour.submit("contract after the owner signed")


def agency_signs_and_delivers(tour, cast: Cast, note: str) -> Contract:
    page = tour.page
    contract = Contract.objects.get(agency__uscc=cast.agency_uscc)
    tour.goto("/workspace/contracts/", "my contracts")
    page.locator("main a", has_text=cast.project_title).first.click()
    tour.check("the contract")
    if contract.status == Contract.Status.AWAITING_SIGNATURES:
        page.get_by_role("link", name=tour.t("Sign the contract")).first.click()
        tour.check("agency signs")
        page.locator("#id_password").fill(PASSWORD)
        tour.submit("contract in force")
        # The second signer is told the contract is in force now, not "once both have signed".
        expect(page.locator("main .alert").first).to_contain_text(tour.t(
            "Signed. Both parties have now signed: the contract is in force and the service "
            "clock has started."))
        contract.refresh_from_db()
        assert contract.status == Contract.Status.ACTIVE
    page.get_by_role("link", name=tour.t("Deliver the work")).first.click()
    tour.check("deliver the work")
    page.locator("#id_note").fill(note)
    attach_pdf(page.locator("#id_files"), "环境影响报告表.pdf", note.encode())
    tour.submit("contract after delivering")
    expect(page.locator("main")).to_contain_text(note)
    return contract


def owner_rejects_the_delivery(tour, contract: Contract) -> None:
    page = tour.page
    tour.goto(f"/workspace/contracts/{contract.pk}/", "contract delivered")
    page.get_by_role("link", name=tour.t("Reject the delivery")).first.click()
    tour.check("reject the delivery")
    page.locator("#id_reason").fill("未附夜间噪声监测数据，请补充后重新提交。")
    tour.submit("contract after rejecting")
    expect(page.locator("main")).to_contain_text("未附夜间噪声监测数据")


def owner_accepts_and_pays(tour, contract: Contract) -> None:
    page = tour.page
    tour.goto(f"/workspace/contracts/{contract.pk}/", "contract delivered again")
    page.get_by_role("link", name=tour.t("Accept the delivery")).first.click()
    tour.check("confirm the acceptance")
    tour.submit("contract completed", button=tour.t("Yes, accept the delivery"))
    contract.refresh_from_db()
    assert contract.status == Contract.Status.COMPLETED
    # The owner pays offline: starts the payment, then records the bank transfer.
    page.locator("form[action$='/payments/start/'] select").select_option("offline")
    tour.submit("contract with an offline payment due", form="form[action$='/payments/start/']")
    page.get_by_role("link", name=tour.t("Record the bank transfer")).first.click()
    tour.check("record the bank transfer")
    page.locator("#id_amount").fill(str(contract.price))
    page.locator("#id_date").fill(clock_now().date().isoformat())
    page.locator("#id_reference").fill("CQB2026030900178")
    tour.submit("contract after recording the transfer")
    expect(page.locator("main")).to_contain_text("CQB2026030900178")


def agency_confirms_the_payment(tour, contract: Contract) -> None:
    tour.goto(f"/workspace/contracts/{contract.pk}/", "contract with the transfer recorded")
    tour.submit("payment confirmed", button=tour.t("Confirm receipt"),
                form="form[action*='/confirm/']")


def party_rates(tour, contract: Contract, *, scores: dict[str, int], comment: str) -> None:
    page = tour.page
    tour.goto(f"/workspace/contracts/{contract.pk}/", "contract before rating")
    page.get_by_role("link", name=tour.t("Two-way ratings")).first.click()
    tour.check("rating form")
    for criterion, score in scores.items():
        page.locator(f"input[name={criterion}][value='{score}']").check()
    page.locator("#id_comment").fill(comment)
    tour.submit("after rating")


@pytest.mark.parametrize("agency_language", ["zh-hans", "en"])
def test_an_agency_and_an_owner_go_from_registration_to_a_paid_rated_contract(
        guide, agency_language):
    cast = cast_the_market()
    with Clock() as clock:
        agency = guide.open("agency", agency_language)
        owner = guide.open("owner", "zh-hans")
        agency_registers(agency, cast)
        agency_offers_its_service(agency)
        agency_declares_a_qualification(agency)
        project = owner_posts_the_project(owner, cast, clock)
        agency_finds_the_project_and_asks(agency, cast, project)
        agency_bids(agency, cast, project)
        agency_revises_withdraws_and_bids_again(agency, cast, project)
        rivals_bid(cast, project)
        owner_answers_from_the_notification(owner, project)
        owner_opens_handles_and_proposes(owner, cast, project, clock)
        owner_finalizes_and_signs(owner, cast, project, clock)

        contract = agency_signs_and_delivers(agency, cast, "报告表送审稿及监测报告。")
        owner_rejects_the_delivery(owner, contract)
        clock.advance(days=2)
        agency_signs_and_delivers(agency, cast, "补充夜间噪声监测后的报告表（修订稿）。")
        owner_accepts_and_pays(owner, contract)
        agency_confirms_the_payment(agency, contract)

        party_rates(owner, contract, comment="报告质量高，沟通及时。",
                    scores=dict.fromkeys(OWNER_RATES_AGENCY, 5))
        expect(owner.page.locator("main")).to_contain_text(owner.t(
            "Thank you. Both ratings are published when the other party has rated or the "
            "rating period ends."))
        party_rates(agency, contract, comment="需求明确，付款及时。",
                    scores=dict.fromkeys(AGENCY_RATES_OWNER, 5))
        # The second rater is told the ratings are published now, and sees both.
        expect(agency.page.locator("main")).to_contain_text(agency.t(
            "Thank you. The other party had already rated, so both ratings are now published."))
        expect(agency.page.locator("#ratings")).to_contain_text("报告质量高")

        agency_org = Organization.objects.get(uscc=cast.agency_uscc)
        agency.goto(f"/credit/{agency_org.pk}/", "agency's public credit page after rating")
        expect(agency.page.locator("main")).to_contain_text("报告质量高，沟通及时。")
        agency_org.refresh_from_db()
        assert agency_org.credit_score > Decimal("80")
        expect(agency.page.locator("main")).to_contain_text(f"{agency_org.credit_score}")
        owner.goto("/workspace/credit/", "owner's own credit page after rating")
        expect(owner.page.locator("main")).to_contain_text("需求明确，付款及时。")
        owner_org = cast.owner
        owner_org.refresh_from_db()
        expect(owner.page.locator("#score-changes")).to_contain_text(str(owner_org.credit_score))
        assert NEW_PASSWORD
