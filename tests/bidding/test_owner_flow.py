"""An owner runs a project from draft to a final award in the browser, for each selection
method: post the draft, publish, open the bids after the deadline, propose the award (pick,
confirm rank 1 or draw) and make it final after publicity. Bids come from the services."""

import datetime as dt
import re

import pytest
import time_machine

from bidding import selectors
from bidding.models import Award, Draw, Project
from contracts.models import ContractTemplate
from tests.factories.accounts import GovernmentOwnerFactory, OwnerFactory
from tests.factories.bidding import T0, agency_offering, bid
from tests.factories.owner_pages import browser_as, project_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _contract_template(db):
    """The final award draws up a contract from the template in use (a regulator's choice)."""
    if not ContractTemplate.objects.filter(is_active=True).exists():
        ContractTemplate.objects.create(version=990, title="中介服务合同",
                                        body="甲方委托乙方提供中介服务。", is_active=True)

def alerts(response) -> list[str]:
    return re.findall(r'role="alert">(.*?)</', response.content.decode(), re.S)


PRICES = [("88000.00", 25), ("79000.00", 28), ("91000.00", 15)]


@pytest.mark.parametrize(("method", "owner_factory"), [
    ("direct", OwnerFactory), ("lowest_price", GovernmentOwnerFactory),
    ("comprehensive", GovernmentOwnerFactory), ("random", OwnerFactory)])
def test_an_owner_runs_a_project_to_a_final_award_in_the_browser(method, owner_factory):
    owner = owner_factory()
    agencies = [agency_offering() for _ in PRICES]
    browser = browser_as(owner)
    with time_machine.travel(T0, tick=False) as clock:
        deadline = T0 + dt.timedelta(days=4)
        extra = {"weight_price": "50", "weight_credit": "30", "weight_commitment": "20"} \
            if method == "comprehensive" else {}
        if owner.is_government_owner:  # a department pays from a budget line (issue 17 §2)
            extra["budget_reference"] = "渝财建〔2026〕12号"
        response = browser.post("/workspace/projects/new/",
                                project_form_data(deadline=deadline, method=method, **extra))
        assert response.status_code == 302, response.content.decode()[:3000]
        project = Project.objects.get(owner=owner)
        assert response["Location"] == f"/workspace/projects/{project.pk}/"
        assert project.status == Project.Status.DRAFT
        if method == "comprehensive":
            assert project.weights == {"price": 50, "credit": 30, "commitment": 20}
        assert project.complaint_contact == owner.phone
        assert project.pk in [p.pk for p in browser.get("/workspace/projects/")
                              .context["page"].object_list]

        assert browser.get(f"/workspace/projects/{project.pk}/publish/").status_code == 200
        assert browser.post(f"/workspace/projects/{project.pk}/publish/").status_code == 302
        project.refresh_from_db()
        assert project.status == Project.Status.BIDDING

        clock.move_to(T0 + dt.timedelta(days=1))
        bids = [bid(project, agency, price, promised_days=days, now=T0 + dt.timedelta(days=1))
                for agency, (price, days) in zip(agencies, PRICES, strict=True)]

        clock.move_to(deadline)
        assert browser.post(f"/workspace/projects/{project.pk}/open/").status_code == 302
        project.refresh_from_db()
        assert project.status == Project.Status.EVALUATING

        clock.move_to(deadline + dt.timedelta(hours=2))
        page = browser.get(f"/workspace/projects/{project.pk}/").content.decode()
        for offer in bids:
            assert offer.agency.name in page and offer.receipt in page
        chosen = bids[2]
        data = {"award-bid": str(chosen.pk)} if method == "direct" else {}
        response = browser.post(f"/workspace/projects/{project.pk}/award/", data)
        assert response.status_code == 302, response.content.decode()[:3000]
        project.refresh_from_db()
        assert project.status == Project.Status.PUBLICITY
        award = Award.objects.get(project=project, cancelled_at__isnull=True)
        expected = {"direct": chosen, "lowest_price": bids[1]}.get(method)
        if expected is not None:
            assert award.bid_id == expected.pk
        if method == "comprehensive":
            assert award.bid.rank == 1
        if method == "random":
            draw = Draw.objects.get(project=project)
            assert draw.bid_id == award.bid_id
            page = browser.get(f"/workspace/projects/{project.pk}/").content.decode()
            assert f"/projects/{project.pk}/draw/" in page
            assert browser_as().get(f"/projects/{project.pk}/draw/").status_code == 200

        clock.move_to(award.publicity_ends_at)
        response = browser.post(f"/workspace/projects/{project.pk}/finalize/")
        assert response.status_code == 302, alerts(response)
        project.refresh_from_db()
        assert project.status == Project.Status.AWARDED
        award.refresh_from_db()
        assert award.final
        assert selectors.contract_id(project) is not None
        page = browser.get(f"/workspace/projects/{project.pk}/").content.decode()
        assert "Award final" in page and "The award is final." in page
