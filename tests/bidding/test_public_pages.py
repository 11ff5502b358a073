"""The public project pages: the list, the announcement (bids sealed until opening, whoever
looks) and "verify this draw", recomputed here with hashlib only."""

import datetime as dt
import hashlib
import re

import pytest
from django.conf import settings
from django.test import Client

from bidding import services
from bidding.models import Project
from marketplace.formatting.money import format_money
from tests.factories.bidding import (
    ProjectFactory,
    bid,
    open_bids,
    published_project,
    user_of,
)

pytestmark = pytest.mark.django_db


def client_as(organization=None) -> Client:
    # These tests read the English texts; the Chinese catalog is checked on its own.
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if organization is not None:
        client.force_login(user_of(organization))
    return client


def html(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def title_of(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1)


@pytest.fixture
def bidders(project, agencies):
    prices = ["81234.00", "82345.00", "83456.00"]
    return [bid(project, agency, price) for agency, price in zip(agencies[:3], prices, strict=True)]


def test_list_hides_drafts_and_shows_the_bid_count_only(project, bidders):
    draft = ProjectFactory(title="尚未发布的草稿项目")
    for viewer in (None, draft.owner, project.owner):
        page = html(client_as(viewer), "/projects/")
        assert project.title in page
        assert draft.title not in page
        for offer in bidders:
            assert offer.agency.name not in page
            assert format_money(offer.price) not in page
        assert re.search(r'<td class="text-end">3</td>', page)


def test_list_filters_by_status_and_keeps_filters_in_pagination(project, agencies):
    for _ in range(21):
        published_project()
    page = html(client_as(), "/projects/?status=bidding")
    assert "status=bidding&amp;page=2" in page
    assert "22" in page
    assert "No project matches" in html(client_as(), "/projects/?status=awarded")


@pytest.mark.parametrize("viewer", ["anonymous", "owner", "other_agency", "regulator",
                                    "bidder"])
def test_detail_before_opening_shows_no_bid_data(viewer, project, agencies, bidders,
                                                 regulator):
    organization = {"anonymous": None, "owner": project.owner, "other_agency": agencies[3],
                    "regulator": regulator, "bidder": agencies[0]}[viewer]
    page = html(client_as(organization), f"/projects/{project.pk}/")
    assert project.title in page
    assert "3 bids received" in page
    for offer in bidders:
        assert offer.agency.name not in page
        assert format_money(offer.price) not in page
        assert offer.receipt not in page
    assert project.complaint_contact in page


def test_detail_after_opening_shows_the_public_bid_table(project, bidders):
    project = open_bids(project)
    page = html(client_as(), f"/projects/{project.pk}/")
    for offer in bidders:
        assert offer.agency.name in page
        assert format_money(offer.price) in page
        assert offer.receipt in page
    assert "Bids opened" in page
    title = title_of(page)
    for offer in bidders:
        assert offer.agency.name not in title and format_money(offer.price) not in title


def test_answered_questions_are_shown_without_the_asker(project, agencies):
    question = services.question_ask(project=project, by=user_of(agencies[0]),
                                     text="是否需要现场踏勘？",
                                     now=project.published_at + dt.timedelta(hours=1))
    services.question_answer(question=question, by=user_of(project.owner), text="需要。",
                             now=project.published_at + dt.timedelta(hours=2))
    page = html(client_as(), f"/projects/{project.pk}/")
    assert "是否需要现场踏勘？" in page and "需要。" in page
    assert agencies[0].name not in page


def test_a_draft_is_404_for_outsiders_and_shown_to_its_owner(agencies, regulator):
    draft = ProjectFactory()
    for outsider in (None, agencies[0], regulator):
        html(client_as(outsider), f"/projects/{draft.pk}/", status=404)
    assert draft.title in html(client_as(draft.owner), f"/projects/{draft.pk}/")
    html(client_as(), "/projects/999999/", status=404)


def test_draw_page_before_the_draw_shows_the_commitment_only(agencies):
    project = published_project(selection_method=Project.Method.RANDOM)
    for agency in agencies[:3]:
        bid(project, agency)
    project.refresh_from_db()
    page = html(client_as(), f"/projects/{project.pk}/draw/")
    assert project.draw_commitment in page
    assert project.draw_secret not in page
    assert "The secret will be revealed at the draw" in page
    detail = html(client_as(), f"/projects/{project.pk}/")
    assert project.draw_commitment in detail and project.draw_secret not in detail


def test_draw_page_after_a_random_award_matches_an_independent_recomputation(agencies):
    project = published_project(selection_method=Project.Method.RANDOM)
    offers = [bid(project, agency, price)
              for agency, price in zip(agencies[:3], ["81000", "82000", "83000"],
                                             strict=True)]
    commitment = Project.objects.get(pk=project.pk).draw_commitment
    project = open_bids(project)
    services.project_award(project=project, by=user_of(project.owner),
                           now=project.bid_deadline + dt.timedelta(hours=1))

    page = html(client_as(), f"/projects/{project.pk}/draw/")
    secret = re.search(r'id="secret">([0-9a-f]{64})<', page).group(1)
    seed_shown = re.search(r'id="seed">([0-9a-f]{64})<', page).group(1)
    index_shown = int(re.search(r'id="index">(\d+)<', page).group(1))
    candidates_shown = re.findall(r'class="text-break candidate">([0-9a-f]{64})<', page)

    receipts = sorted(offer.receipt.lower() for offer in offers)
    assert candidates_shown == receipts
    assert hashlib.sha256(secret.encode("ascii")).hexdigest() == commitment
    assert commitment in page
    seed = hashlib.sha256((secret + "".join(receipts)).encode("ascii")).hexdigest()
    assert seed_shown == seed
    assert index_shown == int(seed, 16) % len(receipts)
    assert 'id="verified"' in page

    detail = html(client_as(), f"/projects/{project.pk}/")
    winner = next(o for o in offers if o.receipt.lower() == receipts[index_shown])
    assert "Publicity ends at" in detail and winner.agency.name in detail
