"""Proposing and finalizing an award from the workspace: each has a confirmation step (GET shows
what will happen and changes nothing; the POST acts), the workspace says where the award stands
(under publicity, publicity over and ready to finalize, final) and links to the contract, and
what can be done now comes first with the rest folded away with its reasons."""

import datetime as dt
import re

import pytest
import time_machine

from bidding import services
from bidding.models import Award, Project
from marketplace.formatting.money import format_money
from tests.factories.bidding import bid, open_bids, published_project, user_of
from tests.factories.contracts import latest_contract
from tests.factories.owner_pages import browser_as

pytestmark = pytest.mark.django_db
PRICES = ["81234.00", "82345.00", "83456.00"]


def opened(agencies, method=Project.Method.LOWEST_PRICE) -> tuple[Project, list]:
    project = published_project(selection_method=method)
    offers = [bid(project, agency, price) for agency, price in zip(agencies, PRICES,
                                                                    strict=False)]
    return open_bids(project), offers


def after_opening(project):
    return project.bid_deadline + dt.timedelta(hours=1)


def propose(project, at) -> Award:
    services.project_award(project=project, by=user_of(project.owner), now=at)
    return Award.objects.get(project=project, cancelled_at__isnull=True)


def test_the_award_confirmation_page_names_rank_one_and_changes_nothing(agencies):
    project, offers = opened(agencies)
    with time_machine.travel(after_opening(project), tick=False):
        response = browser_as(project.owner).get(f"/workspace/projects/{project.pk}/award/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Propose the award of" in page and "It cannot be withdrawn" in page
    assert offers[0].agency.name in page and format_money(offers[0].price) in page
    assert f'action="/workspace/projects/{project.pk}/award/"' in page
    assert "Yes, propose the award" in page
    project.refresh_from_db()
    assert project.status == Project.Status.EVALUATING and not Award.objects.exists()


def test_the_direct_award_is_chosen_on_the_confirmation_page(agencies):
    project, offers = opened(agencies, Project.Method.DIRECT)
    browser = browser_as(project.owner)
    with time_machine.travel(after_opening(project), tick=False):
        page = browser.get(f"/workspace/projects/{project.pk}/award/").content.decode()
        for offer in offers:
            assert f'value="{offer.pk}"' in page
            assert f"{offer.agency.name} · {format_money(offer.price)}" in page
        refused = browser.post(f"/workspace/projects/{project.pk}/award/", {"award-bid": "0"})
        assert refused.status_code == 400
        assert "Select a valid choice. 0 is not one of the available" in refused.content.decode()
        assert "Propose the award of" in refused.content.decode()  # back on the same page
        done = browser.post(f"/workspace/projects/{project.pk}/award/",
                            {"award-bid": str(offers[1].pk)})
    assert done.status_code == 302
    assert Award.objects.get(project=project).bid_id == offers[1].pk


def test_the_finalize_confirmation_page_waits_for_the_end_of_publicity(agencies):
    project, _offers = opened(agencies)
    award = propose(project, after_opening(project))
    browser = browser_as(project.owner)
    with time_machine.travel(award.publicity_ends_at - dt.timedelta(minutes=1), tick=False):
        page = browser.get(f"/workspace/projects/{project.pk}/finalize/").content.decode()
    assert "The publicity period runs until" in page
    assert re.search(r'<button class="btn btn-primary" type="submit" disabled>', page)
    with time_machine.travel(award.publicity_ends_at, tick=False):
        page = browser.get(f"/workspace/projects/{project.pk}/finalize/").content.decode()
        assert "the contract is drawn up at once" in page
        assert re.search(r'<button class="btn btn-primary" type="submit">', page)
        project.refresh_from_db()
        assert project.status == Project.Status.PUBLICITY  # a GET decides nothing
        assert browser.post(f"/workspace/projects/{project.pk}/finalize/").status_code == 302
    project.refresh_from_db()
    assert project.status == Project.Status.AWARDED


def test_the_workspace_changes_when_the_publicity_period_ends(agencies):
    project, _offers = opened(agencies)
    award = propose(project, after_opening(project))
    workspace = f"/workspace/projects/{project.pk}/"
    with time_machine.travel(award.publicity_ends_at - dt.timedelta(minutes=1), tick=False):
        during = browser_as(project.owner).get(workspace).content.decode()
    with time_machine.travel(award.publicity_ends_at + dt.timedelta(minutes=1), tick=False):
        after = browser_as(project.owner).get(workspace).content.decode()
    assert 'data-stage="publicity"' in during and "Under publicity until" in during
    assert 'data-action="finalize" data-possible="no"' in during
    assert 'data-stage="publicity_over"' in after and "Publicity over" in after
    assert "you can now make the award final" in after
    assert 'data-action="finalize" data-possible="yes"' in after
    assert f'href="/workspace/projects/{project.pk}/finalize/"' in after


def test_after_the_final_award_the_workspace_links_to_the_contract(agencies):
    project, _offers = opened(agencies)
    award = propose(project, after_opening(project))
    services.project_finalize(project=project, by=user_of(project.owner),
                              now=award.publicity_ends_at)
    contract = latest_contract(project)
    with time_machine.travel(award.publicity_ends_at + dt.timedelta(hours=1), tick=False):
        page = browser_as(project.owner).get(f"/workspace/projects/{project.pk}/").content.decode()
    assert page.count(f'href="/workspace/contracts/{contract.pk}/"') == 2  # callout and award
    assert "Open the contract to sign it" in page and 'data-stage="final"' not in page


def test_what_can_be_done_now_comes_first_and_the_rest_is_folded_with_reasons(agencies):
    project, _offers = opened(agencies)
    with time_machine.travel(after_opening(project), tick=False):
        page = browser_as(project.owner).get(f"/workspace/projects/{project.pk}/").content.decode()
    first = page[page.index('id="possible-actions"'):page.index('id="other-actions"')]
    folded = page[page.index('id="other-actions"'):]
    folded = folded[:folded.index("</details>")]
    assert re.findall(r'data-action="(\w+)" data-possible="yes"', first) == ["award"]
    assert f'href="/workspace/projects/{project.pk}/award/"' in first
    assert "Other actions and why they are not available" in folded
    unavailable = re.findall(r'data-action="(\w+)" data-possible="no"', folded)
    assert set(unavailable) == {"edit", "publish", "cancel", "amend", "open",
                                "decide_justification", "finalize", "republish"}
    assert "The bids were opened at" in folded and "✕" not in page
