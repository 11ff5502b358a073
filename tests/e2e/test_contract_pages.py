"""Contract pages in Chromium: the second signer is told the contract is now in force, and the
owner confirms, knowing what it means, before accepting a delivery."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contracts.models import Contract
from contracts.services import contract_deliver
from tests.factories.accounts import PASSWORD
from tests.factories.bidding import user_of
from tests.factories.contracts import contract_awaiting_signatures, sign

pytestmark = pytest.mark.django_db(transaction=True)


def _fresh_contract() -> Contract:
    """A contract drawn up an hour ago (the journeys' short periods: bidding 1 h, publicity
    2 h, signing 1 day), so its signing window is open now."""
    start = timezone.now() - dt.timedelta(days=4, hours=4)
    return contract_awaiting_signatures(start=start)


def test_the_second_signer_is_told_the_contract_is_now_in_force(guide):
    contract = _fresh_contract()
    sign(contract, contract.owner, now=timezone.now())
    tour = guide.open("agency", "zh-hans")
    page = tour.page
    tour.login(user_of(contract.agency).username, PASSWORD)
    tour.goto(f"/workspace/contracts/{contract.pk}/", "contract signed by the owner")
    page.get_by_role("link", name="签署合同").click()
    tour.check("sign the contract")
    page.get_by_label("密码").fill(PASSWORD)
    tour.submit("signed by both", button="签署")
    message = page.get_by_role("alert").first
    expect(message).to_contain_text("双方均已签署，合同现已生效")
    expect(message).not_to_contain_text("双方均签署后合同生效")
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE


def test_the_owner_confirms_before_accepting_a_delivery(guide):
    contract = _fresh_contract()
    now = timezone.now()
    sign(contract, contract.owner, now=now - dt.timedelta(minutes=30))
    sign(contract, contract.agency, now=now - dt.timedelta(minutes=20))
    contract_deliver(contract=contract, by=user_of(contract.agency),
                     note="环境影响报告表（报批稿）及技术审查意见回复", now=now)
    tour = guide.open("owner", "zh-hans")
    page = tour.page
    tour.login(user_of(contract.owner).username, PASSWORD)
    tour.goto(f"/workspace/contracts/{contract.pk}/", "delivered contract")
    page.get_by_role("link", name="验收通过").click()
    tour.check("confirm the acceptance")
    consequences = page.locator("#accept-consequences")
    expect(consequences).to_contain_text("验收后不可撤销")
    expect(consequences).to_contain_text("服务计时停止")
    expect(page.locator("main")).to_contain_text("环境影响报告表（报批稿）")
    contract.refresh_from_db()
    assert contract.status == Contract.Status.DELIVERED  # nothing happened yet

    tour.submit("delivery accepted", button="确认验收通过")
    expect(page.get_by_role("alert").first).to_contain_text("验收通过，合同履行完毕。")
    expect(page.get_by_role("link", name="双向评价")).to_be_visible()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.COMPLETED


def test_the_owner_decides_after_the_agency_of_a_contract_in_force_is_blacklisted(guide):
    """#12 §4: the owner sees why it must decide, the agency sees it cannot deliver meanwhile,
    and continuing lets the work go on."""
    from ratings.models import BlacklistEntry
    from ratings.services import blacklist_add
    from tests.factories.accounts import RegulatorFactory

    contract = _fresh_contract()
    now = timezone.now()
    sign(contract, contract.owner, now=now - dt.timedelta(minutes=30))
    sign(contract, contract.agency, now=now - dt.timedelta(minutes=20))
    blacklist_add(organization=contract.agency, reason="提供虚假材料", basis="监管决定",
                  ends_at=now + dt.timedelta(days=365), source=BlacklistEntry.Source.REGULATOR,
                  by=user_of(RegulatorFactory()), now=now - dt.timedelta(minutes=10))

    agency_tour = guide.open("agency", "zh-hans")
    agency_tour.login(user_of(contract.agency).username, PASSWORD)
    agency_tour.goto(f"/workspace/contracts/{contract.pk}/", "agency sanctioned: no delivery")
    expect(agency_tour.page.locator("#sanction")).to_contain_text("由项目业主决定继续履行或解除")
    expect(agency_tour.page.get_by_role("link", name="交付成果")).to_have_count(0)

    tour = guide.open("owner", "zh-hans")
    page = tour.page
    tour.login(user_of(contract.owner).username, PASSWORD)
    tour.goto(f"/workspace/contracts/{contract.pk}/", "owner decides after the sanction")
    card = page.locator("#sanction")
    expect(card).to_contain_text("中介机构受到惩戒")
    expect(card).to_contain_text("提供虚假材料")
    page.get_by_label("备注（选填）").fill("报告已近完成，继续履行")
    tour.submit("contract continued", button="继续履行合同")
    expect(page.get_by_role("alert").first).to_contain_text("您已决定继续履行合同")
    expect(page.locator("#sanction")).to_have_count(0)
    assert contract.sanction_reviews.get().decision == "continue"
